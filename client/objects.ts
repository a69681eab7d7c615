/**
 * Object operations: PutObject, GetObject, HeadObject, DeleteObject, DeleteMultipleObjects,
 * CopyObject, AppendObject and presigned URLs, each a function over the client's {@link Pipeline},
 * with the option and result types they use.
 *
 * @module
 */
import { BosError } from "../protocol/errors.ts";
import { parseIsoDate, unquote, uriEncode } from "../protocol/encoding.ts";
import { presignUrl as presign } from "../protocol/signing/sign.ts";
import {
  type BodyInput,
  enc,
  type ProgressEvent,
  progressOf,
  setChecksums,
  setContentMd5,
  toRequestBody,
} from "./body.ts";
import { buildUrl } from "./endpoint.ts";
import {
  type ObjectHeaderOptions,
  type ObjectMeta,
  objectMetaFrom,
  type ReadConditions,
  replacesHeaders,
  setCopyConditions,
  setObjectHeaders,
  setReadConditions,
} from "./object_headers.ts";
import type { Pipeline, RequestOptions } from "./pipeline.ts";
import { arr, drain, json, requireExposed, requireHeader, str } from "./_response.ts";
import { checkBucket, checkKey, checkNonNegativeInteger, invalid } from "./_validate.ts";
import { bodyReaders } from "./_bytes.ts";

/**
 * Options of `putObject`.
 */
export interface PutObjectOptions extends RequestOptions, ObjectHeaderOptions {
  /** `true` to compute and send `Content-MD5`, or the base64 MD5 to send. */
  contentMD5?: boolean | string;
  /** `true` to compute and send `x-bce-content-crc32c` (and ask the server to return its own). */
  crc32c?: boolean;
  /** `true` to compute and send `x-bce-content-crc32` (CRC32, IEEE), or the decimal CRC32 to send. */
  crc32?: boolean | string;
  /** Length of a `ReadableStream` body; required to stream it as one PutObject. */
  contentLength?: number;
  /** `If-None-Match` (`*` = only create). */
  ifNoneMatch?: string;
  /** `If-Match`. */
  ifMatch?: string;
  /** Byte-level progress. */
  onProgress?: (event: ProgressEvent) => void;
}

/**
 * Result of `putObject`.
 */
export interface PutObjectResult {
  /** The ETag (MD5 hex of the body), without quotes. */
  etag: string;
  /** `x-bce-content-crc32c` returned by the server, decimal. */
  crc32c?: string;
  /** `x-bce-content-crc32` returned by the server, decimal. */
  crc32?: string;
  /** `x-bce-version-id`, on versioned buckets. */
  versionId?: string;
  /** Request id of the (last) request. */
  requestId?: string;
}

/**
 * Options of `headObject`.
 */
export interface HeadObjectOptions extends RequestOptions, ReadConditions {}

/**
 * A byte range: inclusive `start`, inclusive `end` (omitted = to the end of the object).
 */
export interface ByteRange {
  /** First byte, 0-based. */
  start: number;
  /** Last byte, inclusive; omitted reads to the end. */
  end?: number;
}

/**
 * Response header overrides of GetObject.
 */
export interface ResponseOverrides {
  /** `responseContentType`. */
  contentType?: string;
  /** `responseContentDisposition`. */
  contentDisposition?: string;
  /** `responseContentLanguage`. */
  contentLanguage?: string;
  /** `responseExpires`. */
  expires?: string;
  /** `responseCacheControl`. */
  cacheControl?: string;
  /** `responseContentEncoding`. */
  contentEncoding?: string;
}

/**
 * Options of `getObject`.
 */
export interface GetObjectOptions extends RequestOptions, ReadConditions {
  /** Read only these bytes (206 Partial Content). */
  range?: ByteRange;
  /** Response header overrides. */
  response?: ResponseOverrides;
}

/**
 * Result of `getObject`: the metadata and the body as a stream.
 */
