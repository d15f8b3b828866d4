/* The `uni` global for unit tests: storage in memory, uni.login giving numbered codes, and uni.request answered
 * by a test's own handler (`backend.answer = (sent) => ({ statusCode, data })`), every request kept in
 * `backend.sent`. `backend.offline = n` makes the next n requests fail as a dropped network does. */
import { vi } from "vitest";

export interface SentRequest {
  url: string;
  method: string;
  data?: unknown;
  header: Record<string, string>;
  timeout?: number;
}
type Answer = { statusCode: number; data?: unknown };

export const backend = {
  sent: [] as SentRequest[],
  offline: 0,
  loginCodes: 0,
  answer: (_sent: SentRequest): Answer => ({ statusCode: 200, data: {} }),
};
export const storage = new Map<string, unknown>();

export function resetFakeUni(): void {
  backend.sent = [];
  backend.offline = 0;
  backend.loginCodes = 0;
  backend.answer = () => ({ statusCode: 200, data: {} });
  storage.clear();
}

export function installFakeUni(): void {
  const fake = {
    request(options: SentRequest & { success: (res: Answer) => void; fail: (err: { errMsg: string }) => void }) {
      const sent = { url: options.url, method: options.method, data: options.data, header: { ...options.header },
        timeout: options.timeout };
      backend.sent.push(sent);
      if (backend.offline > 0) {
        backend.offline--;
        setTimeout(() => options.fail({ errMsg: "request:fail timeout" }));
        return;
      }
      Promise.resolve().then(() => options.success(backend.answer(sent)));
    },
    /** a file upload is kept in backend.sent as a request of method "UPLOAD" whose data is the file's path */
    uploadFile(options: { url: string; filePath: string; name: string; header: Record<string, string>;
      success: (res: { statusCode: number; data: string }) => void; fail: (err: { errMsg: string }) => void }) {
      const sent = { url: options.url, method: "UPLOAD", data: options.filePath, header: { ...options.header } };
      backend.sent.push(sent);
      if (backend.offline > 0) {
        backend.offline--;
        setTimeout(() => options.fail({ errMsg: "uploadFile:fail timeout" }));
        return;
      }
      const answer = backend.answer(sent);
      Promise.resolve().then(() => options.success({ statusCode: answer.statusCode, data: JSON.stringify(answer.data ?? {}) }));
    },
    login(options: { success: (res: { code: string }) => void }) {
      options.success({ code: `wx-code-${++backend.loginCodes}` });
    },
    getStorageSync: (key: string) => storage.get(key) ?? "",
    setStorageSync: (key: string, value: unknown) => void storage.set(key, value),
    removeStorageSync: (key: string) => void storage.delete(key),
    showToast: vi.fn(),
    showModal: vi.fn(),
    navigateTo: vi.fn(),
    redirectTo: vi.fn(),
    reLaunch: vi.fn(),
    switchTab: vi.fn(),
    makePhoneCall: vi.fn(),
    scanCode: vi.fn(),
    requestSubscribeMessage: vi.fn((options: { tmplIds: string[]; success: (res: Record<string, string>) => void }) =>
      options.success(Object.fromEntries(options.tmplIds.map((id) => [id, "accept"])))),
  };
  (globalThis as unknown as { uni: typeof fake }).uni = fake;
}
