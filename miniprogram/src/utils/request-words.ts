/** A request's states and timeline steps as residents and staff read them. */
export const STATUS: Record<string, string> = { open: "待受理", accepted: "处理中", resolved: "已办结", closed: "已评价" };

export const STEP: Record<string, string> = {
  file: "提交诉求", accept: "受理", transfer: "转办", note: "办理进展", resolve: "办结", rate: "评价", reopen: "重新打开",
  mediate: "调解登记", escalate: "超时升级",
};

export const CONTACT_STATUS: Record<string, string> = {
  pending: "待联系", contacted: "已联系", handled: "已处理",
};

export const statusOf = (status: unknown): string => STATUS[String(status)] ?? String(status);
export const stepOf = (action: string): string => STEP[action] ?? action;
export const contactStatusOf = (status: unknown): string => CONTACT_STATUS[String(status)] ?? String(status);

/** "2026-12-08 09:30" in China's time, from the API's UTC ISO time. */
export function when(iso: string | null | undefined): string {
  if (!iso) return "";
  const china = new Date(new Date(iso).getTime() + 8 * 3600_000);
  return china.toISOString().slice(0, 16).replace("T", " ");
}
