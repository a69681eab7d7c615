/**
 * The filesystem storage backend (`--data-dir`). Layout under the data directory:
 *
 * - `tmp/` — blobs and record files being written (emptied at startup);
 * - `blobs/<id>` — immutable object and part bytes, named by random ids;
 * - `buckets/<name>.json` — bucket records (names are validated before they reach the store);
 * - `objects/<bucket>/<sha256(key)>.json` — object records (the key is inside the file, never a path);
 * - `uploads/<uploadId>/upload.json`, `uploads/<uploadId>/part-<n>.json` — multipart uploads.
 *
 * Bodies stream to `tmp/` and are renamed into `blobs/` when complete; a record is written to
 * `tmp/` and renamed over its final name, so an object becomes visible atomically and a crash
 * never leaves a partial object visible. At startup, temporary files and blobs that no record
 * names are removed; an upload whose parts an object already uses (a crash between Complete's two
 * steps) is dropped.
 *
 * Durability (on by default): before a change is acknowledged, its bytes, its record and the
 * directory entries of both are flushed to the disk, in that order (a record reaches the disk only
 * after the bytes it names; blobs are freed only once the record that dropped them is on the disk),
 * so an acknowledged write survives a power loss, not only a crash of the process.
 *
 * @module
 */
import * as fsp from "node:fs/promises";
import { dirname, join } from "node:path";
import { createHash } from "node:crypto";
import { KeyedLock } from "../_context.ts";
import { type FsIo, NODE_FS_IO, writeAll } from "./_fs_io.ts";
import { CommittedError, concatSegments, freedBlobs, newId, RecordIndex } from "./_index.ts";
import type {
  BlobSink,
  BucketRecord,
  ObjectRecord,
  PartRecord,
  Segment,
  Store,
  UploadRecord,
} from "./types.ts";

const READ_CHUNK = 256 * 1024;
const enc = new TextEncoder();

type UploadFile = Omit<UploadRecord, "parts">;

/**
 * Options of {@link openFsStore}.
 */
export interface FsStoreOptions {
  /**
   * Flush every change to the disk (fsync of the data, the record and their directories) before it is
   * acknowledged, so that it survives a power loss. Default `true`. `false` keeps crash safety (a killed
   * process loses nothing acknowledged) but not power-loss safety: for throwaway test servers.
   */
  durable?: boolean;
  /** The file operations of the write path; default {@link NODE_FS_IO}. */
  io?: FsIo;
}

