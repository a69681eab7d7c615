// Upload sources (bytes, Blob, file, stream) with random or sequential reads, fingerprints,
// and a bounded pool of part buffers.
import { BosError } from "../../protocol/errors.ts";
import { toHex } from "../../protocol/encoding.ts";
import { enc } from "../body.ts";
import { invalid } from "../_validate.ts";

/**
 * How a checkpoint recognises its source.
 */
export type SourceFingerprint =
  | { kind: "file"; size: number; mtimeMs: number }
  | { kind: "bytes"; size: number; headSha256: string }
  | { kind: "stream"; size?: number; id?: string; headSha256?: string };

export const HEAD_BYTES = 64 * 1024;

export interface Source {
  /** Total length when known. */
  readonly size?: number;
  /** `readAt` works (parts can be read in any order, skipped parts are never read). */
  readonly randomAccess: boolean;
  /**
   * Reads `[offset, offset + length)`; `buffer` may be used as the destination. `onRead`, when given,
   * sees the bytes in order as they arrive (a file in 1 MiB reads: hashed while still in the CPU's
   * cache), together covering the result exactly.
   */
  readAt(
    offset: number,
    length: number,
    buffer?: Uint8Array,
    onRead?: (bytes: Uint8Array) => void,
  ): Promise<Uint8Array>;
  /**
   * Reads the next `length` bytes (fewer at the end) into `buffer`'s memory. A byte stream moves that
   * memory to a new ArrayBuffer (leaving `buffer` detached): the result is a view of the one to keep
   * (see {@link ownerOf}).
   */
  readNext(length: number, buffer: Uint8Array): Promise<Uint8Array>;
  /** Whether reads need a pool buffer (bytes sources return views instead). */
  readonly needsBuffer: boolean;
  /**
   * Reads up to `buffer.length` bytes at `position` into `buffer` (a file's: synchronously while the
   * bytes come from memory); resolves with the count, 0 past the end. Only sources that read in place.
   */
  readInto?(buffer: Uint8Array, position: number): Promise<number>;
  fingerprint(head?: Uint8Array): Promise<SourceFingerprint>;
  close(): Promise<void>;
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>)));
}

function noSequential(): never {
  throw new Error("sequential read on a random-access source");
}

export function bytesSource(bytes: Uint8Array): Source {
  return {
    size: bytes.length,
    randomAccess: true,
    needsBuffer: false,
    readAt: (offset, length, _buffer, onRead) => {
      const part = bytes.subarray(offset, offset + length);
      onRead?.(part);
      return Promise.resolve(part);
    },
    readNext: noSequential,
    fingerprint: async () => ({
      kind: "bytes",
      size: bytes.length,
      headSha256: await sha256Hex(bytes.subarray(0, HEAD_BYTES)),
    }),
    close: () => Promise.resolve(),
  };
}

export function blobSource(blob: Blob): Source {
  return {
    size: blob.size,
    randomAccess: true,
    needsBuffer: false,
    readAt: async (offset, length, _buffer, onRead) => {
      const part = new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer());
      onRead?.(part);
      return part;
    },
    readNext: noSequential,
    fingerprint: async () => ({
      kind: "bytes",
      size: blob.size,
      headSha256: await sha256Hex(new Uint8Array(await blob.slice(0, HEAD_BYTES).arrayBuffer())),
    }),
    close: () => Promise.resolve(),
  };
}

export function streamSource(
  stream: ReadableStream<Uint8Array>,
  size: number | undefined,
  id?: string,
): Source {
  // A byte stream (file and fetch bodies in Deno, Bun and Node) is read straight into the part
  // buffer: no chunk is allocated per read, so no garbage piles up between collections. The read
  // transfers the buffer's memory to a new ArrayBuffer; readNext returns a view of that one.
  let byob: ReadableStreamBYOBReader | undefined;
  try {
    byob = stream.getReader({ mode: "byob" });
  } catch {
    byob = undefined;
  }
  const reader = byob ?? stream.getReader();
  let leftover: Uint8Array | undefined;
  let ended = false;
  return {
    size,
    randomAccess: false,
    needsBuffer: true,
    readAt: () => Promise.reject(new Error("random read on a stream source")),
    async readNext(length, buffer) {
      if (byob) {
        let backing = buffer.buffer as ArrayBuffer;
        const start = buffer.byteOffset;
        let n = 0;
        while (n < length && !ended) {
          const r = await byob.read(new Uint8Array(backing, start + n, length - n));
          if (r.value) backing = r.value.buffer as ArrayBuffer;
          if (r.done) {
            ended = true;
            break;
          }
          n += r.value.byteLength;
        }
        return new Uint8Array(backing, start, n);
      }
      const defaultReader = reader as ReadableStreamDefaultReader<Uint8Array>;
      let n = 0;
      while (n < length) {
        let chunk: Uint8Array;
        if (leftover) {
          chunk = leftover;
          leftover = undefined;
        } else {
          if (ended) break;
          const r = await defaultReader.read();
          if (r.done) {
            ended = true;
            break;
          }
          chunk = r.value;
        }
        const take = Math.min(chunk.length, length - n);
        buffer.set(chunk.subarray(0, take), n);
        n += take;
        if (take < chunk.length) leftover = chunk.subarray(take);
      }
      return buffer.subarray(0, n);
    },
    fingerprint: async (head) => ({
      kind: "stream",
      ...(size !== undefined ? { size } : {}),
      ...(id !== undefined ? { id } : {}),
      ...(head ? { headSha256: await sha256Hex(head.subarray(0, HEAD_BYTES)) } : {}),
    }),
    close: async () => {
      if (!ended) await reader.cancel().catch(() => {});
      reader.releaseLock();
    },
  };
}

