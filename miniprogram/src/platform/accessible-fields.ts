/** WeChat reads a component's aria-label itself; in the browser, uni's <input>, <textarea> and <image> are custom
 * elements around a native one that gets none of it, so a screen reader (and axe) finds an unlabelled field and an
 * image without alt. H5 only: the host's label is copied onto the native element, an image's as its alt ("" when
 * it has none: a decoration). */
const HOSTS = "uni-input, uni-textarea, uni-image";
const NAMES = ["aria-label", "aria-labelledby"];

function label(root: ParentNode): void {
  root.querySelectorAll(HOSTS).forEach((host) => {
    const inner = host.querySelector("input, textarea, img");
    if (!inner) return;
    if (inner.tagName === "IMG") {
      const alt = host.getAttribute("aria-label") ?? "";
      if (inner.getAttribute("alt") !== alt) inner.setAttribute("alt", alt);
      return;
    }
    for (const name of NAMES) {
      const value = host.getAttribute(name);
      if (value && inner.getAttribute(name) !== value) inner.setAttribute(name, value);
    }
  });
}

export function labelNativeFields(): void {
  // #ifdef H5
  label(document);
  new MutationObserver(() => label(document)).observe(document.body, {
    subtree: true, childList: true, attributes: true, attributeFilter: NAMES,
  });
  // #endif
}
