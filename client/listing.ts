/**
 * Listing: ListObjects (one page) and the async iterators over every page of objects, prefixes,
 * entries, parts and multipart uploads. Each iterator follows the server's next marker, falls back to
 * the last entry when a server omits it, and stops with an error instead of looping when a page does
 * not advance.
 *
 * @module
 */
import { parseIsoDate, unquote } from "../protocol/encoding.ts";
import type {
  ListMultipartUploadsOptions,
  ListMultipartUploadsResult,
  ListPartsOptions,
  ListPartsResult,
  PartSummary,
  UploadSummary,
} from "./multipart.ts";
import type { Pipeline } from "./pipeline.ts";
import { BosError } from "../protocol/errors.ts";

export { listObjectPages } from "./pages.ts";
export type { ListObjectsOptions, ListObjectsResult, ObjectLister, ObjectSummary } from "./pages.ts";
import type { ListObjectsOptions, ListObjectsResult, ObjectLister, ObjectSummary } from "./pages.ts";
import { arr, json, num, str } from "./_response.ts";
import { checkBucket, checkPageSize } from "./_validate.ts";

/**
 * An entry yielded by `listAllEntries`: an object, or a common prefix.
 */
export type ListEntry = ({ kind: "object" } & ObjectSummary) | { kind: "prefix"; prefix: string };

/** The listing operations of a {@link BosClient}: one page of objects, and iterators over every page. */
export interface ListingOperations {
  /**
   * One page of a bucket's objects (ListObjects); see {@link BosClient.listAllObjects} for all pages.
   *
   * @param bucket Bucket name.
   * @param options Prefix, delimiter, marker, page size, signal.
   * @returns The page.
   *
   * @example One page of a "directory"
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const server = await serve();
   * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
   * await client.createBucket("my-bucket");
   * for (const key of ["photos/2024/a.jpg", "photos/2025/b.jpg", "photos/cover.jpg"]) {
   *   await client.putObject("my-bucket", key, "");
   * }
   * const page = await client.listObjects("my-bucket", { prefix: "photos/", delimiter: "/", maxKeys: 100 });
   * assert.deepEqual(page.commonPrefixes, ["photos/2024/", "photos/2025/"]);
   * assert.deepEqual(page.contents.map((o) => o.key), ["photos/cover.jpg"]);
   * assert.equal(page.isTruncated, false);
   * await server.close();
   * ```
   */
  listObjects(bucket: string, options?: ListObjectsOptions): Promise<ListObjectsResult>;

  /**
   * Every object of a bucket (under `prefix`), following `nextMarker` across pages (falling back to
   * the last key or prefix when a server omits it). With a delimiter, grouped keys are skipped:
   * use {@link BosClient.listAllPrefixes} or {@link BosClient.listAllEntries} for the prefixes.
   *
   * @param bucket Bucket name.
   * @param options Prefix, delimiter, start marker, page size, signal.
   * @returns An async iterable of objects.
   *
   * @example Total size under a prefix
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const server = await serve();
   * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
   * await client.createBucket("my-bucket");
   * for (const [key, body] of [["logs/1", "aa"], ["logs/2", "bbb"], ["other", "c"]]) {
   *   await client.putObject("my-bucket", key, body);
   * }
   * let bytes = 0;
   * for await (const o of client.listAllObjects("my-bucket", { prefix: "logs/", maxKeys: 1 })) {
   *   bytes += o.size;
   * }
   * assert.equal(bytes, 5);
   * await server.close();
   * ```
   */
  listAllObjects(bucket: string, options?: ListObjectsOptions): AsyncIterableIterator<ObjectSummary>;

  /**
   * Every common prefix of a bucket listing with a delimiter (default `/`), across pages.
   *
   * @param bucket Bucket name.
   * @param options Prefix, delimiter, start marker, page size, signal.
   * @returns An async iterable of prefixes.
   *
   * @example The top-level "directories"
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const server = await serve();
   * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
   * await client.createBucket("my-bucket");
   * for (const key of ["a/1", "a/2", "b/1", "c"]) await client.putObject("my-bucket", key, "");
   * const dirs: string[] = [];
   * for await (const p of client.listAllPrefixes("my-bucket")) dirs.push(p);
   * assert.deepEqual(dirs, ["a/", "b/"]);
   * await server.close();
   * ```
   */
  listAllPrefixes(bucket: string, options?: ListObjectsOptions): AsyncIterableIterator<string>;

