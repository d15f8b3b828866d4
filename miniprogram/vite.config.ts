import { defineConfig } from "vite";
import uni from "@dcloudio/vite-plugin-uni";

// `npm run dev:h5` proxies the API to a local `flask run`: the app sends no CORS headers, and the built H5
// client is served by the app itself at /m/ (same origin).
export default defineConfig({
  plugins: [uni()],
  server: { proxy: { "/api": process.env.JIASHU_API || "http://127.0.0.1:5000" } },
});
