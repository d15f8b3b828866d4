/** Scanning a code from inside the mini-program. WeChat's camera gives a mini-program code's `path` (with its
 * scene) or a link QR's `result`; the browser has no camera scan: the person types or pastes the link. */
export interface Scanned {
  /** the scanned link or text (a link QR, e.g. https://…/s/<token>) */
  result?: string;
  /** a mini-program code's page and query, e.g. pages/scan/index?scene=<token> */
  path?: string;
}

export function canScan(): boolean {
  let can = false;
  // #ifdef MP-WEIXIN
  can = true;
  // #endif
  return can;
}

export function scanCode(): Promise<Scanned | null> {
  // #ifdef MP-WEIXIN
  return new Promise((resolve) => {
    uni.scanCode({
      scanType: ["qrCode", "wxCode"],
      success: (res) => resolve({ result: res.result, path: (res as { path?: string }).path }),
      fail: () => resolve(null),   // cancelled
    });
  });
  // #endif
  // #ifndef MP-WEIXIN
  return Promise.resolve(null);
  // #endif
}
