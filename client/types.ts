/**
 * Option and result types of {@link BosClient} operations.
 *
 * @module
 */
import type { BosProfile, StorageClass } from "./limits.ts";
import type { RetryOptions } from "./retry.ts";

/**
 * Access key pair, with the session token of temporary (STS) credentials.
 *
 * @example The local test keys are accepted, an unknown key is refused
 * ```ts
 * import { BosClient, type Credentials } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const local: Credentials = { ...LOCAL_CREDENTIALS };
 * assert.deepEqual(
 *   (await new BosClient({ endpoint: server.url, credentials: local }).listBuckets()).buckets,
 *   [],
 * );
 * const stranger: Credentials = { accessKeyId: "nobody", secretAccessKey: "secret" };
 * const client = new BosClient({ endpoint: server.url, credentials: stranger });
 * await assert.rejects(client.listBuckets(), { code: "InvalidAccessKeyId" });
 * await server.close();
 * ```
 */
export interface Credentials {
  /** Access key id (AK). */
  accessKeyId: string;
  /** Secret access key (SK). */
  secretAccessKey: string;
  /** STS session token, sent as `x-bce-security-token`. */
  sessionToken?: string;
}

/**
 * URL form: `https://<endpoint>/<bucket>/<key>` or `https://<bucket>.<endpoint>/<key>`.
 *
 * @example
 * ```ts
 * import { type Addressing, BosClient } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * const credentials = { accessKeyId: "ak", secretAccessKey: "sk" };
 * const virtual = new BosClient({ endpoint: "https://bj.bcebos.com", credentials });
 * assert.equal(new URL(await virtual.presignUrl("my-bucket", "a.txt")).host, "my-bucket.bj.bcebos.com");
 * const addressing: Addressing = "path";
 * const path = new BosClient({ endpoint: "https://bj.bcebos.com", credentials, addressing });
 * assert.equal(new URL(await path.presignUrl("my-bucket", "a.txt")).pathname, "/my-bucket/a.txt");
 * ```
 */
export type Addressing = "path" | "virtual-host";

/**
 * A `fetch`-compatible function.
 *
 * @example In-process: requests go to the reference server's handler, no socket
 * ```ts
 * import { BosClient, type FetchLike } from "@boskit/boskit";
 * import { createHandler, LOCAL_CREDENTIALS } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const handler = createHandler();
 * const seen: string[] = [];
 * const inProcess: FetchLike = (input, init) => {
 *   const request = new Request(input, init);
 *   seen.push(`${request.method} ${new URL(request.url).pathname}`);
 *   return handler(request);
 * };
 * const client = new BosClient({
 *   endpoint: "http://127.0.0.1",
 *   credentials: LOCAL_CREDENTIALS,
 *   fetch: inProcess,
 * });
 * await client.createBucket("my-bucket");
 * assert.deepEqual(seen, ["PUT /my-bucket"]);
 * await handler.close();
 * ```
 */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * Options of the {@link BosClient} constructor.
 *
 * @example
 * ```ts
 * import { BosClient, type BosClientOptions, makeProfile, MiB } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * const options: BosClientOptions = {
 *   endpoint: "gz.bcebos.com",
 *   credentials: { accessKeyId: "ak", secretAccessKey: "sk" },
 *   retry: { maxAttempts: 6 },
 *   timeoutMs: 30_000,
 *   profile: makeProfile({ minPartSize: 5 * MiB }),
 * };
 * const client = new BosClient(options);
 * assert.equal(client.endpoint.host, "gz.bcebos.com");
 * assert.equal(client.endpoint.region, "gz");
 * assert.equal(client.profile.minPartSize, 5 * MiB);
 * ```
 */
export interface BosClientOptions {
  /**
   * The service endpoint: `https://bj.bcebos.com`, `bj.bcebos.com` (https is assumed when no scheme
   * is given) or `http://127.0.0.1:8080` (plain http must be written out, even for localhost).
   */
  endpoint: string;
  /** The credentials every request is signed with. */
  credentials: Credentials;
  /** Region code (`bj`, `gz`, …); informational, taken from a `<region>.bcebos.com` endpoint when omitted. */
  region?: string;
  /** URL form; default `virtual-host` for `<region>.bcebos.com` endpoints and `path` for everything else. */
  addressing?: Addressing;
  /** Retry policy for transient failures. */
  retry?: RetryOptions;
  /** Timeout of one attempt (until the response headers, and for buffered responses the whole body), in ms; default 120000. */
  timeoutMs?: number;
  /** The `fetch` to use (for instrumentation or a custom agent); default the global `fetch`. */
  fetch?: FetchLike;
  /** The limits to validate against before sending; default `DEFAULT_PROFILE`. */
  profile?: Readonly<BosProfile>;
  /** The clock used to sign requests; default `() => new Date()`. */
  now?: () => Date;
  /**
   * Whether request bodies may be sent as streams with an explicit `Content-Length` (needed for
   * byte-level upload progress). Default: detected — `true` on Node and Bun; on Deno `true` too,
   * streamed bodies then going through `node:http` because Deno's `fetch` drops `Content-Length`
   * from streamed bodies and sends them chunked — unless a custom `fetch` is given, in which case
   * `false`.
   */
  streamingUploads?: boolean;
}

