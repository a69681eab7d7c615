/**
 * Multipart operations: InitiateMultipartUpload, UploadPart, UploadPartCopy,
 * CompleteMultipartUpload, AbortMultipartUpload, ListParts and ListMultipartUploads, each a function
 * over the client's {@link Pipeline}, with the option and result types they use.
 *
 * @module
 */
import { BosError } from "../protocol/errors.ts";
import { parseIsoDate, unquote, uriEncode } from "../protocol/encoding.ts";
import {
  enc,
  type ProgressEvent,
  progressOf,
  type RequestBody,
  setChecksums,
  toRequestBody,
} from "./body.ts";
import {
  type ObjectHeaderOptions,
  setCopyConditions,
  setObjectHeaders,
  setUserMeta,
} from "./object_headers.ts";
import type { CopyObjectResult } from "./objects.ts";
import type { Pipeline, RequestOptions } from "./pipeline.ts";
import { arr, drain, json, num, requireHeader, str } from "./_response.ts";
import {
  checkBucket,
  checkKey,
  checkNonNegativeInteger,
  checkPageSize,
  checkPartNumber,
  checkUploadId,
  invalid,
} from "./_validate.ts";

/**
 * Options of `initiateMultipartUpload`.
 */
export interface InitiateMultipartUploadOptions extends RequestOptions, ObjectHeaderOptions {}

/**
 * Result of `initiateMultipartUpload`.
 */
export interface InitiateMultipartUploadResult {
  /** Bucket. */
  bucket: string;
  /** Key. */
  key: string;
  /** The upload id (opaque). */
  uploadId: string;
}

/**
 * Options of `uploadPart`.
 */
export interface UploadPartOptions extends RequestOptions {
  /** `true` to compute and send `Content-MD5`, or the base64 MD5 to send. */
  contentMD5?: boolean | string;
  /** `true` to compute and send `x-bce-content-crc32c` (+ flag), or the decimal CRC32C to send. */
  crc32c?: boolean | string;
  /** `true` to compute and send `x-bce-content-crc32` (CRC32, IEEE), or the decimal CRC32 to send. */
  crc32?: boolean | string;
  /** Byte-level progress of this part. */
  onProgress?: (event: ProgressEvent) => void;
}

/**
 * Result of `uploadPart`.
 */
export interface UploadPartResult {
  /** Part number. */
  partNumber: number;
  /** ETag of the part (MD5 hex). */
  etag: string;
  /** `x-bce-content-crc32c` returned by the server. */
  crc32c?: string;
  /** `x-bce-content-crc32` returned by the server. */
  crc32?: string;
  /** Request id. */
  requestId?: string;
}

/**
 * Options of `uploadPartCopy`.
 */
export interface UploadPartCopyOptions extends RequestOptions {
  /** Bytes of the source to copy; omitted copies the whole source. */
  range?: { start: number; end: number };
  /** Copy only if the source ETag equals this. */
  ifMatch?: string;
  /** Copy only if the source ETag differs. */
  ifNoneMatch?: string;
  /** Copy only if the source changed after this date. */
  ifModifiedSince?: Date;
  /** Copy only if the source did not change after this date. */
  ifUnmodifiedSince?: Date;
}

/**
 * A part to complete.
 */
export interface CompletedPart {
  /** Part number. */
  partNumber: number;
  /** ETag from UploadPart. */
  etag: string;
}

/**
 * Options of `completeMultipartUpload`.
 */
export interface CompleteMultipartUploadOptions extends RequestOptions {
  /** User metadata for the final object. */
  userMeta?: Record<string, string>;
  /** `x-bce-content-crc32` of the whole object, decimal. */
  crc32?: string;
  /** `If-None-Match` (`*`: only if the key does not exist). */
  ifNoneMatch?: string;
}

/**
 * Result of `completeMultipartUpload`.
 */
export interface CompleteMultipartUploadResult {
  /** Location URL. */
  location?: string;
  /** Bucket. */
  bucket: string;
  /** Key. */
  key: string;
  /** ETag of the assembled object. */
  etag: string;
  /** `x-bce-content-crc32c`, when returned. */
  crc32c?: string;
  /** Request id. */
  requestId?: string;
}

/**
 * Options of `listParts`.
 */
