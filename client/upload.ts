/**
 * The upload engine (`client.upload`, `client.uploadFile`): one PutObject for small bodies, else a
 * multipart upload with bounded memory, concurrency, byte progress, per-part integrity checks and a
 * resumable checkpoint; plus the appender for log-style writes and the parallel multipart copy.
 *
 * @module
 */
import { BosError } from "./errors.ts";
import { crcToDecimal, createIncrementalHash, hash, toBase64, toHex } from "./hash.ts";
import {
  DEFAULT_PART_SIZE,
  type GrowingPartSchedule,
  growingPartSize,
  growingSchedule,
  partOf,
  type PartPlan,
  planParts,
} from "./part_plan.ts";
import { isTransientError } from "./retry.ts";
import { abortError } from "./_async.ts";
import { crc32OfParts } from "./_crc_combine.ts";
import { checkBucket, checkKey, enc, invalid, setObjectHeaders } from "./_http.ts";
import {
  BufferPool,
  fileSource,
  HEAD_BYTES,
  ownerOf,
  type Source,
  type SourceFingerprint,
  sourceOf,
} from "./_source.ts";
import type { BosClient } from "./client.ts";
import type {
  AppendObjectResult,
  BodyInput,
  CopyObjectResult,
  ObjectHeaderOptions,
  ProgressEvent,
  RequestOptions,
} from "./types.ts";

export type { SourceFingerprint } from "./_source.ts";

/**
 * Per-part integrity check, verified by the server (a mismatch is a 400 `BadDigest` and the part is
 * sent again): `crc32` (the default: `x-bce-content-crc32`, CRC32 IEEE, computed natively at many GB/s
 * and also combined into the whole-object CRC32 sent on Complete), `md5` (`Content-MD5`, also compared
 * with the returned ETag; costs ~2 s of CPU per GiB) or `crc32c` (`x-bce-content-crc32c`).
 *
 * @example CRC32C per part instead of MD5
 * ```ts
 * import { BosClient, type Integrity } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * const integrity: Integrity = "crc32c";
 * const result = await client.upload("my-bucket", "big.bin", new Uint8Array(250 * 1024), {
 *   partSize: 100 * 1024,
 *   integrity,
 * });
 * assert.equal(result.multipart, true);
 * assert.equal(result.partCount, 3);
 * await server.close();
 * ```
 */
export type Integrity = "crc32" | "md5" | "crc32c";

/**
 * Options of `client.upload`.
 *
 * @example
 * ```ts
 * import { BosClient, type UploadOptions } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * const transferred: number[] = [];
 * const options: UploadOptions = {
 *   partSize: 100 * 1024, // the minimum part size
 *   concurrency: 2,
 *   contentType: "application/octet-stream",
 *   onProgress: (e) => transferred.push(e.transferred),
 * };
 * const result = await client.upload(
 *   "my-bucket",
 *   "big.bin",
 *   new Blob([new Uint8Array(250 * 1024)]),
 *   options,
 * );
 * assert.equal(result.partCount, 3);
 * assert.equal(transferred.at(-1), 250 * 1024);
 * await server.close();
 * ```
 */
export interface UploadOptions extends RequestOptions, ObjectHeaderOptions {
  /** Preferred part size (the first part size for unknown lengths); default 8 MiB, never below the profile minimum. */
  partSize?: number;
  /**
   * For a stream of unknown length: the largest part size the schedule may grow to (parts start at
   * `partSize` and double every so many parts so that 10000 parts can carry 48.8 TB); default 5 GiB.
   * Set it to `partSize` to keep parts (and memory) fixed; the stream may then be at most
   * `partSize` × 10000 bytes.
   */
  maxPartSize?: number;
  /** Parts in flight at once; default 4. Memory ≈ part size × (concurrency + 1). */
  concurrency?: number;
  /** The length of a `ReadableStream` body, when known (enables a fixed part plan and a total in progress events). */
  size?: number;
  /** Bodies up to this size go as one PutObject; default the part size. */
  multipartThreshold?: number;
  /** Byte-level progress; on resume the first event carries the bytes already uploaded. */
  onProgress?: (event: ProgressEvent) => void;
  /** Receives a JSON-serialisable checkpoint after the upload is initiated and after every part. */
  onCheckpoint?: (checkpoint: UploadCheckpoint) => void | Promise<void>;
  /** Continue the multipart upload of this checkpoint (the body must be the same source). */
  resume?: UploadCheckpoint;
  /** On failure or abort, discard the multipart upload (AbortMultipartUpload) instead of leaving it resumable; default false. */
  abortOnFailure?: boolean;
  /** Per-part integrity check; default `crc32` (or the checkpoint's when resuming). */
  integrity?: Integrity;
  /** How many times a part whose checksum does not match is sent again before failing; default 2. */
  integrityRetries?: number;
  /** A caller-chosen identity of a stream source, stored in the checkpoint fingerprint. */
  sourceId?: string;
  /** Ignored by the engine (part checksums are always sent per `integrity`). */
  contentMD5?: boolean | string;
  /** Ignored by the engine: use `integrity: "crc32c"`. */
  crc32c?: boolean;
}

/**
 * Options of `client.uploadFile`.
 *
 * @example
 * ```ts
 * import { BosClient, type UploadFileOptions } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * const path = await Deno.makeTempFile();
 * await Deno.writeFile(path, new Uint8Array(250 * 1024));
 * const options: UploadFileOptions = { partSize: 100 * 1024, concurrency: 2 };
 * const result = await client.uploadFile("my-bucket", "file.bin", path, options);
 * assert.deepEqual([result.size, result.partCount], [250 * 1024, 3]);
 * await Deno.remove(path);
 * await server.close();
 * ```
 */
export type UploadFileOptions = Omit<UploadOptions, "size" | "sourceId">;