/**
 * A request body: bytes, text (sent as UTF-8), a `Blob` (or `File`), or a byte stream.
 *
 * @example Every kind of body, uploaded
 * ```ts
 * import { type BodyInput, BosClient } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * const bodies: BodyInput[] = [
 *   "text",
 *   new TextEncoder().encode("bytes"),
 *   new Blob(["blob"]),
 *   new Blob(["stream"]).stream(),
 * ];
 * for (const [i, body] of bodies.entries()) await client.upload("my-bucket", `body-${i}`, body);
 * assert.equal(await (await client.getObject("my-bucket", "body-3")).text(), "stream");
 * await server.close();
 * ```
 */
export type BodyInput = Uint8Array | string | Blob | ReadableStream<Uint8Array>;

/**
 * Options every operation accepts.
 *
 * @example Cancelling with an AbortSignal
 * ```ts
 * import { BosClient, type RequestOptions } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * const client = new BosClient({
 *   endpoint: "http://127.0.0.1:9",
 *   credentials: { accessKeyId: "ak", secretAccessKey: "sk" },
 * });
 * const options: RequestOptions = { signal: AbortSignal.abort() };
 * await assert.rejects(client.listBuckets(options), { code: "Aborted" });
 * ```
 */
export interface RequestOptions {
  /** Cancels the operation; the promise rejects with a `BosError` of code `Aborted`. */
  signal?: AbortSignal;
}

/**
 * Progress of an upload, in bytes sent.
 *
 * @example
 * ```ts
 * import { BosClient, type ProgressEvent } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * const events: ProgressEvent[] = [];
 * await client.putObject("my-bucket", "zeros.bin", new Uint8Array(64 * 1024), {
 *   onProgress: (e) => events.push(e),
 * });
 * assert.equal(events.reduce((sum, e) => sum + e.increment, 0), 64 * 1024);
 * assert.deepEqual(events.at(-1), {
 *   increment: events.at(-1)?.increment,
 *   transferred: 64 * 1024,
 *   total: 64 * 1024,
 * });
 * await server.close();
 * ```
 */
export interface ProgressEvent {
  /** Bytes added since the previous event (> 0). */
  increment: number;
  /** Bytes sent so far (monotonic; retried bytes are counted once). */
  transferred: number;
  /** Total bytes, when known. */
  total?: number;
}

/**
 * Headers stored with an object (used by put, append, initiate, copy with `replace`).
 *
 * @example
 * ```ts
 * import { BosClient, type ObjectHeaderOptions } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * const headers: ObjectHeaderOptions = {
 *   contentType: "text/csv",
 *   contentDisposition: 'attachment; filename="report.csv"',
 *   cacheControl: "no-cache",
 *   userMeta: { author: "Zoë" },
 *   storageClass: "STANDARD_IA",
 * };
 * await client.putObject("my-bucket", "report.csv", "a,b\n1,2\n", headers);
 * const meta = await client.headObject("my-bucket", "report.csv");
 * assert.equal(meta.contentType, "text/csv");
 * assert.equal(meta.contentDisposition, 'attachment; filename="report.csv"');
 * assert.equal(meta.userMeta.author, "Zoë");
 * assert.equal(meta.storageClass, "STANDARD_IA");
 * await server.close();
 * ```
 */
export interface ObjectHeaderOptions {
  /** `Content-Type`; default `application/octet-stream` for uploads. */
  contentType?: string;
  /** `Content-Disposition` (UTF-8 text allowed). */
  contentDisposition?: string;
  /** `Cache-Control`. */
  cacheControl?: string;
  /** `Content-Encoding`. */
  contentEncoding?: string;
  /** `Expires`: a date or the header text. */
  expires?: Date | string;
  /** User metadata: names (without `x-bce-meta-`, case-insensitive) to UTF-8 text values. */
  userMeta?: Record<string, string>;
  /** Storage class; default the bucket's (STANDARD). */
  storageClass?: StorageClass;
}

