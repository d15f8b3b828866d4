/** A registration's member entries as the form edits them, checked by the backend's rules (MemberEntrySchema,
 * RegistrationSchema, app/residents/migrants.py), and the body POST /api/scan/{token}/members takes. */
import type { MemberEntry } from "@/api/types";
import { idNumberProblem, mobileProblem, normalizeIdNumber, normalizeMobile, PROVINCES } from "./identifiers";

export type ResidenceType = "permanent" | "tenant" | "returning_migrant" | "temporary";
export const RESIDENCE_TYPES: { value: ResidenceType; label: string }[] = [
  { value: "permanent", label: "常住" }, { value: "tenant", label: "租户" },
  { value: "returning_migrant", label: "返乡人员" }, { value: "temporary", label: "暂住" },
];
export const RELATIONSHIPS = ["户主", "配偶", "子", "女", "父亲", "母亲", "孙子", "孙女", "兄弟姐妹", "租户", "其他"];

/** One person as typed: every field a string, as inputs hold them. */
export interface MemberDraft {
  name: string;
  relationship_to_head: string;
  id_number: string;
  phone: string;
  residence_type: ResidenceType;
  from_province: string;
  from_city: string;
  return_date: string;
  stay_days: string;
  is_self: boolean;
}

export type FieldErrors = Partial<Record<keyof MemberDraft, string>>;

export function emptyMember(isSelf = false): MemberDraft {
  return { name: "", relationship_to_head: "", id_number: "", phone: "", residence_type: "permanent",
    from_province: "", from_city: "", return_date: "", stay_days: "", is_self: isSelf };
}

export function isMigrant(member: MemberDraft): boolean {
  return member.residence_type === "returning_migrant";
}

/** Who gives how long they stay: a returning migrant or a temporary resident. */
export function staysFor(member: MemberDraft): boolean {
  return member.residence_type === "returning_migrant" || member.residence_type === "temporary";
}

function province(raw: string): string | null {
  const name = raw.trim();
  return PROVINCES.find((full) => full === name || full.replace(/(壮族自治区|回族自治区|维吾尔自治区|特别行政区|自治区|省|市)$/, "") === name) ?? null;
}

/** Field → the Chinese sentence shown under it; empty when the entry may be sent. `heading`: the registrant claims
 * the head, so their own entry needs no relationship. */
export function memberProblems(member: MemberDraft, heading: boolean, today: Date = new Date()): FieldErrors {
  const problems: FieldErrors = {};
  const name = member.name.trim();
  if (!name) problems.name = "请填写姓名。";
  else if (name.length > 50) problems.name = "姓名不超过50个字。";
  if (!member.relationship_to_head.trim() && !(heading && member.is_self)) problems.relationship_to_head = "请选择与户主的关系。";
  const id = idNumberProblem(member.id_number, today);
  if (id) problems.id_number = id;
  if (member.phone.trim()) {
    const phone = mobileProblem(member.phone);
    if (phone) problems.phone = phone;
  }
  if (isMigrant(member)) {
    if (!province(member.from_province)) problems.from_province = "请填写从哪个省份返乡（如 河南 或 河南省）。";
    if (!member.from_city.trim()) problems.from_city = "请填写从哪个城市返乡。";
    else if (member.from_city.trim().length > 30) problems.from_city = "城市名称不超过30个字。";
    if (!member.return_date) problems.return_date = "请填写返乡日期。";
    else if (!/^\d{4}-\d{2}-\d{2}$/.test(member.return_date) || Number.isNaN(Date.parse(member.return_date))) {
      problems.return_date = "日期格式如 2026-01-15。";
    }
    else if (member.return_date > isoDay(today)) problems.return_date = "返乡日期不能晚于今天。";
  }
  if (staysFor(member) && member.stay_days.trim()) {
    const days = Number(member.stay_days);
    if (!Number.isInteger(days) || days < 0 || days > 3650) problems.stay_days = "停留天数为0到3650之间的整数。";
  }
  return problems;
}

function isoDay(now: Date): string {
  const china = new Date(now.getTime() + 8 * 3600_000);
  return china.toISOString().slice(0, 10);
}

/** The entry as the API takes it: normalised identifiers, only the fields its residence type may give. */
export function memberEntry(member: MemberDraft, heading: boolean): MemberEntry {
  const entry: MemberEntry = {
    name: member.name.trim(),
    id_number: normalizeIdNumber(member.id_number),
    residence_type: member.residence_type,
    is_self: member.is_self,
  };
  const relationship = member.relationship_to_head.trim() || (heading && member.is_self ? "户主" : "");
  if (relationship) entry.relationship_to_head = relationship;
  if (member.phone.trim()) entry.phone = normalizeMobile(member.phone);
  if (isMigrant(member)) {
    entry.from_province = province(member.from_province);
    entry.from_city = member.from_city.trim();
    entry.return_date = member.return_date;
  }
  if (staysFor(member) && member.stay_days.trim()) entry.stay_days = Number(member.stay_days);
  return entry;
}

/** The backend's per-member field errors (errors.json.members[i][field]) as a list of FieldErrors. */
export function memberErrorsFromApi(body: unknown, count: number): FieldErrors[] {
  const members = (body as { errors?: { json?: { members?: Record<string, Record<string, unknown>> } } })
    ?.errors?.json?.members;
  return Array.from({ length: count }, (_, i) => {
    const fields = members && typeof members === "object" ? members[String(i)] : undefined;
    if (!fields || typeof fields !== "object") return {};
    return Object.fromEntries(Object.keys(fields).map((field) => [field, `${LABELS[field] ?? field}有误，请核对。`]));
  });
}

export const LABELS: Record<string, string> = {
  name: "姓名", relationship_to_head: "与户主关系", id_number: "身份证号码", phone: "手机号码",
  residence_type: "居住类型", from_province: "来源省份", from_city: "来源城市", return_date: "返乡日期",
  stay_days: "停留天数",
};
