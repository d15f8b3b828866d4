/** Photos to and from the API, which wants the bearer token on them too: one sent as the backend expects it
 * (multipart, one file a call, in the form field the endpoint names: WeChat's uploadFile sends one), with a 401 answered by one fresh
 * sign-in and one retry when no answer came, like the request module's calls; one fetched to a local file an
 * <image> can show. */
import { apiBase } from "@/platform/base-url";
import { errorFromAnswer, offlineError } from "./errors";
import { urlOf, newIdempotencyKey, RETRY_DELAY_MS, TIMEOUT_MS } from "./request";
import { signIn, storedToken } from "./session";
import type { Answered } from "./transport";

function uploadOnce(url: string, filePath: string, name: string, header: Record<string, string>): Promise<Answered> {
  return new Promise((resolve, reject) => {
    uni.uploadFile({
      url, filePath, name, header, timeout: TIMEOUT_MS,
      success: (res) => {
        let data: unknown = res.data;
        try {
          data = JSON.parse(res.data as string);
        } catch {
          // not JSON: kept as text for the error
        }
        resolve({ statusCode: res.statusCode, data });
      },
      fail: (err) => reject(new Error(err.errMsg || "uploadFile:fail")),
    });
  });
}

async function answered(url: string, filePath: string, name: string, header: Record<string, string>): Promise<Answered> {
  try {
    return await uploadOnce(url, filePath, name, header);
  } catch {
    await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
    return uploadOnce(url, filePath, name, header).catch((cause) => { throw offlineError(cause); });
  }
}

/** POST one photo to `template` (e.g. "/api/requests/{request_id}/photos", field `photos`; a wish's: `photo`);
 * the answer's JSON. */
export async function uploadPhoto<T>(template: string, path: Record<string, unknown>, filePath: string,
  field = "photos"): Promise<T> {
  const url = urlOf(template, path);
  const header: Record<string, string> = { "Idempotency-Key": newIdempotencyKey() };
  header.Authorization = `Bearer ${storedToken() ?? (await signIn()).token}`;
  let answer = await answered(url, filePath, field, header);
  if (answer.statusCode === 401) {
    header.Authorization = `Bearer ${(await signIn()).token}`;
    answer = await answered(url, filePath, field, header);
  }
  if (answer.statusCode >= 200 && answer.statusCode < 300) return answer.data as T;
  throw errorFromAnswer(answer);
}

/** A photo the API serves (its `url`) as a local file to show: an <image> cannot send the bearer token. */
export async function downloadPhoto(url: string): Promise<string> {
  const fetch = (token: string) => new Promise<{ statusCode: number; path: string }>((resolve, reject) => {
    uni.downloadFile({
      url: `${apiBase()}${url}`, header: { Authorization: `Bearer ${token}` }, timeout: TIMEOUT_MS,
      success: (res) => resolve({ statusCode: res.statusCode, path: res.tempFilePath }),
      fail: (err) => reject(offlineError(new Error(err.errMsg))),
    });
  });
  let got = await fetch(storedToken() ?? (await signIn()).token);
  if (got.statusCode === 401) got = await fetch((await signIn()).token);
  if (got.statusCode !== 200) throw errorFromAnswer({ statusCode: got.statusCode, data: null });
  return got.path;
}
