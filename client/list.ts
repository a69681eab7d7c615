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

/** What the object iterators need: one-page ListObjects. */
export interface ObjectLister {
  /** One page of ListObjects. */
  listObjects(bucket: string, options?: ListObjectsOptions): Promise<ListObjectsResult>;
}

/** What the part iterator needs: one-page ListParts. */
export interface PartLister {
  /** One page of ListParts. */
  listParts(
    bucket: string,
    key: string,
    uploadId: string,
    options?: ListPartsOptions,
  ): Promise<ListPartsResult>;
}

/** What the upload iterator needs: one-page ListMultipartUploads. */
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
 * ```ts ignore
 * import { BosClient } from "@boskit/boskit";
 *
 * const client = new BosClient({ endpoint: "https://bj.bcebos.com", credentials: { accessKeyId: "ak", secretAccessKey: "sk" } });
 * for await (const o of client.listAllObjects("my-bucket", { prefix: "logs/" })) console.log(o.key, o.size);
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
 * ```ts ignore
 * import { BosClient } from "@boskit/boskit";
 *
 * const client = new BosClient({ endpoint: "https://bj.bcebos.com", credentials: { accessKeyId: "ak", secretAccessKey: "sk" } });
 * for await (const dir of client.listAllPrefixes("my-bucket", { prefix: "photos/" })) console.log(dir);
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
 * ```ts ignore
 * import { BosClient } from "@boskit/boskit";
 *
 * const client = new BosClient({ endpoint: "https://bj.bcebos.com", credentials: { accessKeyId: "ak", secretAccessKey: "sk" } });
 * for await (const e of client.listAllEntries("my-bucket", { delimiter: "/" })) {
 *   console.log(e.kind === "prefix" ? e.prefix : e.key);
 * }
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
 * ```ts ignore
 * import { BosClient } from "@boskit/boskit";
 *
 * const client = new BosClient({ endpoint: "https://bj.bcebos.com", credentials: { accessKeyId: "ak", secretAccessKey: "sk" } });
 * let bytes = 0;
 * for await (const p of client.listAllParts("my-bucket", "big.bin", "upload-id")) bytes += p.size;
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
 * ```ts ignore
 * import { BosClient } from "@boskit/boskit";
 *
 * const client = new BosClient({ endpoint: "https://bj.bcebos.com", credentials: { accessKeyId: "ak", secretAccessKey: "sk" } });
 * for await (const u of client.listAllMultipartUploads("my-bucket")) {
 *   await client.abortMultipartUpload("my-bucket", u.key, u.uploadId);
 * }
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