/**
 * A completed part as recorded in a checkpoint.
 *
 * @example
 * ```ts
 * import { BosClient, type CheckpointPart, type UploadCheckpoint } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * const checkpoints: UploadCheckpoint[] = [];
 * const body = new Uint8Array(250 * 1024);
 * await client.upload("my-bucket", "big.bin", body, {
 *   partSize: 100 * 1024,
 *   onCheckpoint: (c) => void checkpoints.push(c),
 * });
 * const parts: CheckpointPart[] = checkpoints.at(-1)!.parts;
 * assert.deepEqual(parts.map((p) => [p.partNumber, p.size]), [[1, 102400], [2, 102400], [3, 51200]]);
 * await server.close();
 * ```
 */
export interface CheckpointPart {
  /** Part number. */
  partNumber: number;
  /** ETag returned by UploadPart. */
  etag: string;
  /** Bytes in the part. */
  size: number;
  /** Decimal CRC32 (IEEE) of the part's bytes, when known (absent in checkpoints of older versions). */
  crc32?: string;
}

/**
 * The part plan stored in a checkpoint.
 *
 * @example A body of known length gets a fixed plan, a stream of unknown length a growing one
 * ```ts
 * import { BosClient, type CheckpointPlan, type UploadCheckpoint } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * const plans: CheckpointPlan[] = [];
 * const onCheckpoint = (c: UploadCheckpoint) => void plans.push(c.plan);
 * const bytes = new Uint8Array(250 * 1024);
 * await client.upload("my-bucket", "a.bin", bytes, { partSize: 100 * 1024, onCheckpoint });
 * await client.upload("my-bucket", "b.bin", new Blob([bytes]).stream(), {
 *   partSize: 100 * 1024,
 *   onCheckpoint,
 * });
 * assert.equal(plans[0].kind, "fixed");
 * assert.equal(plans.at(-1)?.kind, "growing");
 * await server.close();
 * ```
 */
export type CheckpointPlan =
  | { kind: "fixed"; size: number; partSize: number; partCount: number }
  | ({ kind: "growing" } & GrowingPartSchedule);

/**
 * Everything needed to resume a multipart upload; plain JSON.
 *
 * @example Resuming after a part failed
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
 * server.handler.faults?.register({ match: { operation: "UploadPart", partNumber: 3 }, faults: ["500"] });
 * const body = new Uint8Array(250 * 1024);
 * let saved = "";
 * const options = {
 *   partSize: 100 * 1024,
 *   concurrency: 1,
 *   onCheckpoint: (c: UploadCheckpoint) => void (saved = JSON.stringify(c)),
 * };
 * await assert.rejects(client.upload("my-bucket", "big.bin", body, options), { status: 500 });
 * const checkpoint: UploadCheckpoint = JSON.parse(saved);
 * assert.equal(checkpoint.parts.length, 2);
 * const result = await client.upload("my-bucket", "big.bin", body, { ...options, resume: checkpoint });
 * assert.equal(result.partsSent, 1);
 * await server.close();
 * ```
 */
export interface UploadCheckpoint {
  /** Format version (1). */
  version: 1;
  /** Bucket. */
  bucket: string;
  /** Key. */
  key: string;
  /** The multipart upload id. */
  uploadId: string;
  /** The part plan. */
  plan: CheckpointPlan;
  /** The integrity mode used. */
  integrity: Integrity;
  /** What the source was: size + mtime for files, size + SHA-256 of the first 64 KiB for bytes/Blobs, id and/or head hash for streams. */
  source: SourceFingerprint;
  /** Parts known to be uploaded, ascending. */
  parts: CheckpointPart[];
}

/**
 * Result of an upload.
 *
 * @example
 * ```ts
 * import { BosClient, type UploadResult } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * const small: UploadResult = await client.upload("my-bucket", "small.txt", "hello");
 * assert.deepEqual([small.multipart, small.partCount, small.size], [false, 1, 5]);
 * const big: UploadResult = await client.upload("my-bucket", "big.bin", new Uint8Array(250 * 1024), {
 *   partSize: 100 * 1024,
 * });
 * assert.deepEqual([big.multipart, big.partCount, big.partsSent], [true, 3, 3]);
 * assert(big.uploadId && big.crc32);
 * await server.close();
 * ```
 */
export interface UploadResult {
  /** ETag of the object. */
  etag: string;
  /** Bytes uploaded in total (the object size). */
  size: number;
  /** Whether a multipart upload was used. */
  multipart: boolean;
  /** The number of parts (1 for a simple put). */
  partCount: number;
  /** The multipart upload id. */
  uploadId?: string;
  /** CRC32C returned by the server, when asked for. */
  crc32c?: string;
  /**
   * Decimal CRC32 (IEEE) of the whole object, sent as `x-bce-content-crc32` with it (so the server
   * checked the stored object against it): on CompleteMultipartUpload, combined from the parts'
   * CRC32s, or on the PutObject of a simple put with the default `crc32` integrity (with another
   * mode, the CRC32 the server returned, if any). Absent when a part's CRC32 is unknown (a resumed
   * upload whose checkpoint did not record it).
   */
  crc32?: string;
  /** Request id of the final request. */
  requestId?: string;
  /** Parts sent by this call (not counting parts skipped on resume). */
  partsSent: number;
}

const DEFAULT_CONCURRENCY = 4;

function checkpointMismatch(message: string): BosError {
  return new BosError({ status: 0, code: "CheckpointMismatch", message });
}

function sameFingerprint(a: SourceFingerprint, b: SourceFingerprint): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "file" && b.kind === "file") return a.size === b.size && a.mtimeMs === b.mtimeMs;
  if (a.kind === "bytes" && b.kind === "bytes") return a.size === b.size && a.headSha256 === b.headSha256;
  if (a.kind === "stream" && b.kind === "stream") {
    if (a.size !== b.size || a.id !== b.id) return false;
    return a.headSha256 === undefined || b.headSha256 === undefined || a.headSha256 === b.headSha256;
  }
  return false;
}