export interface ListPartsOptions extends RequestOptions {
  /** Parts with a number greater than this. */
  partNumberMarker?: number;
  /** At most this many parts, 1..1000. */
  maxParts?: number;
}

/**
 * A part in ListParts.
 */
export interface PartSummary {
  /** Part number. */
  partNumber: number;
  /** ETag. */
  etag: string;
  /** Size in bytes. */
  size: number;
  /** Upload time. */
  lastModified?: Date;
}

/**
 * One page of ListParts.
 */
export interface ListPartsResult {
  /** Bucket. */
  bucket: string;
  /** Key. */
  key: string;
  /** Upload id. */
  uploadId: string;
  /** When the upload was initiated. */
  initiated?: Date;
  /** Storage class of the upload. */
  storageClass?: string;
  /** Marker echoed. */
  partNumberMarker: number;
  /** Marker for the next page. */
  nextPartNumberMarker?: number;
  /** Effective maxParts. */
  maxParts: number;
  /** More parts follow. */
  isTruncated: boolean;
  /** The parts. */
  parts: PartSummary[];
}

/**
 * Options of `listMultipartUploads`.
 */
export interface ListMultipartUploadsOptions extends RequestOptions {
  /** Only keys starting with this. */
  prefix?: string;
  /** Group keys into `commonPrefixes`. */
  delimiter?: string;
  /** Start after this key. */
  keyMarker?: string;
  /** At most this many entries, 1..1000. */
  maxUploads?: number;
}

/**
 * An upload in ListMultipartUploads.
 */
export interface UploadSummary {
  /** Key. */
  key: string;
  /** Upload id. */
  uploadId: string;
  /** When it was initiated. */
  initiated?: Date;
  /** Storage class. */
  storageClass?: string;
}

/**
 * One page of ListMultipartUploads.
 */
export interface ListMultipartUploadsResult {
  /** Bucket. */
  bucket: string;
  /** Prefix echoed. */
  prefix: string;
  /** Marker echoed. */
  keyMarker: string;
  /** Effective maxUploads. */
  maxUploads: number;
  /** More entries follow. */
  isTruncated: boolean;
  /** Marker of the next page. */
  nextKeyMarker?: string;
  /** The uploads. */
  uploads: UploadSummary[];
  /** Common prefixes (with a delimiter). */
  commonPrefixes: string[];
}

/** The multipart-upload operations of a {@link BosClient}. */
export interface MultipartOperations {
  /**
   * Starts a multipart upload (InitiateMultipartUpload). The headers and metadata given here are
   * stored on the final object.
   *
   * @param bucket Bucket name.
   * @param key Object key.
   * @param options Content headers, metadata, storage class, signal.
   * @returns The upload id.
   *
   * @example The three steps of a multipart upload
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const server = await serve();
   * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
   * await client.createBucket("my-bucket");
   * const { uploadId } = await client.initiateMultipartUpload("my-bucket", "big.bin");
   * const part = await client.uploadPart("my-bucket", "big.bin", uploadId, 1, new Uint8Array(1024));
   * await client.completeMultipartUpload("my-bucket", "big.bin", uploadId, [part]);
   * assert.equal((await client.headObject("my-bucket", "big.bin")).contentLength, 1024);
   * await server.close();
   * ```
   */
  initiateMultipartUpload(
    bucket: string,
    key: string,
    options?: InitiateMultipartUploadOptions,
  ): Promise<InitiateMultipartUploadResult>;

  /**
   * Uploads one part (UploadPart). Retried on transient failures when the body is replayable
   * (bytes, text, Blob); parts are idempotent by part number.
   *
   * @param bucket Bucket name.
   * @param key Object key.
   * @param uploadId Upload id.
   * @param partNumber 1..10000.
   * @param body The part's bytes.
   * @param options Checksums, progress, signal.
   * @returns The part's ETag (and CRC32C when asked).
   *
   * @example Upload a part with Content-MD5
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const server = await serve();
   * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
   * await client.createBucket("my-bucket");
   * const { uploadId } = await client.initiateMultipartUpload("my-bucket", "big.bin");
   * const p = await client.uploadPart("my-bucket", "big.bin", uploadId, 1, new Uint8Array(1024), { contentMD5: true });
   * assert.equal(p.partNumber, 1);
   * await client.abortMultipartUpload("my-bucket", "big.bin", uploadId);
   * await server.close();
   * ```
   */
  uploadPart(
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    body: Uint8Array | string | Blob,
    options?: UploadPartOptions,
  ): Promise<UploadPartResult>;