/**
 * Options of `putObject`.
 *
 * @example Create only, with a checked Content-MD5
 * ```ts
 * import { BosClient, type PutObjectOptions } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * const options: PutObjectOptions = { contentType: "text/plain", contentMD5: true, ifNoneMatch: "*" };
 * await client.putObject("my-bucket", "once.txt", "first", options);
 * await assert.rejects(client.putObject("my-bucket", "once.txt", "second", options), { status: 412 });
 * assert.equal(await (await client.getObject("my-bucket", "once.txt")).text(), "first");
 * await server.close();
 * ```
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
 *
 * @example
 * ```ts
 * import { BosClient, type PutObjectResult } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * const result: PutObjectResult = await client.putObject("my-bucket", "hello.txt", "hello", {
 *   crc32c: true,
 * });
 * assert.equal(result.etag, "5d41402abc4b2a76b9719d911017c592"); // MD5 of "hello"
 * assert.equal(result.crc32c, "2591144780"); // CRC32C of "hello", decimal
 * assert(result.requestId);
 * await server.close();
 * ```
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
 * Object metadata from HEAD or GET.
 *
 * @example
 * ```ts
 * import { BosClient, type ObjectMeta } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * await client.putObject("my-bucket", "a.txt", "hello", {
 *   contentType: "text/plain",
 *   userMeta: { Color: "blue" },
 * });
 * const meta: ObjectMeta = await client.headObject("my-bucket", "a.txt");
 * assert.equal(meta.contentLength, 5);
 * assert.equal(meta.etag, "5d41402abc4b2a76b9719d911017c592");
 * assert.equal(meta.storageClass, "STANDARD");
 * assert.deepEqual(meta.userMeta, { color: "blue" });
 * assert(meta.lastModified instanceof Date);
 * await server.close();
 * ```
 */
export interface ObjectMeta {
  /** `Content-Length` of the response (the whole object for HEAD and full GETs). */
  contentLength: number;
  /** `Content-Type`. */
  contentType?: string;
  /** ETag without quotes. */
  etag: string;
  /** `Last-Modified`. */
  lastModified?: Date;
  /** `x-bce-storage-class` (STANDARD when absent). */
  storageClass: string;
  /** `x-bce-object-type`: `Normal`, `Appendable`, … */
  objectType?: string;
  /** `x-bce-next-append-offset` of appendable objects. */
  nextAppendOffset?: number;
  /** User metadata: lower-case names (without `x-bce-meta-`) to UTF-8 text. */
  userMeta: Record<string, string>;
  /** `Content-MD5` (base64 of the whole object), when the server knows it. */
  contentMD5?: string;
  /** `Content-Disposition` as UTF-8 text. */
  contentDisposition?: string;
  /** `Content-Encoding`. */
  contentEncoding?: string;
  /** `Cache-Control`. */
  cacheControl?: string;
  /** `Expires` header text. */
  expires?: string;
  /** `x-bce-content-crc32`, decimal. */
  crc32?: string;
  /** `x-bce-content-crc32c`, decimal. */
  crc32c?: string;
  /** `x-bce-version-id`. */
  versionId?: string;
  /** `x-bce-request-id`. */
  requestId?: string;
}

/**
 * Conditions on the object for GET / HEAD.
 *
 * @example A cached copy is still current
 * ```ts
 * import { BosClient, type ReadConditions } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * const { etag } = await client.putObject("my-bucket", "a.txt", "v1");
 * const conditions: ReadConditions = { ifNoneMatch: etag };
 * await assert.rejects(client.getObject("my-bucket", "a.txt", conditions), { status: 304 });
 * await client.putObject("my-bucket", "a.txt", "v2");
 * assert.equal(await (await client.getObject("my-bucket", "a.txt", conditions)).text(), "v2");
 * await server.close();
 * ```
 */
export interface ReadConditions {
  /** `If-Match`: the ETag the object must have. */
  ifMatch?: string;
  /** `If-None-Match`: fail with 304 `NotModified` when the ETag equals. */
  ifNoneMatch?: string;
  /** `If-Modified-Since`. */
  ifModifiedSince?: Date;
  /** `If-Unmodified-Since`. */
  ifUnmodifiedSince?: Date;
}

/**
 * Options of `headObject`.
 *
 * @example
 * ```ts
 * import { BosClient, type HeadObjectOptions } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * const { etag } = await client.putObject("my-bucket", "a.txt", "hello");
 * const options: HeadObjectOptions = { ifMatch: etag };
 * assert.equal((await client.headObject("my-bucket", "a.txt", options)).etag, etag);
 * await assert.rejects(client.headObject("my-bucket", "a.txt", { ifMatch: "0".repeat(32) }), {
 *   status: 412,
 * });
 * await server.close();
 * ```
 */
