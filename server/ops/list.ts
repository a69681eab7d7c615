/**
 * ListObjects, and the listing algorithm of listing.md §2 shared with ListMultipartUploads.
 *
 * @module
 */
import type { OpContext } from "../_context.ts";
import { fail, isoDate, jsonResponse } from "../_http.ts";
import { compareUtf8 } from "../_order.ts";
import { requireBucket } from "./buckets.ts";

/** One listing entry: an item or a common prefix. */
export type ListEntry<T> = { item: T; prefix?: undefined } | { prefix: string; item?: undefined };

/** The outcome of {@link paginate}. */
export interface Page<T> {
  entries: ListEntry<T>[];
  truncated: boolean;
  /** The last key consumed (for `nextMarker`), when truncated. */
  nextMarker?: string;
}

/**
 * The listing algorithm of listing.md §2 (it reproduces real BOS's observed table): items sorted by
 * key in UTF-8 byte order; keys after `marker` under `prefix`; a common prefix counts as one entry
 * and absorbs every later key under it; a prefix at or before the marker is never emitted again.
 *
 * @param items Items ascending by `keyOf` (UTF-8 byte order).
 * @param keyOf The key of an item.
 * @param options prefix, delimiter, marker (exclusive), maxEntries.
 */
export function paginate<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  options: { prefix: string; delimiter: string; marker: string; maxEntries: number },
): Page<T> {
  const { prefix, delimiter, marker, maxEntries } = options;
  // Binary search for the first key > marker and >= prefix.
  const floor = compareUtf8(marker, prefix) >= 0 ? marker : undefined;
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const k = keyOf(items[mid]);
    const before = floor !== undefined ? compareUtf8(k, floor) <= 0 : compareUtf8(k, prefix) < 0;
    if (before) lo = mid + 1;
    else hi = mid;
  }
  const entries: ListEntry<T>[] = [];
  let lastCP: string | undefined;
  let lastConsumed: string | undefined;
  let truncated = false;
  for (let i = lo; i < items.length; i++) {
    const key = keyOf(items[i]);
    if (!key.startsWith(prefix)) {
      if (compareUtf8(key, prefix) > 0) break;
      continue;
    }
    if (compareUtf8(key, marker) <= 0) continue;
    const d = delimiter === "" ? -1 : key.indexOf(delimiter, prefix.length);
    if (d >= 0) {
      const cp = key.slice(0, d + delimiter.length);
      if (cp === lastCP || compareUtf8(cp, marker) <= 0) {
        if (cp === lastCP) lastConsumed = key;
        continue;
      }
      if (entries.length >= maxEntries) {
        truncated = true;
        break;
      }
      entries.push({ prefix: cp });
      lastCP = cp;
      lastConsumed = key;
    } else {
      if (entries.length >= maxEntries) {
        truncated = true;
        break;
      }
      entries.push({ item: items[i] });
      lastConsumed = key;
    }
  }
  return { entries, truncated, nextMarker: truncated ? (lastConsumed ?? marker) : undefined };
}

/** Parses a `maxKeys`-style parameter: default and cap `cap`; not a non-negative integer → 400. */
export function parseMax(value: string | undefined, name: string, cap: number): number {
  if (value === undefined || value === "") return cap;
  if (!/^-?\d{1,15}$/.test(value.trim())) {
    fail("InvalidArgument", `${name} must be an integer, got ${JSON.stringify(value.slice(0, 40))}`);
  }
  const n = Number(value.trim());
  if (n < 0) fail("InvalidArgument", `${name} must not be negative, got ${n}`);
  return Math.min(n, cap);
}

/** Checks the delimiter: at most one character (listing.md). */
export function parseDelimiter(value: string | undefined): string {
  const d = value ?? "";
  if ([...d].length > 1) {
    fail("InvalidArgument", `delimiter must be a single character, got ${JSON.stringify(d.slice(0, 40))}`);
  }
  return d;
}

/** ListObjects: `GET /` on a bucket. */
export function listObjects(ctx: OpContext): Response {
  const bucket = requireBucket(ctx);
  const prefix = ctx.query.get("prefix") ?? "";
  const marker = ctx.query.get("marker") ?? "";
  const rawDelimiter = ctx.query.get("delimiter");
  const delimiter = parseDelimiter(rawDelimiter);
  const maxKeys = parseMax(ctx.query.get("maxKeys"), "maxKeys", ctx.profile.maxListEntries);
  const keys = ctx.store.sortedKeys(bucket.name);
  const page = paginate(keys, (k) => k, { prefix, delimiter, marker, maxEntries: maxKeys });
  const body: Record<string, unknown> = { name: bucket.name, prefix };
  if (delimiter !== "") body.delimiter = delimiter;
  body.marker = marker;
  body.maxKeys = maxKeys;
  body.isTruncated = page.truncated;
  if (page.truncated) body.nextMarker = page.nextMarker;
  body.contents = page.entries.filter((e) => e.item !== undefined).map((e) => {
    const r = ctx.store.getObject(bucket.name, e.item!)!;
    return {
      key: r.key,
      lastModified: isoDate(r.lastModified),
      eTag: r.etag,
      size: r.size,
      storageClass: r.storageClass,
      owner: ctx.owner,
    };
  });
  if (delimiter !== "") {
    body.commonPrefixes = page.entries.filter((e) => e.prefix !== undefined).map((e) => ({
      prefix: e.prefix,
    }));
  }
  return jsonResponse(ctx, body);
}
