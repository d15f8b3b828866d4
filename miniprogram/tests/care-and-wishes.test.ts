import { createPinia, setActivePinia } from "pinia";
import { beforeEach, describe, expect, it } from "vitest";
import { CARE_KEY, useCare } from "@/stores/care";
import { useWishForm } from "@/stores/wish-form";
import { backend, resetFakeUni, storage } from "./fake-uni";

const H5 = process.env.UNI_PLATFORM === "h5";

beforeEach(() => {
  resetFakeUni();
  storage.set("jiashu.token", "kept");
  setActivePinia(createPinia());
  document.documentElement.classList.remove("care");
});

describe("关怀模式", () => {
  it("is off until chosen, then remembered for the next launch and drawn on the page (H5)", () => {
    expect(useCare().on).toBe(false);
    useCare().set(true);
    expect(storage.get(CARE_KEY)).toBe("1");
    expect(document.documentElement.classList.contains("care")).toBe(H5);

    setActivePinia(createPinia());   // the app launched again
    document.documentElement.classList.remove("care");
    const again = useCare();
    expect(again.on).toBe(true);
    again.apply();
    expect(document.documentElement.classList.contains("care")).toBe(H5);
    again.set(false);
    expect(storage.get(CARE_KEY)).toBe("0");
    expect(document.documentElement.classList.contains("care")).toBe(false);
  });
});

describe("the wish form", () => {
  it("says what is missing beside its field and sends nothing", async () => {
    const form = useWishForm();
    form.text = "  ";
    expect(await form.submit()).toBeNull();
    expect(form.errors.text).toContain("心愿");
    expect(form.errors.category).toContain("类别");
    expect(backend.sent).toHaveLength(0);
  });

  it("posts the wish, then its photo; a failed photo is sent again without a second wish", async () => {
    const form = useWishForm();
    Object.assign(form, { text: "想要一台收音机", category: "goods", photo: "/tmp/radio.jpg" });
    let photoAnswers = [{ statusCode: 409, data: { code: 409, message: "Not while the wish is in this state." } }];
    backend.answer = (sent) => sent.method === "UPLOAD"
      ? photoAnswers.shift() ?? { statusCode: 201, data: { id: 7 } }
      : { statusCode: 201, data: { id: 7, status: "submitted" } };
    expect(await form.submit()).toBeNull();
    expect(form.errors.photo).toContain("心愿已提交");
    expect(form.text).toBe("想要一台收音机");   // kept
    photoAnswers = [];
    expect(await form.submit()).toBe(7);
    const posts = backend.sent.filter((sent) => sent.method === "POST");
    expect(posts).toHaveLength(1);
    expect(posts[0].data).toEqual({ text: "想要一台收音机", category: "goods" });
    const uploads = backend.sent.filter((sent) => sent.method === "UPLOAD");
    expect(uploads.map((sent) => new URL(sent.url, "http://x").pathname)).toEqual(["/api/wishes/7/photos", "/api/wishes/7/photos"]);
    expect(uploads.map((sent) => sent.data)).toEqual(["/tmp/radio.jpg", "/tmp/radio.jpg"]);
  });

  it("a refusal naming the text goes beside the text", async () => {
    const form = useWishForm();
    Object.assign(form, { text: "想要", category: "goods" });
    backend.answer = () => ({ statusCode: 422, data: { code: 422, message: "text: flagged", zh: "心愿内容需要修改" } });
    expect(await form.submit()).toBeNull();
    expect(form.errors.text).toBe("心愿内容需要修改");
  });
});