interface FileHandleLike {
  /** The descriptor, for {@link ReadSync}. */
  readonly fd?: number;
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  write(
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: number,
  ): Promise<{ bytesWritten: number }>;
  stat(): Promise<{ size: number; mtimeMs: number; isFile?(): boolean }>;
  truncate(len?: number): Promise<void>;
  close(): Promise<void>;
}

interface FsLike {
  open(path: string, flags: string): Promise<FileHandleLike>;
}

let fsPromise: Promise<FsLike> | undefined;

/** `node:fs/promises`, loaded on first use (Deno, Bun and Node have it; edge runtimes do not). */
export function loadFs(): Promise<FsLike> {
  fsPromise ??= import("node:fs/promises").then(
    (m) => m as unknown as FsLike,
    (cause) => {
      fsPromise = undefined;
      throw new BosError({
        status: 0,
        code: "NotSupported",
        message:
          "File access needs node:fs/promises (Deno, Bun or Node); pass bytes, a Blob or a stream instead",
        cause,
      });
    },
  );
  return fsPromise;
}

export async function openFile(path: string, flags = "r"): Promise<FileHandleLike> {
  const fs = await loadFs();
  try {
    return await fs.open(path, flags);
  } catch (cause) {
    throw new BosError({
      status: 0,
      code: "FileError",
      message: `Cannot open file ${JSON.stringify(path)}: ${cause instanceof Error ? cause.message : cause}`,
      cause,
    });
  }
}

/** Bytes per read of a file whose bytes are hashed as they are read, and per synchronous read. */
const FILE_READ = 1024 * 1024;

/** `node:fs` `readSync` (a positioned read: pread), or `undefined` where there is none. */
export type ReadSync = (
  fd: number,
  buffer: Uint8Array,
  offset: number,
  length: number,
  position: number,
) => number;
let readSyncPromise: Promise<ReadSync | undefined> | undefined;
function loadReadSync(): Promise<ReadSync | undefined> {
  readSyncPromise ??= import("node:fs").then((m) => m.readSync as unknown as ReadSync, () => undefined);
  return readSyncPromise;
}

/**
 * A synchronous read slower than this per MiB means the bytes came from a device or a network, not
 * from memory (a file in the page cache reads at gigabytes per second, 0.2–0.5 ms per MiB).
 */
const SLOW_SYNC_READ_MS_PER_MIB = 4;
/** Reads made asynchronously after the first slow synchronous one; doubled after each further slow one. */
const ASYNC_AFTER_SLOW = 16;
const MAX_ASYNC_AFTER_SLOW = 4096;
/** Bytes one `readAt` reads synchronously in a row, at most, before its next read lets the event loop turn. */
const SYNC_STREAK = 16 * 1024 * 1024;

/**
 * A file as a random-access source. Reads of a regular file are synchronous positioned reads
 * (`readSync`, at most {@link FILE_READ} bytes each) while they come from memory: on Deno and Node an
 * asynchronous read goes through a thread pool, which costs more CPU than the copy itself (uploading
 * from the page cache, about a sixth of the client's CPU) and leaves the bytes in another core's cache
 * just before they are hashed and sent. A slow one (the file is not in memory) makes the next reads
 * asynchronous, for longer after each slow one, so storage holds the event loop up for at most one
 * read now and then; and no `readAt` reads more than {@link SYNC_STREAK} bytes without a turn of it.
 */
