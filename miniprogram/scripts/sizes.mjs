// The built client's sizes: WeChat's main package (everything outside the sub-packages' roots, limit 2 MB) and
// each sub-package; the H5 build's total and its gzip-compressed weight. Exits 1 when the main package is over.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";

const MAIN_LIMIT = 2 * 1024 * 1024;
const platforms = process.argv.slice(2).length ? process.argv.slice(2) : ["mp-weixin", "h5"];
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

let failed = false;
for (const platform of platforms) {
  const dir = join("dist", "build", platform);
  if (platform === "mp-weixin") {
    const app = JSON.parse(readFileSync(join(dir, "app.json"), "utf8"));
    const roots = (app.subPackages ?? app.subpackages ?? []).map((sub) => sub.root.replace(/\/$/, "") + "/");
    const sizes = { main: 0 };
    for (const path of files(dir)) {
      const rel = relative(dir, path);
      const root = roots.find((r) => rel.startsWith(r));
      sizes[root ?? "main"] = (sizes[root ?? "main"] ?? 0) + statSync(path).size;
    }
    console.log(`mp-weixin main package: ${kb(sizes.main)} (WeChat's limit ${kb(MAIN_LIMIT)})`);
    for (const root of roots) console.log(`mp-weixin sub-package ${root}: ${kb(sizes[root] ?? 0)}`);
    if (sizes.main > MAIN_LIMIT) {
      console.error("The main package is over WeChat's 2 MB limit: move pages into a sub-package.");
      failed = true;
    }
  } else if (platform === "h5") {
    let raw = 0;
    let gzipped = 0;
    for (const path of files(dir)) {
      const bytes = readFileSync(path);
      raw += bytes.length;
      gzipped += gzipSync(bytes).length;
    }
    console.log(`h5: ${kb(raw)} (${kb(gzipped)} gzip-compressed)`);
  }
}
process.exit(failed ? 1 : 0);
