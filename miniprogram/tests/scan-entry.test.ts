import { describe, expect, it } from "vitest";
import { scanQuery, scanTarget, targetUrl } from "@/utils/scan-entry";

const LINK = "https://jiashu.example.cn/s/AbCdEfGhIjKlMnOpQrStUv";

describe("what the scan page was opened with", () => {
  it("passes a mini-program code's scene on", () => {
    expect(scanQuery({ scene: "AbCdEfGhIjKlMnOpQrStUv" })).toEqual({ scene: "AbCdEfGhIjKlMnOpQrStUv" });
  });

  it("decodes a link QR's q (the whole link, URL-encoded once) and ignores scancode_time", () => {
    expect(scanQuery({ q: encodeURIComponent(LINK), scancode_time: "1765152000" })).toEqual({ q: LINK });
    expect(scanQuery({ q: LINK })).toEqual({ q: LINK });   // decoded already (uni's H5 router does)
    expect(scanQuery({ q: "https://x.cn/s/100%" })).toEqual({ q: "https://x.cn/s/100%" });   // not encoded at all
  });

  it("prefers q when WeChat hands both, and finds nothing in an empty query", () => {
    expect(scanQuery({ q: encodeURIComponent(LINK), scene: "x" })).toEqual({ q: LINK });
    expect(scanQuery({})).toBeNull();
    expect(scanQuery({ scene: "" })).toBeNull();
  });
});

describe("what a scan from inside the app opens", () => {
  it("a mini-program code's path: the scan page, or the console's sign-in with its ticket", () => {
    expect(scanTarget({ path: "pages/scan/index?scene=AbC123" })).toEqual({ page: "scan", query: { scene: "AbC123" } });
    expect(scanTarget({ path: "/pages/console-login/index?scene=t-_9x" })).toEqual({ page: "console-login", ticket: "t-_9x" });
    expect(scanTarget({ path: "pages/other/index?scene=x" })).toBeNull();
  });

  it("a link QR's text goes to the backend as q, which judges the host", () => {
    expect(scanTarget({ result: ` ${LINK} ` })).toEqual({ page: "scan", query: { q: LINK } });
    expect(scanTarget({ result: "" })).toBeNull();
  });

  it("round-trips through the URL the app navigates to", () => {
    const url = targetUrl({ page: "scan", query: { q: LINK } });
    expect(url).toBe(`/pages/scan/index?q=${encodeURIComponent(LINK)}`);
    expect(scanQuery({ q: url.split("q=")[1] })).toEqual({ q: LINK });
    expect(targetUrl({ page: "console-login", ticket: "a b" })).toBe("/pages/console-login/index?scene=a%20b");
  });
});
