/** The words a resident reads for a wish's status and category (the API's values are English). */
export const WISH_STATUS: Record<string, string> = {
  submitted: "待审核", approved: "待认领", rejected: "未通过", claimed: "已认领", fulfilled: "待确认",
  closed: "已实现", cancelled: "已撤回",
};

export const WISH_CATEGORIES = [
  { value: "goods", label: "物品" }, { value: "service", label: "服务" },
  { value: "companionship", label: "陪伴" }, { value: "other", label: "其他" },
];

export const WISH_TEXT_MAX = 200;
