/**
 * A user-metadata model: what an endpoint stores for a set of `x-bce-meta-*` headers, and how much of
 * the budget it uses (`objects.md` §0, `limits-and-errors.md` §1).
 *
 * @module
 */

const enc = new TextEncoder();

/**
 * The metadata an endpoint returns for what was sent: names lower-cased, values trimmed of
 * surrounding whitespace and kept byte for byte (UTF-8), entries with empty values dropped.
 *
 * @param sent Names (without `x-bce-meta-`) and text values, as sent.
 * @returns Lower-case name → UTF-8 bytes of the value, sorted by name.
 *
 * @example
 * ```ts
 * import { expectedMetadata } from "@boskit/boskit/conformance";
 * import assert from "node:assert/strict";
 *
 * const m = expectedMetadata([["DeMo", " v "], ["empty", ""]]);
 * assert.deepEqual([...m.keys()], ["demo"]);
 * assert.deepEqual(m.get("demo"), new TextEncoder().encode("v"));
 * ```
 */
export function expectedMetadata(sent: Iterable<readonly [string, string]>): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const [name, value] of sent) {
    const v = value.trim();
    if (v === "") continue;
    out.set(name.toLowerCase(), enc.encode(v));
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The metadata size BOS counts: Σ UTF-8 length of `"x-bce-meta-" + name` plus the value's UTF-8
 * length, over entries with a non-empty (trimmed) value.
 *
 * @param sent Names and text values as sent.
 * @returns The size in bytes.
 *
 * @example The Java SDK's live boundary: name `key` and a 2034-byte value make 2048
 * ```ts
 * import { metadataSizeModel } from "@boskit/boskit/conformance";
 * import assert from "node:assert/strict";
 *
 * assert.equal(metadataSizeModel([["key", "v".repeat(2034)]]), 2048);
 * ```
 */
export function metadataSizeModel(sent: Iterable<readonly [string, string]>): number {
  let n = 0;
  for (const [name, value] of sent) {
    const v = value.trim();
    if (v === "") continue;
    n += enc.encode("x-bce-meta-" + name).length + enc.encode(v).length;
  }
  return n;
}