export interface HeadObjectOptions extends RequestOptions, ReadConditions {}

/**
 * A byte range: inclusive `start`, inclusive `end` (omitted = to the end of the object).
 *
 * @example
 * ```ts
 * import { BosClient, type ByteRange } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * await client.putObject("my-bucket", "abc.txt", "abcdef");
 * const middle: ByteRange = { start: 2, end: 3 };
 * assert.equal(await (await client.getObject("my-bucket", "abc.txt", { range: middle })).text(), "cd");
 * const tail: ByteRange = { start: 4 };
 * assert.equal(await (await client.getObject("my-bucket", "abc.txt", { range: tail })).text(), "ef");
 * await server.close();
 * ```
 */
export interface ByteRange {
  /** First byte, 0-based. */
  start: number;
  /** Last byte, inclusive; omitted reads to the end. */
  end?: number;
}

/**
 * Response header overrides of GetObject.
 *
 * @example Serve a stored CSV as a download
 * ```ts
 * import { BosClient, type ResponseOverrides } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * await client.putObject("my-bucket", "report.csv", "a,b\n", { contentType: "text/csv" });
 * const response: ResponseOverrides = {
 *   contentType: "application/octet-stream",
 *   contentDisposition: 'attachment; filename="r.csv"',
 * };
 * const got = await client.getObject("my-bucket", "report.csv", { response });
 * assert.equal(got.contentType, "application/octet-stream");
 * assert.equal(got.contentDisposition, 'attachment; filename="r.csv"');
 * await got.body.cancel();
 * await server.close();
 * ```
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
 *
 * @example
 * ```ts
 * import { BosClient, type GetObjectOptions } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * const { etag } = await client.putObject("my-bucket", "a.txt", "hello world");
 * const options: GetObjectOptions = { range: { start: 6 }, ifMatch: etag };
 * assert.equal(await (await client.getObject("my-bucket", "a.txt", options)).text(), "world");
 * await server.close();
 * ```
 */
export interface GetObjectOptions extends RequestOptions, ReadConditions {
  /** Read only these bytes (206 Partial Content). */
  range?: ByteRange;
  /** Response header overrides. */
  response?: ResponseOverrides;
}

/**
 * Result of `getObject`: the metadata and the body as a stream.
 *
 * @example
 * ```ts
 * import { BosClient, type GetObjectResult } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * await client.putObject("my-bucket", "a.txt", "hello world");
 * const result: GetObjectResult = await client.getObject("my-bucket", "a.txt", {
 *   range: { start: 0, end: 4 },
 * });
 * assert.equal(result.status, 206);
 * assert.deepEqual(result.contentRange, { start: 0, end: 4, total: 11 });
 * assert.equal(await result.text(), "hello");
 * let length = 0;
 * for await (const chunk of (await client.getObject("my-bucket", "a.txt")).body) length += chunk.length;
 * assert.equal(length, 11);
 * await server.close();
 * ```
 */
export interface GetObjectResult extends ObjectMeta {
  /** 200 or 206. */
  status: number;
  /** `Content-Range` of a ranged read. */
  contentRange?: { start: number; end: number; total: number };
  /** The body; read it (or cancel it) to release the connection. */
  body: ReadableStream<Uint8Array>;
  /** Reads the whole body. */
  bytes(): Promise<Uint8Array>;
  /** Reads the whole body as UTF-8 text. */
  text(): Promise<string>;
}

/**
 * Options of `copyObject`.
 *
 * @example New metadata on the copy
 * ```ts
 * import { BosClient, type CopyObjectOptions } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * await client.putObject("my-bucket", "a.txt", "hello", { userMeta: { version: "1" } });
 * const options: CopyObjectOptions = { userMeta: { version: "2" } }; // implies metadataDirective "replace"
 * await client.copyObject("my-bucket", "a.txt", "my-bucket", "b.txt", options);
 * assert.deepEqual((await client.headObject("my-bucket", "b.txt")).userMeta, { version: "2" });
 * await server.close();
 * ```
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
 *
 * @example
 * ```ts
 * import { BosClient, type CopyObjectResult } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * const { etag } = await client.putObject("my-bucket", "a.txt", "hello");
 * const copy: CopyObjectResult = await client.copyObject("my-bucket", "a.txt", "my-bucket", "b.txt");
 * assert.equal(copy.etag, etag);
 * assert(copy.lastModified instanceof Date);
 * await server.close();
 * ```
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
 *
 * @example
 * ```ts
 * import { type AppendObjectOptions, BosClient } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * const first = await client.appendObject("my-bucket", "log.txt", "one\n", { contentType: "text/plain" });
 * const options: AppendObjectOptions = { offset: first.nextAppendOffset };
 * await client.appendObject("my-bucket", "log.txt", "two\n", options);
 * await assert.rejects(client.appendObject("my-bucket", "log.txt", "x", { offset: 0 }), {
 *   code: "OffsetIncorrect",
 * });
 * assert.equal(await (await client.getObject("my-bucket", "log.txt")).text(), "one\ntwo\n");
 * await server.close();
 * ```
 */
