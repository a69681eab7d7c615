/**
 * The in-memory record index both storage backends keep: buckets, objects with a lazily sorted key
 * list per bucket, and multipart uploads.
 *
 * @module
 */
import { compareUtf8 } from "../_order.ts";
import type { BucketRecord, ObjectRecord, Segment, UploadRecord } from "./types.ts";

interface BucketEntry {
  record: BucketRecord;
  objects: Map<string, ObjectRecord>;
  sorted: string[] | undefined;
}

/** Records of one store. */
export class RecordIndex {
  readonly buckets = new Map<string, BucketEntry>();
  readonly uploads = new Map<string, UploadRecord>();

  listBuckets(): BucketRecord[] {
    return [...this.buckets.values()].map((b) => b.record).sort((a, b) => compareUtf8(a.name, b.name));
  }

  getBucket(name: string): BucketRecord | undefined {
    return this.buckets.get(name)?.record;
  }

  addBucket(record: BucketRecord): void {
    this.buckets.set(record.name, { record, objects: new Map(), sorted: undefined });
  }

  /** Replaces a bucket's record (its objects stay); returns the new record. */
  updateBucket(name: string, change: Partial<Omit<BucketRecord, "name">>): BucketRecord {
    const entry = this.buckets.get(name);
    if (!entry) throw new Error(`Bucket ${name} does not exist`);
    entry.record = { ...entry.record, ...change };
    return entry.record;
  }

  bucketHasContent(name: string): boolean {
    const entry = this.buckets.get(name);
    if (!entry) return false;
    if (entry.objects.size > 0) return true;
    for (const u of this.uploads.values()) if (u.bucket === name) return true;
    return false;
  }

  getObject(bucket: string, key: string): ObjectRecord | undefined {
    return this.buckets.get(bucket)?.objects.get(key);
  }

  sortedKeys(bucket: string): readonly string[] {
    const entry = this.buckets.get(bucket);
    if (!entry) return [];
    entry.sorted ??= [...entry.objects.keys()].sort(compareUtf8);
    return entry.sorted;
  }

  /** Sets an object; returns the replaced record. */
  setObject(bucket: string, record: ObjectRecord): ObjectRecord | undefined {
    const entry = this.buckets.get(bucket);
    if (!entry) throw new Error(`Bucket ${bucket} does not exist`);
    const old = entry.objects.get(record.key);
    entry.objects.set(record.key, record);
    if (!old) entry.sorted = undefined;
    return old;
  }

  removeObject(bucket: string, key: string): ObjectRecord | undefined {
    const entry = this.buckets.get(bucket);
    const old = entry?.objects.get(key);
    if (entry && old) {
      entry.objects.delete(key);
      entry.sorted = undefined;
    }
    return old;
  }

  listUploads(bucket: string): UploadRecord[] {
    return [...this.uploads.values()].filter((u) => u.bucket === bucket).sort((a, b) =>
      compareUtf8(a.key, b.key) || a.initiated - b.initiated || compareUtf8(a.uploadId, b.uploadId)
    );
  }

  clear(): void {
    this.buckets.clear();
    this.uploads.clear();
  }
}

/** Blobs of `old` that `next` does not use any more. */
export function freedBlobs(old: readonly Segment[] | undefined, next: readonly Segment[]): string[] {
  if (!old) return [];
  const keep = new Set(next.map((s) => s.blob));
  return old.map((s) => s.blob).filter((b) => !keep.has(b));
}

/** A fresh random id: 32 lower-case hex characters. */
export function newId(): string {
  return crypto.randomUUID().replaceAll("-", "");
}

/**
 * Streams `[start, end)` of a list of segments, reading each through `open(blob, from, to)`.
 *
 * @param segments The segments in order.
 * @param start First byte.
 * @param end One past the last byte.
 * @param open Streams a byte range of one blob.
 * @param done Called once when the stream ends, errors or is cancelled.
 */
export function concatSegments(
  segments: readonly Segment[],
  start: number,
  end: number,
  open: (blob: string, from: number, to: number) => ReadableStream<Uint8Array>,
  done: () => void = () => {},
): ReadableStream<Uint8Array> {
  const pieces: Array<{ blob: string; from: number; to: number }> = [];
  let pos = 0;
  for (const s of segments) {
    const a = Math.max(start, pos);
    const b = Math.min(end, pos + s.size);
    if (a < b) pieces.push({ blob: s.blob, from: a - pos, to: b - pos });
    pos += s.size;
  }
  let i = 0;
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  let finished = false;
  const finish = () => {
    if (!finished) {
      finished = true;
      done();
    }
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        while (true) {
          if (!reader) {
            if (i >= pieces.length) {
              finish();
              controller.close();
              return;
            }
            const p = pieces[i++];
            reader = open(p.blob, p.from, p.to).getReader();
          }
          const { value, done } = await reader.read();
          if (done) {
            reader = undefined;
            continue;
          }
          if (value.byteLength === 0) continue;
          controller.enqueue(value);
          return;
        }
      } catch (err) {
        finish();
        controller.error(err);
      }
    },
    async cancel(reason) {
      finish();
      await reader?.cancel(reason).catch(() => {});
    },
  }, { highWaterMark: 0 });
}

/**
 * A store change that took effect (its commit point, the rename of a record or the removal of one,
 * passed) but failed afterwards, typically while flushing it to the disk. The caller must not undo
 * it — in particular not free the blobs it uses — and answers 500: the outcome is not acknowledged.
 */
export class CommittedError extends Error {
  constructor(cause: unknown) {
    super(
      `The change was made but could not be flushed to the disk: ${
        cause instanceof Error ? cause.message : String(cause)
      }`,
      { cause },
    );
    this.name = "CommittedError";
  }
}