/** The checksum a part or object is sent with; `crc32` is the part's CRC32, computed in any case. */
async function digestOf(
  integrity: Integrity,
  data: Uint8Array,
  crc32: string,
): Promise<{ md5?: Uint8Array; crc32c?: string; crc32?: string }> {
  if (integrity === "crc32c") return { crc32c: crcToDecimal(await hash("crc32c", data)) };
  if (integrity === "md5") return { md5: await hash("md5", data) };
  return { crc32 };
}

/** Decimal CRC32 (IEEE) of a part's bytes, for the whole-object CRC32 sent on Complete. */
async function crc32Of(data: Uint8Array): Promise<string> {
  const h = await createIncrementalHash("crc32");
  h.update(data);
  return crcToDecimal(h.digest());
}

/** A checkpoint's part record with only the known fields (a malformed `crc32` is dropped). */
function partRecord(p: CheckpointPart): CheckpointPart {
  const known = typeof p.crc32 === "string" && /^\d{1,10}$/.test(p.crc32) && Number(p.crc32) <= 0xffffffff;
  return known
    ? { partNumber: p.partNumber, etag: p.etag, size: p.size, crc32: p.crc32 }
    : { partNumber: p.partNumber, etag: p.etag, size: p.size };
}

/** Links an internal controller to the caller's signal. */
function linkedController(signal?: AbortSignal): { controller: AbortController; unlink: () => void } {
  const controller = new AbortController();
  if (!signal) return { controller, unlink: () => {} };
  const onAbort = () => controller.abort(signal.reason);
  if (signal.aborted) onAbort();
  else signal.addEventListener("abort", onAbort, { once: true });
  return { controller, unlink: () => signal.removeEventListener("abort", onAbort) };
}

class Progress {
  transferred = 0;
  constructor(readonly total: number | undefined, readonly emit?: (e: ProgressEvent) => void) {}
  add(increment: number): void {
    if (increment <= 0) return;
    this.transferred += increment;
    this.emit?.({ increment, transferred: this.transferred, total: this.total });
  }
  /** A per-part counter that keeps its high-water mark across attempts. */
  part(): (position: number) => void {
    let high = 0;
    return (position) => {
      if (position > high) {
        this.add(position - high);
        high = position;
      }
    };
  }
}

/**
 * Uploads a body with the engine; see {@link BosClient.upload}.
 *
 * @param client The client.
 * @param bucket Bucket name.
 * @param key Object key.
 * @param body Bytes, text, Blob or stream.
 * @param options Upload options.
 * @returns The result.
 *
 * @example Upload a stream of unknown length with progress and a checkpoint
 * ```ts
 * import { BosClient, upload, type UploadCheckpoint } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * const stream = new Blob([new Uint8Array(250 * 1024)]).stream(); // e.g. (await fetch(url)).body
 * let transferred = 0;
 * const checkpoints: UploadCheckpoint[] = [];
 * const result = await upload(client, "my-bucket", "big.tar", stream, {
 *   partSize: 100 * 1024,
 *   onProgress: (p) => (transferred = p.transferred),
 *   onCheckpoint: (cp) => void checkpoints.push(cp),
 * });
 * assert.deepEqual([result.size, transferred], [250 * 1024, 250 * 1024]);
 * assert.equal(checkpoints.at(-1)?.uploadId, result.uploadId);
 * await server.close();
 * ```
 */
export async function upload(
  client: BosClient,
  bucket: string,
  key: string,
  body: BodyInput,
  options: UploadOptions = {},
): Promise<UploadResult> {
  const source = sourceOf(body, options.size, options.sourceId);
  try {
    return await runUpload(client, bucket, key, source, options);
  } finally {
    await source.close().catch(() => {});
  }
}

/**
 * Uploads a local file by path; see {@link BosClient.uploadFile}.
 *
 * @param client The client.
 * @param bucket Bucket name.
 * @param key Object key.
 * @param path Local path.
 * @param options Upload options.
 * @returns The result.
 *
 * @example Resume an upload from a saved checkpoint
 * ```ts
 * import { BosClient, type UploadCheckpoint, uploadFile } from "@boskit/boskit";
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
 * const path = await Deno.makeTempFile();
 * await Deno.writeFile(path, new Uint8Array(250 * 1024));
 * server.handler.faults?.register({ match: { operation: "UploadPart", partNumber: 3 }, faults: ["500"] });
 * let saved = "";
 * const options = {
 *   partSize: 100 * 1024,
 *   concurrency: 1,
 *   onCheckpoint: (cp: UploadCheckpoint) => void (saved = JSON.stringify(cp)),
 * };
 * await assert.rejects(uploadFile(client, "my-bucket", "video.mp4", path, options));
 * const result = await uploadFile(client, "my-bucket", "video.mp4", path, {
 *   ...options,
 *   resume: JSON.parse(saved),
 * });
 * assert.deepEqual([result.partCount, result.partsSent], [3, 1]);
 * await Deno.remove(path);
 * await server.close();
 * ```
 */
export async function uploadFile(
  client: BosClient,
  bucket: string,
  key: string,
  path: string,
  options: UploadFileOptions = {},
): Promise<UploadResult> {
  const source = await fileSource(path);
  try {
    return await runUpload(client, bucket, key, source, options);
  } finally {
    await source.close().catch(() => {});
  }
}

function headerOptions(o: UploadOptions): ObjectHeaderOptions {
  return {
    contentType: o.contentType,
    contentDisposition: o.contentDisposition,
    cacheControl: o.cacheControl,
    contentEncoding: o.contentEncoding,
    expires: o.expires,
    userMeta: o.userMeta,
    storageClass: o.storageClass,
  };
}

