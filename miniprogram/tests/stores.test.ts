import { createPinia, setActivePinia } from "pinia";
import { beforeEach, describe, expect, it } from "vitest";
import { useHousehold } from "@/stores/household";
import { useRegistration } from "@/stores/registration";
import { useSession } from "@/stores/session";
import { emptyMember, memberEntry, memberErrorsFromApi, memberProblems } from "@/utils/members";
import { backend, resetFakeUni, storage } from "./fake-uni";

const NOW = new Date("2026-12-08T01:00:00Z");
const GOOD_ID = "11010519491231002X";

beforeEach(() => {
  resetFakeUni();
  storage.set("jiashu.token", "kept");
  setActivePinia(createPinia());
});

describe("member entries, by the backend's rules", () => {
  it("a returning migrant must say from where and since when; nobody else may", () => {
    const member = { ...emptyMember(), name: "钱七", relationship_to_head: "配偶", id_number: GOOD_ID,
      residence_type: "returning_migrant" as const };
    expect(Object.keys(memberProblems(member, false, NOW)).sort()).toEqual(["from_city", "from_province", "return_date"]);
    const filled = { ...member, from_province: "河南", from_city: "周口市", return_date: "2026-11-01", stay_days: "30" };
    expect(memberProblems(filled, false, NOW)).toEqual({});
    expect(memberProblems({ ...filled, return_date: "2026-12-09" }, false, NOW).return_date).toContain("晚于今天");
    expect(memberProblems({ ...filled, from_province: "火星" }, false, NOW).from_province).toBeTruthy();
    expect(memberEntry(filled, false)).toEqual({ name: "钱七", relationship_to_head: "配偶", id_number: GOOD_ID,
      residence_type: "returning_migrant", is_self: false, from_province: "河南省", from_city: "周口市",
      return_date: "2026-11-01", stay_days: 30 });
    // A permanent resident sends none of the migrant fields, whatever was typed before switching.
    expect(memberEntry({ ...filled, residence_type: "permanent" }, false)).not.toHaveProperty("from_province");
  });

  it("the relationship is needed of everyone but a registrant claiming the head", () => {
    const self = { ...emptyMember(true), name: "赵六", id_number: GOOD_ID };
    expect(memberProblems(self, true, NOW)).toEqual({});
    expect(memberProblems(self, false, NOW).relationship_to_head).toBeTruthy();
    expect(memberEntry(self, true).relationship_to_head).toBe("户主");
  });

  it("the backend's per-member errors go back under their members' fields", () => {
    const body = { errors: { json: { members: { 1: { id_number: ["check digit"] } } } } };
    expect(memberErrorsFromApi(body, 2)).toEqual([{}, { id_number: "身份证号码有误，请核对。" }]);
  });
});

describe("the registration store", () => {
  function filled() {
    const form = useRegistration();
    form.start("tok", false);
    Object.assign(form.members[0], { name: "赵六", id_number: GOOD_ID });
    return form;
  }

  it("sends nothing before the privacy notice's version is agreed, then sends that version", async () => {
    const form = filled();
    expect(await form.submit()).toBe(false);
    expect(form.problem).toContain("告知书");
    expect(backend.sent).toHaveLength(0);
    form.agree("2026-11");
    backend.answer = () => ({ statusCode: 201, data: { household: { id: 1 }, members: [] } });
    expect(await form.submit()).toBe(true);
    expect(backend.sent[0].url).toBe(`${process.env.UNI_PLATFORM === "mp-weixin" ? "http://127.0.0.1:5000" : ""}/api/scan/tok/members`);
    expect(backend.sent[0].data).toMatchObject({ consent_version: "2026-11", claim_head: true,
      members: [{ name: "赵六", id_number: GOOD_ID, relationship_to_head: "户主", is_self: true }] });
  });

  it("checks every member on the phone first and keeps what was typed", async () => {
    const form = filled();
    form.agree("2026-11");
    form.addMember();
    form.members[1].name = "钱七";
    form.members[1].id_number = "110105194912310021";
    expect(await form.submit()).toBe(false);
    expect(backend.sent).toHaveLength(0);
    expect(form.errors[1].id_number).toContain("校验码");
    expect(form.errors[1].relationship_to_head).toBeTruthy();
    expect(form.members[1].name).toBe("钱七");
  });

  it("keeps the form's Idempotency-Key while the network drops and takes a new one after a refusal", async () => {
    const form = filled();
    form.agree("2026-11");
    backend.offline = 2;
    expect(await form.submit()).toBe(false);
    expect(form.problem).toContain("网络");
    const key = backend.sent[0].header["Idempotency-Key"];
    backend.answer = () => ({ statusCode: 422, data: { message: "members: bad",
      errors: { json: { members: { 0: { id_number: ["taken"] } } } } } });
    expect(await form.submit()).toBe(false);
    expect(backend.sent[2].header["Idempotency-Key"]).toBe(key);
    expect(form.errors[0].id_number).toContain("身份证号码");
    backend.answer = () => ({ statusCode: 201, data: {} });
    await form.submit();
    expect(backend.sent[3].header["Idempotency-Key"]).not.toBe(key);
  });

  it("never removes the registrant's own entry", () => {
    const form = filled();
    form.removeMember(0);
    expect(form.members).toHaveLength(1);
  });
});

describe("the session and household stores", () => {
  it("knows staff from residents by the role the backend gives", async () => {
    const session = useSession();
    backend.answer = () => ({ statusCode: 200, data: { role: "grid_head", staff_id: 3 } });
    await session.refresh();
    expect(session.isStaff).toBe(true);
    backend.answer = () => ({ statusCode: 200, data: { role: "registrant", household_id: 8 } });
    await session.refresh();
    expect(session.isStaff).toBe(false);
    expect(session.inHousehold).toBe(true);
  });

  it("knows the head and the pending members, and reloads after confirming one", async () => {
    const household = {
      household: { id: 8, code: "SQ-1", address: "1号楼102室" }, me: 1,
      members: [{ id: 1, name: "赵六", is_head: true, status: "confirmed" }, { id: 2, name: "孙九", status: "pending" }],
    };
    backend.answer = (sent) => ({ statusCode: 200, data: sent.url.endsWith("/api/moves") ? [] : household });
    const house = useHousehold();
    await house.load();
    expect(house.isHead).toBe(true);
    expect(house.pending.map((m) => m.name)).toEqual(["孙九"]);
    await house.confirm(house.pending[0]);
    expect(backend.sent.map((s) => `${s.method} ${s.url.replace(/^http:\/\/127\.0\.0\.1:5000/, "")}`)).toEqual([
      "GET /api/my/household", "GET /api/moves", "POST /api/members/2/confirm", "GET /api/my/household", "GET /api/moves"]);
  });
});
