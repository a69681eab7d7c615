/**
 * The upload engine behind `client.upload`, `client.uploadFile` and stream bodies of `putObject`:
 * one PutObject for a body that fits in one part, otherwise a multipart upload with bounded memory
 * (part buffers from a pool), concurrency, byte progress, per-part integrity checks and a resumable
 * checkpoint. One upload's state lives in one {@link MultipartUpload} object.
 *
 * @module
 */
import { BosError } from "../../protocol/errors.ts";
import { crcToDecimal, toBase64, toHex } from "../../protocol/encoding.ts";
import { createIncrementalHash, hash } from "../../protocol/hash.ts";
import { crc32OfParts } from "../../protocol/_crc_combine.ts";
import { abortError, linkedController } from "../_async.ts";
import { crc32Of, digestOf, integrityMismatch, Progress, retryBadDigest } from "./integrity.ts";
import { sendStreamedPart, STREAM_CHUNK } from "./streamed_part.ts";
import type { BodyInput, ProgressEvent } from "../body.ts";
import { listAllParts, type PartLister } from "../listing.ts";
import {
  abortMultipartUpload,
  completeMultipartUpload,
  initiateMultipartUpload,
  listParts,
  uploadPart,
} from "../multipart.ts";
import { headerOptions, type ObjectHeaderOptions, setObjectHeaders } from "../object_headers.ts";
import { headObject, putObject } from "../objects.ts";
import type { Pipeline, RequestOptions } from "../pipeline.ts";
import { isTransientError } from "../retry.ts";
import { checkBucket, checkKey, invalid } from "../_validate.ts";
import {
  checkpointMismatch,
  type CheckpointPart,
  type CheckpointPlan,
  checkResumable,
  type Integrity,
  partRecord,
  type UploadCheckpoint,
} from "./checkpoint.ts";
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_PART_SIZE,
  growingPartSize,
  growingSchedule,
  partOf,
  type PartPlan,
  planParts,
} from "./part_plan.ts";
import {
  BufferPool,
  fileSource,
  HEAD_BYTES,
  ownerOf,
  type Source,
  type SourceFingerprint,
  sourceOf,
} from "./sources.ts";

/**
 * Options of `client.upload`.
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
  /**
   * Byte-level progress. On resume the first event reports the parts already on the server as
   * `resumed` (and in `transferred`, which counts both); `sent` counts only what this run sends.
   */
  onProgress?: (event: ProgressEvent) => void;
  /** Receives a JSON-serialisable checkpoint after the upload is initiated and after every part. */
  onCheckpoint?: (checkpoint: UploadCheckpoint) => void | Promise<void>;
  /** Continue the multipart upload of this checkpoint (the body must be the same source). */
  resume?: UploadCheckpoint;
  /**
   * What a failed or aborted multipart upload leaves behind. Default: it is discarded
   * (AbortMultipartUpload), so no orphaned upload keeps its parts (and their storage cost) — unless
   * the caller keeps checkpoints (`onCheckpoint` given) or is resuming one (`resume`), in which case
   * it stays for a later resume. `false` keeps it in any case, `true` discards it in any case.
   */
  abortOnFailure?: boolean;
  /**
   * Per-part integrity check; default `crc32` (or the checkpoint's when resuming). With `crc32`, once
   * the server has reported a part's CRC32, the parts of a file stream from it without a part-sized
   * buffer and are checked against the CRC32 the server reports (sent again while it differs).
   */
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
 */
export type UploadFileOptions = Omit<UploadOptions, "size" | "sourceId">;

/**
 * Result of an upload.
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

/**
 * Uploads a body (bytes, text, Blob or a stream of known or unknown length).
 *
 * @param p The client's pipeline.
 * @param bucket Bucket name.
 * @param key Object key.
 * @param body The body.
 * @param options Upload options.
 * @returns The result.
 */
export async function upload(
  p: Pipeline,
  bucket: string,
  key: string,
  body: BodyInput,
  options: UploadOptions = {},
): Promise<UploadResult> {
  const source = sourceOf(body, options.size, options.sourceId);
  try {
    return await runUpload(p, bucket, key, source, options);
  } finally {
    await source.close().catch(() => {});
  }
}