async function runUpload(
  client: BosClient,
  bucket: string,
  key: string,
  source: Source,
  options: UploadOptions,
): Promise<UploadResult> {
  // A checkpoint written before crc32 became the default resumes with the mode it was made with.
  const integrity: Integrity = options.integrity ?? options.resume?.integrity ?? "crc32";
  if (integrity !== "crc32" && integrity !== "md5" && integrity !== "crc32c") {
    throw invalid(`Integrity must be "crc32", "md5" or "crc32c", got ${JSON.stringify(integrity)}`);
  }
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    throw invalid(`Concurrency must be an integer between 1 and 64, got ${concurrency}`);
  }
  if (options.signal?.aborted) throw abortError(options.signal);
  checkBucket(bucket);
  checkKey(key, client.profile);
  // Validate headers and metadata before any byte is sent.
  // (initiate/put validate again; this makes the stream path fail before reading.)
  setObjectHeaders(new Headers(), headerOptions(options), client.profile);

  if (options.resume) {
    return await resumeOrStart(client, bucket, key, source, options, integrity, concurrency);
  }

  const partSize = options.partSize ?? DEFAULT_PART_SIZE;
  if (source.size !== undefined) {
    const plan = planParts(source.size, { partSize, profile: client.profile });
    const threshold = options.multipartThreshold ?? plan.partSize;
    if (source.size <= Math.min(threshold, client.profile.maxPutObjectSize)) {
      const data = source.randomAccess
        ? await source.readAt(0, source.size)
        : await source.readNext(source.size, new Uint8Array(source.size));
      if (!source.randomAccess) await expectEnd(source, source.size);
      return await simplePut(client, bucket, key, data, options, integrity);
    }
    const fixed: CheckpointPlan = { kind: "fixed", ...plan };
    return await multipart(client, bucket, key, source, options, integrity, concurrency, fixed, undefined);
  }
  // Unknown length: read ahead until we know whether more than one part is needed.
  // The two read-ahead buffers come from the pool the multipart upload goes on to use.
  const schedule = growingSchedule({ partSize, maxPartSize: options.maxPartSize, profile: client.profile });
  const pool = new BufferPool(concurrency + 1);
  let firstBuffer = await pool.acquire(schedule.initialPartSize);
  const first = await source.readNext(schedule.initialPartSize, firstBuffer);
  firstBuffer = ownerOf(firstBuffer, first);
  if (first.length < schedule.initialPartSize) {
    return await simplePut(client, bucket, key, first, options, integrity);
  }
  let secondBuffer = await pool.acquire(growingPartSize(schedule, 2));
  const second = await source.readNext(growingPartSize(schedule, 2), secondBuffer);
  secondBuffer = ownerOf(secondBuffer, second);
  if (second.length === 0) return await simplePut(client, bucket, key, first, options, integrity);
  const growing: CheckpointPlan = { kind: "growing", ...schedule };
  return await multipart(client, bucket, key, source, options, integrity, concurrency, growing, undefined, [
    { data: first, buffer: firstBuffer },
    { data: second, buffer: secondBuffer },
  ], pool);
}

async function expectEnd(source: Source, size: number): Promise<void> {
  const extra = await source.readNext(1, new Uint8Array(1));
  if (extra.length > 0) {
    throw invalid(`The stream is longer than the size given (${size} bytes); pass the right size or none`);
  }
}

async function simplePut(
  client: BosClient,
  bucket: string,
  key: string,
  data: Uint8Array,
  options: UploadOptions,
  integrity: Integrity,
): Promise<UploadResult> {
  const progress = new Progress(data.length, options.onProgress);
  const track = progress.part();
  const digest = await digestOf(integrity, data, await crc32Of(data));
  const attempts = (options.integrityRetries ?? 2) + 1;
  for (let attempt = 1;; attempt++) {
    try {
      const r = await client.putObject(bucket, key, data, {
        ...headerOptions(options),
        contentMD5: digest.md5 ? toBase64(digest.md5) : undefined,
        crc32c: integrity === "crc32c",
        crc32: digest.crc32,
        signal: options.signal,
        onProgress: (e) => track(e.transferred),
      });
      const mismatch = integrityMismatch(integrity, digest, r.etag, r.crc32c, r.crc32);
      if (mismatch) {
        if (attempt < attempts) continue;
        throw new BosError({ status: 0, code: "BadDigest", message: `${key}: ${mismatch}` });
      }
      track(data.length);
      return {
        etag: r.etag,
        size: data.length,
        multipart: false,
        partCount: 1,
        crc32c: r.crc32c,
        crc32: r.crc32 ?? digest.crc32,
        requestId: r.requestId,
        partsSent: 1,
      };
    } catch (e) {
      if (e instanceof BosError && e.code === "BadDigest" && e.status !== 0 && attempt < attempts) continue;
      throw e;
    }
  }
}

function integrityMismatch(
  integrity: Integrity,
  digest: { md5?: Uint8Array; crc32c?: string; crc32?: string },
  etag: string,
  crc32c: string | undefined,
  crc32?: string,
): string | undefined {
  if (integrity === "md5" && digest.md5) {
    const hex = toHex(digest.md5);
    if (etag && etag.toLowerCase() !== hex) {
      return `the server stored ETag ${etag} but the data's MD5 is ${hex}`;
    }
  }
  if (integrity === "crc32c" && crc32c !== undefined && crc32c !== digest.crc32c) {
    return `the server computed CRC32C ${crc32c} but the data's CRC32C is ${digest.crc32c}`;
  }
  if (integrity === "crc32" && crc32 !== undefined && crc32 !== digest.crc32) {
    return `the server computed CRC32 ${crc32} but the data's CRC32 is ${digest.crc32}`;
  }
  return undefined;
}