export interface GetObjectResult extends ObjectMeta {
  /** 200 or 206. */
  status: number;
  /** `Content-Range` of a ranged read. */
  contentRange?: { start: number; end: number; total: number };
  /** The body; read it (or cancel it) to release the connection. Read it once, by one of the methods below or as a stream. */
  body: ReadableStream<Uint8Array>;
  /** Reads the whole body. */
  bytes(): Promise<Uint8Array>;
  /** Reads the whole body into an `ArrayBuffer` (as `Response.arrayBuffer()`). */
  arrayBuffer(): Promise<ArrayBuffer>;
  /** Reads the whole body as UTF-8 text. */
  text(): Promise<string>;
  /** Reads the whole body and parses it as JSON. */
  json(): Promise<unknown>;
  /** Reads the whole body into a `Blob` typed with the object's Content-Type. */
  blob(): Promise<Blob>;
}

/**
 * Options of `copyObject`.
 */
export interface CopyObjectOptions extends RequestOptions, ObjectHeaderOptions {
  /** `copy` (default; take metadata from the source) or `replace` (take it from these options). Set to `replace` automatically when `userMeta` or content headers are given. */
  metadataDirective?: "copy" | "replace";
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
 * Result of `copyObject` and `uploadPartCopy`.
 */
export interface CopyObjectResult {
  /** ETag of the new object (or part). */
  etag: string;
  /** Last-Modified of the new object (or part). */
  lastModified?: Date;
  /** Request id. */
  requestId?: string;
}

/**
 * Options of `appendObject`.
 */
export interface AppendObjectOptions extends RequestOptions, ObjectHeaderOptions {
  /** The current length of the object; omitted creates (or replaces) the object. */
  offset?: number;
  /** `true` to compute and send `Content-MD5`, or the base64 MD5 to send. */
  contentMD5?: boolean | string;
}

/**
 * Result of `appendObject`.
 */
export interface AppendObjectResult {
  /** ETag after the append. */
  etag: string;
  /**
   * The offset to pass to the next append (the object's length), from the answer's
   * `x-bce-next-append-offset`; `undefined` when the answer does not carry it (an endpoint that does
   * not send it, or a browser whose bucket CORS rules do not expose it). It is never computed from the
   * request: an append without `offset` lands at the object's end, wherever that was. When it is
   * unknown, `headObject` tells the length; `client.appender` does that by itself.
   */
  nextAppendOffset: number | undefined;
  /** Request id. */
  requestId?: string;
}

/**
 * Options of `deleteObjects`.
 */
export type DeleteObjectsOptions = RequestOptions;

/**
 * Result of `deleteObjects`.
 */
export interface DeleteObjectsResult {
  /** Keys that were deleted. */
  deleted: string[];
  /** Keys that failed, with the BOS code (`NoSuchKey` for missing keys). */
  errors: { key: string; code: string; message: string }[];
}

/**
 * Options of `presignUrl`.
 */
export interface PresignOptions {
  /** HTTP method; default GET. */
  method?: string;
  /** Validity in seconds; default 1800; -1 never expires. */
  expirationInSeconds?: number;
  /** Extra query parameters (e.g. `responseContentDisposition`). */
  query?: Record<string, string>;
  /**
   * Headers the URL's user will send. Those of the default set (`content-type`, `content-length`,
   * `content-md5`, `x-bce-*`) are signed with `host`, as the official SDKs sign presigned URLs.
   */
  headers?: Record<string, string>;
  /** Further names among `headers` to sign (e.g. `range`). */
  headersToSign?: readonly string[];
  /** Signing time; default now. */
  timestamp?: Date;
}

/** The object operations of a {@link BosClient}. */
export interface ObjectOperations {
  /**
   * Uploads an object in one request (PutObject). A `ReadableStream` body is streamed when its
   * `contentLength` is given and the runtime can send streams with a length; otherwise it goes
   * through {@link BosClient.upload} (part-sized buffers, multipart when larger than one part).
   *
   * @param bucket Bucket name.
   * @param key Object key.
   * @param body Bytes, text, a Blob or a byte stream.
   * @param options Content headers, metadata, checksums, conditions, progress, signal.
   * @returns ETag and checksums.
   *
   * @example Put text with metadata and a computed Content-MD5
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const server = await serve();
   * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
   * await client.createBucket("my-bucket");
   * const { etag } = await client.putObject("my-bucket", "notes/hello.txt", "hello", {
   *   contentType: "text/plain",
   *   userMeta: { author: "Zoë" },
   *   contentMD5: true,
   * });
   * assert.equal(etag, "5d41402abc4b2a76b9719d911017c592");
   * await server.close();
   * ```
   */
  putObject(
    bucket: string,
    key: string,
    body: BodyInput,
    options?: PutObjectOptions,
  ): Promise<PutObjectResult>;