  /**
   * Every entry of a bucket listing, objects and common prefixes in listing order, tagged with `kind`.
   *
   * @param bucket Bucket name.
   * @param options Prefix, delimiter, start marker, page size, signal.
   * @returns An async iterable of entries.
   *
   * @example A directory listing with sub-directories first-class
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const server = await serve();
   * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
   * await client.createBucket("my-bucket");
   * for (const key of ["photos/2024/a.jpg", "photos/cover.jpg"]) {
   *   await client.putObject("my-bucket", key, "jpg");
   * }
   * const lines: string[] = [];
   * for await (const e of client.listAllEntries("my-bucket", { prefix: "photos/", delimiter: "/" })) {
   *   lines.push(e.kind === "prefix" ? `${e.prefix} (dir)` : `${e.key} ${e.size}`);
   * }
   * assert.deepEqual(lines.sort(), ["photos/2024/ (dir)", "photos/cover.jpg 3"]);
   * await server.close();
   * ```
   */
  listAllEntries(bucket: string, options?: ListObjectsOptions): AsyncIterableIterator<ListEntry>;

  /**
   * Every part of a multipart upload, across pages of ListParts (handles > 1000 parts).
   *
   * @param bucket Bucket name.
   * @param key Object key.
   * @param uploadId Upload id.
   * @param options Start marker, page size, signal.
   * @returns An async iterable of parts in part-number order.
   *
   * @example Bytes already uploaded, across any number of pages
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const server = await serve();
   * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
   * await client.createBucket("my-bucket");
   * const { uploadId } = await client.initiateMultipartUpload("my-bucket", "big.bin");
   * for (const n of [1, 2, 3]) await client.uploadPart("my-bucket", "big.bin", uploadId, n, "part");
   * let bytes = 0;
   * for await (const p of client.listAllParts("my-bucket", "big.bin", uploadId, { maxParts: 2 })) {
   *   bytes += p.size;
   * }
   * assert.equal(bytes, 12);
   * await server.close();
   * ```
   */
  listAllParts(
    bucket: string,
    key: string,
    uploadId: string,
    options?: ListPartsOptions,
  ): AsyncIterableIterator<PartSummary>;

  /**
   * Every unfinished multipart upload of a bucket, across pages.
   *
   * @param bucket Bucket name.
   * @param options Prefix, key marker, page size, signal.
   * @returns An async iterable of uploads.
   *
   * @example Every unfinished upload
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const server = await serve();
   * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
   * await client.createBucket("my-bucket");
   * for (const key of ["a.bin", "b.bin"]) await client.initiateMultipartUpload("my-bucket", key);
   * const keys: string[] = [];
   * for await (const u of client.listAllMultipartUploads("my-bucket", { maxUploads: 1 })) keys.push(u.key);
   * assert.deepEqual(keys, ["a.bin", "b.bin"]);
   * await server.close();
   * ```
   */
  listAllMultipartUploads(
    bucket: string,
    options?: ListMultipartUploadsOptions,
  ): AsyncIterableIterator<UploadSummary>;
}

/** One page of a bucket's objects (ListObjects); see {@link BosClient.listAllObjects} for all pages. */
export async function listObjects(
  p: Pipeline,
  bucket: string,
  options: ListObjectsOptions = {},
): Promise<ListObjectsResult> {
  checkBucket(bucket);
  checkPageSize("maxKeys", options.maxKeys, p.profile);
  const j = await p.send({
    op: "ListObjects",
    bucket,
    query: {
      prefix: options.prefix,
      delimiter: options.delimiter,
      marker: options.marker,
      maxKeys: options.maxKeys,
    },
    signal: options.signal,
    parse: json,
  });
  return {
    name: str(j.name, bucket),
    prefix: str(j.prefix),
    delimiter: typeof j.delimiter === "string" ? j.delimiter : undefined,
    marker: str(j.marker),
    maxKeys: num(j.maxKeys, p.profile.maxListEntries),
    isTruncated: j.isTruncated === true || j.isTruncated === "true",
    nextMarker: typeof j.nextMarker === "string" && j.nextMarker !== "" ? j.nextMarker : undefined,
    contents: arr(j.contents).map((o): ObjectSummary => {
      const owner = o.owner as { id?: unknown; displayName?: unknown } | undefined;
      return {
        key: str(o.key),
        lastModified: parseIsoDate(o.lastModified) ?? new Date(0),
        etag: unquote(str(o.eTag ?? o.etag)),
        size: num(o.size),
        storageClass: str(o.storageClass, "STANDARD"),
        ...(owner ? { owner: { id: str(owner.id), displayName: str(owner.displayName) } } : {}),
      };
    }),
    commonPrefixes: arr(j.commonPrefixes).map((p) => str(p.prefix)),
  };
}

/**
 * What the part iterator needs: one-page ListParts.
 */
export interface PartLister {
  /** One page of ListParts. */
  listParts(
    bucket: string,
    key: string,
    uploadId: string,
    options?: ListPartsOptions,
  ): Promise<ListPartsResult>;
}

/**
 * What the upload iterator needs: one-page ListMultipartUploads.
 */