  /**
   * Copies a range of an existing object into a part (UploadPartCopy); a failure inside a 200
   * body is thrown.
   *
   * @param sourceBucket Source bucket.
   * @param sourceKey Source key.
   * @param bucket Destination bucket.
   * @param key Destination key.
   * @param uploadId Upload id.
   * @param partNumber 1..10000.
   * @param options Source range and conditions, signal.
   * @returns The part's ETag.
   *
   * @example Copy the first MiB of another object into part 1
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const server = await serve();
   * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
   * await client.createBucket("my-bucket");
   * await client.putObject("my-bucket", "big.bin", new Uint8Array(2 * 1024 * 1024));
   * const { uploadId } = await client.initiateMultipartUpload("my-bucket", "copy.bin");
   * const p = await client.uploadPartCopy("my-bucket", "big.bin", "my-bucket", "copy.bin", uploadId, 1, {
   *   range: { start: 0, end: 1024 * 1024 - 1 },
   * });
   * await client.completeMultipartUpload("my-bucket", "copy.bin", uploadId, [{ partNumber: 1, etag: p.etag }]);
   * assert.equal((await client.headObject("my-bucket", "copy.bin")).contentLength, 1024 * 1024);
   * await server.close();
   * ```
   */
  uploadPartCopy(
    sourceBucket: string,
    sourceKey: string,
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    options?: UploadPartCopyOptions,
  ): Promise<CopyObjectResult>;

  /**
   * Assembles the parts into the object (CompleteMultipartUpload). Parts are sent in ascending
   * order. Not retried blindly (only when the server proves it did not act: 429/503, clock skew);
   * a failure inside a 200 body is thrown.
   *
   * @param bucket Bucket name.
   * @param key Object key.
   * @param uploadId Upload id.
   * @param parts Part numbers and ETags.
   * @param options Final metadata, whole-object CRC32, condition, signal.
   * @returns The object's ETag.
   *
   * @example Complete with the parts (any order; sent ascending)
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const server = await serve();
   * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
   * await client.createBucket("my-bucket");
   * const { uploadId } = await client.initiateMultipartUpload("my-bucket", "big.bin");
   * const p1 = await client.uploadPart("my-bucket", "big.bin", uploadId, 1, new Uint8Array(100 * 1024));
   * const p2 = await client.uploadPart("my-bucket", "big.bin", uploadId, 2, "tail");
   * const done = await client.completeMultipartUpload("my-bucket", "big.bin", uploadId, [
   *   { partNumber: 2, etag: p2.etag },
   *   { partNumber: 1, etag: p1.etag },
   * ]);
   * assert.equal(done.etag, (await client.headObject("my-bucket", "big.bin")).etag);
   * await server.close();
   * ```
   */
  completeMultipartUpload(
    bucket: string,
    key: string,
    uploadId: string,
    parts: readonly CompletedPart[],
    options?: CompleteMultipartUploadOptions,
  ): Promise<CompleteMultipartUploadResult>;

  /**
   * Discards a multipart upload and its parts (AbortMultipartUpload).
   *
   * @param bucket Bucket name.
   * @param key Object key.
   * @param uploadId Upload id.
   * @param options Signal.
   * @returns Nothing; fails with `NoSuchUpload` for an unknown id.
   *
   * @example Abort every unfinished upload of a bucket
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const server = await serve();
   * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
   * await client.createBucket("my-bucket");
   * for (const key of ["a.bin", "b.bin"]) await client.initiateMultipartUpload("my-bucket", key);
   * for await (const u of client.listAllMultipartUploads("my-bucket")) {
   *   await client.abortMultipartUpload("my-bucket", u.key, u.uploadId);
   * }
   * assert.deepEqual((await client.listMultipartUploads("my-bucket")).uploads, []);
   * await server.close();
   * ```
   */
  abortMultipartUpload(
    bucket: string,
    key: string,
    uploadId: string,
    options?: RequestOptions,
  ): Promise<void>;

