/** Run by tests/client/test_weixin_build.py against the real app: JIASHU_API its origin, JIASHU_FACTS what the test
 * set up there (a door's link and token, the house's code and address, the member to register). */
const assert = require("node:assert/strict");
const { test } = require("node:test");
const { open, phone, startApp, until } = require("./weixin.cjs");

const facts = JSON.parse(process.env.JIASHU_FACTS || "{}");
const me = phone(`mp-${Date.now().toString(36)}`);
startApp();

test("a door's link opens the scan page, which goes on to the house and shows its code", async () => {
  const scan = open("pages/scan/index", { q: encodeURIComponent(facts.link), scancode_time: "1765152000" });
  await until(() => me.went.length > 0 || scan.dom.textContent.includes("无法打开"), "the scan page's answer");
  assert.deepEqual(me.went, [`/pages/house/index?token=${encodeURIComponent(facts.token)}`]);

  const house = open("pages/house/index", { token: facts.token });
  await until(() => house.dom.textContent.includes(facts.code), `the house code ${facts.code}`);
  assert.match(house.dom.textContent, new RegExp(`门牌编码 ${facts.code}`));
  assert.ok(house.dom.textContent.includes(facts.address));
});

test("the registration page sends the head of the household", async () => {
  const page = open("pages/register/index", { token: facts.token, head: "0" });
  await until(() => page.dom.textContent.includes("个人信息保护告知书"), "the privacy notice");
  await until(() => !page.data.c, "the agree button enabled");
  tap(page, page.data.d);   // 同意并登记
  await until(() => page.dom.textContent.includes("提交登记"), "the form");
  type(field(page, "姓名"), facts.name);
  type(field(page, "身份证号码"), facts.id_number);
  tap(page, page.data.k);   // 提交登记
  await until(() => me.went.length > 1 || page.dom.textContent.includes("校验"), "the registration's answer");
  assert.equal(me.went.at(-1), "/pages/household/index?registered=1", page.dom.textContent);
});

/** A tap as WeChat delivers it to uni's handler, whose name the page holds in its data. */
function tap(component, handler) {
  component.instance[handler]({ type: "tap", detail: {}, currentTarget: { dataset: {} }, target: { dataset: {} } });
}

/** The page's FormField labelled `label` (exparser selects by class only: every node of a page carries its scope's
 * class, data-v-<hash>, which its root element shows as main--data-v-<hash>). */
function field(page, label) {
  const scope = [...page.dom.firstElementChild.classList].find((name) => name.startsWith("main--data-v-"));
  const found = page.querySelectorAll(`.${scope.slice("main--".length)}`).filter((node) => node.data?.a === label && node.data?.g);
  assert.equal(found.length, 1, `one field ${label}`);
  return found[0];
}

/** Typing into a FormField's input (its `bindinput` handler's name is its data's `g`). */
function type(field, value) {
  field.instance[field.data.g]({ type: "input", detail: { value }, currentTarget: { dataset: {} }, target: { dataset: {} } });
}
