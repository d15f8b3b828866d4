/** A refusal or failure as the person reads it: the backend's Chinese words when it gives them (`zh`), else its
 * `message` as is; the field at fault when it names one, so a form can show it beside that field. */
import type { Answered } from "./transport";

export class ApiError extends Error {
  constructor(
    message: string,
    /** the HTTP status; 0 when no answer came (offline, timeout) */
    readonly status: number,
    /** the body field at fault, e.g. "id_number" (from the answer's errors.json or "field: …") */
    readonly field: string | null = null,
    readonly body: unknown = null,
  ) {
    super(message);
    this.name = "ApiError";
  }

  get offline(): boolean {
    return this.status === 0;
  }
}

const BY_STATUS: Record<number, string> = {
  401: "请重新登录后再试。",
  403: "没有权限进行这项操作。",
  404: "没有找到相关内容。",
  410: "二维码已作废，请扫描新张贴的家书、联系卡或活动海报。",
  413: "文件太大，请压缩后重试。",
  429: "操作太频繁，请稍后再试。",
};
export const OFFLINE = "网络不通，请检查网络后重试。";

interface ErrorBody {
  message?: string;
  zh?: string;
  errors?: Record<string, Record<string, unknown>>;
}

export function errorFromAnswer(answer: Answered): ApiError {
  const body = (typeof answer.data === "object" && answer.data !== null ? answer.data : {}) as ErrorBody;
  const fallback = BY_STATUS[answer.statusCode] ?? (answer.statusCode >= 500 ? "服务暂时不可用，请稍后再试。" : "请求未能完成。");
  const message = body.zh || body.message || fallback;
  return new ApiError(message, answer.statusCode, fieldOf(body), answer.data);
}

export function offlineError(cause: unknown): ApiError {
  return new ApiError(OFFLINE, 0, null, cause instanceof Error ? cause.message : null);
}

function fieldOf(body: ErrorBody): string | null {
  const named = body.errors?.json ?? body.errors?.query ?? body.errors?.form;
  if (named) {
    const first = Object.keys(named)[0];
    if (first) return first;
  }
  const match = /^([a-z_][a-z0-9_.]*): /.exec(body.message ?? "");
  return match ? match[1] : null;
}
