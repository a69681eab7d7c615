/**
 * Async iterators over paginated BOS listings (objects, prefixes, parts, multipart uploads). Each
 * follows the server's next marker, falls back to the last entry when a server omits it, and stops
 * with an error instead of looping when a page does not advance.
 *
 * @module
 */
import { BosError } from "./errors.ts";
import type {
  ListEntry,
  ListMultipartUploadsOptions,
  ListMultipartUploadsResult,
  ListObjectsOptions,
  ListObjectsResult,
  ListPartsOptions,
  ListPartsResult,
  ObjectSummary,
  PartSummary,
  UploadSummary,
} from "./types.ts";

/**
 * What the object iterators need: one-page ListObjects.
 *
 * @example A wrapper that counts the pages a listing takes
 * ```ts
 * import { BosClient, listAllObjects, type ObjectLister } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * for (const key of ["a", "b", "c"]) await client.putObject("my-bucket", key, key);
 * let pages = 0;
 * const counting: ObjectLister = {
 *   listObjects: (bucket, options) => (pages++, client.listObjects(bucket, options)),
 * };
 * const keys: string[] = [];
 * for await (const o of listAllObjects(counting, "my-bucket", { maxKeys: 2 })) keys.push(o.key);
 * assert.deepEqual(keys, ["a", "b", "c"]);
 * assert.equal(pages, 2);
 * await server.close();
 * ```
 */
export interface ObjectLister {
  /** One page of ListObjects. */
  listObjects(bucket: string, options?: ListObjectsOptions): Promise<ListObjectsResult>;
}

/**
 * What the part iterator needs: one-page ListParts.
 *
 * @example A BosClient is a PartLister
 * ```ts
 * import { BosClient, listAllParts, type PartLister } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * const { uploadId } = await client.initiateMultipartUpload("my-bucket", "big.bin");
 * for (const n of [1, 2, 3]) await client.uploadPart("my-bucket", "big.bin", uploadId, n, "part");
 * const lister: PartLister = client;
 * const numbers: number[] = [];
 * for await (const p of listAllParts(lister, "my-bucket", "big.bin", uploadId, { maxParts: 2 })) {
 *   numbers.push(p.partNumber);
 * }
 * assert.deepEqual(numbers, [1, 2, 3]);
 * await server.close();
 * ```
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
 *
 * @example A BosClient is an UploadLister
 * ```ts
 * import { BosClient, listAllMultipartUploads, type UploadLister } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * for (const key of ["a", "b", "c"]) await client.initiateMultipartUpload("my-bucket", key);
 * const lister: UploadLister = client;
 * const keys: string[] = [];
 * for await (const u of listAllMultipartUploads(lister, "my-bucket", { maxUploads: 2 })) keys.push(u.key);
 * assert.deepEqual(keys, ["a", "b", "c"]);
 * await server.close();
 * ```
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

/**
 * Every object of a listing across pages (keys rolled up into common prefixes are not yielded).
 *
 * @param lister A client.
 * @param bucket Bucket name.
 * @param options Listing options.
 * @returns An async iterable of objects.
 *
 * @example
 * ```ts
 * import { BosClient, listAllObjects } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * for (const key of ["logs/1", "logs/2", "other"]) await client.putObject("my-bucket", key, key);
 * const keys: string[] = [];
 * for await (const o of listAllObjects(client, "my-bucket", { prefix: "logs/", maxKeys: 1 })) {
 *   keys.push(o.key);
 * }
 * assert.deepEqual(keys, ["logs/1", "logs/2"]);
 * await server.close();
 * ```
 */
export async function* listAllObjects(
  lister: ObjectLister,
  bucket: string,
  options: ListObjectsOptions = {},
): AsyncIterableIterator<ObjectSummary> {
  for await (const page of listObjectPages(lister, bucket, options)) yield* page.contents;
}

