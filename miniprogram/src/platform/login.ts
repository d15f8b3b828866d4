/** The code POST /api/auth/wechat exchanges for our token. WeChat: wx.login. H5: a typed stand-in the loopback
 * fake WeChat accepts as a code (real WeChat refuses it: the browser build signs nobody in against production). */
const STAND_IN_KEY = "jiashu.h5-code";

export function loginCode(): Promise<string> {
  // #ifdef MP-WEIXIN
  return new Promise((resolve, reject) => {
    uni.login({
      provider: "weixin",
      success: (res) => resolve(res.code),
      fail: (err) => reject(new Error(err.errMsg || "微信登录失败")),
    });
  });
  // #endif
  // #ifndef MP-WEIXIN
  return Promise.resolve(standInCode());
  // #endif
}

/** The browser's stand-in identity: one per browser, kept, so a reload is the same resident (as one WeChat is). */
export function standInCode(): string {
  let code = uni.getStorageSync(STAND_IN_KEY) as string;
  if (!code) {
    code = `h5-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
    uni.setStorageSync(STAND_IN_KEY, code);
  }
  return code;
}

/** H5 only: be someone else (the tests and the demo sign in as a chosen resident). */
export function useStandInCode(code: string): void {
  uni.setStorageSync(STAND_IN_KEY, code);
}