export interface AppendObjectOptions extends RequestOptions, ObjectHeaderOptions {
  /** The current length of the object; omitted creates (or replaces) the object. */
  offset?: number;
  /** `true` to compute and send `Content-MD5`, or the base64 MD5 to send. */
  contentMD5?: boolean | string;
}

/**
 * Result of `appendObject`.
 *
 * @example
 * ```ts
 * import { BosClient, type AppendObjectResult } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * const r: AppendObjectResult = await client.appendObject("my-bucket", "log.txt", "hello");
 * assert.equal(r.nextAppendOffset, 5);
 * const next = await client.appendObject("my-bucket", "log.txt", " world", { offset: r.nextAppendOffset });
 * assert.equal(next.nextAppendOffset, 11);
 * await server.close();
 * ```
 */
export interface AppendObjectResult {
  /** ETag after the append. */
  etag: string;
  /** The offset to pass to the next append (the object length). */
  nextAppendOffset: number;
  /** Request id. */
  requestId?: string;
}

/**
 * Options of `deleteObjects`.
 *
 * @example
 * ```ts
 * import { BosClient, type DeleteObjectsOptions } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * await client.putObject("my-bucket", "a.txt", "a");
 * const options: DeleteObjectsOptions = { signal: new AbortController().signal };
 * assert.deepEqual((await client.deleteObjects("my-bucket", ["a.txt"], options)).deleted, ["a.txt"]);
 * await server.close();
 * ```
 */
export type DeleteObjectsOptions = RequestOptions;

/**
 * Result of `deleteObjects`.
 *
 * @example A missing key is reported, not thrown
 * ```ts
 * import { BosClient, type DeleteObjectsResult } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * await client.putObject("my-bucket", "a.txt", "a");
 * const result: DeleteObjectsResult = await client.deleteObjects("my-bucket", ["a.txt", "missing.txt"]);
 * assert.deepEqual(result.deleted, ["a.txt"]);
 * assert.deepEqual(result.errors.map((e) => [e.key, e.code]), [["missing.txt", "NoSuchKey"]]);
 * await server.close();
 * ```
 */
export interface DeleteObjectsResult {
  /** Keys that were deleted. */
  deleted: string[];
  /** Keys that failed, with the BOS code (`NoSuchKey` for missing keys). */
  errors: { key: string; code: string; message: string }[];
}

/**
 * Options of `presignUrl`.
 *
 * @example A link that downloads as an attachment
 * ```ts
 * import { BosClient, type PresignOptions } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * await client.putObject("my-bucket", "a.txt", "hello");
 * const options: PresignOptions = {
 *   expirationInSeconds: 60,
 *   query: { responseContentDisposition: "attachment" },
 * };
 * const res = await fetch(await client.presignUrl("my-bucket", "a.txt", options));
 * assert.equal(res.headers.get("content-disposition"), "attachment");
 * assert.equal(await res.text(), "hello");
 * await server.close();
 * ```
 */
export interface PresignOptions {
  /** HTTP method; default GET. */
  method?: string;
  /** Validity in seconds; default 1800; -1 never expires. */
  expirationInSeconds?: number;
  /** Extra query parameters (e.g. `responseContentDisposition`). */
  query?: Record<string, string>;
  /** Headers the URL's user will send (signed). */
  headers?: Record<string, string>;
  /** Signing time; default now. */
  timestamp?: Date;
}

/**
 * An entry of ListBuckets.
 *
 * @example
 * ```ts
 * import { BosClient, type BucketSummary } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * const [bucket]: BucketSummary[] = (await client.listBuckets()).buckets;
 * assert.equal(bucket.name, "my-bucket");
 * assert.equal(bucket.location, "bj");
 * assert(bucket.creationDate instanceof Date);
 * await server.close();
 * ```
 */