async function resumeOrStart(
  client: BosClient,
  bucket: string,
  key: string,
  source: Source,
  options: UploadOptions,
  integrity: Integrity,
  concurrency: number,
): Promise<UploadResult> {
  const cp = options.resume!;
  if (!cp || cp.version !== 1 || typeof cp.uploadId !== "string" || !cp.plan || !Array.isArray(cp.parts)) {
    throw checkpointMismatch(
      "The checkpoint is not a version 1 upload checkpoint; start a new upload without resume",
    );
  }
  if (cp.bucket !== bucket || cp.key !== key) {
    throw checkpointMismatch(
      `The checkpoint is for ${cp.bucket}/${cp.key}, not ${bucket}/${key}; resume with the matching bucket and key`,
    );
  }
  if (cp.integrity !== integrity) {
    throw checkpointMismatch(
      `The checkpoint used integrity ${cp.integrity}, not ${integrity}; resume with the same integrity`,
    );
  }
  if (cp.source.kind !== "stream" || source.randomAccess) {
    const now = await source.fingerprint();
    if (!sameFingerprint(cp.source, now)) {
      throw checkpointMismatch(
        `The source changed since the checkpoint (was ${JSON.stringify(cp.source)}, now ${
          JSON.stringify(now)
        }); start a new upload`,
      );
    }
  } else if (cp.source.size !== source.size || cp.source.id !== options.sourceId) {
    throw checkpointMismatch(
      "The stream's size or sourceId differs from the checkpoint's; start a new upload",
    );
  }
  return await multipart(client, bucket, key, source, options, integrity, concurrency, cp.plan, cp);
}

interface PartSpec {
  partNumber: number;
  offset: number;
  size: number;
}

function planSpec(plan: CheckpointPlan, partNumber: number, offset: number): PartSpec | undefined {
  if (plan.kind === "fixed") {
    if (partNumber > plan.partCount) return undefined;
    return partOf(plan as PartPlan, partNumber);
  }
  if (partNumber > plan.maxPartNumber) return undefined;
  return { partNumber, offset, size: growingPartSize(plan, partNumber) };
}