  /**
   * One page of an upload's parts (ListParts); see {@link BosClient.listAllParts} for all pages.
   *
   * @param bucket Bucket name.
   * @param key Object key.
   * @param uploadId Upload id.
   * @param options Marker, page size, signal.
   * @returns The page.
   *
   * @example The first page of parts
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
   * const page = await client.listParts("my-bucket", "big.bin", uploadId, { maxParts: 2 });
   * assert.deepEqual(page.parts.map((p) => p.partNumber), [1, 2]);
   * assert.equal(page.isTruncated, true);
   * await server.close();
   * ```
   */
  listParts(
    bucket: string,
    key: string,
    uploadId: string,
    options?: ListPartsOptions,
  ): Promise<ListPartsResult>;

  /**
   * One page of a bucket's unfinished multipart uploads (ListMultipartUploads); see
   * {@link BosClient.listAllMultipartUploads} for all pages.
   *
   * @param bucket Bucket name.
   * @param options Prefix, delimiter, key marker, page size, signal.
   * @returns The page.
   *
   * @example The first page of unfinished uploads
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const server = await serve();
   * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
   * await client.createBucket("my-bucket");
   * for (const key of ["videos/a.mp4", "videos/b.mp4", "other.bin"]) {
   *   await client.initiateMultipartUpload("my-bucket", key);
   * }
   * const page = await client.listMultipartUploads("my-bucket", { prefix: "videos/" });
   * assert.deepEqual(page.uploads.map((u) => u.key), ["videos/a.mp4", "videos/b.mp4"]);
   * await server.close();
   * ```
   */
  listMultipartUploads(
    bucket: string,
    options?: ListMultipartUploadsOptions,
  ): Promise<ListMultipartUploadsResult>;
}

/** Starts a multipart upload (InitiateMultipartUpload). The headers and metadata given here are stored on the final object. */
export async function initiateMultipartUpload(
  p: Pipeline,
  bucket: string,
  key: string,
  options: InitiateMultipartUploadOptions = {},
): Promise<InitiateMultipartUploadResult> {
  checkBucket(bucket);
  checkKey(key, p.profile);
  const headers = new Headers();
  setObjectHeaders(
    headers,
    { ...options, contentType: options.contentType ?? "application/octet-stream" },
    p.profile,
  );
  const j = await p.send({
    op: "InitiateMultipartUpload",
    bucket,
    key,
    query: {},
    headers,
    signal: options.signal,
    parse: json,
  });
  const uploadId = str(j.uploadId);
  if (!uploadId) {
    throw new BosError({
      status: 200,
      code: "MalformedResponse",
      message: "InitiateMultipartUpload returned no uploadId",
    });
  }
  return { bucket: str(j.bucket, bucket), key: str(j.key, key), uploadId };
}

/** Uploads one part (UploadPart). Retried on transient failures when the body is replayable (bytes, text, Blob); parts are idempotent by part number. */
export async function uploadPart(
  p: Pipeline,
  bucket: string,
  key: string,
  uploadId: string,
  partNumber: number,
  body: Uint8Array | string | Blob,
  options: UploadPartOptions = {},
): Promise<UploadPartResult> {
  checkPartTarget(p, bucket, key, uploadId, partNumber);
  return await uploadPartBody(
    p,
    bucket,
    key,
    uploadId,
    partNumber,
    toRequestBody(body, undefined, "uploadPart", p.streamingUploads),
    options,
  );
}

/** The checks of a part's bucket, key, upload id and number, before anything is sent. */
function checkPartTarget(
  p: Pipeline,
  bucket: string,
  key: string,
  uploadId: string,
  partNumber: number,
): void {
  checkBucket(bucket);
  checkKey(key, p.profile);
  checkPartNumber(partNumber, p.profile);
  checkUploadId(uploadId);
}

/**
 * UploadPart of a body already in its sendable form (the upload engine's file parts pulled chunk by
 * chunk); the arguments are checked as `uploadPart` checks them.
 */
