/** The bearer token, kept in storage, and signing in for it: POST /api/auth/wechat with the platform's login
 * code. Several requests answered 401 at once share one sign-in. */
import { loginCode } from "@/platform/login";
import { apiBase } from "@/platform/base-url";
import { errorFromAnswer, offlineError } from "./errors";
import { send } from "./transport";

const TOKEN_KEY = "jiashu.token";
export const SIGN_IN_TIMEOUT_MS = 10_000;

export interface SignedIn {
  token: string;
  role: string | null;
  registered: boolean;
}

export function storedToken(): string | null {
  return (uni.getStorageSync(TOKEN_KEY) as string) || null;
}

export function forgetToken(): void {
  uni.removeStorageSync(TOKEN_KEY);
}

let signingIn: Promise<SignedIn> | null = null;

/** A fresh sign-in (a new login code each time: WeChat's codes are single-use). */
export function signIn(): Promise<SignedIn> {
  signingIn ??= (async () => {
    try {
      const code = await loginCode();
      const answer = await send({
        url: `${apiBase()}/api/auth/wechat`, method: "POST", data: { code },
        header: { "Content-Type": "application/json" }, timeout: SIGN_IN_TIMEOUT_MS,
      }).catch((cause) => { throw offlineError(cause); });
      if (answer.statusCode !== 200) throw errorFromAnswer(answer);
      const signed = answer.data as SignedIn;
      uni.setStorageSync(TOKEN_KEY, signed.token);
      return signed;
    } finally {
      signingIn = null;
    }
  })();
  return signingIn;
}