export interface UploadLister {
  /** One page of ListMultipartUploads. */
  listMultipartUploads(
    bucket: string,
    options?: ListMultipartUploadsOptions,
  ): Promise<ListMultipartUploadsResult>;
}

function stuck(what: string, marker: string): BosError {
  return new BosError({
    status: 0,
    code: "PaginationStuck",
    message: `${what} returned a truncated page that does not advance past marker ${
      JSON.stringify(marker)
    }; the server's pagination is broken`,
  });
}

/** Every page of ListObjects (the loop behind `listObjectPages`). */
export async function* objectPages(
  lister: ObjectLister,
  bucket: string,
  options: ListObjectsOptions = {},
): AsyncIterableIterator<ListObjectsResult> {
  let marker = options.marker;
  for (;;) {
    const page = await lister.listObjects(bucket, { ...options, marker });
    yield page;
    if (!page.isTruncated) return;
    const lastKey = page.contents.at(-1)?.key;
    const lastPrefix = page.commonPrefixes.at(-1);
    const fallback = lastKey !== undefined && lastPrefix !== undefined
      ? (lastKey > lastPrefix ? lastKey : lastPrefix)
      : lastKey ?? lastPrefix;
    const next = page.nextMarker ?? fallback;
    if (next === undefined || next === (marker ?? "")) {
      throw stuck("ListObjects", marker ?? "");
    }
    marker = next;
  }
}

/** Every object of a listing across pages (keys rolled up into common prefixes are not yielded). */
export async function* listAllObjects(
  lister: ObjectLister,
  bucket: string,
  options: ListObjectsOptions = {},
): AsyncIterableIterator<ObjectSummary> {
  for await (const page of objectPages(lister, bucket, options)) yield* page.contents;
}

/** Every common prefix of a listing across pages; the delimiter defaults to `/`. */
export async function* listAllPrefixes(
  lister: ObjectLister,
  bucket: string,
  options: ListObjectsOptions = {},
): AsyncIterableIterator<string> {
  for await (
    const page of objectPages(lister, bucket, { ...options, delimiter: options.delimiter ?? "/" })
  ) {
    yield* page.commonPrefixes;
  }
}

/** Every entry of a listing across pages, objects and common prefixes merged in key order. */
export async function* listAllEntries(
  lister: ObjectLister,
  bucket: string,
  options: ListObjectsOptions = {},
): AsyncIterableIterator<ListEntry> {
  for await (const page of objectPages(lister, bucket, options)) {
    const entries: ListEntry[] = [
      ...page.contents.map((o): ListEntry => ({ kind: "object", ...o })),
      ...page.commonPrefixes.map((prefix): ListEntry => ({ kind: "prefix", prefix })),
    ];
    entries.sort((a, b) => {
      const x = a.kind === "object" ? a.key : a.prefix;
      const y = b.kind === "object" ? b.key : b.prefix;
      return x < y ? -1 : x > y ? 1 : 0;
    });
    yield* entries;
  }
}

/** Every part of a multipart upload across pages of ListParts, following `nextPartNumberMarker` (or the last part number). */
export async function* listAllParts(
  lister: PartLister,
  bucket: string,
  key: string,
  uploadId: string,
  options: ListPartsOptions = {},
): AsyncIterableIterator<PartSummary> {
  let marker = options.partNumberMarker;
  for (;;) {
    const page = await lister.listParts(bucket, key, uploadId, { ...options, partNumberMarker: marker });
    yield* page.parts;
    if (!page.isTruncated) return;
    const next = page.nextPartNumberMarker ?? page.parts.at(-1)?.partNumber;
    if (next === undefined || next <= (marker ?? 0)) throw stuck("ListParts", String(marker ?? 0));
    marker = next;
  }
}

/** Every unfinished multipart upload of a bucket across pages, following `nextKeyMarker` (or the last key / common prefix). */
export async function* listAllMultipartUploads(
  lister: UploadLister,
  bucket: string,
  options: ListMultipartUploadsOptions = {},
): AsyncIterableIterator<UploadSummary> {
  let marker = options.keyMarker;
  for (;;) {
    const page = await lister.listMultipartUploads(bucket, { ...options, keyMarker: marker });
    yield* page.uploads;
    if (!page.isTruncated) return;
    const lastKey = page.uploads.at(-1)?.key;
    const lastPrefix = page.commonPrefixes.at(-1);
    const fallback = lastKey !== undefined && lastPrefix !== undefined
      ? (lastKey > lastPrefix ? lastKey : lastPrefix)
      : lastKey ?? lastPrefix;
    const next = page.nextKeyMarker ?? fallback;
    if (next === undefined || next === (marker ?? "")) throw stuck("ListMultipartUploads", marker ?? "");
    marker = next;
  }
}
