import { describe, expect, it } from "vitest";
import { halfwidth, idCheckCharacter, idNumberProblem, mobileProblem, normalizeIdNumber, normalizeMobile } from "@/utils/identifiers";

const NOW = new Date("2026-12-08T01:00:00Z");   // 09:00 on 8 December in China

/** A well-formed number as tests/factories.py makes them: weights 2^(17-i) mod 11, as GB 11643 defines them. */
function idNumber(serial: number, born = "19850312", region = "370102"): string {
  const body = `${region}${born}${String(serial % 1000).padStart(3, "0")}`;
  const total = Array.from(body).reduce((sum, digit, i) => sum + Number(digit) * (2 ** (17 - i) % 11), 0);
  return body + "10X98765432"[total % 11];
}

describe("GB 11643 ID numbers, by the backend's rule (app/web/validation.py)", () => {
  it("takes the standard's example and numbers made as the backend's tests make them", () => {
    expect(idNumberProblem("11010519491231002X", NOW)).toBeNull();
    for (const serial of [1, 2, 3, 17, 999]) expect(idNumberProblem(idNumber(serial), NOW)).toBeNull();
    expect(idCheckCharacter("11010519491231002")).toBe("X");
  });

  it("takes lower-case x, spaces and the full-width forms an input method types", () => {
    expect(idNumberProblem("110105 19491231 002x", NOW)).toBeNull();
    expect(normalizeIdNumber("１１０１０５１９４９１２３１００２ｘ")).toBe("11010519491231002X");
    expect(halfwidth("１３８－（０）")).toBe("138-(0)");
  });

  it("says in Chinese what is wrong: shape, region, birth date, check character", () => {
    expect(idNumberProblem("1101051949123100", NOW)).toContain("18位");
    expect(idNumberProblem("11010519491231002Y", NOW)).toContain("18位");
    expect(idNumberProblem(idNumber(1, "19850312", "990102"), NOW)).toContain("地区代码");
    expect(idNumberProblem(idNumber(1, "19850230"), NOW)).toContain("出生日期");
    expect(idNumberProblem(idNumber(1, "20261209"), NOW)).toContain("不可能");   // tomorrow in China
    expect(idNumberProblem(idNumber(1, "20261208"), NOW)).toBeNull();              // today in China
    expect(idNumberProblem(idNumber(1, "18991231"), NOW)).toContain("不可能");
    const good = idNumber(5);
    const wrong = good.slice(0, 17) + (good[17] === "0" ? "1" : "0");
    expect(idNumberProblem(wrong, NOW)).toContain("校验码");
  });

  it("reads the birth date in China's day, not the phone's UTC one", () => {
    const lateUtc = new Date("2026-12-07T17:00:00Z");   // already 8 December in China
    expect(idNumberProblem(idNumber(1, "20261208"), lateUtc)).toBeNull();
  });
});

describe("mainland mobiles", () => {
  it("normalises +86, spaces, dashes and full-width digits", () => {
    expect(normalizeMobile("+86 138-0013-0001")).toBe("13800130001");
    expect(normalizeMobile("0086１３８００１３０００１")).toBe("13800130001");
    expect(mobileProblem("12800130001")).toContain("11位");
    expect(mobileProblem("1380013000")).toContain("11位");
  });
});
