import { beforeEach, describe, expect, it } from "vitest";
import { flushPromises, mount } from "@vue/test-utils";
import { createPinia, setActivePinia } from "pinia";
import ConsoleLogin from "@/pages/console-login/index.vue";
import CardPage from "@/pages/card/index.vue";
import { forgetHooks, runHook } from "./fake-hooks";
import { backend, resetFakeUni, storage } from "./fake-uni";

const path = (url: string) => url.replace(/^.*?\/api/, "/api");

beforeEach(() => {
  resetFakeUni();
  forgetHooks();
  storage.set("jiashu.token", "kept");
  setActivePinia(createPinia());
});

describe(`pages (${process.env.UNI_PLATFORM})`, () => {
  it("console sign-in: says which computer asks, and confirms it", async () => {
    backend.answer = (sent) => (sent.method === "GET"
      ? { statusCode: 200, data: { ticket: "T1", state: "pending", browser: "Chrome · Windows",
        expires_at: "2026-12-08T02:00:00+00:00" } }
      : { statusCode: 200, data: {} });
    const page = mount(ConsoleLogin);
    await runHook("onLoad", { scene: "T1" });
    await flushPromises();
    expect(page.text()).toContain("Chrome · Windows");
    expect(page.text()).toContain("2026-12-08 10:00");   // China's time
    await page.findAll("button")[0].trigger("click");
    await flushPromises();
    expect(backend.sent.map((sent) => [sent.method, path(sent.url)]))
      .toEqual([["GET", "/api/console-login/T1"], ["POST", "/api/console-login/T1/confirm"]]);
    expect(page.text()).toContain("已确认");
  });

  it("console sign-in: a ticket answered already is said so, with nothing to tap", async () => {
    backend.answer = () => ({ statusCode: 200, data: { ticket: "T1", state: "cancelled", browser: "Edge · Windows" } });
    const page = mount(ConsoleLogin);
    await runHook("onLoad", { scene: "T1" });
    await flushPromises();
    expect(page.text()).toContain("这次登录已取消");
    expect(page.findAll("button")).toHaveLength(0);
  });

  it("console sign-in: a WeChat not bound to staff is told the backend's words", async () => {
    backend.answer = () => ({ statusCode: 403, data: { message: "Only staff may sign in.", zh: "只有工作人员可以登录工作台。" } });
    const page = mount(ConsoleLogin);
    await runHook("onLoad", { scene: "T1" });
    await flushPromises();
    expect(page.find("[role=alert]").text()).toBe("只有工作人员可以登录工作台。");
  });

  it("card: a refused phone number is shown beside its field and the message is kept", async () => {
    backend.answer = (sent) => (sent.method === "GET"
      ? { statusCode: 200, data: { name: "张警官", title: "社区民警", station: "胜泉派出所", phone: "13800000000",
        jurisdictions: ["胜泉社区第1网格"] } }
      : { statusCode: 422, data: { message: "phone: required, a mainland mobile number the officer can call back.",
        zh: "请填写民警可以回拨的手机号码。" } });
    const page = mount(CardPage);
    await runHook("onLoad", { token: "CARD" });
    await flushPromises();
    expect(page.text()).toContain("张警官");
    expect(backend.sent[0].header.Authorization).toBeUndefined();   // a card is read without signing in
    await page.find("textarea").setValue("家门口有可疑人员");
    const buttons = page.findAll("button");
    await buttons[buttons.length - 1].trigger("click");
    await flushPromises();
    const phoneError = page.findAll("[role=alert]");
    expect(phoneError.map((node) => node.text())).toEqual(["请填写民警可以回拨的手机号码。"]);
    expect((page.find("textarea").element as HTMLTextAreaElement).value).toBe("家门口有可疑人员");
    expect(backend.sent[1].data).toEqual({ message: "家门口有可疑人员", urgency: "normal" });
  });
});
