import { flushPromises, mount } from "@vue/test-utils";
import { createPinia, setActivePinia } from "pinia";
import { beforeEach, describe, expect, it } from "vitest";
import ScanPage from "@/pages/scan/index.vue";
import { backend, resetFakeUni, storage } from "./fake-uni";
import { forgetHooks, runHook } from "./fake-hooks";

beforeEach(() => {
  resetFakeUni();
  forgetHooks();
  setActivePinia(createPinia());
});

async function opened(options: Record<string, string>) {
  const page = mount(ScanPage, { global: { config: { compilerOptions: { isCustomElement: () => true } } } });
  await runHook("onLoad", options);
  await flushPromises();
  return page;
}

describe(`the scan page (${process.env.UNI_PLATFORM})`, () => {
  it("opens a letter's house with its token, asking the backend with the link as it came", async () => {
    backend.answer = () => ({ statusCode: 200, data: { kind: "letter", token: "T0k", letter: { address: "1号楼" } } });
    await opened({ q: encodeURIComponent("https://x.cn/s/T0k"), scancode_time: "1765152000" });
    expect(backend.sent[0].url).toContain(`/api/scan?q=${encodeURIComponent("https://x.cn/s/T0k")}`);
    expect(backend.sent[0].header.Authorization).toBeUndefined();
    expect(uni.redirectTo).toHaveBeenCalledWith({ url: "/pages/house/index?token=T0k" });
  });

  it("says a reprinted code is void (410)", async () => {
    backend.answer = () => ({ statusCode: 410, data: { message: "This code was replaced." } });
    const page = await opened({ scene: "OldToken" });
    expect(page.text()).toContain("已作废");
  });

  it("hands staff an unknown scene as the console's sign-in ticket; tells a resident it is unknown", async () => {
    storage.set("jiashu.token", "kept");
    backend.answer = (sent) => (sent.url.includes("/api/auth/me") ? { statusCode: 200, data: { role: "grid_head" } }
      : { statusCode: 404, data: { message: "No such code." } });
    await opened({ scene: "tick-et_1" });
    expect(uni.redirectTo).toHaveBeenLastCalledWith({ url: "/pages/console-login/index?scene=tick-et_1" });

    setActivePinia(createPinia());
    forgetHooks();
    backend.answer = (sent) => (sent.url.includes("/api/auth/me") ? { statusCode: 200, data: { role: "resident" } }
      : { statusCode: 404, data: { message: "No such code." } });
    const page = await opened({ scene: "tick-et_2" });
    expect(page.text()).toContain("没有找到这个二维码");
  });
});
