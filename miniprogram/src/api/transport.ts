/** uni.request as a promise: the one place the client touches the network (pages never call uni.request). */
export interface Sent {
  url: string;
  /** no PATCH: WeChat's wx.request has none (request.ts sends it as POST with X-HTTP-Method-Override) */
  method: "GET" | "POST" | "PUT" | "DELETE";
  data?: unknown;
  header: Record<string, string>;
  timeout: number;
}

export interface Answered {
  statusCode: number;
  data: unknown;
}

/** Rejects only when no answer came (offline, timeout): an HTTP error status is an answer. */
export function send(sent: Sent): Promise<Answered> {
  return new Promise((resolve, reject) => {
    uni.request({
      url: sent.url,
      method: sent.method,
      data: sent.data as UniApp.RequestOptions["data"],
      header: sent.header,
      timeout: sent.timeout,
      success: (res) => resolve({ statusCode: res.statusCode, data: res.data }),
      fail: (err) => reject(new Error(err.errMsg || "request:fail")),
    });
  });
}
