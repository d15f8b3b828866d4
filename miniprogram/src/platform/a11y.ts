/** Accessible names where uni's components drop them. In H5, uni renders <input> inside its own <uni-input>
 * element, and attributes stay on the outer element: screen readers (and axe-core) find the real input unnamed.
 * WeChat's own components take aria-label themselves. */
export function nameInnerInput(root: unknown, label: string): void {
  // #ifdef H5
  const element = root as { querySelector?: (selector: string) => { setAttribute: (n: string, v: string) => void } | null };
  element?.querySelector?.("input, textarea")?.setAttribute("aria-label", label);
  // #endif
}