export async function uploadPartBody(
  p: Pipeline,
  bucket: string,
  key: string,
  uploadId: string,
  partNumber: number,
  rb: RequestBody,
  options: UploadPartOptions = {},
): Promise<UploadPartResult> {
  checkPartTarget(p, bucket, key, uploadId, partNumber);
  if (rb.length > p.profile.maxPartSize) {
    throw invalid(
      `Part size must be at most ${p.profile.maxPartSize} bytes, got ${rb.length}`,
      undefined,
      "EntityTooLarge",
    );
  }
  const headers = new Headers();
  await setChecksums(headers, options, rb);
  const progress = progressOf(options.onProgress, rb.length);
  const h = await p.send({
    op: "UploadPart",
    bucket,
    key,
    query: { partNumber, uploadId },
    headers,
    body: rb,
    signal: options.signal,
    progress,
    parse: drain,
  });
  progress?.position(rb.length);
  return {
    partNumber,
    etag: unquote(requireHeader(h, "etag", "UploadPart")),
    crc32c: h.get("x-bce-content-crc32c") ?? undefined,
    crc32: h.get("x-bce-content-crc32") ?? undefined,
    requestId: h.get("x-bce-request-id") ?? undefined,
  };
}

/** Copies a range of an existing object into a part (UploadPartCopy); a failure inside a 200 body is thrown. */
export async function uploadPartCopy(
  p: Pipeline,
  sourceBucket: string,
  sourceKey: string,
  bucket: string,
  key: string,
  uploadId: string,
  partNumber: number,
  options: UploadPartCopyOptions = {},
): Promise<CopyObjectResult> {
  checkBucket(sourceBucket);
  checkKey(sourceKey, p.profile);
  checkBucket(bucket);
  checkKey(key, p.profile);
  checkPartNumber(partNumber, p.profile);
  checkUploadId(uploadId);
  const headers = new Headers();
  headers.set("x-bce-copy-source", `/${sourceBucket}/${uriEncode(sourceKey, true)}`);
  if (options.range) {
    const { start, end } = options.range;
    checkNonNegativeInteger("Copy range start", start);
    checkNonNegativeInteger("Copy range end", end);
    if (end < start) throw invalid(`Copy range end must be ≥ start, got ${start}-${end}`);
    headers.set("x-bce-copy-source-range", `bytes=${start}-${end}`);
  }
  setCopyConditions(headers, options);
  const j = await p.send({
    op: "UploadPartCopy",
    bucket,
    key,
    query: { partNumber, uploadId },
    headers,
    signal: options.signal,
    parse: json,
  });
  return { etag: unquote(str(j.eTag ?? j.etag)), lastModified: parseIsoDate(j.lastModified) };
}

/** Assembles the parts into the object (CompleteMultipartUpload). Parts are sent in ascending order. Not retried blindly (only when the server proves it did not act: 429/503, clock skew); a failure inside a 200 body is thrown. */
export async function completeMultipartUpload(
  p: Pipeline,
  bucket: string,
  key: string,
  uploadId: string,
  parts: readonly CompletedPart[],
  options: CompleteMultipartUploadOptions = {},
): Promise<CompleteMultipartUploadResult> {
  checkBucket(bucket);
  checkKey(key, p.profile);
  checkUploadId(uploadId);
  if (parts.length === 0) throw invalid("Complete needs at least one part, got none");
  const sorted = [...parts].sort((a, b) => a.partNumber - b.partNumber);
  sorted.forEach((part, i) => {
    checkPartNumber(part.partNumber, p.profile);
    if (i > 0 && sorted[i - 1].partNumber === part.partNumber) {
      throw invalid(`Part number ${part.partNumber} is listed twice; list each part once`);
    }
    if (typeof part.etag !== "string" || part.etag === "") {
      throw invalid(`Part ${part.partNumber} needs its ETag, got ${JSON.stringify(part.etag)}`);
    }
  });
  const bytes = enc.encode(
    JSON.stringify({
      parts: sorted.map((part) => ({ partNumber: part.partNumber, eTag: unquote(part.etag) })),
    }),
  );
  if (bytes.length > p.profile.maxCompleteBodySize) {
    throw invalid(
      `Complete body must be at most ${p.profile.maxCompleteBodySize} bytes, got ${bytes.length}`,
    );
  }
  const headers = new Headers({ "content-type": "application/json; charset=utf-8" });
  if (options.userMeta) setUserMeta(headers, options.userMeta, p.profile);
  if (options.crc32 !== undefined) headers.set("x-bce-content-crc32", options.crc32);
  if (options.ifNoneMatch !== undefined) headers.set("if-none-match", options.ifNoneMatch);
  let resHeaders: Headers | undefined;
  const j = await p.send({
    op: "CompleteMultipartUpload",
    bucket,
    key,
    query: { uploadId },
    headers,
    body: { bytes, length: bytes.length },
    signal: options.signal,
    parse: (res) => {
      resHeaders = res.headers;
      return json(res);
    },
  });
  return {
    location: typeof j.location === "string" ? j.location : undefined,
    bucket: str(j.bucket, bucket),
    key: str(j.key, key),
    etag: unquote(str(j.eTag ?? j.etag)),
    crc32c: resHeaders?.get("x-bce-content-crc32c") ?? undefined,
    requestId: resHeaders?.get("x-bce-request-id") ?? undefined,
  };
}

