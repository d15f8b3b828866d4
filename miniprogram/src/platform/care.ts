/** 关怀模式 on the page: H5 marks the document's root (`care`), which App.vue's stylesheet enlarges and darkens.
 * WeChat has no document root to mark: there the choice is remembered but not yet drawn (a <page-meta> on each
 * page would carry it). */
export const CARE_CLASS = "care";

export function applyCare(on: boolean): void {
  // #ifdef H5
  document.documentElement.classList.toggle(CARE_CLASS, on);
  // #endif
  // #ifndef H5
  void on;
  // #endif
}