/**
 * Every common prefix of a listing across pages; the delimiter defaults to `/`.
 *
 * @param lister A client.
 * @param bucket Bucket name.
 * @param options Listing options.
 * @returns An async iterable of prefixes.
 *
 * @example
 * ```ts
 * import { BosClient, listAllPrefixes } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * for (const key of ["photos/2024/a.jpg", "photos/2025/b.jpg", "photos/cover.jpg"]) {
 *   await client.putObject("my-bucket", key, "");
 * }
 * const dirs: string[] = [];
 * for await (const dir of listAllPrefixes(client, "my-bucket", { prefix: "photos/" })) dirs.push(dir);
 * assert.deepEqual(dirs, ["photos/2024/", "photos/2025/"]);
 * await server.close();
 * ```
 */
export async function* listAllPrefixes(
  lister: ObjectLister,
  bucket: string,
  options: ListObjectsOptions = {},
): AsyncIterableIterator<string> {
  for await (
    const page of listObjectPages(lister, bucket, { ...options, delimiter: options.delimiter ?? "/" })
  ) {
    yield* page.commonPrefixes;
  }
}

/**
 * Every entry of a listing across pages, objects and common prefixes merged in key order.
 *
 * @param lister A client.
 * @param bucket Bucket name.
 * @param options Listing options (give a `delimiter` to get prefixes).
 * @returns An async iterable of `{ kind: "object", … }` and `{ kind: "prefix", prefix }`.
 *
 * @example
 * ```ts
 * import { BosClient, listAllEntries } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * for (const key of ["docs/a.md", "readme.md"]) await client.putObject("my-bucket", key, "");
 * const names: string[] = [];
 * for await (const e of listAllEntries(client, "my-bucket", { delimiter: "/" })) {
 *   names.push(e.kind === "prefix" ? e.prefix : e.key);
 * }
 * assert.deepEqual(names.sort(), ["docs/", "readme.md"]);
 * await server.close();
 * ```
 */
export async function* listAllEntries(
  lister: ObjectLister,
  bucket: string,
  options: ListObjectsOptions = {},
): AsyncIterableIterator<ListEntry> {
  for await (const page of listObjectPages(lister, bucket, options)) {
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

/**
 * Every part of a multipart upload across pages of ListParts, following `nextPartNumberMarker`
 * (or the last part number).
 *
 * @param lister A client.
 * @param bucket Bucket name.
 * @param key Object key.
 * @param uploadId Upload id.
 * @param options Start marker, page size, signal.
 * @returns An async iterable of parts.
 *
 * @example
 * ```ts
 * import { BosClient, listAllParts } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * const { uploadId } = await client.initiateMultipartUpload("my-bucket", "big.bin");
 * for (const n of [1, 2, 3]) await client.uploadPart("my-bucket", "big.bin", uploadId, n, "part");
 * let bytes = 0;
 * for await (const p of listAllParts(client, "my-bucket", "big.bin", uploadId, { maxParts: 2 })) {
 *   bytes += p.size;
 * }
 * assert.equal(bytes, 12);
 * await server.close();
 * ```
 */
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

/**
 * Every unfinished multipart upload of a bucket across pages, following `nextKeyMarker` (or the
 * last key / common prefix).
 *
 * @param lister A client.
 * @param bucket Bucket name.
 * @param options Prefix, delimiter, key marker, page size, signal.
 * @returns An async iterable of uploads.
 *
 * @example
 * ```ts
 * import { BosClient, listAllMultipartUploads } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * for (const key of ["a.bin", "b.bin"]) await client.initiateMultipartUpload("my-bucket", key);
 * for await (const u of listAllMultipartUploads(client, "my-bucket")) {
 *   await client.abortMultipartUpload("my-bucket", u.key, u.uploadId);
 * }
 * assert.deepEqual((await client.listMultipartUploads("my-bucket")).uploads, []);
 * await server.close();
 * ```
 */
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
