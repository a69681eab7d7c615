/**
 * The in-memory storage backend (the default): records and blobs live in the process.
 *
 * @module
 */
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

/**
 * Creates an in-memory store.
 *
 * @returns A store whose contents vanish with the process.
 *
 * @example
 * ```ts
 * import { createMemoryStore } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const store = createMemoryStore();
 * await store.createBucket({ name: "photos", location: "bj", created: Date.now() });
 * assert.equal(store.listBuckets().length, 1);
 * ```
 */
export function createMemoryStore(): Store {
  const index = new RecordIndex();
  const blobs = new Map<string, Uint8Array[]>();

  const free = (ids: Iterable<string>) => {
    for (const id of ids) blobs.delete(id);
  };

  const store: Store = {
    kind: "memory",
    listBuckets: () => index.listBuckets(),
    getBucket: (name) => index.getBucket(name),
    createBucket(record: BucketRecord) {
      index.addBucket(record);
      return Promise.resolve();
    },
    deleteBucket(name) {
      index.buckets.delete(name);
      return Promise.resolve();
    },
    setBucketCors(name, rules) {
      index.updateBucket(name, { cors: rules });
      return Promise.resolve();
    },
    bucketHasContent: (name) => index.bucketHasContent(name),
    getObject: (bucket, key) => index.getObject(bucket, key),
    sortedKeys: (bucket) => index.sortedKeys(bucket),
    putObject(bucket: string, record: ObjectRecord) {
      const old = index.setObject(bucket, record);
      free(freedBlobs(old?.segments, record.segments));
      return Promise.resolve();
    },
    deleteObject(bucket, key) {
      const old = index.removeObject(bucket, key);
      if (old) free(old.segments.map((s) => s.blob));
      return Promise.resolve(old !== undefined);
    },
    createUpload(record: UploadRecord) {
      index.uploads.set(record.uploadId, record);
      return Promise.resolve();
    },
    getUpload: (id) => index.uploads.get(id),
    listUploads: (bucket) => index.listUploads(bucket),
    putPart(uploadId: string, part: PartRecord) {
      const upload = index.uploads.get(uploadId);
      if (!upload) {
        free([part.segment.blob]);
        return Promise.resolve();
      }
      const old = upload.parts.get(part.partNumber);
      upload.parts.set(part.partNumber, part);
      if (old && old.segment.blob !== part.segment.blob) free([old.segment.blob]);
      return Promise.resolve();
    },
    completeUpload(uploadId: string, bucket: string, record: ObjectRecord) {
      const upload = index.uploads.get(uploadId);
      const used = new Set(record.segments.map((s) => s.blob));
      const old = index.setObject(bucket, record);
      free(freedBlobs(old?.segments, record.segments));
      index.uploads.delete(uploadId);
      if (upload) free([...upload.parts.values()].map((p) => p.segment.blob).filter((b) => !used.has(b)));
      return Promise.resolve();
    },
    abortUpload(uploadId) {
      const upload = index.uploads.get(uploadId);
      index.uploads.delete(uploadId);
      if (upload) free([...upload.parts.values()].map((p) => p.segment.blob));
      return Promise.resolve();
    },
    newBlob(): Promise<BlobSink> {
      const id = newId();
      const chunks: Uint8Array[] = [];
      let size = 0;
      let state: "open" | "done" | "aborted" = "open";
      return Promise.resolve({
        blob: id,
        write(chunk: Uint8Array) {
          if (state !== "open") return Promise.reject(new Error(`Blob ${id} is closed`));
          if (chunk.byteLength > 0) {
            chunks.push(chunk.slice());
            size += chunk.byteLength;
          }
          return Promise.resolve();
        },
        finish(): Promise<Segment> {
          if (state !== "open") return Promise.reject(new Error(`Blob ${id} is closed`));
          state = "done";
          blobs.set(id, chunks);
          return Promise.resolve({ blob: id, size });
        },
        abort() {
          if (state === "open") state = "aborted";
          chunks.length = 0;
          return Promise.resolve();
        },
      });
    },
    deleteBlobs(ids) {
      free(ids);
      return Promise.resolve();
    },
    read(segments, start, end) {
      // Capture the chunks now: a later overwrite frees blobs but this reader keeps its data.
      const captured = new Map(segments.map((s) => [s.blob, blobs.get(s.blob) ?? []]));
      return concatSegments(
        segments,
        start,
        end,
        (blob, from, to) => sliceChunks(captured.get(blob)!, from, to),
      );
    },
    reset() {
      index.clear();
      blobs.clear();
      return Promise.resolve();
    },
    close() {
      return Promise.resolve();
    },
  };
  return store;
}

function sliceChunks(chunks: Uint8Array[], from: number, to: number): ReadableStream<Uint8Array> {
  let i = 0;
  let pos = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      while (i < chunks.length) {
        const c = chunks[i++];
        const a = Math.max(from, pos);
        const b = Math.min(to, pos + c.byteLength);
        const base = pos;
        pos += c.byteLength;
        if (a < b) {
          controller.enqueue(c.subarray(a - base, b - base));
          return;
        }
        if (pos >= to) break;
      }
      controller.close();
    },
  }, { highWaterMark: 0 });
}
