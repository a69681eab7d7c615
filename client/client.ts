/**
 * `BosClient`: endpoints and addressing, the signed request pipeline (retries, timeouts, aborts,
 * clock-skew correction) and every BOS operation, on `fetch` and Web Crypto.
 *
 * @module
 */
import { BosError } from "./errors.ts";
import { type BosProfile, DEFAULT_PROFILE } from "./limits.ts";
import { createAuthorization, formatTimestamp, presignUrl as presign, uriEncode } from "./signer.ts";
import { crcToDecimal, createIncrementalHash, hash, type HashAlgorithm, toBase64 } from "./hash.ts";
import {
  backoffDelay,
  isClockSkewError,
  isRejectedUnprocessed,
  isTransientError,
  type ResolvedRetryOptions,
  resolveRetryOptions,
} from "./retry.ts";
import { abortError, sleep } from "./_async.ts";
import {
  arr,
  buildUrl,
  checkBucket,
  checkKey,
  checkNonNegativeInteger,
  checkPartNumber,
  countingStream,
  detectStreamingUploads,
  enc,
  type Endpoint,
  errorFromResponse,
  invalid,
  isReplayable,
  jsonOrEmbeddedError,
  num,
  objectMetaFrom,
  parseEndpoint,
  parseHttpDate,
  parseIsoDate,
  ProgressTracker,
  type RequestBody,
  setObjectHeaders,
  setUserMeta,
  str,
  unquote,
} from "./_http.ts";
import type {
  AppendObjectOptions,
  AppendObjectResult,
  BodyInput,
  BosClientOptions,
  BucketSummary,
  CompletedPart,
  CompleteMultipartUploadOptions,
  CompleteMultipartUploadResult,
  CopyObjectOptions,
  CopyObjectResult,
  CreateBucketOptions,
  Credentials,
  DeleteObjectsOptions,
  DeleteObjectsResult,
  FetchLike,
  GetObjectOptions,
  GetObjectResult,
  HeadObjectOptions,
  InitiateMultipartUploadOptions,
  InitiateMultipartUploadResult,
  ListBucketsResult,
  ListEntry,
  ListMultipartUploadsOptions,
  ListMultipartUploadsResult,
  ListObjectsOptions,
  ListObjectsResult,
  ListPartsOptions,
  ListPartsResult,
  ObjectMeta,
  ObjectSummary,
  PartSummary,
  PresignOptions,
  PutObjectOptions,
  PutObjectResult,
  RequestOptions,
  UploadPartCopyOptions,
  UploadPartOptions,
  UploadPartResult,
  UploadSummary,
} from "./types.ts";
import {
  listAllEntries,
  listAllMultipartUploads,
  listAllObjects,
  listAllParts,
  listAllPrefixes,
} from "./list.ts";
import {
  Appender,
  type AppenderOptions,
  copyLarge,
  type CopyLargeOptions,
  upload,
  uploadFile,
  type UploadFileOptions,
  type UploadOptions,
  type UploadResult,
} from "./upload.ts";
import { download, downloadFile, type DownloadFileOptions, type DownloadOptions } from "./download.ts";
import { bodyReaders } from "./_bytes.ts";
import { denoProxyConfigured, isDeno, isNode, nodeStreamingFetch } from "./_node_fetch.ts";

/** One request as the pipeline sees it. */
interface Spec<T> {
  op: string;
  method: string;
  bucket?: string;
  key?: string;
  query?: Record<string, string | number | null | undefined>;
  headers?: Headers;
  body?: RequestBody;
  idempotent: boolean;
  notFound?: string;
  signal?: AbortSignal;
  progress?: ProgressTracker;
  /** Reads the successful response inside the attempt (under its timeout). */
  parse: (res: Response, release: () => void) => Promise<T>;
  /** The parsed result keeps reading the body after `parse` returns. */
  streaming?: boolean;
}

const DEFAULT_TIMEOUT_MS = 120_000;

/**
 * A client for Baidu Object Storage on Web standards (`fetch`, Web Crypto, Web Streams): every BOS
 * object, bucket and multipart operation, async iterators over listings, and a managed upload
 * engine (multipart, concurrency, progress, resume), on Deno, Bun, Node 20+ and edge runtimes.
 *
 * Every operation accepts an `AbortSignal` and fails with a {@link BosError}: the service's status,
 * code, message and request id, or status 0 with `NetworkError`, `Timeout`, `Aborted` or the code
 * BOS would answer for a request refused before sending (`MetadataTooLarge`, `InvalidBucketName`…).
 *
 * @example Put and read back an object
 * ```ts
 * import { BosClient } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve(); // the embedded reference server; or "https://bj.bcebos.com" and your keys
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * await client.putObject("my-bucket", "hello.txt", "hello", { contentType: "text/plain" });
 * const got = await client.getObject("my-bucket", "hello.txt");
 * assert.equal(await got.text(), "hello");
 * await server.close();
 * ```
 */
export class BosClient {
  /** The resolved endpoint. */
  readonly endpoint: { protocol: string; host: string; addressing: "path" | "virtual-host"; region?: string };
  /** The limits validated against before sending. */
  readonly profile: Readonly<BosProfile>;
  /** Whether request bodies are streamed with an explicit Content-Length (byte-level progress). */
  readonly streamingUploads: boolean;
  readonly #ep: Endpoint;
  readonly #credentials: Credentials;
  readonly #retry: ResolvedRetryOptions;
  readonly #timeoutMs: number;
  readonly #fetch: FetchLike;
  /** The fetch for requests whose body is a stream. */
  readonly #streamFetch: FetchLike;
  readonly #now: () => Date;
  #clockOffsetMs = 0;

