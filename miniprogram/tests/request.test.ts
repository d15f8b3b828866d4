import { beforeEach, describe, expect, it } from "vitest";
import { api, ApiError, call } from "@/api/request";
import { OFFLINE } from "@/api/errors";
import { backend, resetFakeUni, storage, type SentRequest } from "./fake-uni";

const WEIXIN = process.env.UNI_PLATFORM === "mp-weixin";
const BASE = WEIXIN ? "http://127.0.0.1:5000" : "";
const TOKEN_KEY = "jiashu.token";

/** A backend that signs anyone in with a numbered token and answers `then` for every other call. */
function signingIn(then: (sent: SentRequest) => { statusCode: number; data?: unknown }) {
  let tokens = 0;
  backend.answer = (sent) => {
    if (sent.url.endsWith("/api/auth/wechat")) {
      return { statusCode: 200, data: { token: `token-${++tokens}`, role: "resident", registered: true } };
    }
    return then(sent);
  };
}

const calls = () => backend.sent.filter((sent) => !sent.url.endsWith("/api/auth/wechat"));
const signIns = () => backend.sent.filter((sent) => sent.url.endsWith("/api/auth/wechat"));

beforeEach(resetFakeUni);

describe(`request module (${process.env.UNI_PLATFORM})`, () => {
  it("sends the stored token to this build's base URL", async () => {
    storage.set(TOKEN_KEY, "kept");
    backend.answer = () => ({ statusCode: 200, data: { role: "resident" } });
    expect(await api.get("/api/auth/me")).toEqual({ role: "resident" });
    expect(backend.sent).toHaveLength(1);
    expect(backend.sent[0].url).toBe(`${BASE}/api/auth/me`);
    expect(backend.sent[0].header.Authorization).toBe("Bearer kept");
    expect(backend.sent[0].timeout).toBeGreaterThan(0);
  });

  it("signs in first with this platform's login code when no token is kept", async () => {
    signingIn(() => ({ statusCode: 200, data: {} }));
    await api.get("/api/auth/me");
    expect(signIns()).toHaveLength(1);
    const code = (signIns()[0].data as { code: string }).code;
    if (WEIXIN) expect(code).toBe("wx-code-1");
    else expect(code).toMatch(/^h5-/);
    expect(calls()[0].header.Authorization).toBe("Bearer token-1");
    expect(storage.get(TOKEN_KEY)).toBe("token-1");
  });

  it("answers a 401 with one fresh sign-in, then sends the request again", async () => {
    storage.set(TOKEN_KEY, "expired");
    signingIn((sent) => (sent.header.Authorization === "Bearer expired"
      ? { statusCode: 401, data: { message: "The token is invalid or expired." } }
      : { statusCode: 200, data: { ok: true } }));
    expect(await call("get", "/api/my/household")).toEqual({ ok: true });
    expect(signIns()).toHaveLength(1);
    expect(calls().map((sent) => sent.header.Authorization)).toEqual(["Bearer expired", "Bearer token-1"]);
  });

  it("gives up after one sign-in when the backend still answers 401", async () => {
    storage.set(TOKEN_KEY, "expired");
    signingIn(() => ({ statusCode: 401, data: { message: "Signed out." } }));
    await expect(call("get", "/api/my/household")).rejects.toMatchObject({ status: 401, message: "Signed out." });
    expect(signIns()).toHaveLength(1);
    expect(calls()).toHaveLength(2);
  });

  it("shares one sign-in among requests answered 401 at the same time", async () => {
    storage.set(TOKEN_KEY, "expired");
    signingIn((sent) => (sent.header.Authorization === "Bearer expired" ? { statusCode: 401 } : { statusCode: 200 }));
    await Promise.all([call("get", "/api/inbox"), call("get", "/api/wishes"), call("get", "/api/requests")]);
    expect(signIns()).toHaveLength(1);
  });

  it("keeps a POST's Idempotency-Key across its retries (after a 401 and after a dropped network)", async () => {
    storage.set(TOKEN_KEY, "expired");
    signingIn((sent) => (sent.header.Authorization === "Bearer expired" ? { statusCode: 401 } : { statusCode: 201, data: { id: 7 } }));
    const answer = backend.answer;
    backend.answer = (sent) => {
      if (sent.url.endsWith("/api/auth/wechat")) backend.offline = 1;   // the resend after signing in is lost
      return answer(sent);
    };
    expect(await call("post", "/api/requests", { body: { description: "路灯坏了" } })).toEqual({ id: 7 });
    const keys = calls().map((sent) => sent.header["Idempotency-Key"]);
    expect(keys).toHaveLength(3);   // refused 401, lost on the way, answered
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[\x21-\x7e]{1,100}$/);
  });

  it("gives every POST its own key and sends none on a GET", async () => {
    storage.set(TOKEN_KEY, "kept");
    await call("post", "/api/inbox/1/read");
    await call("post", "/api/inbox/2/read");
    await call("get", "/api/inbox");
    const [one, two, read] = backend.sent.map((sent) => sent.header["Idempotency-Key"]);
    expect(one).not.toBe(two);
    expect(read).toBeUndefined();
  });

  it("sends a PATCH as a POST marked X-HTTP-Method-Override (WeChat has no PATCH), with its key", async () => {
    storage.set(TOKEN_KEY, "kept");
    await api.patch("/api/members/{member_id}", { path: { member_id: 5 }, body: { name: "赵六六" } });
    expect(backend.sent[0]).toMatchObject({ method: "POST", url: `${BASE}/api/members/5`, data: { name: "赵六六" } });
    expect(backend.sent[0].header["X-HTTP-Method-Override"]).toBe("PATCH");
    expect(backend.sent[0].header["Idempotency-Key"]).toBeTruthy();
  });

  it("retries a dropped network once, then says the network is down", async () => {
    storage.set(TOKEN_KEY, "kept");
    backend.offline = 2;
    const error = await call("get", "/api/inbox").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 0, offline: true, message: OFFLINE });
    expect(backend.sent).toHaveLength(2);
  });

  it("shows the backend's Chinese words as is, else its message, and names the field at fault", async () => {
    storage.set(TOKEN_KEY, "kept");
    backend.answer = () => ({ statusCode: 422, data: {
      code: 422, message: "id_number: the check digit does not match", zh: "身份证号码校验位不对",
      errors: { json: { id_number: ["the check digit does not match"] } } } });
    await expect(call("post", "/api/scan/t/members")).rejects.toMatchObject(
      { status: 422, message: "身份证号码校验位不对", field: "id_number" });
    backend.answer = () => ({ statusCode: 409, data: { message: "phone: 已被其他住户使用" } });
    await expect(call("post", "/api/scan/t/members")).rejects.toMatchObject(
      { status: 409, message: "phone: 已被其他住户使用", field: "phone" });
    backend.answer = () => ({ statusCode: 410, data: "" });
    await expect(call("get", "/api/scan")).rejects.toMatchObject({ status: 410, message: expect.stringContaining("作废") });
  });

  it("fills path parameters (encoded) and the query", async () => {
    storage.set(TOKEN_KEY, "kept");
    await api.get("/api/scan/{token}", { path: { token: "a/b c" }, anonymous: true });
    await api.get("/api/scan", { query: { q: "https://x.cn/s/abc?x=1" }, anonymous: true });
    expect(backend.sent.map((sent) => sent.url)).toEqual([
      `${BASE}/api/scan/a%2Fb%20c`, `${BASE}/api/scan?q=${encodeURIComponent("https://x.cn/s/abc?x=1")}`]);
    expect(backend.sent[0].header.Authorization).toBeUndefined();
  });
});
