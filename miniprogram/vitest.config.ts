/* The unit tests run once per platform (UNI_PLATFORM=mp-weixin, then h5: `npm test`): uni's own conditional-
 * compilation preprocessor applies each platform's #ifdef blocks to the sources, as its build does. */
import { fileURLToPath } from "node:url";
import vue from "@vitejs/plugin-vue";
import { defineConfig, type Plugin } from "vitest/config";
import { initPreContext, preHtml, preJs } from "@dcloudio/uni-cli-shared";

const platform = process.env.UNI_PLATFORM || "h5";
initPreContext(platform, {}, "", false);

function conditionalCompilation(): Plugin {
  return {
    name: "jiashu-uni-ifdef",
    enforce: "pre",
    transform(code, id) {
      const file = id.split("?")[0];
      if (file.includes("node_modules") || !/\.(ts|vue)$/.test(file) || !code.includes("#if")) return null;
      const html = file.endsWith(".vue") ? preHtml(code, file) : code;
      return { code: preJs(html, file), map: null };
    },
  };
}

export default defineConfig({
  plugins: [conditionalCompilation(), vue()],
  resolve: { alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) } },
  define: { "process.env.UNI_PLATFORM": JSON.stringify(platform) },
  test: {
    name: platform,
    environment: "happy-dom",
    globals: true,
    setupFiles: ["tests/setup.ts"],
    include: ["tests/**/*.test.ts"],
  },
});