  /**
   * Creates a client.
   *
   * @param options Endpoint, credentials and transport options.
   */
  constructor(options: BosClientOptions) {
    if (!options || typeof options !== "object") throw invalid("BosClient options must be an object");
    const c = options.credentials;
    if (
      !c || typeof c.accessKeyId !== "string" || !c.accessKeyId || typeof c.secretAccessKey !== "string" ||
      !c.secretAccessKey
    ) {
      throw invalid("Credentials must have a non-empty accessKeyId and secretAccessKey");
    }
    this.#ep = parseEndpoint(options.endpoint, options.addressing, options.region);
    this.endpoint = {
      protocol: this.#ep.protocol,
      host: this.#ep.host,
      addressing: this.#ep.addressing,
      region: this.#ep.region,
    };
    this.#credentials = { ...c };
    this.#retry = resolveRetryOptions(options.retry);
    const t = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!(t > 0)) throw invalid(`Timeout must be a positive number of milliseconds, got ${t}`);
    this.#timeoutMs = t;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#now = options.now ?? (() => new Date());
    this.profile = options.profile ?? DEFAULT_PROFILE;
    // On Deno, streamed bodies go through node:http (its fetch cannot send them with Content-Length);
    // on Node too (its fetch spends 2× the CPU per byte and copies every chunk), unless the caller
    // brought their own fetch.
    const nodeTransport = options.fetch === undefined && options.streamingUploads !== false &&
      ((isDeno() && !denoProxyConfigured()) || isNode());
    this.#streamFetch = nodeTransport ? nodeStreamingFetch : this.#fetch;
    this.streamingUploads = options.streamingUploads ?? (nodeTransport || detectStreamingUploads());
  }

  /**
   * Milliseconds added to the local clock when signing (learned from a clock-skew error).
   *
   * @example Zero until a clock-skew error is corrected
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import assert from "node:assert/strict";
   *
   * const client = new BosClient({ endpoint: "http://127.0.0.1:8080", credentials: { accessKeyId: "ak", secretAccessKey: "sk" } });
   * assert.equal(client.clockOffsetMs, 0);
   * ```
   */
  get clockOffsetMs(): number {
    return this.#clockOffsetMs;
  }

  // ----------------------------------------------------------------------------------------------
  // Pipeline

  async #send<T>(spec: Spec<T>): Promise<T> {
    const started = Date.now();
    const deadline = started + this.#retry.deadlineMs;
    let attempt = 0;
    let skewCorrected = false;
    for (;;) {
      if (spec.signal?.aborted) throw abortError(spec.signal);
      attempt++;
      const ac = new AbortController();
      const onAbort = () => ac.abort(spec.signal?.reason);
      spec.signal?.addEventListener("abort", onAbort, { once: true });
      let timedOut = false;
      const budget = Math.max(1, Math.min(this.#timeoutMs, deadline - Date.now()));
      const timer = setTimeout(() => {
        timedOut = true;
        ac.abort(
          new BosError({ status: 0, code: "Timeout", message: `${spec.op} timed out after ${budget} ms` }),
        );
      }, budget);
      let keepLinked = false;
      let error: BosError;
      let serverDate: string | null = null;
      try {
        const { url, init } = await this.#prepare(spec, ac.signal);
        const res = await ("duplex" in init ? this.#streamFetch : this.#fetch)(url, init);
        if (res.ok) {
          const out = await spec.parse(res, () => spec.signal?.removeEventListener("abort", onAbort));
          keepLinked = spec.streaming === true;
          return out;
        }
        serverDate = res.headers.get("date");
        error = await errorFromResponse(res, {
          op: spec.op,
          method: spec.method,
          notFound: spec.notFound ?? "NoSuchKey",
        });
      } catch (e) {
        error = this.#classify(e, spec, timedOut, budget);
      } finally {
        clearTimeout(timer);
        if (!keepLinked) spec.signal?.removeEventListener("abort", onAbort);
      }
      if (error.code === "Aborted") throw error;
      const replayable = isReplayable(spec.body);
      if (isClockSkewError(error) && !skewCorrected && replayable) {
        const serverNow = parseHttpDate(serverDate);
        if (serverNow) {
          skewCorrected = true;
          this.#clockOffsetMs = serverNow.getTime() - this.#now().getTime();
          continue;
        }
      }
      const retryable = replayable &&
        (spec.idempotent ? isTransientError(error) : isRejectedUnprocessed(error));
      if (!retryable || attempt >= this.#retry.maxAttempts) throw error;
      const delay = backoffDelay(attempt, this.#retry);
      if (Date.now() + delay >= deadline) throw error;
      await sleep(delay, spec.signal);
    }
  }

  #classify(e: unknown, spec: Spec<unknown>, timedOut: boolean, budget: number): BosError {
    if (spec.signal?.aborted) return abortError(spec.signal);
    if (timedOut) {
      return new BosError({
        status: 0,
        code: "Timeout",
        message: `${spec.op} timed out after ${budget} ms`,
        cause: e,
      });
    }
    if (e instanceof BosError) return e;
    const why = e instanceof Error ? e.message : String(e);
    return new BosError({
      status: 0,
      code: "NetworkError",
      message: `${spec.op} failed before a complete response was received: ${why}`,
      cause: e,
    });
  }

  async #prepare(spec: Spec<unknown>, signal: AbortSignal): Promise<{ url: string; init: RequestInit }> {
    const { url, host, path, rawQuery } = buildUrl(this.#ep, spec.bucket, spec.key, spec.query);
    const headers = new Headers(spec.headers);
    const timestamp = new Date(this.#now().getTime() + this.#clockOffsetMs);
    headers.set("x-bce-date", formatTimestamp(timestamp));
    if (this.#credentials.sessionToken) headers.set("x-bce-security-token", this.#credentials.sessionToken);
    let body: BodyInit | undefined;
    let duplex = false;
    const b = spec.body;
    if (b) {
      headers.set("content-length", String(b.length));
      const track = spec.progress;
      if (b.bytes) {
        if (track && this.streamingUploads && b.length > 0) {
          body = countingStream(b.bytes, (p) => track.position(p), this.#streamFetch === nodeStreamingFetch);
          duplex = true;
        } else body = b.bytes as Uint8Array<ArrayBuffer>;
      } else if (b.blob) {
        if (track && this.streamingUploads && b.length > 0) {
          body = countingStream(b.blob.stream(), (p) => track.position(p));
          duplex = true;
        } else body = b.blob;
      } else if (b.stream) {
        body = track ? countingStream(b.stream, (p) => track.position(p)) : b.stream;
        duplex = true;
      }
    } else if (spec.method === "PUT" || spec.method === "POST") {
      headers.set("content-length", "0");
      body = new Uint8Array(0);
    }
    const signed = new Headers(headers);
    signed.set("host", host);
    const authorization = await createAuthorization({
      accessKeyId: this.#credentials.accessKeyId,
      secretAccessKey: this.#credentials.secretAccessKey,
      method: spec.method,
      path,
      query: rawQuery,
      headers: signed,
      timestamp,
    });
    headers.set("authorization", authorization);
    const init: RequestInit & { duplex?: "half" } = {
      method: spec.method,
      headers,
      body,
      signal,
      redirect: "manual",
    };
    if (duplex) init.duplex = "half";
    return { url, init };
  }

  /** After a successful bodyless-or-ignored response: drain and release it. */
  static async #drain(res: Response): Promise<Headers> {
    await res.body?.cancel().catch(() => {});
    return res.headers;
  }

  static async #json(res: Response): Promise<Record<string, unknown>> {
    const text = await res.text();
    return jsonOrEmbeddedError(text, res);
  }

  #toRequestBody(
    body: BodyInput,
    contentLength: number | undefined,
    op: string,
  ): RequestBody {
    if (typeof body === "string") {
      const bytes = enc.encode(body);
      return { bytes, length: bytes.length };
    }
    if (body instanceof Uint8Array) return { bytes: body, length: body.length };
    if (typeof Blob !== "undefined" && body instanceof Blob) return { blob: body, length: body.size };
    if (body instanceof ReadableStream) {
      if (contentLength === undefined) {
        throw invalid(
          `${op} with a ReadableStream body needs contentLength; or use upload() for streams of unknown length`,
        );
      }
      checkNonNegativeInteger("contentLength", contentLength);
      if (!this.streamingUploads) {
        throw invalid(
          `${op} cannot stream a body with Content-Length on this runtime (its fetch sends streams chunked); use upload() or pass bytes or a Blob`,
        );
      }
      return { stream: body, length: contentLength };
    }
    throw invalid(`${op} body must be a Uint8Array, string, Blob or ReadableStream, got ${typeof body}`);
  }

  static async #digest(algorithm: HashAlgorithm, body: RequestBody): Promise<Uint8Array> {
    if (body.bytes) return await hash(algorithm, body.bytes);
    if (body.blob) {
      const h = await createIncrementalHash(algorithm);
      const reader = body.blob.stream().getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        h.update(value);
      }
      return h.digest();
    }
    throw invalid(
      `Computing ${algorithm} needs a Uint8Array, string or Blob body, not a one-shot stream; pass the checksum instead`,
    );
  }

  /** Sets `x-bce-content-crc32`: computed when `true`, as given when a decimal string. */
  static async #setCrc32(
    headers: Headers,
    crc32: boolean | string | undefined,
    body: RequestBody,
  ): Promise<void> {
    if (crc32 === undefined || crc32 === false) return;
    if (crc32 === true) crc32 = crcToDecimal(await BosClient.#digest("crc32", body));
    else if (!/^\d{1,10}$/.test(crc32) || Number(crc32) > 0xffffffff) {
      throw invalid(`crc32 must be a decimal unsigned 32-bit CRC, got ${JSON.stringify(crc32)}`);
    }
    headers.set("x-bce-content-crc32", crc32);
  }

  #progress(onProgress: ((e: import("./types.ts").ProgressEvent) => void) | undefined, total: number) {
    return onProgress ? new ProgressTracker(total, onProgress) : undefined;
  }

  // ----------------------------------------------------------------------------------------------
  // Buckets

  /**
   * Creates a bucket (PutBucket).
   *
   * @param bucket Bucket name.
   * @param options Multi-AZ flag and signal.
   * @returns The region the bucket was created in (`Location` header), when given.
   *
   * @example Create a bucket
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const server = await serve();
   * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
   * const { location } = await client.createBucket("my-bucket");
   * assert.equal(location, "bj");
   * await server.close();
   * ```
   */
  async createBucket(bucket: string, options: CreateBucketOptions = {}): Promise<{ location?: string }> {
    checkBucket(bucket);
    let body: RequestBody | undefined;
    const headers = new Headers();
    if (options.enableMultiAz !== undefined) {
      const bytes = enc.encode(JSON.stringify({ enableMultiAz: options.enableMultiAz }));
      body = { bytes, length: bytes.length };
      headers.set("content-type", "application/json");
    }
    const h = await this.#send({
      op: "PutBucket",
      method: "PUT",
      bucket,
      headers,
      body,
      idempotent: true,
      notFound: "NoSuchBucket",
      signal: options.signal,
      parse: BosClient.#drain,
    });
    return { location: h.get("location") ?? undefined };
  }

  /**
   * Checks that a bucket exists and is accessible (HeadBucket).
   *
   * @param bucket Bucket name.
   * @param options Signal.
   * @returns Nothing; fails with `NoSuchBucket` (404) or `AccessDenied` (403).
   *
   * @example Check that a bucket exists
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const server = await serve();
   * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
   * await client.createBucket("my-bucket");
   * const exists = (bucket: string) =>
   *   client.headBucket(bucket).then(
   *     () => true,
   *     (e) => e.code === "NoSuchBucket" ? false : Promise.reject(e),
   *   );
   * assert.equal(await exists("my-bucket"), true);
   * assert.equal(await exists("no-such-bucket"), false);
   * await server.close();
   * ```
   */
  async headBucket(bucket: string, options: RequestOptions = {}): Promise<void> {
    checkBucket(bucket);
    await this.#send({
      op: "HeadBucket",
      method: "HEAD",
      bucket,
      idempotent: true,
      notFound: "NoSuchBucket",
      signal: options.signal,
      parse: BosClient.#drain,
    });
  }

  /**
   * Deletes an empty bucket (DeleteBucket).
   *
   * @param bucket Bucket name.
   * @param options Signal.
   * @returns Nothing; fails with `BucketNotEmpty` (409) or `NoSuchBucket` (404).
   *
   * @example Delete an empty bucket
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const server = await serve();
   * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
   * await client.createBucket("my-bucket");
   * await client.deleteBucket("my-bucket");
   * await assert.rejects(client.headBucket("my-bucket"), { code: "NoSuchBucket" });
   * await server.close();
   * ```
   */
  async deleteBucket(bucket: string, options: RequestOptions = {}): Promise<void> {
    checkBucket(bucket);
    await this.#send({
      op: "DeleteBucket",
      method: "DELETE",
      bucket,
      idempotent: true,
      notFound: "NoSuchBucket",
      signal: options.signal,
      parse: BosClient.#drain,
    });
  }

  /**
   * Lists the account's buckets (ListBuckets).
   *
   * @param options Signal.
   * @returns Owner and buckets.
   *
   * @example List buckets
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const server = await serve();
   * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
   * await client.createBucket("my-bucket");
   * const { buckets } = await client.listBuckets();
   * assert.deepEqual(buckets.map((b) => b.name), ["my-bucket"]);
   * await server.close();
   * ```
   */
  async listBuckets(options: RequestOptions = {}): Promise<ListBucketsResult> {
    const j = await this.#send({
      op: "ListBuckets",
      method: "GET",
      idempotent: true,
      signal: options.signal,
      parse: BosClient.#json,
    });
    const owner = j.owner as { id?: unknown; displayName?: unknown } | undefined;
    return {
      owner: owner ? { id: str(owner.id), displayName: str(owner.displayName) } : undefined,
      buckets: arr(j.buckets).map((b): BucketSummary => ({
        name: str(b.name),
        location: str(b.location),
        creationDate: parseIsoDate(b.creationDate) ?? new Date(0),
        ...(b.enableMultiAz === true ? { enableMultiAz: true } : {}),
      })),
    };
  }

  /**
   * The region of a bucket (GetBucketLocation).
   *
   * @param bucket Bucket name.
   * @param options Signal.
   * @returns The region code, e.g. `bj`.
   *
   * @example Where a bucket lives
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const server = await serve();
   * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
   * await client.createBucket("my-bucket");
   * assert.equal(await client.getBucketLocation("my-bucket"), "bj");
   * await server.close();
   * ```
   */
  async getBucketLocation(bucket: string, options: RequestOptions = {}): Promise<string> {
    checkBucket(bucket);
    const j = await this.#send({
      op: "GetBucketLocation",
      method: "GET",
      bucket,
      query: { location: null },
      idempotent: true,
      notFound: "NoSuchBucket",
      signal: options.signal,
      parse: BosClient.#json,
    });
    return str(j.locationConstraint);
  }

  // ----------------------------------------------------------------------------------------------
  // Objects

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
  async putObject(
    bucket: string,
    key: string,
    body: BodyInput,
    options: PutObjectOptions = {},
  ): Promise<PutObjectResult> {
    checkBucket(bucket);
    checkKey(key, this.profile);
    if (body instanceof ReadableStream && (options.contentLength === undefined || !this.streamingUploads)) {
      const r = await this.upload(bucket, key, body, {
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
    }, this.profile);
    const rb = this.#toRequestBody(body, options.contentLength, "putObject");
    if (rb.length > this.profile.maxPutObjectSize) {
      throw invalid(
        `putObject body must be at most ${this.profile.maxPutObjectSize} bytes, got ${rb.length}; use upload() for larger objects`,
        undefined,
        "EntityTooLarge",
      );
    }
    if (options.contentMD5 === true) headers.set("content-md5", toBase64(await BosClient.#digest("md5", rb)));
    else if (typeof options.contentMD5 === "string") headers.set("content-md5", options.contentMD5);
    if (options.crc32c) {
      headers.set("x-bce-content-crc32c", crcToDecimal(await BosClient.#digest("crc32c", rb)));
      headers.set("x-bce-content-crc32c-flag", "true");
    }
    await BosClient.#setCrc32(headers, options.crc32, rb);
    if (options.ifMatch !== undefined) headers.set("if-match", options.ifMatch);
    if (options.ifNoneMatch !== undefined) headers.set("if-none-match", options.ifNoneMatch);
    const progress = this.#progress(options.onProgress, rb.length);
    const h = await this.#send({
      op: "PutObject",
      method: "PUT",
      bucket,
      key,
      headers,
      body: rb,
      idempotent: true,
      notFound: "NoSuchBucket",
      signal: options.signal,
      progress,
      parse: BosClient.#drain,
    });
    progress?.position(rb.length);
    return {
      etag: unquote(h.get("etag")),
      crc32c: h.get("x-bce-content-crc32c") ?? undefined,
      crc32: h.get("x-bce-content-crc32") ?? undefined,
      versionId: h.get("x-bce-version-id") ?? undefined,
      requestId: h.get("x-bce-request-id") ?? undefined,
    };
  }

  /**
   * Uploads a local file (Deno, Bun, Node) with the upload engine: one PutObject for small files,
   * a resumable multipart upload for large ones. Same as {@link BosClient.uploadFile}.
   *
   * @param bucket Bucket name.
   * @param key Object key.
   * @param path Local file path.
   * @param options Upload options.
   * @returns The upload result.
   *
   * @example Upload a local file
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const server = await serve();
   * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
   * await client.createBucket("my-bucket");
   * const path = await Deno.makeTempFile();
   * await Deno.writeTextFile(path, "backup");
   * const r = await client.putObjectFromFile("my-bucket", "backup.tar", path);
   * assert.equal(r.size, 6);
   * await Deno.remove(path);
   * await server.close();
   * ```
   */
  putObjectFromFile(
    bucket: string,
    key: string,
    path: string,
    options: UploadFileOptions = {},
  ): Promise<UploadResult> {
    return this.uploadFile(bucket, key, path, options);
  }

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
  async getObject(bucket: string, key: string, options: GetObjectOptions = {}): Promise<GetObjectResult> {
    checkBucket(bucket);
    checkKey(key, this.profile);
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
    return await this.#send({
      op: "GetObject",
      method: "GET",
      bucket,
      key,
      query,
      headers,
      idempotent: true,
      signal: options.signal,
      streaming: true,
      parse: (res, release) => Promise.resolve(getResult(res, release)),
    });
  }

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
  async headObject(bucket: string, key: string, options: HeadObjectOptions = {}): Promise<ObjectMeta> {
    checkBucket(bucket);
    checkKey(key, this.profile);
    const headers = new Headers();
    setReadConditions(headers, options);
    const h = await this.#send({
      op: "HeadObject",
      method: "HEAD",
      bucket,
      key,
      headers,
      idempotent: true,
      signal: options.signal,
      parse: BosClient.#drain,
    });
    return objectMetaFrom(h);
  }

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
  async deleteObject(bucket: string, key: string, options: RequestOptions = {}): Promise<void> {
    checkBucket(bucket);
    checkKey(key, this.profile);
    await this.#send({
      op: "DeleteObject",
      method: "DELETE",
      bucket,
      key,
      idempotent: true,
      signal: options.signal,
      parse: BosClient.#drain,
    });
  }

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
  async deleteObjects(
    bucket: string,
    keys: readonly string[],
    options: DeleteObjectsOptions = {},
  ): Promise<DeleteObjectsResult> {
    checkBucket(bucket);
    for (const k of keys) checkKey(k, this.profile);
    const result: DeleteObjectsResult = { deleted: [], errors: [] };
    const batch = Math.max(1, this.profile.maxDeleteObjects);
    for (let i = 0; i < keys.length; i += batch) {
      const slice = keys.slice(i, i + batch);
      const bytes = enc.encode(JSON.stringify({ objects: slice.map((key) => ({ key })) }));
      const headers = new Headers({ "content-type": "application/json; charset=utf-8" });
      const j = await this.#send({
        op: "DeleteMultipleObjects",
        method: "POST",
        bucket,
        query: { delete: null },
        headers,
        body: { bytes, length: bytes.length },
        idempotent: true,
        notFound: "NoSuchBucket",
        signal: options.signal,
        parse: BosClient.#json,
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
  async copyObject(
    sourceBucket: string,
    sourceKey: string,
    bucket: string,
    key: string,
    options: CopyObjectOptions = {},
  ): Promise<CopyObjectResult> {
    checkBucket(sourceBucket);
    checkKey(sourceKey, this.profile);
    checkBucket(bucket);
    checkKey(key, this.profile);
    const headers = new Headers();
    headers.set("x-bce-copy-source", `/${sourceBucket}/${uriEncode(sourceKey, true)}`);
    setObjectHeaders(headers, options, this.profile);
    const replaces = options.userMeta !== undefined || options.contentType !== undefined ||
      options.contentDisposition !== undefined || options.cacheControl !== undefined ||
      options.contentEncoding !== undefined || options.expires !== undefined;
    const directive = options.metadataDirective ?? (replaces ? "replace" : undefined);
    if (directive !== undefined) {
      if (directive !== "copy" && directive !== "replace") {
        throw invalid(`metadataDirective must be "copy" or "replace", got ${JSON.stringify(directive)}`);
      }
      headers.set("x-bce-metadata-directive", directive);
    }
    setCopyConditions(headers, options);
    const j = await this.#send({
      op: "CopyObject",
      method: "PUT",
      bucket,
      key,
      headers,
      idempotent: true,
      signal: options.signal,
      parse: BosClient.#json,
    });
    return { etag: unquote(str(j.eTag ?? j.etag)), lastModified: parseIsoDate(j.lastModified) };
  }

  /**
   * Appends to an appendable object (AppendObject). Without `offset` it creates (or replaces) the
   * object; with `offset` it must equal the current length (else 409 `OffsetIncorrect`). Appends
   * with an offset are retried (a duplicate is refused by the offset check); creations are not.
   *
   * @param bucket Bucket name.
   * @param key Object key.
   * @param body The bytes to append.
   * @param options Offset, headers (used at creation), Content-MD5, signal.
   * @returns ETag and the next offset (from `x-bce-next-append-offset`, else offset + length).
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
  async appendObject(
    bucket: string,
    key: string,
    body: Uint8Array | string | Blob,
    options: AppendObjectOptions = {},
  ): Promise<AppendObjectResult> {
    checkBucket(bucket);
    checkKey(key, this.profile);
    checkNonNegativeInteger("Append offset", options.offset);
    const rb = this.#toRequestBody(body, undefined, "appendObject");
    if (rb.length > this.profile.maxAppendSize) {
      throw invalid(
        `Append body must be at most ${this.profile.maxAppendSize} bytes, got ${rb.length}`,
        undefined,
        "EntityTooLarge",
      );
    }
    const headers = new Headers();
    setObjectHeaders(
      headers,
      { ...options, contentType: options.contentType ?? "application/octet-stream" },
      this.profile,
    );
    if (options.contentMD5 === true) headers.set("content-md5", toBase64(await BosClient.#digest("md5", rb)));
    else if (typeof options.contentMD5 === "string") headers.set("content-md5", options.contentMD5);
    const h = await this.#send({
      op: "AppendObject",
      method: "POST",
      bucket,
      key,
      query: { append: null, offset: options.offset },
      headers,
      body: rb,
      idempotent: options.offset !== undefined,
      signal: options.signal,
      parse: BosClient.#drain,
    });
    const next = Number(h.get("x-bce-next-append-offset"));
    return {
      etag: unquote(h.get("etag")),
      nextAppendOffset: h.get("x-bce-next-append-offset") !== null && Number.isFinite(next)
        ? next
        : (options.offset ?? 0) + rb.length,
      requestId: h.get("x-bce-request-id") ?? undefined,
    };
  }

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
  async presignUrl(bucket: string, key: string, options: PresignOptions = {}): Promise<string> {
    checkBucket(bucket);
    checkKey(key, this.profile);
    const { url } = buildUrl(this.#ep, bucket, key, options.query);
    return await presign({
      accessKeyId: this.#credentials.accessKeyId,
      secretAccessKey: this.#credentials.secretAccessKey,
      sessionToken: this.#credentials.sessionToken,
      method: options.method ?? "GET",
      url,
      timestamp: options.timestamp ?? new Date(this.#now().getTime() + this.#clockOffsetMs),
      expirationInSeconds: options.expirationInSeconds,
      headers: options.headers,
    });
  }

  // ----------------------------------------------------------------------------------------------
  // Multipart

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
  async initiateMultipartUpload(
    bucket: string,
    key: string,
    options: InitiateMultipartUploadOptions = {},
  ): Promise<InitiateMultipartUploadResult> {
    checkBucket(bucket);
    checkKey(key, this.profile);
    const headers = new Headers();
    setObjectHeaders(
      headers,
      { ...options, contentType: options.contentType ?? "application/octet-stream" },
      this.profile,
    );
    const j = await this.#send({
      op: "InitiateMultipartUpload",
      method: "POST",
      bucket,
      key,
      query: { uploads: null },
      headers,
      idempotent: true,
      notFound: "NoSuchBucket",
      signal: options.signal,
      parse: BosClient.#json,
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
  async uploadPart(
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    body: Uint8Array | string | Blob,
    options: UploadPartOptions = {},
  ): Promise<UploadPartResult> {
    checkBucket(bucket);
    checkKey(key, this.profile);
    checkPartNumber(partNumber, this.profile);
    checkUploadId(uploadId);
    const rb = this.#toRequestBody(body, undefined, "uploadPart");
    if (rb.length > this.profile.maxPartSize) {
      throw invalid(
        `Part size must be at most ${this.profile.maxPartSize} bytes, got ${rb.length}`,
        undefined,
        "EntityTooLarge",
      );
    }
    const headers = new Headers();
    if (options.contentMD5 === true) headers.set("content-md5", toBase64(await BosClient.#digest("md5", rb)));
    else if (typeof options.contentMD5 === "string") headers.set("content-md5", options.contentMD5);
    if (options.crc32c !== undefined && options.crc32c !== false) {
      headers.set(
        "x-bce-content-crc32c",
        options.crc32c === true ? crcToDecimal(await BosClient.#digest("crc32c", rb)) : options.crc32c,
      );
      headers.set("x-bce-content-crc32c-flag", "true");
    }
    await BosClient.#setCrc32(headers, options.crc32, rb);
    const progress = this.#progress(options.onProgress, rb.length);
    const h = await this.#send({
      op: "UploadPart",
      method: "PUT",
      bucket,
      key,
      query: { partNumber, uploadId },
      headers,
      body: rb,
      idempotent: true,
      notFound: "NoSuchUpload",
      signal: options.signal,
      progress,
      parse: BosClient.#drain,
    });
    progress?.position(rb.length);
    return {
      partNumber,
      etag: unquote(h.get("etag")),
      crc32c: h.get("x-bce-content-crc32c") ?? undefined,
      crc32: h.get("x-bce-content-crc32") ?? undefined,
      requestId: h.get("x-bce-request-id") ?? undefined,
    };
  }

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
  async uploadPartCopy(
    sourceBucket: string,
    sourceKey: string,
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    options: UploadPartCopyOptions = {},
  ): Promise<CopyObjectResult> {
    checkBucket(sourceBucket);
    checkKey(sourceKey, this.profile);
    checkBucket(bucket);
    checkKey(key, this.profile);
    checkPartNumber(partNumber, this.profile);
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
    const j = await this.#send({
      op: "UploadPartCopy",
      method: "PUT",
      bucket,
      key,
      query: { partNumber, uploadId },
      headers,
      idempotent: true,
      notFound: "NoSuchUpload",
      signal: options.signal,
      parse: BosClient.#json,
    });
    return { etag: unquote(str(j.eTag ?? j.etag)), lastModified: parseIsoDate(j.lastModified) };
  }

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
  async completeMultipartUpload(
    bucket: string,
    key: string,
    uploadId: string,
    parts: readonly CompletedPart[],
    options: CompleteMultipartUploadOptions = {},
  ): Promise<CompleteMultipartUploadResult> {
    checkBucket(bucket);
    checkKey(key, this.profile);
    checkUploadId(uploadId);
    if (parts.length === 0) throw invalid("Complete needs at least one part, got none");
    const sorted = [...parts].sort((a, b) => a.partNumber - b.partNumber);
    sorted.forEach((p, i) => {
      checkPartNumber(p.partNumber, this.profile);
      if (i > 0 && sorted[i - 1].partNumber === p.partNumber) {
        throw invalid(`Part number ${p.partNumber} is listed twice; list each part once`);
      }
      if (typeof p.etag !== "string" || p.etag === "") {
        throw invalid(`Part ${p.partNumber} needs its ETag, got ${JSON.stringify(p.etag)}`);
      }
    });
    const bytes = enc.encode(
      JSON.stringify({ parts: sorted.map((p) => ({ partNumber: p.partNumber, eTag: unquote(p.etag) })) }),
    );
    if (bytes.length > this.profile.maxCompleteBodySize) {
      throw invalid(
        `Complete body must be at most ${this.profile.maxCompleteBodySize} bytes, got ${bytes.length}`,
      );
    }
    const headers = new Headers({ "content-type": "application/json; charset=utf-8" });
    if (options.userMeta) setUserMeta(headers, options.userMeta, this.profile);
    if (options.crc32 !== undefined) headers.set("x-bce-content-crc32", options.crc32);
    if (options.ifNoneMatch !== undefined) headers.set("if-none-match", options.ifNoneMatch);
    let resHeaders: Headers | undefined;
    const j = await this.#send({
      op: "CompleteMultipartUpload",
      method: "POST",
      bucket,
      key,
      query: { uploadId },
      headers,
      body: { bytes, length: bytes.length },
      idempotent: false,
      notFound: "NoSuchUpload",
      signal: options.signal,
      parse: (res) => {
        resHeaders = res.headers;
        return BosClient.#json(res);
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
  async abortMultipartUpload(
    bucket: string,
    key: string,
    uploadId: string,
    options: RequestOptions = {},
  ): Promise<void> {
    checkBucket(bucket);
    checkKey(key, this.profile);
    checkUploadId(uploadId);
    await this.#send({
      op: "AbortMultipartUpload",
      method: "DELETE",
      bucket,
      key,
      query: { uploadId },
      idempotent: true,
      notFound: "NoSuchUpload",
      signal: options.signal,
      parse: BosClient.#drain,
    });
  }

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
  async listParts(
    bucket: string,
    key: string,
    uploadId: string,
    options: ListPartsOptions = {},
  ): Promise<ListPartsResult> {
    checkBucket(bucket);
    checkKey(key, this.profile);
    checkUploadId(uploadId);
    checkNonNegativeInteger("partNumberMarker", options.partNumberMarker);
    checkPageSize("maxParts", options.maxParts, this.profile);
    const j = await this.#send({
      op: "ListParts",
      method: "GET",
      bucket,
      key,
      query: { uploadId, maxParts: options.maxParts, partNumberMarker: options.partNumberMarker },
      idempotent: true,
      notFound: "NoSuchUpload",
      signal: options.signal,
      parse: BosClient.#json,
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
      maxParts: num(j.maxParts, this.profile.maxListEntries),
      isTruncated: j.isTruncated === true || j.isTruncated === "true",
      parts: arr(j.parts).map((p): PartSummary => ({
        partNumber: num(p.partNumber),
        etag: unquote(str(p.eTag ?? p.ETag ?? p.etag)),
        size: num(p.size),
        lastModified: parseIsoDate(p.lastModified),
      })),
    };
  }

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
  async listMultipartUploads(
    bucket: string,
    options: ListMultipartUploadsOptions = {},
  ): Promise<ListMultipartUploadsResult> {
    checkBucket(bucket);
    checkPageSize("maxUploads", options.maxUploads, this.profile);
    const j = await this.#send({
      op: "ListMultipartUploads",
      method: "GET",
      bucket,
      query: {
        uploads: null,
        prefix: options.prefix,
        delimiter: options.delimiter,
        keyMarker: options.keyMarker,
        maxUploads: options.maxUploads,
      },
      idempotent: true,
      notFound: "NoSuchBucket",
      signal: options.signal,
      parse: BosClient.#json,
    });
    return {
      bucket: str(j.bucket, bucket),
      prefix: str(j.prefix),
      keyMarker: str(j.keyMarker),
      maxUploads: num(j.maxUploads, this.profile.maxListEntries),
      isTruncated: j.isTruncated === true || j.isTruncated === "true",
      nextKeyMarker: typeof j.nextKeyMarker === "string" ? j.nextKeyMarker : undefined,
      uploads: arr(j.uploads).map((u): UploadSummary => ({
        key: str(u.key),
        uploadId: str(u.uploadId),
        initiated: parseIsoDate(u.initiated),
        storageClass: typeof u.storageClass === "string" ? u.storageClass : undefined,
      })),
      commonPrefixes: arr(j.commonPrefixes).map((p) => str(p.prefix)),
    };
  }

  // ----------------------------------------------------------------------------------------------
  // Listing

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
  async listObjects(bucket: string, options: ListObjectsOptions = {}): Promise<ListObjectsResult> {
    checkBucket(bucket);
    checkPageSize("maxKeys", options.maxKeys, this.profile);
    const j = await this.#send({
      op: "ListObjects",
      method: "GET",
      bucket,
      query: {
        prefix: options.prefix,
        delimiter: options.delimiter,
        marker: options.marker,
        maxKeys: options.maxKeys,
      },
      idempotent: true,
      notFound: "NoSuchBucket",
      signal: options.signal,
      parse: BosClient.#json,
    });
    return {
      name: str(j.name, bucket),
      prefix: str(j.prefix),
      delimiter: typeof j.delimiter === "string" ? j.delimiter : undefined,
      marker: str(j.marker),
      maxKeys: num(j.maxKeys, this.profile.maxListEntries),
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
  listAllObjects(bucket: string, options: ListObjectsOptions = {}): AsyncIterableIterator<ObjectSummary> {
    return listAllObjects(this, bucket, options);
  }

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
  listAllPrefixes(bucket: string, options: ListObjectsOptions = {}): AsyncIterableIterator<string> {
    return listAllPrefixes(this, bucket, options);
  }

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
  listAllEntries(bucket: string, options: ListObjectsOptions = {}): AsyncIterableIterator<ListEntry> {
    return listAllEntries(this, bucket, options);
  }

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
    options: ListPartsOptions = {},
  ): AsyncIterableIterator<PartSummary> {
    return listAllParts(this, bucket, key, uploadId, options);
  }

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
    options: ListMultipartUploadsOptions = {},
  ): AsyncIterableIterator<UploadSummary> {
    return listAllMultipartUploads(this, bucket, options);
  }

  // ----------------------------------------------------------------------------------------------
  // High-level helpers

  /**
   * Uploads any body with the upload engine: one PutObject when it fits in one part, otherwise a
   * multipart upload with bounded memory (≈ part size × (concurrency + 1)), concurrency, byte
   * progress, per-part integrity checks, retries and a resumable checkpoint.
   *
   * @param bucket Bucket name.
   * @param key Object key.
   * @param body Bytes, text, a Blob or a stream of known or unknown length.
   * @param options Part size, concurrency, progress, checkpoint, resume, integrity, headers, signal.
   * @returns ETag, size, part count and (multipart) the upload id.
   *
   * @example Upload a stream of unknown length with progress and a checkpoint
   * ```ts
   * import { BosClient, type UploadCheckpoint } from "@boskit/boskit";
   * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const server = await serve();
   * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
   * await client.createBucket("my-bucket");
   * const stream = new Blob([new Uint8Array(250 * 1024)]).stream(); // e.g. (await fetch(url)).body
   * let transferred = 0;
   * const checkpoints: UploadCheckpoint[] = [];
   * const result = await client.upload("my-bucket", "big.tar", stream, {
   *   partSize: 100 * 1024,
   *   onProgress: (p) => (transferred = p.transferred),
   *   onCheckpoint: (cp) => void checkpoints.push(cp),
   * });
   * assert.equal(result.size, 250 * 1024);
   * assert.equal(transferred, 250 * 1024);
   * assert.equal(checkpoints.at(-1)?.parts.length, 3);
   * await server.close();
   * ```
   */
  upload(bucket: string, key: string, body: BodyInput, options: UploadOptions = {}): Promise<UploadResult> {
    return upload(this, bucket, key, body, options);
  }

  /**
   * Uploads a local file by path (Deno, Bun, Node) with random access, so a resume re-reads only
   * the missing parts. The checkpoint fingerprint is the file's size and modification time.
   *
   * @param bucket Bucket name.
   * @param key Object key.
   * @param path Local file path.
   * @param options As for {@link BosClient.upload}.
   * @returns The upload result.
   *
   * @example Resume a file upload after a crash
   * ```ts
   * import { BosClient, type UploadCheckpoint } from "@boskit/boskit";
   * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const server = await serve({ faults: true });
   * const client = new BosClient({
   *   endpoint: server.url,
   *   credentials: LOCAL_CREDENTIALS,
   *   retry: { maxAttempts: 1 },
   * });
   * await client.createBucket("my-bucket");
   * const dir = await Deno.makeTempDir();
   * await Deno.writeFile(`${dir}/video.mp4`, new Uint8Array(250 * 1024));
   * // The "crash": part 3 fails once.
   * server.handler.faults?.register({ match: { operation: "UploadPart", partNumber: 3 }, faults: ["500"] });
   * const options = {
   *   partSize: 100 * 1024,
   *   concurrency: 1,
   *   onCheckpoint: (cp: UploadCheckpoint) => Deno.writeTextFile(`${dir}/upload.json`, JSON.stringify(cp)),
   * };
   * await assert.rejects(client.uploadFile("my-bucket", "video.mp4", `${dir}/video.mp4`, options));
   * const saved: UploadCheckpoint = JSON.parse(await Deno.readTextFile(`${dir}/upload.json`));
   * const result = await client.uploadFile("my-bucket", "video.mp4", `${dir}/video.mp4`, {
   *   ...options,
   *   resume: saved,
   * });
   * assert.equal(result.partsSent, 1);
   * await Deno.remove(dir, { recursive: true });
   * await server.close();
   * ```
   */
  uploadFile(
    bucket: string,
    key: string,
    path: string,
    options: UploadFileOptions = {},
  ): Promise<UploadResult> {
    return uploadFile(this, bucket, key, path, options);
  }

  /**
   * An appender for log-style writes to an appendable object: tracks the offset, creates the object
   * on first use, and recovers from `OffsetIncorrect` by reading the current length.
   *
   * @param bucket Bucket name.
   * @param key Object key.
   * @param options Headers for the object's creation, known starting offset.
   * @returns The appender.
   *
   * @example Log lines
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const server = await serve();
   * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
   * await client.createBucket("my-bucket");
   * const log = client.appender("my-bucket", "app.log", { contentType: "text/plain" });
   * await log.append("started\n");
   * await log.append("ready\n");
   * assert.equal(log.offset, 14);
   * assert.equal(await (await client.getObject("my-bucket", "app.log")).text(), "started\nready\n");
   * await server.close();
   * ```
   */
  appender(bucket: string, key: string, options: AppenderOptions = {}): Appender {
    return new Appender(this, bucket, key, options);
  }

  /**
   * Copies an object of any size: CopyObject up to the threshold, otherwise a parallel multipart
   * copy (UploadPartCopy with ranges, each conditioned on the source ETag).
   *
   * @param sourceBucket Source bucket.
   * @param sourceKey Source key.
   * @param bucket Destination bucket.
   * @param key Destination key.
   * @param options Part size, concurrency, threshold, metadata, signal.
   * @returns ETag of the copy.
   *
   * @example Copy a large object with 8 parts in flight
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const server = await serve();
   * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
   * await client.createBucket("my-bucket");
   * await client.createBucket("dst-bucket");
   * await client.upload("my-bucket", "huge.bin", new Uint8Array(1024 * 1024), { partSize: 100 * 1024 });
   * // Small parts and threshold, to show a multipart copy of a small object.
   * const options = { concurrency: 8, partSize: 100 * 1024, multipartThreshold: 100 * 1024 };
   * await client.copyLarge("my-bucket", "huge.bin", "dst-bucket", "huge.bin", options);
   * assert.equal((await client.headObject("dst-bucket", "huge.bin")).contentLength, 1024 * 1024);
   * await server.close();
   * ```
   */
  copyLarge(
    sourceBucket: string,
    sourceKey: string,
    bucket: string,
    key: string,
    options: CopyLargeOptions = {},
  ): Promise<CopyObjectResult> {
    return copyLarge(this, sourceBucket, sourceKey, bucket, key, options);
  }

  /**
   * Downloads an object as a stream that survives broken connections: when the body breaks off,
   * it continues with a ranged GET from the last byte received, pinned to the same ETag.
   *
   * @param bucket Bucket name.
   * @param key Object key.
   * @param options Range, resume attempts, signal.
   * @returns Metadata of the object and the resilient body stream.
   *
   * @example Stream an object that survives broken connections
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const server = await serve();
   * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
   * await client.createBucket("my-bucket");
   * await client.putObject("my-bucket", "big.bin", new Uint8Array(256 * 1024));
   * const { body, contentLength } = await client.download("my-bucket", "big.bin");
   * let n = 0;
   * for await (const chunk of body) n += chunk.length;
   * assert.equal(n, contentLength);
   * await server.close();
   * ```
   */
  download(bucket: string, key: string, options: DownloadOptions = {}): Promise<GetObjectResult> {
    return download(this, bucket, key, options);
  }

  /**
   * Downloads an object into a local file (Deno, Bun, Node), resuming broken bodies with ranged
   * GETs; with `resume: true` an existing partial file is continued rather than rewritten.
   *
   * @param bucket Bucket name.
   * @param key Object key.
   * @param path Local file path.
   * @param options Resume, signal.
   * @returns Bytes written and the ETag.
   *
   * @example Download to a file, continuing a partial one
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const server = await serve();
   * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
   * await client.createBucket("my-bucket");
   * await client.putObject("my-bucket", "big.bin", new Uint8Array(256 * 1024));
   * const path = await Deno.makeTempFile();
   * const r = await client.downloadFile("my-bucket", "big.bin", path, { resume: true });
   * assert.equal(r.bytes, 256 * 1024);
   * assert.equal((await Deno.stat(path)).size, 256 * 1024);
   * await Deno.remove(path);
   * await server.close();
   * ```
   */
  downloadFile(
    bucket: string,
    key: string,
    path: string,
    options: DownloadFileOptions = {},
  ): Promise<{ bytes: number; etag: string }> {
    return downloadFile(this, bucket, key, path, options);
  }
}