  /**
   * Reads an object (GetObject): metadata plus the body as a stream. Transient failures before the
   * response are retried; for a download that also resumes a body that breaks off, use
   * {@link BosClient.download}.
   *
   * @param bucket Bucket name.
   * @param key Object key.
   * @param options Range, conditions, response overrides, signal.
   * @returns Metadata, `body`, and `bytes()` / `text()` helpers.
   *
   * @example Read a range as text
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const server = await serve();
   * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
   * await client.createBucket("my-bucket");
   * await client.putObject("my-bucket", "notes/hello.txt", "hello");
   * const got = await client.getObject("my-bucket", "notes/hello.txt", { range: { start: 0, end: 3 } });
   * assert.equal(await got.text(), "hell");
   * await server.close();
   * ```
   */
  getObject(bucket: string, key: string, options?: GetObjectOptions): Promise<GetObjectResult>;

  /**
   * Reads an object's metadata (HeadObject / GetObjectMeta).
   *
   * @param bucket Bucket name.
   * @param key Object key.
   * @param options Conditions and signal.
   * @returns Typed metadata; fails with `NoSuchKey` (404) — taken from `x-bce-error-code` when the server sends it.
   *
   * @example Read typed metadata
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const server = await serve();
   * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
   * await client.createBucket("my-bucket");
   * await client.putObject("my-bucket", "notes/hello.txt", "hello", { userMeta: { author: "Zoë" } });
   * const meta = await client.headObject("my-bucket", "notes/hello.txt");
   * assert.equal(meta.userMeta.author, "Zoë");
   * assert.equal(meta.contentLength, 5);
   * await server.close();
   * ```
   */
  headObject(bucket: string, key: string, options?: HeadObjectOptions): Promise<ObjectMeta>;

  /**
   * Deletes an object (DeleteObject). BOS answers `NoSuchKey` for a missing key.
   *
   * @param bucket Bucket name.
   * @param key Object key.
   * @param options Signal.
   * @returns Nothing.
   *
   * @example Delete an object
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const server = await serve();
   * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
   * await client.createBucket("my-bucket");
   * await client.putObject("my-bucket", "notes/hello.txt", "hello");
   * await client.deleteObject("my-bucket", "notes/hello.txt");
   * await assert.rejects(client.headObject("my-bucket", "notes/hello.txt"), { code: "NoSuchKey" });
   * await server.close();
   * ```
   */
  deleteObject(bucket: string, key: string, options?: RequestOptions): Promise<void>;

  /**
   * Deletes many objects (DeleteMultipleObjects), in batches of at most 1000 keys; per-key
   * failures (including `NoSuchKey`) are reported, not thrown.
   *
   * @param bucket Bucket name.
   * @param keys Keys to delete.
   * @param options Signal.
   * @returns Deleted keys and per-key errors.
   *
   * @example Delete many objects
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const server = await serve();
   * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
   * await client.createBucket("my-bucket");
   * for (const key of ["a", "b"]) await client.putObject("my-bucket", key, key);
   * const { deleted, errors } = await client.deleteObjects("my-bucket", ["a", "b", "missing"]);
   * assert.deepEqual(errors.map((e) => e.code), ["NoSuchKey"]);
   * assert.equal(deleted.length, 2);
   * await server.close();
   * ```
   */
  deleteObjects(
    bucket: string,
    keys: readonly string[],
    options?: DeleteObjectsOptions,
  ): Promise<DeleteObjectsResult>;

