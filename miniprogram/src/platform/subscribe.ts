/** Subscribe messages: WeChat asks the person, at a tap, for the templates the backend announces; the browser
 * has no such messages and answers "accept" for each. */
export type SubscribeAnswer = Record<string, "accept" | "reject" | "ban" | "filter">;

export function askToSubscribe(templateIds: string[]): Promise<SubscribeAnswer> {
  if (templateIds.length === 0) return Promise.resolve({});
  // #ifdef MP-WEIXIN
  return new Promise((resolve) => {
    uni.requestSubscribeMessage({
      tmplIds: templateIds,
      success: (res) => resolve(res as unknown as SubscribeAnswer),
      fail: () => resolve({}),   // declined or unsupported: the request goes ahead without notices
    } as UniApp.RequestSubscribeMessageOption);
  });
  // #endif
  // #ifndef MP-WEIXIN
  return Promise.resolve(Object.fromEntries(templateIds.map((id) => [id, "accept" as const])));
  // #endif
}