async function multipart(
  client: BosClient,
  bucket: string,
  key: string,
  source: Source,
  options: UploadOptions,
  integrity: Integrity,
  concurrency: number,
  plan: CheckpointPlan,
  resume: UploadCheckpoint | undefined,
  prefetched: { data: Uint8Array; buffer: Uint8Array }[] = [],
  pool: BufferPool = new BufferPool(concurrency + 1),
): Promise<UploadResult> {
  const { controller, unlink } = linkedController(options.signal);
  const signal = controller.signal;
  const total = plan.kind === "fixed" ? plan.size : undefined;
  const progress = new Progress(total, options.onProgress);
  const done = new Map<number, CheckpointPart>();
  let uploadId: string;
  let fingerprint: SourceFingerprint;
  let partsSent = 0;
  let lastRequestId: string | undefined;
  const integrityAttempts = (options.integrityRetries ?? 2) + 1;
  /** Parts present on the server that the checkpoint did not record: verified by hashing before skipping. */
  const unverified = new Map<number, { etag: string; size: number }>();

  if (resume) {
    uploadId = resume.uploadId;
    fingerprint = resume.source;
    const recorded = new Map(resume.parts.map((p) => [p.partNumber, p]));
    try {
      for await (const p of client.listAllParts(bucket, key, uploadId, { signal })) {
        const r = recorded.get(p.partNumber);
        if (r && r.etag === p.etag && r.size === p.size) done.set(p.partNumber, partRecord(r));
        else unverified.set(p.partNumber, { etag: p.etag, size: p.size });
      }
    } catch (e) {
      unlink();
      if (e instanceof BosError && e.code === "NoSuchUpload") {
        throw new BosError({
          status: e.status,
          code: e.code,
          message:
            `The checkpoint's upload ${uploadId} no longer exists (completed or aborted); start a new upload without resume`,
          requestId: e.requestId,
          cause: e,
        });
      }
      throw e;
    }
  } else {
    try {
      uploadId =
        (await client.initiateMultipartUpload(bucket, key, { ...headerOptions(options), signal })).uploadId;
    } catch (e) {
      unlink();
      throw e;
    }
    fingerprint = source.randomAccess
      ? await source.fingerprint()
      : await source.fingerprint(prefetched[0]?.data.subarray(0, HEAD_BYTES));
  }

  const checkpoint = (): UploadCheckpoint => ({
    version: 1,
    bucket,
    key,
    uploadId,
    plan: { ...plan },
    integrity,
    source: { ...fingerprint },
    parts: [...done.values()].sort((a, b) => a.partNumber - b.partNumber).map((p) => ({ ...p })),
  });
  let checkpointChain = Promise.resolve();
  const emitCheckpoint = () => {
    if (!options.onCheckpoint) return Promise.resolve();
    const cp = checkpoint();
    checkpointChain = checkpointChain.then(() => options.onCheckpoint!(cp));
    return checkpointChain;
  };
  if (!resume) await emitCheckpoint();

  const alreadyDone = [...done.values()].reduce((n, p) => n + p.size, 0);
  progress.add(alreadyDone);

  const inFlight = new Set<Promise<void>>();
  let failure: unknown;

  const sendPart = async (spec: PartSpec, data: Uint8Array): Promise<void> => {
    const track = progress.part();
    const crc32 = await crc32Of(data);
    const digest = await digestOf(integrity, data, crc32);
    for (let attempt = 1;; attempt++) {
      try {
        const r = await client.uploadPart(bucket, key, uploadId, spec.partNumber, data, {
          contentMD5: digest.md5 ? toBase64(digest.md5) : undefined,
          crc32c: digest.crc32c,
          crc32: digest.crc32,
          signal,
          onProgress: (e) => track(e.transferred),
        });
        partsSent++;
        lastRequestId = r.requestId;
        const mismatch = integrityMismatch(integrity, digest, r.etag, r.crc32c, r.crc32);
        if (mismatch) {
          if (attempt < integrityAttempts) continue;
          throw new BosError({
            status: 0,
            code: "BadDigest",
            message: `Part ${spec.partNumber} of ${key}: ${mismatch}`,
          });
        }
        track(data.length);
        done.set(spec.partNumber, { partNumber: spec.partNumber, etag: r.etag, size: data.length, crc32 });
        await emitCheckpoint();
        return;
      } catch (e) {
        if (
          e instanceof BosError && e.code === "BadDigest" && e.status !== 0 && attempt < integrityAttempts
        ) continue;
        throw e;
      }
    }
  };

  const launch = (spec: PartSpec, data: Uint8Array, buffer: Uint8Array | undefined) => {
    const task: Promise<void> = sendPart(spec, data)
      .catch((e) => {
        failure ??= e;
        controller.abort(e);
      })
      .finally(() => {
        if (buffer) pool.release(buffer);
        inFlight.delete(task);
      });
    inFlight.add(task);
  };

  const matchesServer = async (partNumber: number, data: Uint8Array): Promise<boolean> => {
    const known = done.get(partNumber) ?? unverified.get(partNumber);
    if (!known || known.size !== data.length) return false;
    return toHex(await hash("md5", data)) === known.etag.toLowerCase();
  };

  let offset = 0;
  let streamBytes = 0;
  try {
    for (let partNumber = 1;; partNumber++) {
      if (failure !== undefined || signal.aborted) break;
      const spec = planSpec(plan, partNumber, offset);
      if (!spec) {
        if (plan.kind === "growing" || !source.randomAccess) {
          const extra = prefetched.length
            ? prefetched.map((p) => p.data)
            : [await source.readNext(1, new Uint8Array(1))];
          if (extra[0] && extra[0].length > 0) {
            throw new BosError({
              status: 0,
              code: plan.kind === "growing" ? "EntityTooLarge" : "InvalidArgument",
              message: plan.kind === "growing"
                ? `The stream is longer than ${offset} bytes, more than ${plan.maxPartNumber} parts can carry; pass its size`
                : `The stream is longer than the size given (${plan.size} bytes); pass the right size or none`,
            });
          }
        }
        break;
      }
      if (source.randomAccess) {
        offset += spec.size;
        if (spec.size === 0 && partNumber > 1) break;
        if (done.has(spec.partNumber)) continue;
        if (unverified.has(spec.partNumber)) {
          const data = await source.readAt(spec.offset, spec.size);
          if (await matchesServer(spec.partNumber, data)) {
            const u = unverified.get(spec.partNumber)!;
            const crc32 = await crc32Of(data);
            done.set(spec.partNumber, { partNumber: spec.partNumber, etag: u.etag, size: u.size, crc32 });
            progress.add(u.size);
            await emitCheckpoint();
            continue;
          }
        }
        const buffer = source.needsBuffer ? await pool.acquire(spec.size) : undefined;
        if (failure !== undefined || signal.aborted) {
          if (buffer) pool.release(buffer);
          break;
        }
        const data = await source.readAt(spec.offset, spec.size, buffer);
        while (inFlight.size >= concurrency) await Promise.race(inFlight);
        if (failure !== undefined || signal.aborted) {
          if (buffer) pool.release(buffer);
          break;
        }
        launch(spec, data, buffer);
        continue;
      }
      // Sequential source.
      let buffer: Uint8Array | undefined;
      let data: Uint8Array;
      if (prefetched.length) ({ data, buffer } = prefetched.shift()!);
      else {
        buffer = await pool.acquire(spec.size);
        data = await source.readNext(spec.size, buffer);
        buffer = ownerOf(buffer, data);
      }
      if (partNumber === 1 && resume && resume.source.kind === "stream" && resume.source.headSha256) {
        const now = await source.fingerprint(data.subarray(0, HEAD_BYTES));
        if (now.kind === "stream" && now.headSha256 !== resume.source.headSha256) {
          if (buffer) pool.release(buffer);
          throw checkpointMismatch(
            "The stream's first bytes differ from the checkpoint's; start a new upload",
          );
        }
      }
      streamBytes += data.length;
      offset += data.length;
      if (data.length === 0 && partNumber > 1) {
        if (buffer) pool.release(buffer);
        break;
      }
      const last = data.length < spec.size;
      if (plan.kind === "fixed" && last && offset !== plan.size) {
        if (buffer) pool.release(buffer);
        throw invalid(`The stream ended after ${offset} bytes but its size was given as ${plan.size}`);
      }
      if ((done.has(partNumber) || unverified.has(partNumber)) && await matchesServer(partNumber, data)) {
        const known = done.get(partNumber);
        if (!known) {
          const u = unverified.get(partNumber)!;
          done.set(partNumber, { partNumber, etag: u.etag, size: u.size, crc32: await crc32Of(data) });
          progress.add(u.size);
          await emitCheckpoint();
        } else if (known.crc32 === undefined) {
          // The bytes are here anyway (a stream is read in full): learn the CRC32 an older checkpoint lacks.
          known.crc32 = await crc32Of(data);
        }
        if (buffer) pool.release(buffer);
        if (last) break;
        continue;
      }
      done.delete(partNumber);
      while (inFlight.size >= concurrency) await Promise.race(inFlight);
      if (failure !== undefined || signal.aborted) {
        if (buffer) pool.release(buffer);
        break;
      }
      launch(spec, data, buffer);
      if (last) break;
    }
  } catch (e) {
    failure ??= e;
    controller.abort(e);
  }
  await Promise.allSettled([...inFlight]);
  await checkpointChain.catch(() => {});
  unlink();

  if (failure !== undefined || signal.aborted) {
    const error = options.signal?.aborted
      ? abortError(options.signal)
      : failure instanceof BosError
      ? failure
      : new BosError({
        status: 0,
        code: "UploadFailed",
        message: `Upload of ${key} failed: ${failure}`,
        cause: failure,
      });
    if (options.abortOnFailure) {
      await client.abortMultipartUpload(bucket, key, uploadId).catch(() => {});
    }
    throw error;
  }

  const size = plan.kind === "fixed" ? plan.size : streamBytes;
  const parts = [...done.values()].sort((a, b) => a.partNumber - b.partNumber);
  const sum = parts.reduce((n, p) => n + p.size, 0);
  if (sum !== size && source.randomAccess) {
    throw new BosError({
      status: 0,
      code: "UploadFailed",
      message: `Parts of ${key} add up to ${sum} bytes but the source has ${size}; resume again`,
    });
  }
  const crc32 = crc32OfParts(parts);
  try {
    const r = await completeReconciled(client, bucket, key, uploadId, parts, sum, crc32, options);
    return {
      etag: r.etag,
      size: sum,
      multipart: true,
      partCount: parts.length,
      uploadId,
      crc32c: r.crc32c,
      crc32,
      requestId: r.requestId ?? lastRequestId,
      partsSent,
    };
  } catch (e) {
    if (options.abortOnFailure && !(e instanceof BosError && e.code === "NoSuchUpload")) {
      await client.abortMultipartUpload(bucket, key, uploadId).catch(() => {});
    }
    throw e;
  }
}

