/// <reference types="vite/client" />

declare module "*.vue" {
  import type { DefineComponent } from "vue";
  const component: DefineComponent<object, object, unknown>;
  export default component;
}

interface ImportMetaEnv {
  /** the API's https origin for the WeChat build (on the mini-program's request-domain list) */
  readonly VITE_API_BASE?: string;
}
