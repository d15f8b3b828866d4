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

describe(`a request's page (${process.env.UNI_PLATFORM})`, () => {
  const resolved = { id: 7, status: "resolved", category: { code: "safety", name: "安全隐患" }, description: "楼道灯坏了",
    filed_at: "2026-12-08T01:00:00+00:00", due_at: "2026-12-09T01:00:00+00:00", handler: null, photos: [],
    events: [{ id: 1, action: "file", role: "resident", actor: null, at: "2026-12-08T01:00:00+00:00", to_status: "open" },
      { id: 2, action: "resolve", role: "grid_head", actor: "王网格", at: "2026-12-08T02:00:00+00:00", note: "已修好",
        to_status: "resolved" }] };

  async function opened() {
    const { default: Detail } = await import("@/pages/requests/detail.vue");
    backend.answer = (sent) => (sent.method === "GET" ? { statusCode: 200, data: resolved } : { statusCode: 201, data: {} });
    const page = mount(Detail);
    await runHook("onLoad", { id: "7" });
    await runHook("onShow");
    await flushPromises();
    return page;
  }
  const posted = () => backend.sent.filter((sent) => sent.method === "POST").map((sent) => sent.data);

  it("shows the timeline in the residents' words", async () => {
    const page = await opened();
    expect(page.text()).toContain("已办结");
    expect(page.find("[role=list]").text()).toMatch(/提交诉求[\s\S]*办结[\s\S]*网格长 王网格[\s\S]*已修好/);
  });

  it("asks for the rating beside the stars before sending anything, then rates", async () => {
    const page = await opened();
    const rate = page.findAll("button").find((button) => button.text() === "提交评价")!;
    await rate.trigger("click");
    expect(page.find("[role=alert]").text()).toBe("请选择满意程度。");
    expect(posted()).toEqual([]);
    await page.findAll("[role=radio]")[3].trigger("click");
    await page.find("textarea").setValue("还行");
    await rate.trigger("click");
    await flushPromises();
    expect(posted()).toEqual([{ action: "rate", rating: 4, note: "还行" }]);
  });

  it("reopens a request not really solved", async () => {
    const page = await opened();
    await page.findAll("button").find((button) => button.text().includes("重新打开"))!.trigger("click");
    await flushPromises();
    expect(posted()).toEqual([{ action: "reopen" }]);
  });
});
