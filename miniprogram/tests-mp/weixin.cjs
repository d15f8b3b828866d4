/** The compiled WeChat build (dist/build/mp-weixin) run in miniprogram-simulate (j-component in jsdom): the app and
 * its pages load as WeChat loads them, and `wx.request` goes over real HTTP to JIASHU_API (the simulator's own
 * mock answers `{}`), so a page shows what the backend answered. */
const http = require("node:http");
const path = require("node:path");
const { JSDOM } = require("jsdom");

const ROOT = path.join(__dirname, "..", "dist", "build", "mp-weixin");

const dom = new JSDOM("<!doctype html><html><body></body></html>", { pretendToBeVisual: true });
for (const name of ["window", "document", "navigator", "Event", "CustomEvent", "Node", "Element", "HTMLElement",
  "getComputedStyle", "requestAnimationFrame"]) {
  if (!(name in global) || name === "window") global[name] = dom.window[name];
}
const simulate = require("miniprogram-simulate");

/** wx.request over Node's http, to the backend named by JIASHU_API whatever origin the build was made with. */
function request({ url, method = "GET", data, header = {}, success, fail, complete }) {
  const target = new URL(url);
  target.protocol = "http:";
  target.host = new URL(process.env.JIASHU_API).host;
  const body = data === undefined || method === "GET" ? undefined
    : typeof data === "string" ? data : JSON.stringify(data);
  if (method === "GET" && data && typeof data === "object") {
    for (const [key, value] of Object.entries(data)) target.searchParams.set(key, String(value));
  }
  const headers = { "content-type": "application/json", ...header };
  const sent = http.request(target, { method, headers }, (answer) => {
    const chunks = [];
    answer.on("data", (chunk) => chunks.push(chunk));
    answer.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      let parsed = text;
      try { parsed = JSON.parse(text); } catch { /* not JSON: as text, as wx.request gives it */ }
      const res = { statusCode: answer.statusCode, data: parsed, header: answer.headers, errMsg: "request:ok" };
      success?.(res);
      complete?.(res);
    });
  });
  sent.on("error", (error) => {
    const res = { errMsg: `request:fail ${error.message}` };
    fail?.(res);
    complete?.(res);
  });
  if (body !== undefined) sent.write(body);
  sent.end();
  return { abort: () => sent.destroy() };
}

/** The phone: its storage, its WeChat identity (the code wx.login gives), and where pages asked to go. */
function phone(loginCode) {
  const storage = new Map();
  const went = [];
  const ok = (name, extra = {}) => (options = {}) => {
    const res = { errMsg: `${name}:ok`, ...extra };
    options.success?.(res);
    options.complete?.(res);
  };
  Object.assign(global.wx, {
    request,
    login: ok("login", { code: loginCode }),
    getStorageSync: (key) => (storage.has(key) ? storage.get(key) : ""),
    setStorageSync: (key, value) => storage.set(key, value),
    removeStorageSync: (key) => storage.delete(key),
    redirectTo: (options) => { went.push(options.url); ok("redirectTo")(options); },
    navigateTo: (options) => { went.push(options.url); ok("navigateTo")(options); },
    showToast: ok("showToast"),
    showModal: ok("showModal", { confirm: true, cancel: false }),
  });
  return { went };
}

let app = null;
global.App = (options) => { app = options; };
global.getApp = () => app;
global.Page = (options) => global.Component(options);   // vendor.js wraps both constructors
global.getCurrentPages = () => [];

function startApp() {
  require(path.join(ROOT, "app.js"));
  app?.onLaunch?.call(app, { path: "pages/index/index", query: {}, scene: 1001 });
}

/** Load a page as WeChat opens it with `query`; the rendered component, attached. */
function open(page, query) {
  const id = simulate.load(path.join(ROOT, page), { rootPath: ROOT });
  const rendered = simulate.render(id);
  rendered.attach(document.createElement("parent-wrapper"));
  rendered.instance.onLoad(query);
  rendered.instance.onShow?.();
  return rendered;
}

async function until(check, what, ms = 10000) {
  const start = Date.now();
  while (Date.now() - start < ms) {
    if (check()) return;
    await simulate.sleep(20);
  }
  throw new Error(`timed out waiting for ${what}`);
}

module.exports = { open, phone, startApp, until, simulate };
