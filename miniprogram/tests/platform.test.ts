import { afterEach, describe, expect, it, vi } from "vitest";
import { phoneCode } from "@/platform/phone";
import { answerPrivacy, pendingPrivacy, watchPrivacy } from "@/platform/privacy";
import { askToSubscribe } from "@/platform/subscribe";
import { resetFakeUni } from "./fake-uni";

const WEIXIN = process.env.UNI_PLATFORM === "mp-weixin";

afterEach(() => {
  resetFakeUni();
  delete (globalThis as { wx?: unknown }).wx;
});

describe(`platform adapters (${process.env.UNI_PLATFORM})`, () => {
  it("WeChat's privacy gate waits for the sheet's answer; the browser has none", () => {
    let ask: ((resolve: (answer: object) => void) => void) | undefined;
    (globalThis as { wx?: unknown }).wx = { onNeedPrivacyAuthorization: (cb: typeof ask) => (ask = cb) };
    watchPrivacy();
    if (!WEIXIN) {
      expect(ask).toBeUndefined();
      return;
    }
    const resolve = vi.fn();
    ask!(resolve);
    expect(pendingPrivacy.value).not.toBeNull();
    answerPrivacy(true);
    expect(resolve).toHaveBeenCalledWith({ event: "agree", buttonId: "agree-privacy" });
    expect(pendingPrivacy.value).toBeNull();
  });

  it("the phone number: WeChat's button code, or a made-up one the fake WeChat turns into a number", () => {
    const code = phoneCode({ detail: { code: "wx-phone-1" } });
    if (WEIXIN) {
      expect(code).toBe("wx-phone-1");
      expect(phoneCode({ detail: { errMsg: "getPhoneNumber:fail user deny" } })).toBeNull();
    } else expect(code).toMatch(/^h5-phone-/);
  });

  it("subscribe messages: WeChat asks the person; the browser accepts every template", async () => {
    vi.mocked(uni.requestSubscribeMessage).mockImplementation(((options: { success: (r: object) => void }) =>
      options.success({ "tpl-1": "reject", errMsg: "requestSubscribeMessage:ok" })) as never);
    const answer = await askToSubscribe(["tpl-1"]);
    if (WEIXIN) expect(answer["tpl-1"]).toBe("reject");
    else expect(answer).toEqual({ "tpl-1": "accept" });
    expect(await askToSubscribe([])).toEqual({});
  });
});
