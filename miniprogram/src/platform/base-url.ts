/** Where the API is, per build. H5 is served by the app itself at /m/ (same origin): relative URLs. WeChat needs
 * an absolute https URL on the mini-program's request-domain list, set at build time (VITE_API_BASE). */
export function apiBase(): string {
  let base = "";
  // #ifdef MP-WEIXIN
  base = import.meta.env.VITE_API_BASE || "http://127.0.0.1:5000";
  // #endif
  return base;
}
