import assert from "node:assert/strict";
import { userMetadataSize } from "../../protocol/headers.ts";
import { expectedMetadata, metadataSizeModel } from "./metadata.ts";

const enc = new TextEncoder();

Deno.test("metadata model: names are lower-cased, values trimmed and kept as UTF-8, empty values dropped", () => {
  const m = expectedMetadata([["Author", "  张三 "], ["EMPTY", "   "], ["x", "😀"]]);
  assert.deepEqual([...m.keys()], ["author", "x"]);
  assert.deepEqual(m.get("author"), enc.encode("张三"));
  assert.deepEqual(m.get("x"), enc.encode("😀"));
});

Deno.test("metadata model: size is Σ len(x-bce-meta-name) + len(value) in UTF-8 bytes, as the client counts it", () => {
  assert.equal(metadataSizeModel([["key", "v".repeat(2034)]]), 2048);
  assert.equal(metadataSizeModel([["a", "测"]]), 12 + 3);
  const sample: Array<[string, string]> = [["Ab", "é x"], ["c", " 😀 "], ["d", ""]];
  assert.equal(metadataSizeModel(sample), userMetadataSize(Object.fromEntries(sample)));
});