export interface BucketSummary {
  /** Bucket name. */
  name: string;
  /** Region code. */
  location: string;
  /** Creation time. */
  creationDate: Date;
  /** Multi-AZ bucket. */
  enableMultiAz?: boolean;
}

/**
 * Result of `listBuckets`.
 *
 * @example
 * ```ts
 * import { BosClient, type ListBucketsResult } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * await client.createBucket("another-bucket");
 * const result: ListBucketsResult = await client.listBuckets();
 * assert.deepEqual(result.buckets.map((b) => b.name), ["another-bucket", "my-bucket"]);
 * await server.close();
 * ```
 */
export interface ListBucketsResult {
  /** The account. */
  owner?: { id: string; displayName: string };
  /** The buckets. */
  buckets: BucketSummary[];
}

/**
 * Options of `createBucket`.
 *
 * @example
 * ```ts
 * import { BosClient, type CreateBucketOptions } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * const options: CreateBucketOptions = { enableMultiAz: true };
 * const { location } = await client.createBucket("my-bucket", options);
 * assert.equal(location, "bj");
 * await server.close();
 * ```
 */
export interface CreateBucketOptions extends RequestOptions {
  /** Create a multi-AZ bucket. */
  enableMultiAz?: boolean;
}

/**
 * Options of `listObjects`.
 *
 * @example One level of a key hierarchy, two entries per page
 * ```ts
 * import { BosClient, type ListObjectsOptions } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * for (const key of ["a/1", "a/2", "b/1", "c"]) await client.putObject("my-bucket", key, "");
 * const options: ListObjectsOptions = { delimiter: "/", maxKeys: 2 };
 * const page = await client.listObjects("my-bucket", options);
 * assert.deepEqual(page.commonPrefixes, ["a/", "b/"]);
 * assert.equal(page.isTruncated, true);
 * const rest = await client.listObjects("my-bucket", { ...options, marker: page.nextMarker });
 * assert.deepEqual(rest.contents.map((o) => o.key), ["c"]);
 * await server.close();
 * ```
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
 *
 * @example
 * ```ts
 * import { BosClient, type ObjectSummary } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * await client.putObject("my-bucket", "hello.txt", "hello");
 * const [summary]: ObjectSummary[] = (await client.listObjects("my-bucket")).contents;
 * assert.equal(summary.key, "hello.txt");
 * assert.equal(summary.size, 5);
 * assert.equal(summary.etag, "5d41402abc4b2a76b9719d911017c592");
 * assert.equal(summary.storageClass, "STANDARD");
 * await server.close();
 * ```
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
 *
 * @example Following the marker by hand
 * ```ts
 * import { BosClient, type ListObjectsResult } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * for (const key of ["a", "b", "c"]) await client.putObject("my-bucket", key, key);
 * const first: ListObjectsResult = await client.listObjects("my-bucket", { maxKeys: 2 });
 * assert.deepEqual(first.contents.map((o) => o.key), ["a", "b"]);
 * assert(first.isTruncated);
 * const second = await client.listObjects("my-bucket", { marker: first.nextMarker });
 * assert.deepEqual(second.contents.map((o) => o.key), ["c"]);
 * assert(!second.isTruncated);
 * await server.close();
 * ```
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
 * An entry yielded by `listAllEntries`: an object, or a common prefix.
 *
 * @example
 * ```ts
 * import { BosClient, type ListEntry } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * for (const key of ["docs/a.md", "docs/b.md", "readme.md"]) await client.putObject("my-bucket", key, "");
 * const names: string[] = [];
 * for await (const entry of client.listAllEntries("my-bucket", { delimiter: "/" })) {
 *   const e: ListEntry = entry;
 *   names.push(e.kind === "prefix" ? e.prefix : e.key);
 * }
 * assert.deepEqual(names.sort(), ["docs/", "readme.md"]);
 * await server.close();
 * ```
 */
export type ListEntry = ({ kind: "object" } & ObjectSummary) | { kind: "prefix"; prefix: string };

/**
 * Options of `initiateMultipartUpload`.
 *
 * @example Headers and metadata of the final object are given up front
 * ```ts
 * import { BosClient, type InitiateMultipartUploadOptions } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * const options: InitiateMultipartUploadOptions = {
 *   contentType: "application/x-tar",
 *   userMeta: { source: "backup" },
 * };
 * const { uploadId } = await client.initiateMultipartUpload("my-bucket", "backup.tar", options);
 * const part = await client.uploadPart("my-bucket", "backup.tar", uploadId, 1, "tar bytes");
 * await client.completeMultipartUpload("my-bucket", "backup.tar", uploadId, [part]);
 * const meta = await client.headObject("my-bucket", "backup.tar");
 * assert.equal(meta.contentType, "application/x-tar");
 * assert.equal(meta.userMeta.source, "backup");
 * await server.close();
 * ```
 */