export async function fileSource(
  path: string,
  io: { readSync?: ReadSync; now?: () => number } = {},
): Promise<Source> {
  const handle = await openFile(path);
  const st = await handle.stat();
  const size = st.size;
  const fd = handle.fd;
  const readSync = typeof fd === "number" && st.isFile?.() === true
    ? io.readSync ?? await loadReadSync()
    : undefined;
  const now = io.now ?? (() => performance.now());
  /** Reads still to make asynchronously, and how many the next slow synchronous read earns. */
  let asyncReads = 0;
  let backoff = ASYNC_AFTER_SLOW;
  /** Reads into `buf` at `at`; `streak`: bytes this `readAt` read synchronously in a row. Resolves with the count, and whether the read was synchronous. */
  const readChunk = async (
    buf: Uint8Array,
    at: number,
    want: number,
    position: number,
    streak: number,
  ): Promise<[number, boolean]> => {
    if (readSync && asyncReads === 0 && streak < SYNC_STREAK) {
      const started = now();
      const n = readSync(fd!, buf, at, Math.min(want, FILE_READ), position);
      if (now() - started > SLOW_SYNC_READ_MS_PER_MIB * Math.max(1, n / 1048576)) {
        asyncReads = backoff;
        backoff = Math.min(backoff * 2, MAX_ASYNC_AFTER_SLOW);
      } else backoff = ASYNC_AFTER_SLOW;
      return [n, true];
    }
    if (asyncReads > 0) asyncReads--;
    return [(await handle.read(buf, at, want, position)).bytesRead, false];
  };
  return {
    size,
    randomAccess: true,
    needsBuffer: true,
    async readAt(offset, length, buffer, onRead) {
      const buf = buffer ?? new Uint8Array(length);
      let n = 0;
      /** Where the last asynchronous read of this call ended. */
      let sinceTurn = 0;
      while (n < length) {
        // 1 MiB at a time when the bytes are hashed as they come: a larger read leaves them in memory
        // but no longer in the cache, and hashing them then costs a pass over memory.
        const want = onRead ? Math.min(FILE_READ, length - n) : length - n;
        const [bytesRead, sync] = await readChunk(buf, n, want, offset + n, n - sinceTurn);
        if (!sync) sinceTurn = n + bytesRead;
        if (bytesRead === 0) break;
        onRead?.(buf.subarray(n, n + bytesRead));
        n += bytesRead;
      }
      if (n < length) {
        throw new BosError({
          status: 0,
          code: "CheckpointMismatch",
          message: `File ${JSON.stringify(path)} shrank while uploading: wanted bytes ${offset}-${
            offset + length - 1
          }, got ${n}`,
        });
      }
      return buf.subarray(0, n);
    },
    readInto: async (buf, position) => (await readChunk(buf, 0, buf.length, position, 0))[0],
    readNext: noSequential,
    fingerprint: () => Promise.resolve({ kind: "file", size, mtimeMs: Math.floor(st.mtimeMs) }),
    close: () => handle.close(),
  };
}

export function sourceOf(
  body: Uint8Array | string | Blob | ReadableStream<Uint8Array>,
  size?: number,
  id?: string,
): Source {
  if (typeof body === "string") return bytesSource(enc.encode(body));
  if (body instanceof Uint8Array) return bytesSource(body);
  if (typeof Blob !== "undefined" && body instanceof Blob) return blobSource(body);
  if (body instanceof ReadableStream) return streamSource(body, size, id);
  throw invalid(`Upload body must be a Uint8Array, string, Blob or ReadableStream, got ${typeof body}`);
}

/**
 * The buffer to hand back to the pool after `readNext(…, buffer)` returned `data`: `buffer` itself,
 * or (after a BYOB read moved its memory) the whole ArrayBuffer `data` now lives in. Pool buffers
 * are whole ArrayBuffers, so nothing of the original is lost.
 */
export function ownerOf(buffer: Uint8Array, data: Uint8Array): Uint8Array {
  return data.buffer === buffer.buffer ? buffer : new Uint8Array(data.buffer as ArrayBuffer);
}

/** At most `limit` buffers exist at once; a buffer too small for a request is replaced. */
export class BufferPool {
  #free: Uint8Array[] = [];
  #count = 0;
  #waiters: (() => void)[] = [];
  constructor(readonly limit: number) {}

  async acquire(size: number): Promise<Uint8Array> {
    for (;;) {
      const i = this.#free.findIndex((b) => b.byteLength >= size);
      if (i >= 0) return this.#free.splice(i, 1)[0];
      if (this.#free.length > 0) {
        this.#free.pop();
        this.#count--;
      }
      if (this.#count < this.limit) {
        this.#count++;
        return new Uint8Array(size);
      }
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  release(buffer: Uint8Array): void {
    this.#free.push(buffer);
    this.#waiters.shift()?.();
  }

  /** Buffers currently allocated (in use or free). */
  get allocated(): number {
    return this.#count;
  }
}
