/** The request being filed, kept in storage as it is typed: a dropped network (or WeChat closing the page) loses
 * nothing. Its idempotency key is kept with it, so sending it again files it once; once filed, its id, so only
 * the photos not yet sent go again. */
import { newIdempotencyKey } from "@/api/request";

const KEY = "jiashu.request-draft";

export interface RequestDraft {
  category: string;
  description: string;
  /** local paths of the chosen photos, compressed */
  photos: string[];
  /** photos already attached to the filed request */
  sent: number;
  idempotencyKey: string;
  /** set once the backend has the request */
  requestId: number | null;
}

export function emptyDraft(): RequestDraft {
  return { category: "", description: "", photos: [], sent: 0, idempotencyKey: newIdempotencyKey(), requestId: null };
}

export function loadDraft(): RequestDraft {
  const kept = uni.getStorageSync(KEY) as RequestDraft | "";
  return kept ? { ...emptyDraft(), ...kept } : emptyDraft();
}

export function keepDraft(draft: RequestDraft): void {
  uni.setStorageSync(KEY, { ...draft, photos: [...draft.photos] });
}

export function dropDraft(): void {
  uni.removeStorageSync(KEY);
}

/** Whether anything was typed or chosen (an empty form is no draft to mention). */
export function hasContent(draft: RequestDraft): boolean {
  return draft.description.trim() !== "" || draft.photos.length > 0;
}