function checkUploadId(uploadId: string): void {
  if (typeof uploadId !== "string" || uploadId === "") {
    throw invalid(`Upload id must be a non-empty string, got ${JSON.stringify(uploadId)}`);
  }
}

function checkPageSize(name: string, value: number | undefined, profile: Readonly<BosProfile>): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 1 || value > profile.maxListEntries)) {
    throw invalid(`${name} must be between 1 and ${profile.maxListEntries}, got ${value}`);
  }
}

function setReadConditions(h: Headers, o: HeadObjectOptions): void {
  if (o.ifMatch !== undefined) h.set("if-match", o.ifMatch);
  if (o.ifNoneMatch !== undefined) h.set("if-none-match", o.ifNoneMatch);
  if (o.ifModifiedSince !== undefined) h.set("if-modified-since", o.ifModifiedSince.toUTCString());
  if (o.ifUnmodifiedSince !== undefined) h.set("if-unmodified-since", o.ifUnmodifiedSince.toUTCString());
}

function setCopyConditions(h: Headers, o: CopyObjectOptions | UploadPartCopyOptions): void {
  if (o.ifMatch !== undefined) h.set("x-bce-copy-source-if-match", o.ifMatch);
  if (o.ifNoneMatch !== undefined) h.set("x-bce-copy-source-if-none-match", o.ifNoneMatch);
  if (o.ifModifiedSince !== undefined) {
    h.set("x-bce-copy-source-if-modified-since", o.ifModifiedSince.toUTCString());
  }
  if (o.ifUnmodifiedSince !== undefined) {
    h.set("x-bce-copy-source-if-unmodified-since", o.ifUnmodifiedSince.toUTCString());
  }
}

function getResult(res: Response, release: () => void): GetObjectResult {
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
    ...bodyReaders(body),
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