/**
 * Opens (creating if needed) a filesystem store in `dir` and loads its records.
 *
 * @param dir The data directory.
 * @param options Durability and the file operations to write through.
 * @returns The store.
 *
 * @example Objects survive a restart
 * ```ts
 * import { BosClient } from "@boskit/boskit";
 * import { type BosHandler, createHandler, LOCAL_CREDENTIALS, openFsStore } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir(); // e.g. "./bos-data"
 * const clientOf = (handler: BosHandler) =>
 *   new BosClient({
 *     endpoint: "http://127.0.0.1",
 *     credentials: LOCAL_CREDENTIALS,
 *     fetch: (i, init) => handler(new Request(i, init)),
 *   });
 * const first = createHandler({ store: await openFsStore(dir) });
 * await clientOf(first).createBucket("my-bucket");
 * await clientOf(first).putObject("my-bucket", "kept.txt", "still here");
 * await first.close();
 * const second = createHandler({ store: await openFsStore(dir) }); // after a restart
 * assert.equal(await (await clientOf(second).getObject("my-bucket", "kept.txt")).text(), "still here");
 * await second.close();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function openFsStore(dir: string, options: FsStoreOptions = {}): Promise<Store> {
  const io = options.io ?? NODE_FS_IO;
  const durable = options.durable ?? true;
  const paths = {
    tmp: join(dir, "tmp"),
    blobs: join(dir, "blobs"),
    buckets: join(dir, "buckets"),
    objects: join(dir, "objects"),
    uploads: join(dir, "uploads"),
  };
  for (const p of Object.values(paths)) await io.mkdir(p);
  for (const name of await fsp.readdir(paths.tmp)) await io.remove(join(paths.tmp, name));

  const index = new RecordIndex();
  const pins = new Map<string, number>();
  const doomed = new Set<string>();
  const fileLock = new KeyedLock();
  let closed = false;

  // Ids and bucket names become path segments; keys never do (they are hashed). Anything else is a
  // bug upstream, refused here rather than turned into a path.
  const segment = (kind: string, value: string, shape: RegExp) => {
    if (!shape.test(value)) throw new Error(`Refusing ${kind} ${JSON.stringify(value)} as a path segment`);
    return value;
  };
  const ID = /^[0-9a-f]{32}$/;
  const blobPath = (id: string) => join(paths.blobs, segment("blob id", id, ID));
  const keyFile = (key: string) => createHash("sha256").update(key).digest("hex") + ".json";
  const bucketDir = (bucket: string) =>
    join(paths.objects, segment("bucket", bucket, /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/));
  const objectPath = (bucket: string, key: string) => join(bucketDir(bucket), keyFile(key));
  const uploadDir = (id: string) => join(paths.uploads, segment("upload id", id, ID));

  // Group commit of directory flushes: a flush covers every change made before it starts, so callers
  // that arrive while one is running share the next one (at most one waits per directory).
  const dirFlushes = new Map<string, { running: Promise<void>; next?: Promise<void> }>();
  const flushDir = (path: string): Promise<void> => {
    const running = io.syncDir(path).finally(() => {
      const state = dirFlushes.get(path);
      if (state?.running === running && !state.next) dirFlushes.delete(path);
    });
    const state = dirFlushes.get(path);
    if (state) state.running = running;
    else dirFlushes.set(path, { running });
    return running;
  };
  /** Flushes a directory's entries (when durable), after every change made to it so far. */
  const syncDir = (path: string): Promise<void> => {
    if (!durable) return Promise.resolve();
    const state = dirFlushes.get(path);
    if (!state) return flushDir(path);
    state.next ??= state.running.then(() => {}, () => {}).then(() => {
      state.next = undefined;
      return flushDir(path);
    });
    return state.next;
  };

  /** Writes a new file in `tmp/` (flushed when durable); on failure nothing is left behind. */
  async function writeTmp(bytes: Uint8Array): Promise<string> {
    const tmp = join(paths.tmp, newId() + ".json");
    const file = await io.create(tmp);
    try {
      await writeAll(file, bytes);
      if (durable) await file.sync();
    } catch (err) {
      await file.close().catch(() => {});
      await io.remove(tmp).catch(() => {});
      throw err;
    }
    try {
      await file.close();
    } catch (err) {
      await io.remove(tmp).catch(() => {});
      throw err;
    }
    return tmp;
  }

  /**
   * Replaces the file at `path` with `data` as JSON, atomically (tmp file, rename), and flushes its
   * directory. The rename is the commit point: a failure after it is a {@link CommittedError}.
   */
  async function writeAtomic(path: string, data: unknown): Promise<void> {
    await fileLock.run(path, async () => {
      const tmp = await writeTmp(enc.encode(JSON.stringify(data)));
      try {
        await io.rename(tmp, path);
      } catch (err) {
        await io.remove(tmp).catch(() => {});
        throw err;
      }
      try {
        await syncDir(dirname(path));
      } catch (err) {
        throw new CommittedError(err);
      }
    });
  }

  /** Removes the file at `path` and flushes its directory; a failure after the removal is a {@link CommittedError}. */
  async function removeFile(path: string): Promise<void> {
    await fileLock.run(path, async () => {
      await io.remove(path);
      try {
        await syncDir(dirname(path));
      } catch (err) {
        throw new CommittedError(err);
      }
    });
  }

  /**
   * Runs the steps that follow a commit point: all of them, whatever fails; the first failure is
   * rethrown at the end as a {@link CommittedError}. `frees` runs only if nothing failed (a record
   * that may not be on the disk must keep its blobs).
   */
  async function afterCommit(
    pending: unknown,
    steps: Array<() => Promise<void>>,
    frees: () => Promise<void>,
  ) {
    let failure = pending;
    for (const step of steps) {
      try {
        await step();
      } catch (err) {
        failure ??= err;
      }
    }
    if (failure === undefined) await frees().catch(() => {}); // freed blobs are also collected at startup
    else throw failure instanceof CommittedError ? failure : new CommittedError(failure);
  }

  /** Runs a commit (`writeAtomic`/`removeFile`); returns its CommittedError, if any, rethrows anything else. */
  async function commit(step: () => Promise<void>): Promise<CommittedError | undefined> {
    try {
      await step();
      return undefined;
    } catch (err) {
      if (err instanceof CommittedError) return err;
      throw err;
    }
  }

  async function free(ids: Iterable<string>): Promise<void> {
    for (const id of ids) {
      if ((pins.get(id) ?? 0) > 0) doomed.add(id);
      else await io.remove(blobPath(id));
    }
  }

  function pin(ids: string[]): () => void {
    for (const id of ids) pins.set(id, (pins.get(id) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const id of ids) {
        const n = (pins.get(id) ?? 1) - 1;
        if (n > 0) pins.set(id, n);
        else {
          pins.delete(id);
          if (doomed.delete(id)) io.remove(blobPath(id)).catch(() => {});
        }
      }
    };
  }

  async function readJson<T>(path: string): Promise<T | undefined> {
    try {
      return JSON.parse(await fsp.readFile(path, "utf8")) as T;
    } catch {
      return undefined;
    }
  }

  // ---- load
  await writeAtomic(join(dir, "boskit-data.json"), { format: 1 });
  const referenced = new Set<string>();
  for (const name of await fsp.readdir(paths.buckets)) {
    if (!name.endsWith(".json")) continue;
    const b = await readJson<BucketRecord>(join(paths.buckets, name));
    if (!b) continue;
    index.addBucket(b);
    const odir = join(paths.objects, b.name);
    await io.mkdir(odir);
    for (const f of await fsp.readdir(odir)) {
      const rec = await readJson<ObjectRecord>(join(odir, f));
      if (!rec || typeof rec.key !== "string") {
        await io.remove(join(odir, f));
        continue;
      }
      index.setObject(b.name, rec);
      for (const s of rec.segments) referenced.add(s.blob);
    }
  }
  for (const id of await fsp.readdir(paths.uploads)) {
    if (!ID.test(id)) continue; // not ours
    const u = await readJson<UploadFile>(join(uploadDir(id), "upload.json"));
    if (!u || !index.getBucket(u.bucket)) {
      await io.remove(uploadDir(id));
      continue;
    }
    const parts = new Map<number, PartRecord>();
    for (const f of await fsp.readdir(uploadDir(id))) {
      if (!f.startsWith("part-")) continue;
      const p = await readJson<PartRecord>(join(uploadDir(id), f));
      if (p) parts.set(p.partNumber, p);
    }
    if ([...parts.values()].some((p) => referenced.has(p.segment.blob))) {
      // Completed before a crash: the object owns the listed parts; the rest are garbage.
      await io.remove(uploadDir(id));
      continue;
    }
    for (const p of parts.values()) referenced.add(p.segment.blob);
    index.uploads.set(u.uploadId, { ...u, parts });
  }
  for (const id of await fsp.readdir(paths.blobs)) {
    if (ID.test(id) && !referenced.has(id)) await io.remove(blobPath(id));
  }

  const store: Store = {
    kind: "fs",
    listBuckets: () => index.listBuckets(),
    getBucket: (name) => index.getBucket(name),
    async createBucket(record) {
      const odir = bucketDir(record.name);
      await io.remove(odir); // what a deleted bucket of that name may have left (a new bucket is empty)
      await io.mkdir(odir);
      await syncDir(paths.objects);
      const pending = await commit(() => writeAtomic(join(paths.buckets, record.name + ".json"), record));
      index.addBucket(record);
      if (pending) throw pending;
    },
    async deleteBucket(name) {
      const pending = await commit(() => removeFile(join(paths.buckets, name + ".json")));
      index.buckets.delete(name);
      // Best effort: a leftover is ignored at startup (no bucket record) and cleared by createBucket.
      await io.remove(bucketDir(name)).catch(() => {});
      if (pending) throw pending;
    },
    async setBucketCors(name, rules) {
      const current = index.getBucket(name);
      if (!current) throw new Error(`Bucket ${name} does not exist`);
      const record: BucketRecord = { ...current, cors: rules };
      if (rules === undefined) delete record.cors;
      const pending = await commit(() => writeAtomic(join(paths.buckets, name + ".json"), record));
      index.updateBucket(name, { cors: rules });
      if (pending) throw pending;
    },
    bucketHasContent: (name) => index.bucketHasContent(name),
    getObject: (bucket, key) => index.getObject(bucket, key),
    sortedKeys: (bucket) => index.sortedKeys(bucket),
    async putObject(bucket, record) {
      const pending = await commit(() => writeAtomic(objectPath(bucket, record.key), record));
      const old = index.setObject(bucket, record);
      await afterCommit(pending, [], () => free(freedBlobs(old?.segments, record.segments)));
    },
    async deleteObject(bucket, key) {
      if (!index.getObject(bucket, key)) return false;
      const pending = await commit(() => removeFile(objectPath(bucket, key)));
      const old = index.removeObject(bucket, key);
      await afterCommit(pending, [], () => free(old ? old.segments.map((s) => s.blob) : []));
      return old !== undefined;
    },
    async createUpload(record) {
      const udir = uploadDir(record.uploadId);
      await io.mkdir(udir);
      const { parts: _parts, ...file } = record;
      try {
        await writeAtomic(join(udir, "upload.json"), file);
        await syncDir(paths.uploads); // the upload's directory entry
      } catch (err) {
        // Not acknowledged: no upload (a leftover directory without upload.json is dropped at startup).
        await io.remove(udir).catch(() => {});
        throw err;
      }
      index.uploads.set(record.uploadId, record);
    },
    getUpload: (id) => index.uploads.get(id),
    listUploads: (bucket) => index.listUploads(bucket),
    async putPart(uploadId, part) {
      const upload = index.uploads.get(uploadId);
      if (!upload) {
        await free([part.segment.blob]);
        return;
      }
      let pending: CommittedError | undefined;
      try {
        pending = await commit(() =>
          writeAtomic(join(uploadDir(uploadId), `part-${part.partNumber}.json`), part)
        );
      } catch (err) {
        // Aborted or completed meanwhile: the part has nowhere to go.
        if (index.uploads.get(uploadId) !== upload) {
          await free([part.segment.blob]);
          return;
        }
        throw err;
      }
      if (index.uploads.get(uploadId) !== upload) {
        await free([part.segment.blob]);
        return;
      }
      const old = upload.parts.get(part.partNumber);
      upload.parts.set(part.partNumber, part);
      await afterCommit(
        pending,
        [],
        () => old && old.segment.blob !== part.segment.blob ? free([old.segment.blob]) : Promise.resolve(),
      );
    },
    async completeUpload(uploadId, bucket, record) {
      const upload = index.uploads.get(uploadId);
      // The object record is the commit point; the upload's removal follows (a crash in between is
      // repaired at startup: an upload whose parts an object uses is dropped).
      const pending = await commit(() => writeAtomic(objectPath(bucket, record.key), record));
      const old = index.setObject(bucket, record);
      index.uploads.delete(uploadId);
      const used = new Set(record.segments.map((s) => s.blob));
      await afterCommit(
        pending,
        [
          () => removeFile(join(uploadDir(uploadId), "upload.json")),
          () => io.remove(uploadDir(uploadId)),
        ],
        async () => {
          await free(freedBlobs(old?.segments, record.segments));
          if (upload) {
            await free([...upload.parts.values()].map((p) => p.segment.blob).filter((b) => !used.has(b)));
          }
        },
      );
    },
    async abortUpload(uploadId) {
      const upload = index.uploads.get(uploadId);
      const pending = await commit(() => removeFile(join(uploadDir(uploadId), "upload.json")));
      index.uploads.delete(uploadId);
      await afterCommit(
        pending,
        [() => io.remove(uploadDir(uploadId))],
        () => upload ? free([...upload.parts.values()].map((p) => p.segment.blob)) : Promise.resolve(),
      );
    },
    async newBlob(): Promise<BlobSink> {
      if (closed) throw new Error("The store is closed");
      const id = newId();
      const tmp = join(paths.tmp, id);
      const file = await io.create(tmp);
      let size = 0;
      let state: "open" | "done" | "aborted" = "open";
      const discard = async () => {
        await file.close().catch(() => {});
        await io.remove(tmp).catch(() => {});
      };
      return {
        blob: id,
        async write(chunk: Uint8Array) {
          if (state !== "open") throw new Error(`Blob ${id} is closed`);
          await writeAll(file, chunk);
          size += chunk.byteLength;
        },
        async finish(): Promise<Segment> {
          if (state !== "open") throw new Error(`Blob ${id} is closed`);
          state = "done";
          try {
            if (durable) await file.sync();
            await file.close();
            await io.rename(tmp, blobPath(id));
            await syncDir(paths.blobs);
          } catch (err) {
            await discard();
            await io.remove(blobPath(id)).catch(() => {});
            throw err;
          }
          return { blob: id, size };
        },
        async abort() {
          if (state === "open") {
            state = "aborted";
            await discard();
          }
        },
      };
    },
    async deleteBlobs(ids) {
      await free(ids);
    },
    read(segments, start, end) {
      const unpin = pin(segments.map((s) => s.blob));
      return concatSegments(
        segments,
        start,
        end,
        (blob, from, to) => readFile(blobPath(blob), from, to),
        unpin,
      );
    },
    async reset() {
      const all = [...index.buckets.values()].flatMap((b) =>
        [...b.objects.values()].flatMap((o) => o.segments.map((s) => s.blob))
      );
      const parts = [...index.uploads.values()].flatMap((u) =>
        [...u.parts.values()].map((p) => p.segment.blob)
      );
      index.clear();
      for (const p of [paths.buckets, paths.objects, paths.uploads]) {
        await io.remove(p);
        await io.mkdir(p);
      }
      await syncDir(dir);
      await free([...all, ...parts]);
    },
    close() {
      closed = true;
      return Promise.resolve();
    },
  };
  return store;
}

function readFile(path: string, from: number, to: number): ReadableStream<Uint8Array> {
  let fh: fsp.FileHandle | undefined;
  let pos = from;
  const close = async () => {
    const h = fh;
    fh = undefined;
    await h?.close().catch(() => {});
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        fh ??= await fsp.open(path, "r");
        if (pos >= to) {
          await close();
          controller.close();
          return;
        }
        const buf = new Uint8Array(Math.min(READ_CHUNK, to - pos));
        const { bytesRead } = await fh.read(buf, 0, buf.byteLength, pos);
        if (bytesRead === 0) {
          await close();
          controller.error(new Error(`Blob file ${path} is shorter than expected`));
          return;
        }
        pos += bytesRead;
        controller.enqueue(bytesRead === buf.byteLength ? buf : buf.subarray(0, bytesRead));
      } catch (err) {
        await close();
        controller.error(err);
      }
    },
    async cancel() {
      await close();
    },
  }, { highWaterMark: 0 });
}
