/** WeChat's privacy authorization: before any personal-data API (getPhoneNumber, chooseMedia, …) WeChat asks the
 * mini-program to show its privacy guide and to report the person's answer. A page that calls such an API holds
 * components/PrivacySheet, shown while `pendingPrivacy` holds WeChat's resolver; the browser has no such gate. */
import { ref } from "vue";

type Answer = (result: { event: "agree" | "disagree"; buttonId?: string }) => void;

/** Set while WeChat waits for the person's answer; the privacy sheet shows and calls agree() or disagree(). */
export const pendingPrivacy = ref<Answer | null>(null);

/** The agree button's open-type: WeChat records the agreement itself from that tap. */
export const AGREE_OPEN_TYPE = (() => {
  let openType = "";
  // #ifdef MP-WEIXIN
  openType = "agreePrivacyAuthorization";
  // #endif
  return openType;
})();

export function watchPrivacy(): void {
  // #ifdef MP-WEIXIN
  const wxApi = (globalThis as unknown as { wx?: { onNeedPrivacyAuthorization?: (cb: (resolve: Answer) => void) => void } }).wx;
  wxApi?.onNeedPrivacyAuthorization?.((resolve) => {
    pendingPrivacy.value = resolve;
  });
  // #endif
}

export function answerPrivacy(agreed: boolean): void {
  const answer = pendingPrivacy.value;
  pendingPrivacy.value = null;
  answer?.(agreed ? { event: "agree", buttonId: "agree-privacy" } : { event: "disagree" });
}

/** Open WeChat's own rendering of the privacy guide (the browser shows the backend's notice instead). */
export function openPrivacyContract(): void {
  // #ifdef MP-WEIXIN
  const wxApi = (globalThis as unknown as { wx?: { openPrivacyContract?: (o: object) => void } }).wx;
  wxApi?.openPrivacyContract?.({});
  // #endif
}
