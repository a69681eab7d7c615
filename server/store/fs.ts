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
 * @module
 */
import * as fsp from "node:fs/promises";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { KeyedLock } from "../_context.ts";
import { concatSegments, freedBlobs, newId, RecordIndex } from "./_index.ts";
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

type UploadFile = Omit<UploadRecord, "parts">;

/**
 * Opens (creating if needed) a filesystem store in `dir` and loads its records.
 *
 * @param dir The data directory.
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
export async function openFsStore(dir: string): Promise<Store> {
  const paths = {
    tmp: join(dir, "tmp"),
    blobs: join(dir, "blobs"),
    buckets: join(dir, "buckets"),
    objects: join(dir, "objects"),
    uploads: join(dir, "uploads"),
  };
  for (const p of Object.values(paths)) await fsp.mkdir(p, { recursive: true });
  await fsp.writeFile(join(dir, "boskit-data.json"), JSON.stringify({ format: 1 }) + "\n");
  for (const name of await fsp.readdir(paths.tmp)) {
    await fsp.rm(join(paths.tmp, name), { force: true, recursive: true });
  }

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
  const objectPath = (bucket: string, key: string) =>
    join(paths.objects, segment("bucket", bucket, /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/), keyFile(key));
  const uploadDir = (id: string) => join(paths.uploads, segment("upload id", id, ID));

  async function writeAtomic(path: string, data: unknown): Promise<void> {
    await fileLock.run(path, async () => {
      const tmp = join(paths.tmp, newId() + ".json");
      await fsp.writeFile(tmp, JSON.stringify(data));
      await fsp.rename(tmp, path);
    });
  }

  async function removeFile(path: string): Promise<void> {
    await fileLock.run(path, () => fsp.rm(path, { force: true }));
  }

  async function free(ids: Iterable<string>): Promise<void> {
    for (const id of ids) {
      if ((pins.get(id) ?? 0) > 0) doomed.add(id);
      else await fsp.rm(blobPath(id), { force: true });
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
          if (doomed.delete(id)) fsp.rm(blobPath(id), { force: true }).catch(() => {});
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
  const referenced = new Set<string>();
  for (const name of await fsp.readdir(paths.buckets)) {
    if (!name.endsWith(".json")) continue;
    const b = await readJson<BucketRecord>(join(paths.buckets, name));
    if (!b) continue;
    index.addBucket(b);
    const odir = join(paths.objects, b.name);
    await fsp.mkdir(odir, { recursive: true });
    for (const f of await fsp.readdir(odir)) {
      const rec = await readJson<ObjectRecord>(join(odir, f));
      if (!rec || typeof rec.key !== "string") {
        await fsp.rm(join(odir, f), { force: true });
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
      await fsp.rm(uploadDir(id), { recursive: true, force: true });
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
      await fsp.rm(uploadDir(id), { recursive: true, force: true });
      continue;
    }
    for (const p of parts.values()) referenced.add(p.segment.blob);
    index.uploads.set(u.uploadId, { ...u, parts });
  }
  for (const id of await fsp.readdir(paths.blobs)) {
    if (ID.test(id) && !referenced.has(id)) await fsp.rm(blobPath(id), { force: true });
  }

  const store: Store = {
    kind: "fs",
    listBuckets: () => index.listBuckets(),
    getBucket: (name) => index.getBucket(name),
    async createBucket(record) {
      await fsp.mkdir(join(paths.objects, record.name), { recursive: true });
      await writeAtomic(join(paths.buckets, record.name + ".json"), record);
      index.addBucket(record);
    },
    async deleteBucket(name) {
      await removeFile(join(paths.buckets, name + ".json"));
      index.buckets.delete(name);
      await fsp.rm(join(paths.objects, name), { recursive: true, force: true });
    },
    async setBucketCors(name, rules) {
      const current = index.getBucket(name);
      if (!current) throw new Error(`Bucket ${name} does not exist`);
      const record: BucketRecord = { ...current, cors: rules };
      if (rules === undefined) delete record.cors;
      await writeAtomic(join(paths.buckets, name + ".json"), record);
      index.updateBucket(name, { cors: rules });
    },
    bucketHasContent: (name) => index.bucketHasContent(name),
    getObject: (bucket, key) => index.getObject(bucket, key),
    sortedKeys: (bucket) => index.sortedKeys(bucket),
    async putObject(bucket, record) {
      await writeAtomic(objectPath(bucket, record.key), record);
      const old = index.setObject(bucket, record);
      await free(freedBlobs(old?.segments, record.segments));
    },
    async deleteObject(bucket, key) {
      if (!index.getObject(bucket, key)) return false;
      await removeFile(objectPath(bucket, key));
      const old = index.removeObject(bucket, key);
      if (old) await free(old.segments.map((s) => s.blob));
      return old !== undefined;
    },
    async createUpload(record) {
      await fsp.mkdir(uploadDir(record.uploadId), { recursive: true });
      const { parts: _parts, ...file } = record;
      await writeAtomic(join(uploadDir(record.uploadId), "upload.json"), file);
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
      try {
        await writeAtomic(join(uploadDir(uploadId), `part-${part.partNumber}.json`), part);
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
      if (old && old.segment.blob !== part.segment.blob) await free([old.segment.blob]);
    },
    async completeUpload(uploadId, bucket, record) {
      const upload = index.uploads.get(uploadId);
      await writeAtomic(objectPath(bucket, record.key), record);
      const old = index.setObject(bucket, record);
      index.uploads.delete(uploadId);
      await removeFile(join(uploadDir(uploadId), "upload.json"));
      await fsp.rm(uploadDir(uploadId), { recursive: true, force: true });
      const used = new Set(record.segments.map((s) => s.blob));
      await free(freedBlobs(old?.segments, record.segments));
      if (upload) {
        await free([...upload.parts.values()].map((p) => p.segment.blob).filter((b) => !used.has(b)));
      }
    },
    async abortUpload(uploadId) {
      const upload = index.uploads.get(uploadId);
      await removeFile(join(uploadDir(uploadId), "upload.json"));
      index.uploads.delete(uploadId);
      await fsp.rm(uploadDir(uploadId), { recursive: true, force: true });
      if (upload) await free([...upload.parts.values()].map((p) => p.segment.blob));
    },
    async newBlob(): Promise<BlobSink> {
      if (closed) throw new Error("The store is closed");
      const id = newId();
      const tmp = join(paths.tmp, id);
      const fh = await fsp.open(tmp, "wx");
      let size = 0;
      let state: "open" | "done" | "aborted" = "open";
      return {
        blob: id,
        async write(chunk: Uint8Array) {
          if (state !== "open") throw new Error(`Blob ${id} is closed`);
          let off = 0;
          while (off < chunk.byteLength) {
            const { bytesWritten } = await fh.write(chunk, off, chunk.byteLength - off);
            off += bytesWritten;
          }
          size += chunk.byteLength;
        },
        async finish(): Promise<Segment> {
          if (state !== "open") throw new Error(`Blob ${id} is closed`);
          state = "done";
          await fh.close();
          await fsp.rename(tmp, blobPath(id));
          return { blob: id, size };
        },
        async abort() {
          if (state === "open") {
            state = "aborted";
            await fh.close().catch(() => {});
            await fsp.rm(tmp, { force: true });
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
        await fsp.rm(p, { recursive: true, force: true });
        await fsp.mkdir(p, { recursive: true });
      }
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
