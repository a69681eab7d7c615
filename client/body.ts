/**
 * Request bodies: what callers may pass, the replayable form the pipeline sends, byte-level progress
 * that survives retries, and checksums of a body (the hash implementations are loaded on first use,
 * so a client that never asks for a checksum never loads them).
 *
 * @module
 */
import { crcToDecimal, toBase64 } from "../protocol/encoding.ts";
import type { HashAlgorithm } from "../protocol/hash.ts";
import { checkNonNegativeInteger, invalid } from "./_validate.ts";

export { countingStream, isReplayable } from "./_counting.ts";

/** A request body: bytes, text (sent as UTF-8), a `Blob` (or `File`), or a byte stream. */
export type BodyInput = Uint8Array | string | Blob | ReadableStream<Uint8Array>;

/** Progress of an upload, in bytes sent. */
export interface ProgressEvent {
  /** How much `transferred` grew since the previous event (> 0). */
  increment: number;
  /**
   * Bytes of the body done so far: `sent + resumed`. Monotonic, and each byte counts once however
   * often it is sent (a retried request or part is not counted again), so `transferred / total` is
   * the fraction done, also for a resumed upload.
   */
  transferred: number;
  /** Bytes sent in this run (each once: resending a byte after a retry does not count it again). */
  sent: number;
  /**
   * Bytes found already uploaded, not sent again: the parts a resumed upload verified on the server.
   * 0 for anything but a resumed upload; its first event reports them.
   */
  resumed: number;
  /** Total bytes, when known. */
  total?: number;
}

/** A request body the pipeline can send, and maybe send again. */
export interface RequestBody {
  /** Length in bytes (sent as Content-Length). */
  length: number;
  /** Bytes in memory (replayable). */
  bytes?: Uint8Array;
  /** A Blob (replayable). */
  blob?: Blob;
  /** A one-shot stream (not replayable). */
  stream?: ReadableStream<Uint8Array>;
  /** Bytes produced chunk by chunk into reused memory, pass after pass (replayable; socket transport only). */
  pull?: PullBody;
}

/**
 * A request body the socket transport pulls one chunk at a time, each written out before the next
 * is asked for, so every chunk may live in the same memory (a file part read 1 MiB at a time into
 * one buffer, hashed and sent while still in the CPU's cache). Each attempt opens a new pass.
 */
export interface PullBody {
  /** Length in bytes of every pass. */
  readonly length: number;
  /** A new pass over the bytes from the start. */
  openPass(): BodyPass;
}

/** One pass of a {@link PullBody}. */
export interface BodyPass {
  /** The next chunk (valid until the next call), `null` after the last; rejects when the bytes cannot be produced. */
  next(): Promise<Uint8Array | null>;
}

/** UTF-8 encoder shared by the client. */
export const enc: TextEncoder = new TextEncoder();

/**
 * The sendable form of a caller's body; a stream needs its length and a runtime whose fetch can
 * send it with Content-Length.
 */
export function toRequestBody(
  body: BodyInput,
  contentLength: number | undefined,
  op: string,
  streamingUploads: boolean,
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
    if (!streamingUploads) {
      throw invalid(
        `${op} cannot stream a body with Content-Length on this runtime (its fetch sends streams chunked); use upload() or pass bytes or a Blob`,
      );
    }
    return { stream: body, length: contentLength };
  }
  throw invalid(`${op} body must be a Uint8Array, string, Blob or ReadableStream, got ${typeof body}`);
}

/** The raw digest of a replayable body (the hash module is loaded on first use). */
export async function bodyDigest(algorithm: HashAlgorithm, body: RequestBody): Promise<Uint8Array> {
  const { createIncrementalHash, hash } = await import("../protocol/hash.ts");
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

/** Sets `Content-MD5`: computed when `true`, as given when a string. */
export async function setContentMd5(
  headers: Headers,
  contentMD5: boolean | string | undefined,
  body: RequestBody,
): Promise<void> {
  if (contentMD5 === true) headers.set("content-md5", toBase64(await bodyDigest("md5", body)));
  else if (typeof contentMD5 === "string") headers.set("content-md5", contentMD5);
}

/** Sets `x-bce-content-crc32c` (and asks for the server's): computed when `true`, as given when a string. */
export async function setCrc32c(
  headers: Headers,
  crc32c: boolean | string | undefined,
  body: RequestBody,
): Promise<void> {
  if (crc32c === undefined || crc32c === false) return;
  headers.set(
    "x-bce-content-crc32c",
    crc32c === true ? crcToDecimal(await bodyDigest("crc32c", body)) : crc32c,
  );
  headers.set("x-bce-content-crc32c-flag", "true");
}

/** Sets `x-bce-content-crc32`: computed when `true`, as given when a decimal string. */
export async function setCrc32(
  headers: Headers,
  crc32: boolean | string | undefined,
  body: RequestBody,
): Promise<void> {
  if (crc32 === undefined || crc32 === false) return;
  if (crc32 === true) crc32 = crcToDecimal(await bodyDigest("crc32", body));
  else if (!/^\d{1,10}$/.test(crc32) || Number(crc32) > 0xffffffff) {
    throw invalid(`crc32 must be a decimal unsigned 32-bit CRC, got ${JSON.stringify(crc32)}`);
  }
  headers.set("x-bce-content-crc32", crc32);
}

/** The checksums a write may carry (see {@link setChecksums}). */
export interface ChecksumOptions {
  /** Base64 MD5 of the body, or `true` to compute it. */
  contentMD5?: boolean | string;
  /** Decimal CRC32C of the body, or `true` to compute it. */
  crc32c?: boolean | string;
  /** Decimal CRC32 of the body, or `true` to compute it. */
  crc32?: boolean | string;
}

/** Sets `Content-MD5`, `x-bce-content-crc32c` and `x-bce-content-crc32` as the options ask (PutObject, UploadPart). */
export async function setChecksums(headers: Headers, o: ChecksumOptions, body: RequestBody): Promise<void> {
  await setContentMd5(headers, o.contentMD5, body);
  await setCrc32c(headers, o.crc32c, body);
  await setCrc32(headers, o.crc32, body);
}

/**
 * Tracks progress of one body across attempts: bytes are counted as they are read, and a retry is
 * not counted again until it passes the previous attempt's high-water mark.
 */
export class ProgressTracker {
  #high = 0;
  /**
   * @param total The body's length, when known.
   * @param emit Receives each event.
   */
  constructor(readonly total: number | undefined, readonly emit: (event: ProgressEvent) => void) {}
  /** Bytes counted so far. */
  get transferred(): number {
    return this.#high;
  }
  /** Reports that the body has been read up to `position`. */
  position(position: number): void {
    if (position > this.#high) {
      const increment = position - this.#high;
      this.#high = position;
      this.emit({ increment, transferred: this.#high, sent: this.#high, resumed: 0, total: this.total });
    }
  }
}

/** A tracker for `onProgress`, when one is given. */
export function progressOf(
  onProgress: ((e: ProgressEvent) => void) | undefined,
  total: number,
): ProgressTracker | undefined {
  return onProgress ? new ProgressTracker(total, onProgress) : undefined;
}
