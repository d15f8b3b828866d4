/* uni's page lifecycle hooks, recorded so a test can run them: `await runHook("onLoad", { scene: "…" })`. */
type Hook = (options?: Record<string, unknown>) => unknown;
const registered: Record<string, Hook[]> = {};

function recorder(name: string) {
  return (hook: Hook) => {
    (registered[name] ??= []).push(hook);
  };
}

export const hooks = {
  onLaunch: recorder("onLaunch"),
  onLoad: recorder("onLoad"),
  onShow: recorder("onShow"),
  onHide: recorder("onHide"),
  onUnload: recorder("onUnload"),
  onPullDownRefresh: recorder("onPullDownRefresh"),
  onReachBottom: recorder("onReachBottom"),
};

export async function runHook(name: keyof typeof hooks, options?: Record<string, unknown>): Promise<void> {
  for (const hook of registered[name] ?? []) await hook(options);
}

export function forgetHooks(): void {
  for (const name of Object.keys(registered)) delete registered[name];
}
