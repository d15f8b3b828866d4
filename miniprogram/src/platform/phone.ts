/** The phone number: WeChat hands a one-time code to a <button open-type="getPhoneNumber"> (the backend exchanges
 * it, POST /api/auth/wechat/phone); the browser stand-in is a made-up code the loopback fake turns into a number. */
export const PHONE_BUTTON_OPEN_TYPE = (() => {
  let openType = "";
  // #ifdef MP-WEIXIN
  openType = "getPhoneNumber";
  // #endif
  return openType;
})();

/** The code from the button's event, or null when the person declined. */
export function phoneCode(event: { detail?: { code?: string; errMsg?: string } }): string | null {
  // #ifdef MP-WEIXIN
  return event.detail?.code || null;
  // #endif
  // #ifndef MP-WEIXIN
  return `h5-phone-${Date.now().toString(36)}`;
  // #endif
}
