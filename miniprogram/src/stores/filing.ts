/** Filing a request: the community's categories, what the backend allows (photos, notice templates), the draft
 * (kept in storage as typed), and sending it: file once, then each photo not yet attached. */
import { defineStore } from "pinia";
import { api, ApiError } from "@/api/request";
import type { Schemas } from "@/api/types";
import { uploadPhoto } from "@/api/files";
import { askToSubscribe } from "@/platform/subscribe";
import { dropDraft, emptyDraft, keepDraft, loadDraft, type RequestDraft } from "@/utils/request-draft";

/** the form's fields, and "form" for what belongs to none (the network, a refusal of the whole) */
export type FilingField = "category" | "description" | "photos" | "form";
const FIELDS: FilingField[] = ["category", "description", "photos"];

/** A failed send as the form shows it: beside the field the backend names, else above the button. */
export function filingErrors(error: unknown): Partial<Record<FilingField, string>> {
  if (!(error instanceof ApiError)) return { form: "出了点问题，请稍后再试。" };
  if (error.offline) return { form: "网络不通，草稿已保存，网络恢复后再点提交。" };
  const field = FIELDS.find((name) => name === error.field) ?? "form";
  return { [field]: error.message };
}

export const useFiling = defineStore("filing", {
  state: () => ({
    categories: [] as Schemas["Category"][],
    settings: { photo_limit: 0, photo_max_mb: 0, subscribe_templates: [] } as Schemas["Filing"],
    draft: emptyDraft() as RequestDraft,
    errors: {} as Partial<Record<FilingField, string>>,
    sending: false,
  }),
  getters: {
    photosLeft: (state) => Math.max(0, (state.settings.photo_limit ?? 0) - state.draft.photos.length),
  },
  actions: {
    async open(): Promise<void> {
      this.draft = loadDraft();
      [this.categories, this.settings] = await Promise.all([api.get("/api/categories"), api.get("/api/requests/filing")]);
    },
    keep(): void {
      keepDraft(this.draft);
    },
    addPhotos(paths: string[]): void {
      this.draft.photos.push(...paths.slice(0, this.photosLeft));
      delete this.errors.photos;
      this.keep();
    },
    removePhoto(index: number): void {
      if (index < this.draft.sent) return;   // attached already
      this.draft.photos.splice(index, 1);
      this.keep();
    },
    /** Checked on the phone first (the backend says the same); each field's error beside it. */
    check(): boolean {
      this.errors = {};
      if (!this.draft.category) this.errors.category = "请选择诉求类别。";
      if (!this.draft.description.trim()) this.errors.description = "请写下具体情况。";
      else if (this.draft.description.length > 1000) this.errors.description = "具体情况最多 1000 字。";
      return Object.keys(this.errors).length === 0;
    },
    /** The request's id once filed and its photos attached; null when it did not go (errors say why, the draft
     * stays). Asks for the notice templates first: WeChat only asks within the tap. */
    async send(): Promise<number | null> {
      if (this.sending || !this.check()) return null;
      this.sending = true;
      const subscribing = askToSubscribe(this.settings.subscribe_templates ?? []);
      try {
        await subscribing;
        const draft = this.draft;
        if (draft.requestId === null) {
          const filed = await api.post("/api/requests", {
            body: { category: draft.category, description: draft.description.trim() },
            idempotencyKey: draft.idempotencyKey,
          });
          draft.requestId = filed.id ?? null;
          this.keep();
        }
        for (; draft.sent < draft.photos.length; draft.sent++, this.keep()) {
          await uploadPhoto("/api/requests/{request_id}/photos", { request_id: draft.requestId },
            draft.photos[draft.sent]);
        }
        const id = draft.requestId as number;
        dropDraft();
        this.draft = emptyDraft();
        return id;
      } catch (error) {
        this.errors = filingErrors(error);
        this.keep();
        return null;
      } finally {
        this.sending = false;
      }
    },
  },
});
