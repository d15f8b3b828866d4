/** The identifiers people type, checked on the phone by the backend's own rules (app/web/validation.py,
 * app/residents/migrants.py), so a mistake shows by its field before anything is sent. Each check gives the
 * Chinese sentence shown under the field, or null when the value passes. */

// GB 11643: 17 digits weighted by 2^(17-i) mod 11; the sum mod 11 picks the check character.
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = "10X98765432";
// Province-level prefixes of GB/T 2260 region codes (81-83: Hong Kong, Macao, Taiwan residence permits).
const ID_PROVINCES = new Set([11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
  50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83]);
const FULL_WIDTH = "０１２３４５６７８９＋－（）Ｘｘ\u3000";
const HALF_WIDTH = "0123456789+-()Xx ";

/** Exactly the full-width forms an input method types (１３８, －, （）, Ｘ), as ASCII. */
export function halfwidth(raw: string): string {
  return Array.from(raw, (ch) => {
    const at = FULL_WIDTH.indexOf(ch);
    return at >= 0 ? HALF_WIDTH[at] : ch;
  }).join("");
}

export function idCheckCharacter(first17: string): string {
  const sum = Array.from(first17).reduce((total, digit, i) => total + Number(digit) * ID_WEIGHTS[i], 0);
  return ID_CHECK[sum % 11];
}

/** Today's date in China (UTC+8, no daylight saving), as the backend's china_today(). */
export function chinaToday(now: Date = new Date()): { year: number; month: number; day: number } {
  const china = new Date(now.getTime() + 8 * 3600_000);
  return { year: china.getUTCFullYear(), month: china.getUTCMonth() + 1, day: china.getUTCDate() };
}

export function normalizeIdNumber(raw: string): string {
  return halfwidth(raw).replace(/\s/g, "").toUpperCase();
}

export function idNumberProblem(raw: string, now: Date = new Date()): string | null {
  const number = normalizeIdNumber(raw);
  if (!/^[0-9]{17}[0-9X]$/.test(number)) return "身份证号码是18位：前17位是数字，最后一位是数字或X。";
  if (!ID_PROVINCES.has(Number(number.slice(0, 2)))) return "身份证号码的前6位不是地区代码，请核对。";
  const [year, month, day] = [number.slice(6, 10), number.slice(10, 12), number.slice(12, 14)].map(Number);
  const born = new Date(Date.UTC(year, month - 1, day));
  if (born.getUTCFullYear() !== year || born.getUTCMonth() !== month - 1 || born.getUTCDate() !== day) {
    return "身份证号码第7-14位不是有效的出生日期。";
  }
  const today = chinaToday(now);
  const afterToday = year * 10000 + month * 100 + day > today.year * 10000 + today.month * 100 + today.day;
  if (afterToday || year < 1900) return "身份证号码中的出生日期不可能，请核对。";
  if (idCheckCharacter(number.slice(0, 17)) !== number[17]) return "身份证号码最后一位校验码不对，请逐位核对。";
  return null;
}

/** A mainland mobile: 11 digits from 13-19, with +86, spaces and dashes allowed. */
export function normalizeMobile(raw: string): string | null {
  let digits = halfwidth(raw).replace(/[\s\-()]/g, "");
  for (const prefix of ["+86", "0086", "86"]) {
    if (digits.startsWith(prefix) && digits.length === prefix.length + 11) digits = digits.slice(prefix.length);
  }
  return /^1[3-9][0-9]{9}$/.test(digits) ? digits : null;
}

export function mobileProblem(raw: string): string | null {
  return normalizeMobile(raw) ? null : "手机号码应为11位，以13-19开头。";
}

// Province-level divisions by official name; the short name (河南) is the same minus the suffix.
export const PROVINCES = [
  "北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省", "上海市", "江苏省",
  "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "广西壮族自治区",
  "海南省", "重庆市", "四川省", "贵州省", "云南省", "西藏自治区", "陕西省", "甘肃省", "青海省",
  "宁夏回族自治区", "新疆维吾尔自治区", "台湾省", "香港特别行政区", "澳门特别行政区",
];
