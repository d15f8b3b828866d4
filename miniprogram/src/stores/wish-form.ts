/** 许个心愿: the text, its category and one photo. The wish is posted once (one Idempotency-Key across taps), then
 * its photo; a photo that fails leaves the posted wish, so sending again only sends the photo. */
import { defineStore } from "pinia";
import { api, ApiError, newIdempotencyKey } from "@/api/request";
import { uploadPhoto } from "@/api/files";
import { WISH_TEXT_MAX } from "@/utils/wish-words";

type Field = "text" | "category" | "photo";

export const useWishForm = defineStore("wish-form", {
  state: () => ({
    text: "", category: "", photo: null as string | null,
    errors: {} as Partial<Record<Field, string>>, problem: "", sending: false,
    key: newIdempotencyKey(), postedId: null as number | null,
  }),
  actions: {
    reset(): void {
      this.$reset();
      this.key = newIdempotencyKey();
    },
    problems(): Partial<Record<Field, string>> {
      const found: Partial<Record<Field, string>> = {};
      const text = this.text.trim();
      if (!text) found.text = "请写下心愿。";
      else if (text.length > WISH_TEXT_MAX) found.text = `心愿最多 ${WISH_TEXT_MAX} 字。`;
      if (!this.category) found.category = "请选择心愿的类别。";
      return found;
    },
    /** The posted wish's id, or null with the reason beside its field (the input kept). */
    async submit(): Promise<number | null> {
      this.errors = this.problems();
      this.problem = "";
      if (Object.keys(this.errors).length) return null;
      this.sending = true;
      try {
        if (this.postedId === null) {
          const wish = await api.post("/api/wishes", {
            body: { text: this.text.trim(), category: this.category as "goods" }, idempotencyKey: this.key });
          this.postedId = wish.id ?? null;
        }
        if (this.photo && this.postedId !== null) {
          await uploadPhoto("/api/wishes/{wish_id}/photos", { wish_id: this.postedId }, this.photo, "photo");
        }
        return this.postedId;
      } catch (error) {
        const field = error instanceof ApiError ? (error.field as Field | undefined) : undefined;
        const message = error instanceof ApiError ? error.message : "出了点问题，请稍后再试。";
        if (this.postedId !== null) this.errors.photo = `心愿已提交，照片没有传上：${message}`;
        else if (field && ["text", "category"].includes(field)) this.errors[field] = message;
        else this.problem = message;
        return null;
      } finally {
        this.sending = false;
      }
    },
  },
});
