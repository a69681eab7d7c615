/**
 * The storage interface of the reference server: buckets, objects, multipart uploads and the blobs
 * that hold their bytes. Records are kept in memory by every backend (so reads and listings are
 * synchronous); mutations are asynchronous because a backend may persist them.
 *
 * Object bytes live in immutable blobs. An object is a list of blob segments, so a multipart
 * upload completes without copying and an append adds a segment; a new object becomes visible only
 * when its record is committed, so a reader never sees a partial object.
 *
 * @module
 */
import type { CorsRule } from "../../protocol/cors.ts";

/** One immutable piece of stored bytes. */
export interface Segment {
  /** Blob id (chosen by the store, never derived from a key). */
  blob: string;
  /** Length in bytes. */
  size: number;
}

/** A bucket. */
export interface BucketRecord {
  /** Bucket name (valid by the naming rules). */
  name: string;
  /** Region code. */
  location: string;
  /** Creation time, epoch milliseconds. */
  created: number;
  /** The bucket's CORS rules (PutBucketCors), absent when it has none. */
  cors?: CorsRule[];
}

/** Headers stored with an object and returned on GET/HEAD. */
export interface ObjectHeaders {
  /** `Content-Type`. */
  contentType: string;
  /** `Cache-Control`, when given. */
  cacheControl?: string;
  /** `Content-Disposition`, when given. */
  contentDisposition?: string;
  /** `Content-Encoding`, when given. */
  contentEncoding?: string;
  /** `Expires`, when given. */
  expires?: string;
  /** User metadata: lower-case names without `x-bce-meta-` to wire byte-string values. */
  meta: Record<string, string>;
  /** Storage class. */
  storageClass: string;
}

/** An object. */
export interface ObjectRecord extends ObjectHeaders {
  /** The key. */
  key: string;
  /** Size in bytes. */
  size: number;
  /** ETag without quotes (MD5 hex, or the multipart form). */
  etag: string;
  /** Base64 MD5 of the whole object (Put/Append/Copy objects; absent for multipart objects). */
  contentMd5?: string;
  /** Decimal CRC32 of the whole object, when known. */
  crc32?: string;
  /** Last modification, epoch milliseconds. */
  lastModified: number;
  /** `Normal` or `Appendable`. */
  objectType: "Normal" | "Appendable";
  /** The bytes, in order. */
  segments: Segment[];
}

/** One uploaded part of a multipart upload. */
export interface PartRecord {
  /** 1..10000. */
  partNumber: number;
  /** MD5 hex of the part. */
  etag: string;
  /** Size in bytes. */
  size: number;
  /** Upload time, epoch milliseconds. */
  lastModified: number;
  /** Decimal CRC32 (IEEE) of the part, when known (absent in records of older versions). */
  crc32?: string;
  /** The bytes. */
  segment: Segment;
}

/** An in-progress multipart upload. */
export interface UploadRecord extends ObjectHeaders {
  /** Opaque id (32 lower-case hex characters). */
  uploadId: string;
  /** Bucket name. */
  bucket: string;
  /** Object key. */
  key: string;
  /** Initiation time, epoch milliseconds. */
  initiated: number;
  /** Uploaded parts by number. */
  parts: Map<number, PartRecord>;
}

/** Receives the bytes of a new blob. Nothing is visible until a record that names the blob is committed. */
export interface BlobSink {
  /** The blob id. */
  readonly blob: string;
  /** Appends bytes. */
  write(chunk: Uint8Array): Promise<void>;
  /** Finishes the blob (flushes and closes); returns its segment. */
  finish(): Promise<Segment>;
  /** Discards the blob. Safe to call more than once and after `finish`. */
  abort(): Promise<void>;
}

/** The storage behind the server. */
export interface Store {
  /** `memory` or `fs`. */
  readonly kind: "memory" | "fs";
  /** All buckets, ascending by name. */
  listBuckets(): BucketRecord[];
  /** A bucket, or `undefined`. */
  getBucket(name: string): BucketRecord | undefined;
  /** Creates a bucket (the caller checked that it does not exist). */
  createBucket(record: BucketRecord): Promise<void>;
  /** Deletes an empty bucket. */
  deleteBucket(name: string): Promise<void>;
  /** Replaces a bucket's CORS rules (`undefined` removes them). */
  setBucketCors(name: string, rules: CorsRule[] | undefined): Promise<void>;
  /** Whether the bucket holds objects or unfinished uploads. */
  bucketHasContent(name: string): boolean;

  /** An object, or `undefined`. */
  getObject(bucket: string, key: string): ObjectRecord | undefined;
  /** Every key of a bucket, ascending by UTF-8 bytes. */
  sortedKeys(bucket: string): readonly string[];
  /** Commits an object record (replacing any previous one) atomically; frees replaced blobs. */
  putObject(bucket: string, record: ObjectRecord): Promise<void>;
  /** Deletes an object; `false` when it did not exist. */
  deleteObject(bucket: string, key: string): Promise<boolean>;

  /** Creates a multipart upload. */
  createUpload(record: UploadRecord): Promise<void>;
  /** An upload, or `undefined`. */
  getUpload(uploadId: string): UploadRecord | undefined;
  /** The uploads of a bucket, ascending by key (UTF-8 bytes) then initiation time. */
  listUploads(bucket: string): UploadRecord[];
  /** Records a part (replacing a previous one with the same number; its blob is freed). */
  putPart(uploadId: string, part: PartRecord): Promise<void>;
  /**
   * Completes an upload: commits `record` (whose segments are parts of the upload) and removes the
   * upload, freeing the blobs of parts not used by `record`.
   */
  completeUpload(uploadId: string, bucket: string, record: ObjectRecord): Promise<void>;
  /** Removes an upload and frees its parts. */
  abortUpload(uploadId: string): Promise<void>;

  /** Starts a new blob. */
  newBlob(): Promise<BlobSink>;
  /** Frees finished blobs that no record uses (e.g. the blob of a write that lost a precondition). */
  deleteBlobs(blobs: readonly string[]): Promise<void>;
  /** Streams bytes `[start, end)` of the concatenated segments. */
  read(segments: readonly Segment[], start: number, end: number): ReadableStream<Uint8Array>;

  /** Removes every bucket, object and upload. */
  reset(): Promise<void>;
  /** Releases resources (open files); the store cannot be used afterwards. */
  close(): Promise<void>;
}