export interface InitiateMultipartUploadOptions extends RequestOptions, ObjectHeaderOptions {}

/**
 * Result of `initiateMultipartUpload`.
 *
 * @example
 * ```ts
 * import { BosClient, type InitiateMultipartUploadResult } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * const upload: InitiateMultipartUploadResult = await client.initiateMultipartUpload("my-bucket", "big.bin");
 * assert.equal(upload.bucket, "my-bucket");
 * assert.equal(upload.key, "big.bin");
 * assert(upload.uploadId.length > 0);
 * await client.abortMultipartUpload("my-bucket", "big.bin", upload.uploadId);
 * await server.close();
 * ```
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
 *
 * @example
 * ```ts
 * import { BosClient, type UploadPartOptions } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * const { uploadId } = await client.initiateMultipartUpload("my-bucket", "big.bin");
 * let sent = 0;
 * const options: UploadPartOptions = {
 *   contentMD5: true,
 *   crc32c: true,
 *   onProgress: (e) => (sent = e.transferred),
 * };
 * const part = await client.uploadPart("my-bucket", "big.bin", uploadId, 1, new Uint8Array(1024), options);
 * assert.equal(sent, 1024);
 * assert.equal(part.partNumber, 1);
 * await client.abortMultipartUpload("my-bucket", "big.bin", uploadId);
 * await server.close();
 * ```
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
 *
 * @example
 * ```ts
 * import { BosClient, type UploadPartResult } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * const { uploadId } = await client.initiateMultipartUpload("my-bucket", "big.bin");
 * const part: UploadPartResult = await client.uploadPart("my-bucket", "big.bin", uploadId, 1, "hello");
 * assert.equal(part.partNumber, 1);
 * assert.equal(part.etag, "5d41402abc4b2a76b9719d911017c592"); // MD5 of the part
 * await client.abortMultipartUpload("my-bucket", "big.bin", uploadId);
 * await server.close();
 * ```
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
 *
 * @example A part copied from a byte range of another object
 * ```ts
 * import { BosClient, type UploadPartCopyOptions } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * await client.putObject("my-bucket", "source.txt", "hello world");
 * const { uploadId } = await client.initiateMultipartUpload("my-bucket", "world.txt");
 * const options: UploadPartCopyOptions = { range: { start: 6, end: 10 } };
 * const { etag } = await client.uploadPartCopy(
 *   "my-bucket",
 *   "source.txt",
 *   "my-bucket",
 *   "world.txt",
 *   uploadId,
 *   1,
 *   options,
 * );
 * await client.completeMultipartUpload("my-bucket", "world.txt", uploadId, [{ partNumber: 1, etag }]);
 * assert.equal(await (await client.getObject("my-bucket", "world.txt")).text(), "world");
 * await server.close();
 * ```
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
 *
 * @example
 * ```ts
 * import { BosClient, type CompletedPart } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * const { uploadId } = await client.initiateMultipartUpload("my-bucket", "big.bin");
 * const parts: CompletedPart[] = [
 *   // Every part but the last must have at least the minimum part size (100 KiB).
 *   await client.uploadPart("my-bucket", "big.bin", uploadId, 1, new Uint8Array(100 * 1024)),
 *   await client.uploadPart("my-bucket", "big.bin", uploadId, 2, "tail"),
 * ];
 * await client.completeMultipartUpload("my-bucket", "big.bin", uploadId, parts);
 * assert.equal((await client.headObject("my-bucket", "big.bin")).contentLength, 100 * 1024 + 4);
 * await server.close();
 * ```
 */
export interface CompletedPart {
  /** Part number. */
  partNumber: number;
  /** ETag from UploadPart. */
  etag: string;
}