/** Discards a multipart upload and its parts (AbortMultipartUpload). */
export async function abortMultipartUpload(
  p: Pipeline,
  bucket: string,
  key: string,
  uploadId: string,
  options: RequestOptions = {},
): Promise<void> {
  checkBucket(bucket);
  checkKey(key, p.profile);
  checkUploadId(uploadId);
  await p.send({
    op: "AbortMultipartUpload",
    bucket,
    key,
    query: { uploadId },
    signal: options.signal,
    parse: drain,
  });
}

/** One page of an upload's parts (ListParts); see {@link BosClient.listAllParts} for all pages. */
export async function listParts(
  p: Pipeline,
  bucket: string,
  key: string,
  uploadId: string,
  options: ListPartsOptions = {},
): Promise<ListPartsResult> {
  checkBucket(bucket);
  checkKey(key, p.profile);
  checkUploadId(uploadId);
  checkNonNegativeInteger("partNumberMarker", options.partNumberMarker);
  checkPageSize("maxParts", options.maxParts, p.profile);
  const j = await p.send({
    op: "ListParts",
    bucket,
    key,
    query: { uploadId, maxParts: options.maxParts, partNumberMarker: options.partNumberMarker },
    signal: options.signal,
    parse: json,
  });
  const next = j.nextPartNumberMarker;
  return {
    bucket: str(j.bucket, bucket),
    key: str(j.key, key),
    uploadId: str(j.uploadId, uploadId),
    initiated: parseIsoDate(j.initiated),
    storageClass: typeof j.storageClass === "string" ? j.storageClass : undefined,
    partNumberMarker: num(j.partNumberMarker),
    nextPartNumberMarker: next === undefined || next === null ? undefined : num(next),
    maxParts: num(j.maxParts, p.profile.maxListEntries),
    isTruncated: j.isTruncated === true || j.isTruncated === "true",
    parts: arr(j.parts).map((part): PartSummary => ({
      partNumber: num(part.partNumber),
      etag: unquote(str(part.eTag ?? part.ETag ?? part.etag)),
      size: num(part.size),
      lastModified: parseIsoDate(part.lastModified),
    })),
  };
}

/** One page of a bucket's unfinished multipart uploads (ListMultipartUploads); see {@link BosClient.listAllMultipartUploads} for all pages. */
export async function listMultipartUploads(
  p: Pipeline,
  bucket: string,
  options: ListMultipartUploadsOptions = {},
): Promise<ListMultipartUploadsResult> {
  checkBucket(bucket);
  checkPageSize("maxUploads", options.maxUploads, p.profile);
  const j = await p.send({
    op: "ListMultipartUploads",
    bucket,
    query: {
      prefix: options.prefix,
      delimiter: options.delimiter,
      keyMarker: options.keyMarker,
      maxUploads: options.maxUploads,
    },
    signal: options.signal,
    parse: json,
  });
  return {
    bucket: str(j.bucket, bucket),
    prefix: str(j.prefix),
    keyMarker: str(j.keyMarker),
    maxUploads: num(j.maxUploads, p.profile.maxListEntries),
    isTruncated: j.isTruncated === true || j.isTruncated === "true",
    nextKeyMarker: typeof j.nextKeyMarker === "string" ? j.nextKeyMarker : undefined,
    uploads: arr(j.uploads).map((u): UploadSummary => ({
      key: str(u.key),
      uploadId: str(u.uploadId),
      initiated: parseIsoDate(u.initiated),
      storageClass: typeof u.storageClass === "string" ? u.storageClass : undefined,
    })),
    commonPrefixes: arr(j.commonPrefixes).map((c) => str(c.prefix)),
  };
}