/**
 * Uploads a local file by path, with random access (a resume reads only the missing parts).
 *
 * @param p The client's pipeline.
 * @param bucket Bucket name.
 * @param key Object key.
 * @param path Local path.
 * @param options Upload options.
 * @returns The result.
 */
export async function uploadFile(
  p: Pipeline,
  bucket: string,
  key: string,
  path: string,
  options: UploadFileOptions = {},
): Promise<UploadResult> {
  const source = await fileSource(path);
  try {
    return await runUpload(p, bucket, key, source, options);
  } finally {
    await source.close().catch(() => {});
  }
}

/** One upload, resolved once: where it goes, what it reads, how parts are checked, how many fly at once. */
interface UploadJob {
  readonly p: Pipeline;
  readonly bucket: string;
  readonly key: string;
  readonly source: Source;
  readonly options: UploadOptions;
  readonly integrity: Integrity;
  readonly concurrency: number;
}

/** How a multipart upload starts: its plan, and a checkpoint to resume or parts already read. */
interface MultipartStart {
  readonly plan: CheckpointPlan;
  readonly resume?: UploadCheckpoint;
  readonly prefetched?: { data: Uint8Array; buffer: Uint8Array }[];
  readonly pool?: BufferPool;
}

async function runUpload(
  p: Pipeline,
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
  checkKey(key, p.profile);
  // Validate headers and metadata before any byte is sent.
  // (initiate/put validate again; this makes the stream path fail before reading.)
  setObjectHeaders(new Headers(), headerOptions(options), p.profile);
  const job: UploadJob = { p, bucket, key, source, options, integrity, concurrency };

  if (options.resume) {
    await checkResumable(options.resume, { bucket, key, integrity, sourceId: options.sourceId }, source);
    return await new MultipartUpload(job, { plan: options.resume.plan, resume: options.resume }).run();
  }

  const partSize = options.partSize ?? DEFAULT_PART_SIZE;
  if (source.size !== undefined) {
    const plan = planParts(source.size, { partSize, profile: p.profile });
    const threshold = options.multipartThreshold ?? plan.partSize;
    if (source.size <= Math.min(threshold, p.profile.maxPutObjectSize)) {
      const data = source.randomAccess
        ? await source.readAt(0, source.size)
        : await source.readNext(source.size, new Uint8Array(source.size));
      if (!source.randomAccess) await expectEnd(source, source.size);
      return await simplePut(job, data);
    }
    return await new MultipartUpload(job, { plan: { kind: "fixed", ...plan } }).run();
  }
  // Unknown length: read ahead until we know whether more than one part is needed.
  // The two read-ahead buffers come from the pool the multipart upload goes on to use.
  const schedule = growingSchedule({ partSize, maxPartSize: options.maxPartSize, profile: p.profile });
  const pool = new BufferPool(concurrency + 1);
  let firstBuffer = await pool.acquire(schedule.initialPartSize);
  const first = await source.readNext(schedule.initialPartSize, firstBuffer);
  firstBuffer = ownerOf(firstBuffer, first);
  if (first.length < schedule.initialPartSize) return await simplePut(job, first);
  let secondBuffer = await pool.acquire(growingPartSize(schedule, 2));
  const second = await source.readNext(growingPartSize(schedule, 2), secondBuffer);
  secondBuffer = ownerOf(secondBuffer, second);
  if (second.length === 0) return await simplePut(job, first);
  return await new MultipartUpload(job, {
    plan: { kind: "growing", ...schedule },
    prefetched: [{ data: first, buffer: firstBuffer }, { data: second, buffer: secondBuffer }],
    pool,
  }).run();
}

async function expectEnd(source: Source, size: number): Promise<void> {
  const extra = await source.readNext(1, new Uint8Array(1));
  if (extra.length > 0) {
    throw invalid(`The stream is longer than the size given (${size} bytes); pass the right size or none`);
  }
}

