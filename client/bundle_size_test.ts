// The size budget of the client in a browser and its load-time independence from `node:` modules,
// measured as client/testdata/bundle_size.ts describes (README "Browsers": bundle size).
import assert from "node:assert/strict";
import { BOSKIT_APP, measureBundle } from "./testdata/bundle_size.ts";

/** The budget: what an app that imports BosClient loads up front, minified and gzipped. */
// 10 KB read the strict way (10,000 bytes, not 10 KiB).
const BUDGET = 10_000;

Deno.test("size: an app that imports BosClient loads at most 10 KB (min+gz) up front, and no node: module statically", async () => {
  const size = await measureBundle(BOSKIT_APP);
  console.log(
    `initial ${size.initialGzip} B gz (${size.initialFiles.length} files, ${size.initialGzipPerFile} B gzipped one by one), total ${size.totalGzip} B gz, ${size.totalGzipWithWasm} B with hash-wasm`,
  );
  assert.deepEqual(size.staticNodeImports, [], "no static node: import may load in a browser");
  assert(
    size.initialGzip <= BUDGET,
    `the client loads ${size.initialGzip} bytes up front, over the budget of ${BUDGET}`,
  );
  // The budget has teeth: hash-wasm alone would not fit in it, and it is not in what loads up front.
  assert(size.totalGzipWithWasm - size.totalGzip > 5000, "hash-wasm's chunk is measured and stays lazy");
  assert(!size.initialFiles.some((f) => f.startsWith("_wasm_hash")));
});

Deno.test("size: the measurement sees a static node: import when there is one", async () => {
  const size = await measureBundle(
    `import { createHash } from "node:crypto";\nexport const h = createHash;\n`,
  );
  assert.deepEqual(size.staticNodeImports.map((s) => s.split(": ")[1]), ["node:crypto"]);
});
