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
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  write(
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: number,
  ): Promise<{ bytesWritten: number }>;
  stat(): Promise<{ size: number; mtimeMs: number }>;
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

/** Bytes per read of a file whose bytes are hashed as they are read. */
const FILE_READ = 1024 * 1024;

export async function fileSource(path: string): Promise<Source> {
  const handle = await openFile(path);
  const st = await handle.stat();
  const size = st.size;
  return {
    size,
    randomAccess: true,
    needsBuffer: true,
    async readAt(offset, length, buffer, onRead) {
      const buf = buffer ?? new Uint8Array(length);
      let n = 0;
      while (n < length) {
        // 1 MiB at a time when the bytes are hashed as they come: a larger read leaves them in memory
        // but no longer in the cache, and hashing them then costs a pass over memory.
        const want = onRead ? Math.min(FILE_READ, length - n) : length - n;
        const { bytesRead } = await handle.read(buf, n, want, offset + n);
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
