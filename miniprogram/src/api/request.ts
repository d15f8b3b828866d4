/** The one request module. Every call: the base URL of this build, the bearer token from storage, a timeout; a 401
 * answered by one fresh sign-in and the request again; an Idempotency-Key on every POST (and PUT/PATCH), the same
 * key on each retry so the backend does it once; a PATCH sent as POST marked X-HTTP-Method-Override (WeChat's
 * wx.request has no PATCH); a refusal thrown as an ApiError carrying the backend's words.
 *
 * Typed from the app's own OpenAPI document (schema.d.ts, `make client-types`):
 *   const house = await api.get("/api/scan/{token}", { path: { token } });
 *   await api.post("/api/scan/{token}/members", { path: { token }, body: registration });
 */
import { apiBase } from "@/platform/base-url";
import { ApiError, errorFromAnswer, offlineError } from "./errors";
import type { paths } from "./schema";
import { signIn, storedToken } from "./session";
import { type Answered, send, type Sent } from "./transport";

export { ApiError } from "./errors";

export const TIMEOUT_MS = 15_000;
/** A request that got no answer (offline, timeout) is sent again this many times, after RETRY_DELAY_MS. */
export const NETWORK_RETRIES = 1;
export const RETRY_DELAY_MS = 800;

type Method = "get" | "post" | "put" | "patch" | "delete";
type Operation<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;
type PathsWith<M extends Method> = { [P in keyof paths]: paths[P][M] extends undefined | never ? never : P }[keyof paths];

type JsonOf<R> = R extends { content: { "application/json": infer T } } ? T : undefined;
type Success<O> = O extends { responses: infer R }
  ? R extends { 200: infer A } ? JsonOf<A>
  : R extends { 201: infer A } ? JsonOf<A>
  : R extends { 204: unknown } ? undefined
  : unknown
  : never;
type BodyOf<O> = O extends { requestBody?: { content: { "application/json": infer B } } } ? B : never;
type PathOf<O> = O extends { parameters: { path: infer P } } ? (P extends Record<string, unknown> ? P : never) : never;
type QueryOf<O> = O extends { parameters: { query?: infer Q } } ? Q : never;

export interface RawOptions {
  path?: Record<string, unknown>;
  query?: Record<string, unknown>;
  body?: unknown;
  /** no bearer token and no sign-in on 401 (the public scan pages' calls) */
  anonymous?: boolean;
  timeout?: number;
  /** a key of the caller's own, e.g. a form's kept across taps of its submit button */
  idempotencyKey?: string;
}

/** RawOptions typed by the operation: its path parameters, query and JSON body as the spec says. */
export interface Options<O> extends Omit<RawOptions, "path" | "query" | "body"> {
  path?: PathOf<O>;
  query?: QueryOf<O>;
  body?: BodyOf<O>;
}

export function newIdempotencyKey(): string {
  const random = Array.from({ length: 4 }, () => Math.floor(Math.random() * 0x100000000).toString(36)).join("");
  return `mp-${Date.now().toString(36)}-${random}`;
}

export function urlOf(template: string, path?: Record<string, unknown>, query?: Record<string, unknown>): string {
  const filled = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = path?.[name];
    if (value === undefined || value === null) throw new Error(`${template}: path parameter ${name} missing`);
    return encodeURIComponent(String(value));
  });
  const pairs = Object.entries(query ?? {})
    .filter(([, value]) => value !== undefined && value !== null)
    .flatMap(([name, value]) => (Array.isArray(value) ? value : [value])
      .map((one) => `${encodeURIComponent(name)}=${encodeURIComponent(String(one))}`));
  return `${apiBase()}${filled}${pairs.length ? `?${pairs.join("&")}` : ""}`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function answered(sent: Sent): Promise<Answered> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await send(sent);
    } catch (cause) {
      if (attempt >= NETWORK_RETRIES) throw offlineError(cause);
      await sleep(RETRY_DELAY_MS);
    }
  }
}

/** The untyped core every typed helper calls. */
export async function call<T>(method: Method, template: string, options: RawOptions = {}): Promise<T> {
  const header: Record<string, string> = { "Content-Type": "application/json" };
  if (method === "patch") header["X-HTTP-Method-Override"] = "PATCH";   // WeChat sends no PATCH
  if (method === "post" || method === "put" || method === "patch") {
    header["Idempotency-Key"] = options.idempotencyKey ?? newIdempotencyKey();
  }
  const sent: Sent = {
    url: urlOf(template, options.path, options.query),
    method: method === "patch" ? "POST" : (method.toUpperCase() as Sent["method"]),
    data: options.body, header, timeout: options.timeout ?? TIMEOUT_MS,
  };
  if (!options.anonymous) {
    const token = storedToken() ?? (await signIn()).token;
    header.Authorization = `Bearer ${token}`;
  }
  let answer = await answered(sent);
  if (answer.statusCode === 401 && !options.anonymous) {
    header.Authorization = `Bearer ${(await signIn()).token}`;   // the token expired or was signed out
    answer = await answered(sent);
  }
  if (answer.statusCode >= 200 && answer.statusCode < 300) return answer.data as T;
  throw errorFromAnswer(answer);
}

export const api = {
  get: <P extends PathsWith<"get">>(path: P, options?: Options<Operation<P, "get">>) =>
    call<Success<Operation<P, "get">>>("get", path, options as RawOptions),
  post: <P extends PathsWith<"post">>(path: P, options?: Options<Operation<P, "post">>) =>
    call<Success<Operation<P, "post">>>("post", path, options as RawOptions),
  put: <P extends PathsWith<"put">>(path: P, options?: Options<Operation<P, "put">>) =>
    call<Success<Operation<P, "put">>>("put", path, options as RawOptions),
  patch: <P extends PathsWith<"patch">>(path: P, options?: Options<Operation<P, "patch">>) =>
    call<Success<Operation<P, "patch">>>("patch", path, options as RawOptions),
  delete: <P extends PathsWith<"delete">>(path: P, options?: Options<Operation<P, "delete">>) =>
    call<Success<Operation<P, "delete">>>("delete", path, options as RawOptions),
};

/** A refusal or failure said to the person as a toast (forms show a field's error beside the field instead). */
export function toastError(error: unknown): void {
  const title = error instanceof ApiError ? error.message : "出了点问题，请稍后再试。";
  uni.showToast({ title, icon: "none", duration: 3000 });
}