  /**
   * Copies an object (CopyObject), server-side, up to 5 GiB (use {@link BosClient.copyLarge} for
   * larger). A failure reported inside a 200 body is thrown as a `BosError`.
   *
   * @param sourceBucket Source bucket.
   * @param sourceKey Source key.
   * @param bucket Destination bucket.
   * @param key Destination key.
   * @param options Directive, conditions on the source, new headers and metadata, storage class.
   * @returns ETag and Last-Modified of the copy.
   *
   * @example Copy only if the source is unchanged
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const server = await serve();
   * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
   * await client.createBucket("my-bucket");
   * await client.putObject("my-bucket", "a.txt", "hello");
   * const src = await client.headObject("my-bucket", "a.txt");
   * await client.copyObject("my-bucket", "a.txt", "my-bucket", "b.txt", { ifMatch: src.etag });
   * assert.equal(await (await client.getObject("my-bucket", "b.txt")).text(), "hello");
   * await server.close();
   * ```
   */
  copyObject(
    sourceBucket: string,
    sourceKey: string,
    bucket: string,
    key: string,
    options?: CopyObjectOptions,
  ): Promise<CopyObjectResult>;

  /**
   * Appends to an appendable object (AppendObject). Without `offset` it creates (or replaces) the
   * object; with `offset` it must equal the current length (else 409 `OffsetIncorrect`). Appends
   * with an offset are retried (a duplicate is refused by the offset check); creations are not.
   *
   * @param bucket Bucket name.
   * @param key Object key.
   * @param body The bytes to append.
   * @param options Offset, headers (used at creation), Content-MD5, signal.
   * @returns ETag and the next offset (from `x-bce-next-append-offset`; `undefined` when the answer
   *   lacks it, never guessed).
   *
   * @example Create, then append at the returned offset
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const server = await serve();
   * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
   * await client.createBucket("my-bucket");
   * const first = await client.appendObject("my-bucket", "log.txt", "hello ");
   * const next = await client.appendObject("my-bucket", "log.txt", "world", { offset: first.nextAppendOffset });
   * assert.equal(next.nextAppendOffset, 11);
   * await server.close();
   * ```
   */
  appendObject(
    bucket: string,
    key: string,
    body: Uint8Array | string | Blob,
    options?: AppendObjectOptions,
  ): Promise<AppendObjectResult>;