/**
 * Complete (with the whole object's CRC32, when known, for the server to check); when the answer is
 * lost or transient (network error, timeout, 5xx), find out whether it happened (ListParts: is the
 * upload still there?) before sending it again.
 */
async function completeReconciled(
  client: BosClient,
  bucket: string,
  key: string,
  uploadId: string,
  parts: CheckpointPart[],
  size: number,
  crc32: string | undefined,
  options: UploadOptions,
): Promise<{ etag: string; crc32c?: string; requestId?: string }> {
  const list = parts.map((p) => ({ partNumber: p.partNumber, etag: p.etag }));
  for (let attempt = 1;; attempt++) {
    try {
      return await client.completeMultipartUpload(bucket, key, uploadId, list, {
        crc32,
        signal: options.signal,
      });
    } catch (e) {
      if (!isTransientError(e) || attempt >= 3) throw e;
      // Did the lost Complete happen? If the upload is gone and the object has the size, it did.
      try {
        await client.listParts(bucket, key, uploadId, { maxParts: 1, signal: options.signal });
      } catch (probe) {
        if (probe instanceof BosError && probe.code === "NoSuchUpload") {
          const head = await client.headObject(bucket, key, { signal: options.signal });
          if (head.contentLength === size) return { etag: head.etag, requestId: head.requestId };
          throw e;
        }
        throw e;
      }
    }
  }
}

// -------------------------------------------------------------------------------------------------
// Appender

/**
 * Options of `client.appender`.
 *
 * @example An appender that knows the current length
 * ```ts
 * import { BosClient, type AppenderOptions } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * await client.appendObject("my-bucket", "app.log", "boot\n");
 * const options: AppenderOptions = { offset: 5, contentType: "text/plain" };
 * const log = client.appender("my-bucket", "app.log", options);
 * await log.append("ready\n");
 * assert.equal(log.offset, 11);
 * assert.equal(await (await client.getObject("my-bucket", "app.log")).text(), "boot\nready\n");
 * await server.close();
 * ```
 */
export interface AppenderOptions extends ObjectHeaderOptions {
  /** The current length of the object, when known (skips the first HEAD). */
  offset?: number;
}

/**
 * Log-style writes to an appendable object: tracks the offset, creates the object on the first
 * write when it does not exist, serialises concurrent `append` calls, and recovers from
 * `OffsetIncorrect`: it reads the current length with HEAD, recognises its own earlier write that
 * landed although the answer was lost (by reading those bytes back), and otherwise appends after
 * whatever another writer added.
 *
 * @example
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
export class Appender {
  #offset: number | undefined;
  #chain: Promise<unknown> = Promise.resolve();

  /**
   * Creates an appender (no request is sent until the first append).
   *
   * @param client The client.
   * @param bucket Bucket name.
   * @param key Object key.
   * @param options Headers for creation and the known offset.
   */
  constructor(
    readonly client: BosClient,
    readonly bucket: string,
    readonly key: string,
    readonly options: AppenderOptions = {},
  ) {
    this.#offset = options.offset;
  }

  /**
   * The offset of the next append (the object length), once known.
   *
   * @example Unknown until the first append (or a given starting offset)
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import assert from "node:assert/strict";
   *
   * const client = new BosClient({ endpoint: "http://127.0.0.1:8080", credentials: { accessKeyId: "ak", secretAccessKey: "sk" } });
   * assert.equal(client.appender("my-bucket", "a.log").offset, undefined);
   * assert.equal(client.appender("my-bucket", "a.log", { offset: 42 }).offset, 42);
   * ```
   */
  get offset(): number | undefined {
    return this.#offset;
  }

  /**
   * Appends bytes (text is UTF-8).
   *
   * @param data The bytes.
   * @param options Signal.
   * @returns ETag and next offset.
   *
   * @example
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const server = await serve();
   * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
   * await client.createBucket("my-bucket");
   * const log = client.appender("my-bucket", "app.log");
   * const r = await log.append("line\n");
   * assert.equal(r.nextAppendOffset, log.offset);
   * assert.equal(log.offset, 5);
   * await server.close();
   * ```
   */
  append(data: Uint8Array | string, options: RequestOptions = {}): Promise<AppendObjectResult> {
    const run = this.#chain.then(() =>
      this.#append(typeof data === "string" ? enc.encode(data) : data, options)
    );
    this.#chain = run.catch(() => {});
    return run;
  }

  async #append(bytes: Uint8Array, options: RequestOptions): Promise<AppendObjectResult> {
    const { client, bucket, key } = this;
    const headers = { ...this.options, offset: undefined };
    if (this.#offset === undefined) {
      try {
        const meta = await client.headObject(bucket, key, options);
        if (meta.objectType !== undefined && meta.objectType !== "Appendable") {
          throw new BosError({
            status: 0,
            code: "ObjectUnappendable",
            message:
              `${key} is a ${meta.objectType} object, not appendable; delete it or append to another key`,
          });
        }
        this.#offset = meta.nextAppendOffset ?? meta.contentLength;
      } catch (e) {
        if (!(e instanceof BosError) || e.code !== "NoSuchKey") throw e;
        const r = await client.appendObject(bucket, key, bytes, { ...headers, signal: options.signal });
        this.#offset = r.nextAppendOffset;
        return r;
      }
    }
    const offset = this.#offset;
    try {
      const r = await client.appendObject(bucket, key, bytes, { offset, signal: options.signal });
      this.#offset = r.nextAppendOffset;
      return r;
    } catch (e) {
      if (!(e instanceof BosError) || e.code !== "OffsetIncorrect") throw e;
      const meta = await client.headObject(bucket, key, options);
      const length = meta.nextAppendOffset ?? meta.contentLength;
      if (length === offset + bytes.length && bytes.length > 0) {
        const got = await (await client.getObject(bucket, key, {
          range: { start: offset, end: length - 1 },
          ifMatch: meta.etag || undefined,
          signal: options.signal,
        })).bytes();
        if (got.length === bytes.length && got.every((b, i) => b === bytes[i])) {
          this.#offset = length;
          return { etag: meta.etag, nextAppendOffset: length, requestId: meta.requestId };
        }
      }
      const r = await client.appendObject(bucket, key, bytes, { offset: length, signal: options.signal });
      this.#offset = r.nextAppendOffset;
      return r;
    }
  }
}