/**
 * Options of `completeMultipartUpload`.
 *
 * @example
 * ```ts
 * import { BosClient, type CompleteMultipartUploadOptions } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * const { uploadId } = await client.initiateMultipartUpload("my-bucket", "big.bin");
 * const part = await client.uploadPart("my-bucket", "big.bin", uploadId, 1, "hello");
 * const options: CompleteMultipartUploadOptions = { userMeta: { parts: "1" }, ifNoneMatch: "*" };
 * await client.completeMultipartUpload("my-bucket", "big.bin", uploadId, [part], options);
 * assert.equal((await client.headObject("my-bucket", "big.bin")).userMeta.parts, "1");
 * await server.close();
 * ```
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
 *
 * @example
 * ```ts
 * import { BosClient, type CompleteMultipartUploadResult } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * const { uploadId } = await client.initiateMultipartUpload("my-bucket", "big.bin");
 * const part = await client.uploadPart("my-bucket", "big.bin", uploadId, 1, "hello");
 * const result: CompleteMultipartUploadResult = await client.completeMultipartUpload(
 *   "my-bucket",
 *   "big.bin",
 *   uploadId,
 *   [part],
 * );
 * assert.equal(result.key, "big.bin");
 * assert.equal(result.etag, (await client.headObject("my-bucket", "big.bin")).etag);
 * await server.close();
 * ```
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
 *
 * @example
 * ```ts
 * import { BosClient, type ListPartsOptions } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * const { uploadId } = await client.initiateMultipartUpload("my-bucket", "big.bin");
 * for (const n of [1, 2, 3]) await client.uploadPart("my-bucket", "big.bin", uploadId, n, `part ${n}`);
 * const options: ListPartsOptions = { partNumberMarker: 1, maxParts: 1 };
 * const page = await client.listParts("my-bucket", "big.bin", uploadId, options);
 * assert.deepEqual(page.parts.map((p) => p.partNumber), [2]);
 * assert.equal(page.isTruncated, true);
 * await client.abortMultipartUpload("my-bucket", "big.bin", uploadId);
 * await server.close();
 * ```
 */
export interface ListPartsOptions extends RequestOptions {
  /** Parts with a number greater than this. */
  partNumberMarker?: number;
  /** At most this many parts, 1..1000. */
  maxParts?: number;
}

/**
 * A part in ListParts.
 *
 * @example
 * ```ts
 * import { BosClient, type PartSummary } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * const { uploadId } = await client.initiateMultipartUpload("my-bucket", "big.bin");
 * await client.uploadPart("my-bucket", "big.bin", uploadId, 1, "hello");
 * const [part]: PartSummary[] = (await client.listParts("my-bucket", "big.bin", uploadId)).parts;
 * assert.deepEqual([part.partNumber, part.size, part.etag], [1, 5, "5d41402abc4b2a76b9719d911017c592"]);
 * await client.abortMultipartUpload("my-bucket", "big.bin", uploadId);
 * await server.close();
 * ```
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
 *
 * @example
 * ```ts
 * import { BosClient, type ListPartsResult } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * const { uploadId } = await client.initiateMultipartUpload("my-bucket", "big.bin");
 * for (const n of [1, 2]) await client.uploadPart("my-bucket", "big.bin", uploadId, n, `part ${n}`);
 * const result: ListPartsResult = await client.listParts("my-bucket", "big.bin", uploadId);
 * assert.equal(result.uploadId, uploadId);
 * assert.equal(result.isTruncated, false);
 * assert.deepEqual(result.parts.map((p) => p.partNumber), [1, 2]);
 * await client.abortMultipartUpload("my-bucket", "big.bin", uploadId);
 * await server.close();
 * ```
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
 *
 * @example
 * ```ts
 * import { BosClient, type ListMultipartUploadsOptions } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * for (const key of ["logs/a", "logs/b", "tmp/c"]) await client.initiateMultipartUpload("my-bucket", key);
 * const options: ListMultipartUploadsOptions = { prefix: "logs/", maxUploads: 1 };
 * const page = await client.listMultipartUploads("my-bucket", options);
 * assert.deepEqual(page.uploads.map((u) => u.key), ["logs/a"]);
 * assert.equal(page.isTruncated, true);
 * await server.close();
 * ```
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
 *
 * @example
 * ```ts
 * import { BosClient, type UploadSummary } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * const { uploadId } = await client.initiateMultipartUpload("my-bucket", "big.bin");
 * const [upload]: UploadSummary[] = (await client.listMultipartUploads("my-bucket")).uploads;
 * assert.equal(upload.key, "big.bin");
 * assert.equal(upload.uploadId, uploadId);
 * assert(upload.initiated instanceof Date);
 * await server.close();
 * ```
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
 *
 * @example
 * ```ts
 * import { BosClient, type ListMultipartUploadsResult } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * for (const key of ["logs/a", "logs/b", "readme"]) await client.initiateMultipartUpload("my-bucket", key);
 * const result: ListMultipartUploadsResult = await client.listMultipartUploads("my-bucket", {
 *   delimiter: "/",
 * });
 * assert.deepEqual(result.commonPrefixes, ["logs/"]);
 * assert.deepEqual(result.uploads.map((u) => u.key), ["readme"]);
 * assert.equal(result.isTruncated, false);
 * await server.close();
 * ```
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