  /**
   * A presigned URL for an object (no request is sent), signed with the client's credentials and
   * corrected clock; the session token, if any, is included.
   *
   * @param bucket Bucket name.
   * @param key Object key.
   * @param options Method, validity, extra query parameters and headers.
   * @returns The URL.
   *
   * @example A presigned GET, computed offline
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import assert from "node:assert/strict";
   *
   * const client = new BosClient({ endpoint: "https://bj.bcebos.com", credentials: { accessKeyId: "ak", secretAccessKey: "sk" } });
   * const url = await client.presignUrl("my-bucket", "a b.txt", { expirationInSeconds: 600 });
   * assert(url.startsWith("https://my-bucket.bj.bcebos.com/a%20b.txt?authorization=bce-auth-v1%2Fak%2F"));
   * ```
   */
  presignUrl(bucket: string, key: string, options?: PresignOptions): Promise<string>;
}

/** Uploads an object in one request (PutObject). A `ReadableStream` body is streamed when its `contentLength` is given and the runtime can send streams with a length; otherwise it goes through {@link BosClient.upload} (part-sized buffers, multipart when larger than one part). */
export async function putObject(
  p: Pipeline,
  bucket: string,
  key: string,
  body: BodyInput,
  options: PutObjectOptions = {},
): Promise<PutObjectResult> {
  checkBucket(bucket);
  checkKey(key, p.profile);
  if (body instanceof ReadableStream && (options.contentLength === undefined || !p.streamingUploads)) {
    // Not sendable as one request here: the upload engine buffers it in parts (loaded on demand).
    const { upload } = await import("./upload/engine.ts");
    const r = await upload(p, bucket, key, body, {
      ...options,
      contentMD5: undefined,
      integrity: options.crc32c ? "crc32c" : options.contentMD5 ? "md5" : "crc32",
      size: options.contentLength,
    });
    return { etag: r.etag, crc32c: r.crc32c, crc32: r.crc32, requestId: r.requestId };
  }
  const headers = new Headers();
  setObjectHeaders(headers, {
    ...options,
    contentType: options.contentType ??
      (body instanceof Blob && body.type ? body.type : "application/octet-stream"),
  }, p.profile);
  const rb = toRequestBody(body, options.contentLength, "putObject", p.streamingUploads);
  if (rb.length > p.profile.maxPutObjectSize) {
    throw invalid(
      `putObject body must be at most ${p.profile.maxPutObjectSize} bytes, got ${rb.length}; use upload() for larger objects`,
      undefined,
      "EntityTooLarge",
    );
  }
  await setChecksums(headers, options, rb);
  if (options.ifMatch !== undefined) headers.set("if-match", options.ifMatch);
  if (options.ifNoneMatch !== undefined) headers.set("if-none-match", options.ifNoneMatch);
  const progress = progressOf(options.onProgress, rb.length);
  const h = await p.send({
    op: "PutObject",
    bucket,
    key,
    headers,
    body: rb,
    signal: options.signal,
    progress,
    parse: drain,
  });
  progress?.position(rb.length);
  return {
    etag: unquote(requireHeader(h, "etag", "PutObject")),
    crc32c: h.get("x-bce-content-crc32c") ?? undefined,
    crc32: h.get("x-bce-content-crc32") ?? undefined,
    versionId: h.get("x-bce-version-id") ?? undefined,
    requestId: h.get("x-bce-request-id") ?? undefined,
  };
}

/** Reads an object (GetObject): metadata plus the body as a stream. Transient failures before the response are retried; for a download that also resumes a body that breaks off, use {@link BosClient.download}. */
export async function getObject(
  p: Pipeline,
  bucket: string,
  key: string,
  options: GetObjectOptions = {},
): Promise<GetObjectResult> {
  checkBucket(bucket);
  checkKey(key, p.profile);
  const headers = new Headers();
  if (options.range) {
    const { start, end } = options.range;
    checkNonNegativeInteger("Range start", start);
    checkNonNegativeInteger("Range end", end);
    if (end !== undefined && end < start) throw invalid(`Range end must be ≥ start, got ${start}-${end}`);
    headers.set("range", `bytes=${start}-${end ?? ""}`);
  }
  setReadConditions(headers, options);
  const o = options.response ?? {};
  const query = {
    responseContentType: o.contentType,
    responseContentDisposition: o.contentDisposition,
    responseContentLanguage: o.contentLanguage,
    responseExpires: o.expires,
    responseCacheControl: o.cacheControl,
    responseContentEncoding: o.contentEncoding,
  };
  return await p.send({
    op: "GetObject",
    bucket,
    key,
    query,
    headers,
    signal: options.signal,
    streaming: true,
    parse: (res, release) => Promise.resolve(getResult(res, release)),
  });
}

/** Reads an object's metadata (HeadObject / GetObjectMeta). */
export async function headObject(
  p: Pipeline,
  bucket: string,
  key: string,
  options: HeadObjectOptions = {},
): Promise<ObjectMeta> {
  checkBucket(bucket);
  checkKey(key, p.profile);
  const headers = new Headers();
  setReadConditions(headers, options);
  const h = await p.send({
    op: "HeadObject",
    bucket,
    key,
    headers,
    signal: options.signal,
    parse: (res) => {
      requireExposed(res, "HeadObject");
      return drain(res);
    },
  });
  return objectMetaFrom(h);
}

/** Deletes an object (DeleteObject). BOS answers `NoSuchKey` for a missing key. */
export async function deleteObject(
  p: Pipeline,
  bucket: string,
  key: string,
  options: RequestOptions = {},
): Promise<void> {
  checkBucket(bucket);
  checkKey(key, p.profile);
  await p.send({
    op: "DeleteObject",
    bucket,
    key,
    signal: options.signal,
    parse: drain,
  });
}

/** Deletes many objects (DeleteMultipleObjects), in batches of at most 1000 keys; per-key failures (including `NoSuchKey`) are reported, not thrown. */
export async function deleteObjects(
  p: Pipeline,
  bucket: string,
  keys: readonly string[],
  options: DeleteObjectsOptions = {},
): Promise<DeleteObjectsResult> {
  checkBucket(bucket);
  for (const k of keys) checkKey(k, p.profile);
  const result: DeleteObjectsResult = { deleted: [], errors: [] };
  const batch = Math.max(1, p.profile.maxDeleteObjects);
  for (let i = 0; i < keys.length; i += batch) {
    const slice = keys.slice(i, i + batch);
    const bytes = enc.encode(JSON.stringify({ objects: slice.map((key) => ({ key })) }));
    const headers = new Headers({ "content-type": "application/json; charset=utf-8" });
    const j = await p.send({
      op: "DeleteMultipleObjects",
      bucket,
      headers,
      body: { bytes, length: bytes.length },
      signal: options.signal,
      parse: json,
    });
    const errs = arr(j.errors ?? (j.deleteResult as Record<string, unknown> | undefined)?.errors);
    const failed = new Set<string>();
    for (const e of errs) {
      const key = str(e.key);
      failed.add(key);
      result.errors.push({ key, code: str(e.code, "InternalError"), message: str(e.message) });
    }
    for (const k of slice) if (!failed.has(k)) result.deleted.push(k);
  }
  return result;
}

/** Copies an object (CopyObject), server-side, up to 5 GiB (use {@link BosClient.copyLarge} for larger). A failure reported inside a 200 body is thrown as a `BosError`. */
export async function copyObject(
  p: Pipeline,
  sourceBucket: string,
  sourceKey: string,
  bucket: string,
  key: string,
  options: CopyObjectOptions = {},
): Promise<CopyObjectResult> {
  checkBucket(sourceBucket);
  checkKey(sourceKey, p.profile);
  checkBucket(bucket);
  checkKey(key, p.profile);
  const headers = new Headers();
  headers.set("x-bce-copy-source", `/${sourceBucket}/${uriEncode(sourceKey, true)}`);
  setObjectHeaders(headers, options, p.profile);
  const directive = options.metadataDirective ?? (replacesHeaders(options) ? "replace" : undefined);
  if (directive !== undefined) {
    if (directive !== "copy" && directive !== "replace") {
      throw invalid(`metadataDirective must be "copy" or "replace", got ${JSON.stringify(directive)}`);
    }
    headers.set("x-bce-metadata-directive", directive);
  }
  setCopyConditions(headers, options);
  const j = await p.send({
    op: "CopyObject",
    bucket,
    key,
    headers,
    signal: options.signal,
    parse: json,
  });
  return { etag: unquote(str(j.eTag ?? j.etag)), lastModified: parseIsoDate(j.lastModified) };
}

/** Appends to an appendable object (AppendObject). Without `offset` it creates (or replaces) the object; with `offset` it must equal the current length (else 409 `OffsetIncorrect`). Appends with an offset are retried (a duplicate is refused by the offset check); creations are not. */
export async function appendObject(
  p: Pipeline,
  bucket: string,
  key: string,
  body: Uint8Array | string | Blob,
  options: AppendObjectOptions = {},
): Promise<AppendObjectResult> {
  checkBucket(bucket);
  checkKey(key, p.profile);
  checkNonNegativeInteger("Append offset", options.offset);
  const rb = toRequestBody(body, undefined, "appendObject", p.streamingUploads);
  if (rb.length > p.profile.maxAppendSize) {
    throw invalid(
      `Append body must be at most ${p.profile.maxAppendSize} bytes, got ${rb.length}`,
      undefined,
      "EntityTooLarge",
    );
  }
  const headers = new Headers();
  setObjectHeaders(
    headers,
    { ...options, contentType: options.contentType ?? "application/octet-stream" },
    p.profile,
  );
  await setContentMd5(headers, options.contentMD5, rb);
  const h = await p.send({
    op: "AppendObject",
    bucket,
    key,
    query: { offset: options.offset },
    headers,
    body: rb,
    idempotent: options.offset !== undefined,
    signal: options.signal,
    parse: drain,
  });
  return {
    etag: unquote(requireHeader(h, "etag", "AppendObject")),
    nextAppendOffset: nextAppendOffsetOf(h),
    requestId: h.get("x-bce-request-id") ?? undefined,
  };
}

/** `x-bce-next-append-offset` as a number; `undefined` when absent or not a non-negative integer. */
function nextAppendOffsetOf(h: Headers): number | undefined {
  const text = h.get("x-bce-next-append-offset")?.trim();
  return text && /^\d+$/.test(text) ? Number(text) : undefined;
}

/** A presigned URL for an object (no request is sent), signed with the client's credentials and corrected clock; the session token, if any, is included. */
export async function presignUrl(
  p: Pipeline,
  bucket: string,
  key: string,
  options: PresignOptions = {},
): Promise<string> {
  checkBucket(bucket);
  checkKey(key, p.profile);
  const { url } = buildUrl(p.ep, bucket, key, options.query);
  return await presign({
    accessKeyId: p.credentials.accessKeyId,
    secretAccessKey: p.credentials.secretAccessKey,
    sessionToken: p.credentials.sessionToken,
    method: options.method ?? "GET",
    url,
    timestamp: options.timestamp ?? p.signingTime(),
    expirationInSeconds: options.expirationInSeconds,
    headers: options.headers,
    headersToSign: options.headersToSign,
  });
}

function getResult(res: Response, release: () => void): GetObjectResult {
  try {
    requireExposed(res, "GetObject");
  } catch (e) {
    res.body?.cancel().catch(() => {});
    release();
    throw e;
  }
  const meta = objectMetaFrom(res.headers);
  if (!res.body) release();
  const body = res.body
    ? guardBody(res.body, release)
    : new ReadableStream<Uint8Array>({ start: (c) => c.close() });
  let contentRange: GetObjectResult["contentRange"];
  const cr = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(res.headers.get("content-range") ?? "");
  if (cr) contentRange = { start: Number(cr[1]), end: Number(cr[2]), total: Number(cr[3]) };
  return {
    ...meta,
    status: res.status,
    contentRange,
    ...bodyReaders(body, meta.contentType),
  };
}

/** The response body with read failures turned into `BosError`s (`NetworkError`, or `Aborted`). */
function guardBody(source: ReadableStream<Uint8Array>, release: () => void): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          release();
          controller.close();
        } else controller.enqueue(value);
      } catch (cause) {
        release();
        if (cause instanceof BosError) throw cause;
        const aborted = cause instanceof Error && cause.name === "AbortError";
        throw new BosError({
          status: 0,
          code: aborted ? "Aborted" : "NetworkError",
          message: aborted
            ? "Reading the object body was aborted"
            : `The object body broke off: ${cause instanceof Error ? cause.message : cause}`,
          cause,
        });
      }
    },
    cancel(reason) {
      release();
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
}
