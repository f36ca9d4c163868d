// Bundles the desk's story editor (src/editor.js with Tiptap) into the
// embedded static assets, minified, and prints its size (gzip: target
// at most 200 KB). Run through scripts/editor.sh, which rebuilds only when
// the bundle is missing or older than its sources.
import { build } from "esbuild";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const out = "../../internal/web/render/static/editor.bundle.js";
await build({
  entryPoints: ["src/editor.js"],
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2020"],
  legalComments: "eof", // the libraries' licence notices stay with them,
  outfile: out,
  logLevel: "warning",
});
const b = readFileSync(out);
console.log(`editor bundle: ${(b.length / 1024).toFixed(1)} KB, ${(gzipSync(b, { level: 9 }).length / 1024).toFixed(1)} KB gzip`);
