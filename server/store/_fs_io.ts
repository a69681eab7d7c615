/**
 * The file operations the filesystem store writes through ({@link FsIo}), and their `node:fs`
 * implementation. Reads go to `node:fs` directly; every change to the data directory goes through an
 * `FsIo`, so a test can watch the flushes happen or make the disk fill up, on the real write path.
 *
 * @module
 */
import * as fsp from "node:fs/promises";

/**
 * A new file the filesystem store is writing.
 */
export interface FsFile {
  /** Writes `length` bytes of `data` from `offset`; resolves to the number written, which may be fewer (as write(2)). */
  write(data: Uint8Array, offset: number, length: number): Promise<number>;
  /** Flushes the file's bytes, and what is needed to read them back, to the disk (fdatasync(2)). */
  sync(): Promise<void>;
  /** Closes the file. */
  close(): Promise<void>;
}

/**
 * The changes the filesystem store makes to its data directory. `NODE_FS_IO` is the real one; a
 * wrapper that calls through to it can count the flushes of each request or fail like a full disk.
 */
export interface FsIo {
  /** Creates a new file for writing; rejects when it exists. */
  create(path: string): Promise<FsFile>;
  /** Renames a file, replacing the target atomically. */
  rename(from: string, to: string): Promise<void>;
  /** Removes a file or a directory tree; no error when it does not exist. */
  remove(path: string): Promise<void>;
  /** Creates a directory and its missing parents; no error when it exists. */
  mkdir(path: string): Promise<void>;
  /** Flushes a directory's entries (files created, renamed in or removed) to the disk (fsync(2) on it). */
  syncDir(path: string): Promise<void>;
}

/**
 * `FsIo` on `node:fs` (Deno, Node and Bun): what the filesystem store uses unless told otherwise.
 * `syncDir` is a no-op where directories cannot be opened (Windows, whose file systems journal
 * directory changes themselves).
 *
 * @example
 * ```ts
 * import { NODE_FS_IO } from "@boskit/boskit/server";
 *
 * const dir = await Deno.makeTempDir();
 * await NODE_FS_IO.mkdir(`${dir}/a/b`);
 * await NODE_FS_IO.syncDir(`${dir}/a`); // the entry of b is on the disk
 * await NODE_FS_IO.remove(`${dir}/a`);
 * await Deno.remove(dir);
 * ```
 */
export const NODE_FS_IO: FsIo = Object.freeze({
  async create(path: string): Promise<FsFile> {
    const fh = await fsp.open(path, "wx");
    return {
      async write(data: Uint8Array, offset: number, length: number) {
        return (await fh.write(data, offset, length)).bytesWritten;
      },
      sync: () => fh.datasync(),
      close: () => fh.close(),
    };
  },
  rename: (from: string, to: string) => fsp.rename(from, to),
  remove: (path: string) => fsp.rm(path, { force: true, recursive: true }),
  async mkdir(path: string) {
    await fsp.mkdir(path, { recursive: true });
  },
  async syncDir(path: string) {
    let fh: fsp.FileHandle;
    try {
      fh = await fsp.open(path, "r");
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === "EISDIR" || code === "EPERM" || code === "EACCES") return; // Windows
      throw err;
    }
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  },
});

/** Writes all of `data`, however many calls it takes; a call that writes nothing is an error. */
export async function writeAll(file: FsFile, data: Uint8Array): Promise<void> {
  let off = 0;
  while (off < data.byteLength) {
    const n = await file.write(data, off, data.byteLength - off);
    if (!(n > 0)) throw new Error(`A write of ${data.byteLength - off} bytes wrote nothing`);
    off += n;
  }
}
