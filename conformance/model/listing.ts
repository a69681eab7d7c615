/**
 * A listing model, much simpler than a server: a sorted array of keys and the ListObjects rules of
 * `listing.md` §2 (prefix, delimiter, exclusive marker, maxKeys counting common prefixes, nextMarker
 * only when truncated), in UTF-8 byte order.
 *
 * @module
 */

const enc = new TextEncoder();

/**
 * Compares two strings by their UTF-8 bytes (the same as Unicode code-point order, which differs from
 * JavaScript's UTF-16 `<` for astral characters).
 *
 * @param a First string.
 * @param b Second string.
 * @returns Negative, zero or positive.
 *
 * @example
 * ```ts
 * import { compareUtf8 } from "@boskit/boskit/conformance";
 * import assert from "node:assert/strict";
 *
 * assert(compareUtf8("\u{1F600}", "\uFF61") > 0); // U+1F600 sorts after U+FF61 in bytes
 * assert("\u{1F600}" < "\uFF61"); // but before it in UTF-16
 * ```
 */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  const x = enc.encode(a);
  const y = enc.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

/** ListObjects parameters. */
export interface ListParams {
  /** Only keys starting with this. */
  prefix?: string;
  /** Roll keys up to the first occurrence of this after the prefix. */
  delimiter?: string;
  /** Start strictly after this. */
  marker?: string;
  /** Most entries (keys plus common prefixes) per page; default 1000. */
  maxKeys?: number;
}

/** One entry of a listing, in order. */
export type ListEntry = { kind: "key"; key: string } | { kind: "prefix"; prefix: string };

/** One page of the model's listing. */
export interface ModelPage {
  /** Keys of the page. */
  contents: string[];
  /** Common prefixes of the page. */
  commonPrefixes: string[];
  /** Keys and prefixes in listing order. */
  entries: ListEntry[];
  /** Whether more entries follow. */
  isTruncated: boolean;
  /** Marker for the next page, only when truncated. */
  nextMarker?: string;
}

/**
 * One page of a listing over `keys` (any order, no duplicates), following the algorithm of
 * `listing.md` §2 that reproduces every row BOS was observed to answer.
 *
 * @param keys All keys in the bucket.
 * @param params Prefix, delimiter, marker and maxKeys.
 * @returns The page.
 *
 * @example The BOS table: a common prefix counts against maxKeys
 * ```ts
 * import { listPage } from "@boskit/boskit/conformance";
 * import assert from "node:assert/strict";
 *
 * const keys = ["dir0/dir1/key0", "dir0/key0", "dir0/key1", "key"];
 * const page = listPage(keys, { prefix: "dir0/", delimiter: "/", maxKeys: 2 });
 * assert.deepEqual(page.contents, ["dir0/key0"]);
 * assert.deepEqual(page.commonPrefixes, ["dir0/dir1/"]);
 * assert.equal(page.isTruncated, true);
 * assert.equal(page.nextMarker, "dir0/key0");
 * ```
 */
export function listPage(keys: Iterable<string>, params: ListParams = {}): ModelPage {
  const prefix = params.prefix ?? "";
  const marker = params.marker ?? "";
  const maxKeys = params.maxKeys ?? 1000;
  const delimiter = params.delimiter ?? "";
  const candidates = [...keys]
    .filter((k) => k.startsWith(prefix) && compareUtf8(k, marker) > 0)
    .sort(compareUtf8);
  const entries: ListEntry[] = [];
  let lastCP: string | undefined;
  let lastConsumed: string | undefined;
  let truncated = false;
  for (const key of candidates) {
    const i = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
    if (i >= 0) {
      const cp = key.slice(0, i + delimiter.length);
      if (compareUtf8(cp, marker) <= 0 || cp === lastCP) {
        if (cp === lastCP) lastConsumed = key;
        continue;
      }
      if (entries.length === maxKeys) {
        truncated = true;
        break;
      }
      entries.push({ kind: "prefix", prefix: cp });
      lastCP = cp;
      lastConsumed = key;
    } else {
      if (entries.length === maxKeys) {
        truncated = true;
        break;
      }
      entries.push({ kind: "key", key });
      lastConsumed = key;
    }
  }
  return {
    contents: entries.flatMap((e) => e.kind === "key" ? [e.key] : []),
    commonPrefixes: entries.flatMap((e) => e.kind === "prefix" ? [e.prefix] : []),
    entries,
    isTruncated: truncated,
    nextMarker: truncated ? lastConsumed : undefined,
  };
}

/**
 * The whole listing (all pages concatenated): what a correct endpoint's pages must add up to.
 *
 * @param keys All keys in the bucket.
 * @param params Prefix, delimiter and marker (maxKeys is ignored).
 * @returns Every entry in order.
 *
 * @example
 * ```ts
 * import { listAll } from "@boskit/boskit/conformance";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(listAll(["a/1", "a/2", "b"], { delimiter: "/" }), [
 *   { kind: "prefix", prefix: "a/" },
 *   { kind: "key", key: "b" },
 * ]);
 * ```
 */
export function listAll(keys: Iterable<string>, params: ListParams = {}): ListEntry[] {
  return listPage(keys, { ...params, maxKeys: Number.MAX_SAFE_INTEGER }).entries;
}

/** One page of a ListParts model. */
export interface PartsPage {
  /** Part numbers of the page, ascending. */
  parts: number[];
  /** Whether more parts follow. */
  isTruncated: boolean;
  /** Number of the last part returned (0 when none). */
  nextPartNumberMarker: number;
}

/**
 * One page of ListParts: parts numbered above `marker`, ascending, at most `maxParts`.
 *
 * @param partNumbers Part numbers uploaded.
 * @param marker `partNumberMarker` (exclusive).
 * @param maxParts Page size.
 * @returns The page.
 *
 * @example
 * ```ts
 * import { listPartsPage } from "@boskit/boskit/conformance";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(listPartsPage([3, 1, 7, 5], 1, 2), { parts: [3, 5], isTruncated: true, nextPartNumberMarker: 5 });
 * ```
 */
export function listPartsPage(partNumbers: Iterable<number>, marker: number, maxParts: number): PartsPage {
  const all = [...new Set(partNumbers)].filter((n) => n > marker).sort((a, b) => a - b);
  const parts = all.slice(0, maxParts);
  return {
    parts,
    isTruncated: all.length > parts.length,
    nextPartNumberMarker: parts.length ? parts[parts.length - 1] : 0,
  };
}