async function simplePut(job: UploadJob, data: Uint8Array): Promise<UploadResult> {
  const { p, bucket, key, options, integrity } = job;
  const progress = new Progress(data.length, options.onProgress);
  const track = progress.part();
  const digest = await digestOf(integrity, data, await crc32Of(data));
  const attempts = (options.integrityRetries ?? 2) + 1;
  for (let attempt = 1;; attempt++) {
    try {
      const r = await putObject(p, bucket, key, data, {
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
      if (retryBadDigest(e, attempt, attempts)) continue;
      throw e;
    }
  }
}

/** Where a part lies in the source. */
interface PartSpec {
  partNumber: number;
  offset: number;
  size: number;
}

/** The plan's part `partNumber` (a growing plan's offset is where the stream is), or `undefined` past the end. */
function planSpec(plan: CheckpointPlan, partNumber: number, offset: number): PartSpec | undefined {
  if (plan.kind === "fixed") {
    if (partNumber > plan.partCount) return undefined;
    return partOf(plan as PartPlan, partNumber);
  }
  if (partNumber > plan.maxPartNumber) return undefined;
  return { partNumber, offset, size: growingPartSize(plan, partNumber) };
}

/**
 * One multipart upload in progress: it starts (initiates, or lists the parts of the checkpoint's
 * upload), reads the source part by part into pool buffers, keeps up to `concurrency` parts in
 * flight, records each finished part in a checkpoint, and completes. Every piece of its state is a
 * field here.
 */
class MultipartUpload {
  readonly #job: UploadJob;
  readonly #plan: CheckpointPlan;
  readonly #resume: UploadCheckpoint | undefined;
  readonly #prefetched: { data: Uint8Array; buffer: Uint8Array }[];
  readonly #pool: BufferPool;
  readonly #controller: AbortController;
  readonly #unlink: () => void;
  readonly #progress: Progress;
  readonly #integrityAttempts: number;
  /** Parts known to be on the server, by part number. */
  readonly #done = new Map<number, CheckpointPart>();
  /** Parts present on the server that the checkpoint did not record: verified by hashing before skipping. */
  readonly #unverified = new Map<number, { etag: string; size: number }>();
  readonly #inFlight = new Set<Promise<void>>();
  #uploadId = "";
  #fingerprint: SourceFingerprint | undefined;
  #partsSent = 0;
  #lastRequestId: string | undefined;
  #failure: unknown;
  #checkpointChain: Promise<void> = Promise.resolve();
  /** Bytes read from a sequential source so far. */
  #streamBytes = 0;
  /**
   * The server reports the CRC32 of each part it stores (seen on an UploadPart answer), so parts of a
   * file can be sent straight from it and checked after the fact (`streamed_part.ts`).
   */
  #partCrcReported = false;
  /** A streamed part's answer carried no CRC32 (the server may report one only when sent one): no more streaming. */
  #partCrcUnreliable = false;
  /** Free piece buffers of streamed parts (one per part in flight). */
  readonly #chunks: Uint8Array[] = [];

  constructor(job: UploadJob, start: MultipartStart) {
    this.#job = job;
    this.#plan = start.plan;
    this.#resume = start.resume;
    this.#prefetched = [...(start.prefetched ?? [])];
    this.#pool = start.pool ?? new BufferPool(job.concurrency + 1);
    ({ controller: this.#controller, unlink: this.#unlink } = linkedController(job.options.signal));
    this.#progress = new Progress(
      start.plan.kind === "fixed" ? start.plan.size : undefined,
      job.options.onProgress,
    );
    this.#integrityAttempts = (job.options.integrityRetries ?? 2) + 1;
  }

  get #signal(): AbortSignal {
    return this.#controller.signal;
  }

  get #stopped(): boolean {
    return this.#failure !== undefined || this.#signal.aborted;
  }

  /** Runs the upload to the end: the object's result, or the first failure. */
  async run(): Promise<UploadResult> {
    try {
      await this.#begin();
    } catch (e) {
      this.#unlink();
      throw e;
    }
    try {
      await this.#sendAll();
    } catch (e) {
      this.#failure ??= e;
      this.#controller.abort(e);
    }
    await Promise.allSettled([...this.#inFlight]);
    await this.#checkpointChain.catch(() => {});
    this.#unlink();
    if (this.#stopped) await this.#fail();
    return await this.#finish();
  }

  /** Lists what the checkpoint's upload already holds, or initiates a new upload. */
  async #begin(): Promise<void> {
    const { p, bucket, key, source, options } = this.#job;
    const resume = this.#resume;
    if (resume) {
      this.#uploadId = resume.uploadId;
      this.#fingerprint = resume.source;
      const recorded = new Map(resume.parts.map((part) => [part.partNumber, part]));
      try {
        for await (
          const part of listAllParts(partLister(p), bucket, key, this.#uploadId, { signal: this.#signal })
        ) {
          const r = recorded.get(part.partNumber);
          if (r && r.etag === part.etag && r.size === part.size) {
            this.#done.set(part.partNumber, partRecord(r));
          } else this.#unverified.set(part.partNumber, { etag: part.etag, size: part.size });
        }
      } catch (e) {
        if (e instanceof BosError && e.code === "NoSuchUpload") {
          throw new BosError({
            status: e.status,
            code: e.code,
            message:
              `The checkpoint's upload ${this.#uploadId} no longer exists (completed or aborted); start a new upload without resume`,
            requestId: e.requestId,
            cause: e,
          });
        }
        throw e;
      }
    } else {
      const init = await initiateMultipartUpload(p, bucket, key, {
        ...headerOptions(options),
        signal: this.#signal,
      });
      this.#uploadId = init.uploadId;
      this.#fingerprint = source.randomAccess
        ? await source.fingerprint()
        : await source.fingerprint(this.#prefetched[0]?.data.subarray(0, HEAD_BYTES));
      await this.#emitCheckpoint();
    }
    this.#progress.add([...this.#done.values()].reduce((n, part) => n + part.size, 0), true);
  }

  #checkpoint(): UploadCheckpoint {
    const { bucket, key, integrity } = this.#job;
    return {
      version: 1,
      bucket,
      key,
      uploadId: this.#uploadId,
      plan: { ...this.#plan },
      integrity,
      source: { ...this.#fingerprint! },
      parts: [...this.#done.values()].sort((a, b) => a.partNumber - b.partNumber).map((part) => ({
        ...part,
      })),
    };
  }

  /** Hands the current checkpoint to `onCheckpoint` (in order; each call waits for the previous). */
  #emitCheckpoint(): Promise<void> {
    const onCheckpoint = this.#job.options.onCheckpoint;
    if (!onCheckpoint) return Promise.resolve();
    const cp = this.#checkpoint();
    this.#checkpointChain = this.#checkpointChain.then(() => onCheckpoint(cp));
    return this.#checkpointChain;
  }

  /** Reads and launches every part of the plan that is not on the server yet. */
  async #sendAll(): Promise<void> {
    const { source } = this.#job;
    let offset = 0;
    for (let partNumber = 1;; partNumber++) {
      if (this.#stopped) return;
      const spec = planSpec(this.#plan, partNumber, offset);
      if (!spec) return await this.#checkSourceEnded(offset);
      if (source.randomAccess) {
        offset += spec.size;
        if (spec.size === 0 && partNumber > 1) return;
        if (!(await this.#sendRandomAccessPart(spec))) return;
        continue;
      }
      const next = await this.#sendSequentialPart(spec, offset);
      offset = next.offset;
      if (next.stop) return;
    }
  }

  /** Past the plan's last part: a growing plan or a stream must have nothing left to read. */
  async #checkSourceEnded(offset: number): Promise<void> {
    const { source } = this.#job;
    const plan = this.#plan;
    if (plan.kind !== "growing" && source.randomAccess) return;
    const extra = this.#prefetched.length
      ? this.#prefetched.map((x) => x.data)
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

  /** One part of a random-access source: skipped when done, verified when unrecorded, else sent. `false` = stop. */
  async #sendRandomAccessPart(spec: PartSpec): Promise<boolean> {
    const { source, concurrency } = this.#job;
    if (this.#done.has(spec.partNumber)) return true;
    if (this.#unverified.has(spec.partNumber)) {
      const data = await source.readAt(spec.offset, spec.size);
      if (await this.#matchesServer(spec.partNumber, data)) {
        const u = this.#unverified.get(spec.partNumber)!;
        const crc32 = await crc32Of(data);
        this.#done.set(spec.partNumber, { partNumber: spec.partNumber, etag: u.etag, size: u.size, crc32 });
        this.#progress.add(u.size, true);
        await this.#emitCheckpoint();
        return true;
      }
    }
    const streamable = () =>
      this.#partCrcReported && !this.#partCrcUnreliable && source.readInto !== undefined && spec.size > 0 &&
      this.#job.integrity === "crc32" && this.#job.p.socketTransport;
    if (streamable()) {
      while (this.#inFlight.size >= concurrency) await Promise.race(this.#inFlight);
      if (this.#stopped) return false;
      // Still so once a slot is free (a part in flight may have found the server silent meanwhile).
      if (streamable()) {
        this.#track(this.#sendStreamed(spec));
        return true;
      }
    }
    const buffer = source.needsBuffer ? await this.#pool.acquire(spec.size) : undefined;
    if (this.#stopped) {
      if (buffer) this.#pool.release(buffer);
      return false;
    }
    // The CRC32 is computed as the part is read (1 MiB at a time for a file), while its bytes are still in
    // the CPU's cache: hashing the part afterwards cost another pass over memory.
    const crc = await createIncrementalHash("crc32");
    const data = await source.readAt(spec.offset, spec.size, buffer, (bytes) => crc.update(bytes));
    while (this.#inFlight.size >= concurrency) await Promise.race(this.#inFlight);
    if (this.#stopped) {
      if (buffer) this.#pool.release(buffer);
      return false;
    }
    this.#launch(spec, data, buffer, crcToDecimal(crc.digest()));
    return true;
  }

  /** One part of a sequential source (read in full in any case); returns the new offset and whether to stop. */
  async #sendSequentialPart(spec: PartSpec, offset: number): Promise<{ offset: number; stop: boolean }> {
    const { source, concurrency } = this.#job;
    const plan = this.#plan;
    const resume = this.#resume;
    const partNumber = spec.partNumber;
    let buffer: Uint8Array | undefined;
    let data: Uint8Array;
    if (this.#prefetched.length) ({ data, buffer } = this.#prefetched.shift()!);
    else {
      buffer = await this.#pool.acquire(spec.size);
      data = await source.readNext(spec.size, buffer);
      buffer = ownerOf(buffer, data);
    }
    const release = () => buffer && this.#pool.release(buffer);
    if (partNumber === 1 && resume && resume.source.kind === "stream" && resume.source.headSha256) {
      const now = await source.fingerprint(data.subarray(0, HEAD_BYTES));
      if (now.kind === "stream" && now.headSha256 !== resume.source.headSha256) {
        release();
        throw checkpointMismatch("The stream's first bytes differ from the checkpoint's; start a new upload");
      }
    }
    this.#streamBytes += data.length;
    offset += data.length;
    if (data.length === 0 && partNumber > 1) {
      release();
      return { offset, stop: true };
    }
    const last = data.length < spec.size;
    if (plan.kind === "fixed" && last && offset !== plan.size) {
      release();
      throw invalid(`The stream ended after ${offset} bytes but its size was given as ${plan.size}`);
    }
    if (
      (this.#done.has(partNumber) || this.#unverified.has(partNumber)) &&
      await this.#matchesServer(partNumber, data)
    ) {
      const known = this.#done.get(partNumber);
      if (!known) {
        const u = this.#unverified.get(partNumber)!;
        this.#done.set(partNumber, { partNumber, etag: u.etag, size: u.size, crc32: await crc32Of(data) });
        this.#progress.add(u.size, true);
        await this.#emitCheckpoint();
      } else if (known.crc32 === undefined) {
        // The bytes are here anyway (a stream is read in full): learn the CRC32 an older checkpoint lacks.
        known.crc32 = await crc32Of(data);
      }
      release();
      return { offset, stop: last };
    }
    this.#done.delete(partNumber);
    while (this.#inFlight.size >= concurrency) await Promise.race(this.#inFlight);
    if (this.#stopped) {
      release();
      return { offset, stop: true };
    }
    this.#launch(spec, data, buffer);
    return { offset, stop: last };
  }

  /** Whether the server's copy of a part (by size and ETag = MD5) holds exactly these bytes. */
  async #matchesServer(partNumber: number, data: Uint8Array): Promise<boolean> {
    const known = this.#done.get(partNumber) ?? this.#unverified.get(partNumber);
    if (!known || known.size !== data.length) return false;
    return toHex(await hash("md5", data)) === known.etag.toLowerCase();
  }

  /** Starts sending a part; its buffer goes back to the pool when it settles; a failure stops the upload. */
  #launch(spec: PartSpec, data: Uint8Array, buffer: Uint8Array | undefined, crc32?: string): void {
    this.#track(this.#sendPart(spec, data, crc32), () => buffer && this.#pool.release(buffer));
  }

  /** Counts `sending` as in flight until it settles; its failure stops the upload. */
  #track(sending: Promise<void>, settled?: () => void): void {
    const task: Promise<void> = sending
      .catch((e) => {
        this.#failure ??= e;
        this.#controller.abort(e);
      })
      .finally(() => {
        settled?.();
        this.#inFlight.delete(task);
      });
    this.#inFlight.add(task);
  }

  /**
   * Sends a file's part straight from the file (`streamed_part.ts`); should the server not report its
   * CRC32 after all, the part goes again the checked way, its CRC32 up front, and so do all later parts.
   */
  async #sendStreamed(spec: PartSpec): Promise<void> {
    const { p, bucket, key, source } = this.#job;
    const track = this.#progress.part();
    const chunk = this.#chunks.pop() ?? new Uint8Array(STREAM_CHUNK);
    let sent;
    try {
      sent = await sendStreamedPart(
        p,
        bucket,
        key,
        this.#uploadId,
        spec,
        source as Required<Source>,
        chunk,
        this.#integrityAttempts,
        this.#signal,
        (e) => track(e.transferred),
      );
    } finally {
      this.#chunks.push(chunk);
    }
    if (!sent) {
      this.#partCrcUnreliable = true;
      const buffer = await this.#pool.acquire(spec.size);
      try {
        await this.#sendPart(spec, await source.readAt(spec.offset, spec.size, buffer), undefined, track);
      } finally {
        this.#pool.release(buffer);
      }
      return;
    }
    this.#partsSent++;
    this.#lastRequestId = sent.requestId;
    track(spec.size);
    this.#done.set(spec.partNumber, {
      partNumber: spec.partNumber,
      etag: sent.etag,
      size: spec.size,
      crc32: sent.crc32,
    });
    await this.#emitCheckpoint();
  }

  /** Sends one part with its checksum (`known`: its CRC32 when computed as it was read), again while the server reports a digest mismatch. */
  async #sendPart(
    spec: PartSpec,
    data: Uint8Array,
    known?: string,
    track: (position: number) => void = this.#progress.part(),
  ): Promise<void> {
    const { p, bucket, key, integrity } = this.#job;
    const crc32 = known ?? await crc32Of(data);
    const digest = await digestOf(integrity, data, crc32);
    for (let attempt = 1;; attempt++) {
      try {
        const r = await uploadPart(p, bucket, key, this.#uploadId, spec.partNumber, data, {
          contentMD5: digest.md5 ? toBase64(digest.md5) : undefined,
          crc32c: digest.crc32c,
          crc32: digest.crc32,
          signal: this.#signal,
          onProgress: (e) => track(e.transferred),
        });
        this.#partsSent++;
        this.#lastRequestId = r.requestId;
        if (integrity === "crc32" && r.crc32 !== undefined) this.#partCrcReported = true;
        const mismatch = integrityMismatch(integrity, digest, r.etag, r.crc32c, r.crc32);
        if (mismatch) {
          if (attempt < this.#integrityAttempts) continue;
          throw new BosError({
            status: 0,
            code: "BadDigest",
            message: `Part ${spec.partNumber} of ${key}: ${mismatch}`,
          });
        }
        track(data.length);
        this.#done.set(spec.partNumber, {
          partNumber: spec.partNumber,
          etag: r.etag,
          size: data.length,
          crc32,
        });
        await this.#emitCheckpoint();
        return;
      } catch (e) {
        if (retryBadDigest(e, attempt, this.#integrityAttempts)) continue;
        throw e;
      }
    }
  }

  /** Throws the failure (the caller's abort, a BosError, or UploadFailed), discarding the upload when asked. */
  async #fail(): Promise<never> {
    const { p, bucket, key, options } = this.#job;
    const failure = this.#failure;
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
    if (discardOnFailure(options)) await abortMultipartUpload(p, bucket, key, this.#uploadId).catch(() => {});
    throw error;
  }

  /** Checks that the parts cover the source, then completes (with the whole object's CRC32). */
  async #finish(): Promise<UploadResult> {
    const { p, bucket, key, source, options } = this.#job;
    const size = this.#plan.kind === "fixed" ? this.#plan.size : this.#streamBytes;
    const parts = [...this.#done.values()].sort((a, b) => a.partNumber - b.partNumber);
    const sum = parts.reduce((n, part) => n + part.size, 0);
    if (sum !== size && source.randomAccess) {
      throw new BosError({
        status: 0,
        code: "UploadFailed",
        message: `Parts of ${key} add up to ${sum} bytes but the source has ${size}; resume again`,
      });
    }
    const crc32 = crc32OfParts(parts);
    try {
      const r = await this.#complete(parts, sum, crc32);
      return {
        etag: r.etag,
        size: sum,
        multipart: true,
        partCount: parts.length,
        uploadId: this.#uploadId,
        crc32c: r.crc32c,
        crc32,
        requestId: r.requestId ?? this.#lastRequestId,
        partsSent: this.#partsSent,
      };
    } catch (e) {
      if (discardOnFailure(options) && !(e instanceof BosError && e.code === "NoSuchUpload")) {
        await abortMultipartUpload(p, bucket, key, this.#uploadId).catch(() => {});
      }
      throw e;
    }
  }

  /**
   * Complete (with the whole object's CRC32, when known, for the server to check); when the answer
   * is lost or transient (network error, timeout, 5xx), find out whether it happened (ListParts: is
   * the upload still there?) before sending it again.
   */
  async #complete(
    parts: CheckpointPart[],
    size: number,
    crc32: string | undefined,
  ): Promise<{ etag: string; crc32c?: string; requestId?: string }> {
    const { p, bucket, key, options } = this.#job;
    const list = parts.map((part) => ({ partNumber: part.partNumber, etag: part.etag }));
    for (let attempt = 1;; attempt++) {
      try {
        return await completeMultipartUpload(p, bucket, key, this.#uploadId, list, {
          crc32,
          signal: options.signal,
        });
      } catch (e) {
        if (!isTransientError(e) || attempt >= 3) throw e;
        // Did the lost Complete happen? If the upload is gone and the object has the size, it did.
        try {
          await listParts(p, bucket, key, this.#uploadId, { maxParts: 1, signal: options.signal });
        } catch (probe) {
          if (probe instanceof BosError && probe.code === "NoSuchUpload") {
            const head = await headObject(p, bucket, key, { signal: options.signal });
            if (head.contentLength === size) return { etag: head.etag, requestId: head.requestId };
            throw e;
          }
          throw e;
        }
      }
    }
  }
}

/** Whether a failed upload is aborted: as asked, else unless the caller keeps (or resumes) checkpoints. */
function discardOnFailure(options: UploadOptions): boolean {
  return options.abortOnFailure ?? (options.onCheckpoint === undefined && options.resume === undefined);
}

/** ListParts over the pipeline, in the shape the part iterator takes. */
function partLister(p: Pipeline): PartLister {
  return { listParts: (bucket, key, uploadId, options) => listParts(p, bucket, key, uploadId, options) };
}
