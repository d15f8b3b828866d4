/** What the scan page was opened with, as the backend's GET /api/scan wants it. A mini-program code carries its
 * token in `scene`; a link QR (扫普通链接二维码) hands the page `q`, the whole link URL-encoded once, and
 * `scancode_time`; a code scanned from inside the app gives a page path or a link. */
export type ScanQuery = { scene: string } | { q: string };
export type ScanTarget = { page: "scan"; query: ScanQuery } | { page: "console-login"; ticket: string };

const SCAN_PAGE = "pages/scan/index";
const CONSOLE_LOGIN_PAGE = "pages/console-login/index";

function decoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;   // not encoded after all (a hand-typed link)
  }
}

/** The page's load options → the query for GET /api/scan, or null when they carry no code. */
export function scanQuery(options: Record<string, string | undefined>): ScanQuery | null {
  if (options.q) return { q: decoded(options.q).trim() };
  if (options.scene) return { scene: decoded(options.scene).trim() };
  return null;
}

function queryOf(path: string): Record<string, string> {
  const query: Record<string, string> = {};
  const search = path.split("?")[1] ?? "";
  for (const pair of search.split("&")) {
    const [name, value = ""] = pair.split("=");
    if (name) query[name] = value;
  }
  return query;
}

/** What uni.scanCode (or a pasted link) gave → where to go: the scan page with its query, or the console's
 * sign-in with its ticket. A link is the backend's to judge (it knows its own public address). */
export function scanTarget(scanned: { path?: string; result?: string }): ScanTarget | null {
  const path = scanned.path?.replace(/^\//, "");
  if (path) {
    const query = queryOf(path);
    if (path.startsWith(CONSOLE_LOGIN_PAGE) && query.scene) return { page: "console-login", ticket: decoded(query.scene) };
    if (path.startsWith(SCAN_PAGE)) {
      const parsed = scanQuery(query);
      return parsed && { page: "scan", query: parsed };
    }
    return null;
  }
  const text = scanned.result?.trim();
  return text ? { page: "scan", query: { q: text } } : null;
}

/** The page URL uni.navigateTo opens for a target. */
export function targetUrl(target: ScanTarget): string {
  if (target.page === "console-login") return `/${CONSOLE_LOGIN_PAGE}?scene=${encodeURIComponent(target.ticket)}`;
  const [name, value] = "q" in target.query ? ["q", target.query.q] : ["scene", target.query.scene];
  return `/${SCAN_PAGE}?${name}=${encodeURIComponent(value)}`;
}