// -------------------------------------------------------------------------------------------------
// Parallel copy

/**
 * Options of `client.copyLarge`.
 *
 * @example
 * ```ts
 * import { BosClient, type CopyLargeOptions } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * await client.upload("my-bucket", "big.bin", new Uint8Array(250 * 1024), { partSize: 100 * 1024 });
 * const options: CopyLargeOptions = { multipartThreshold: 100 * 1024, partSize: 100 * 1024, concurrency: 2 };
 * await client.copyLarge("my-bucket", "big.bin", "my-bucket", "copy.bin", options);
 * assert.equal((await client.headObject("my-bucket", "copy.bin")).contentLength, 250 * 1024);
 * await server.close();
 * ```
 */
export interface CopyLargeOptions extends RequestOptions, ObjectHeaderOptions {
  /** Part size of a multipart copy; default 64 MiB (grown to fit 10000 parts). */
  partSize?: number;
  /** Parts copied at once; default 4. */
  concurrency?: number;
  /** Sources up to this size use one CopyObject; default the profile's maximum put size (5 GiB). */
  multipartThreshold?: number;
}

/**
 * Copies an object of any size; see {@link BosClient.copyLarge}. The multipart path takes the
 * source's content headers and metadata unless the options give new ones, and pins every part to
 * the source's ETag so a source that changes mid-copy fails with `PreconditionFailed`.
 *
 * @param client The client.
 * @param sourceBucket Source bucket.
 * @param sourceKey Source key.
 * @param bucket Destination bucket.
 * @param key Destination key.
 * @param options Part size, concurrency, threshold, headers, signal.
 * @returns ETag of the copy.
 *
 * @example
 * ```ts
 * import { BosClient, copyLarge } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * await client.createBucket("dst-bucket");
 * await client.upload("my-bucket", "huge.bin", new Uint8Array(1024 * 1024), { partSize: 100 * 1024 });
 * const options = { concurrency: 8, partSize: 100 * 1024, multipartThreshold: 100 * 1024 };
 * const { etag } = await copyLarge(client, "my-bucket", "huge.bin", "dst-bucket", "huge-copy.bin", options);
 * assert.equal((await client.headObject("dst-bucket", "huge-copy.bin")).etag, etag);
 * await server.close();
 * ```
 */
export async function copyLarge(
  client: BosClient,
  sourceBucket: string,
  sourceKey: string,
  bucket: string,
  key: string,
  options: CopyLargeOptions = {},
): Promise<CopyObjectResult> {
  const { signal } = options;
  const src = await client.headObject(sourceBucket, sourceKey, { signal });
  const threshold = options.multipartThreshold ?? client.profile.maxPutObjectSize;
  const replace = options.userMeta !== undefined || options.contentType !== undefined ||
    options.contentDisposition !== undefined || options.cacheControl !== undefined ||
    options.contentEncoding !== undefined || options.expires !== undefined;
  if (src.contentLength <= threshold) {
    return await client.copyObject(sourceBucket, sourceKey, bucket, key, {
      ...headerOptions(options),
      ifMatch: src.etag || undefined,
      signal,
    });
  }
  const plan = planParts(src.contentLength, {
    partSize: options.partSize ?? 64 * 1024 * 1024,
    profile: client.profile,
  });
  const headers: ObjectHeaderOptions = replace ? headerOptions(options) : {
    contentType: src.contentType,
    contentDisposition: src.contentDisposition,
    cacheControl: src.cacheControl,
    contentEncoding: src.contentEncoding,
    expires: src.expires,
    userMeta: src.userMeta,
    storageClass: options.storageClass,
  };
  const { uploadId } = await client.initiateMultipartUpload(bucket, key, { ...headers, signal });
  const { controller, unlink } = linkedController(signal);
  const etags = new Array<string>(plan.partCount);
  let next = 1;
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  try {
    const worker = async () => {
      while (next <= plan.partCount && !controller.signal.aborted) {
        const n = next++;
        const p = partOf(plan, n);
        const r = await client.uploadPartCopy(sourceBucket, sourceKey, bucket, key, uploadId, n, {
          range: { start: p.offset, end: p.offset + p.size - 1 },
          ifMatch: src.etag || undefined,
          signal: controller.signal,
        }).catch((e) => {
          controller.abort(e);
          throw e;
        });
        etags[n - 1] = r.etag;
      }
    };
    const results = await Promise.allSettled(
      Array.from({ length: Math.min(concurrency, plan.partCount) }, worker),
    );
    const failed = results.find((r) => r.status === "rejected") as PromiseRejectedResult | undefined;
    if (failed) throw signal?.aborted ? abortError(signal) : failed.reason;
    if (signal?.aborted) throw abortError(signal);
    const done = await client.completeMultipartUpload(
      bucket,
      key,
      uploadId,
      etags.map((etag, i) => ({ partNumber: i + 1, etag })),
      { signal },
    );
    return { etag: done.etag, requestId: done.requestId };
  } catch (e) {
    await client.abortMultipartUpload(bucket, key, uploadId).catch(() => {});
    throw e;
  } finally {
    unlink();
  }
}
