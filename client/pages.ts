/**
 * Pages of a listing: {@link listObjectPages} follows `nextMarker` over any {@link ObjectLister}
 * (a `BosClient`, or anything with one-page `listObjects`), and the listing types it uses. Apart
 * from `listing.ts` so an application that imports it does not load the listing operations up front.
 *
 * @module
 */
import type { RequestOptions } from "./pipeline.ts";

/**
 * Options of `listObjects`.
 */
export interface ListObjectsOptions extends RequestOptions {
  /** Only keys starting with this. */
  prefix?: string;
  /** Group keys by this (one character) into `commonPrefixes`. */
  delimiter?: string;
  /** Start after this key. */
  marker?: string;
  /** At most this many entries (keys + prefixes), 1..1000. */
  maxKeys?: number;
}

/**
 * An object in a listing.
 */
export interface ObjectSummary {
  /** The key. */
  key: string;
  /** Last modification. */
  lastModified: Date;
  /** ETag without quotes. */
  etag: string;
  /** Size in bytes. */
  size: number;
  /** Storage class. */
  storageClass: string;
  /** Owner. */
  owner?: { id: string; displayName: string };
}

/**
 * One page of ListObjects.
 */
export interface ListObjectsResult {
  /** Bucket name. */
  name: string;
  /** Prefix echoed. */
  prefix: string;
  /** Delimiter echoed. */
  delimiter?: string;
  /** Marker echoed. */
  marker: string;
  /** Effective maxKeys. */
  maxKeys: number;
  /** More entries follow. */
  isTruncated: boolean;
  /** Marker of the next page (when truncated). */
  nextMarker?: string;
  /** The objects. */
  contents: ObjectSummary[];
  /** The common prefixes (only with a delimiter). */
  commonPrefixes: string[];
}

/**
 * What the object iterators need: one-page ListObjects.
 */
export interface ObjectLister {
  /** One page of ListObjects. */
  listObjects(bucket: string, options?: ListObjectsOptions): Promise<ListObjectsResult>;
}

/**
 * Every page of ListObjects, following `nextMarker` (or the last key / common prefix when absent).
 *
 * @param lister A client.
 * @param bucket Bucket name.
 * @param options Listing options; `marker` is where to start.
 * @returns An async iterable of pages.
 *
 * @example Counting pages of a fake lister
 * ```ts
 * import { listObjectPages } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * const keys = ["a", "b", "c"];
 * const lister = {
 *   listObjects: (_b: string, o: { marker?: string; maxKeys?: number } = {}) => {
 *     const rest = keys.filter((k) => k > (o.marker ?? ""));
 *     const page = rest.slice(0, o.maxKeys ?? 1000);
 *     return Promise.resolve({
 *       name: "b", prefix: "", marker: o.marker ?? "", maxKeys: 2, isTruncated: rest.length > page.length,
 *       contents: page.map((key) => ({ key, lastModified: new Date(0), etag: "", size: 0, storageClass: "STANDARD" })),
 *       commonPrefixes: [],
 *     });
 *   },
 * };
 * let pages = 0;
 * for await (const _ of listObjectPages(lister, "b", { maxKeys: 2 })) pages++;
 * assert.equal(pages, 2);
 * ```
 */
export async function* listObjectPages(
  lister: ObjectLister,
  bucket: string,
  options: ListObjectsOptions = {},
): AsyncIterableIterator<ListObjectsResult> {
  // The loop lives with the listing operations, loaded on first use.
  yield* (await import("./listing.ts")).objectPages(lister, bucket, options);
}
