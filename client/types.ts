/**
 * Option and result types of {@link BosClient} operations.
 *
 * @module
 */
import type { BosProfile, StorageClass } from "./limits.ts";
import type { RetryOptions } from "./retry.ts";

/** Access key pair, with the session token of temporary (STS) credentials. */
export interface Credentials {
  /** Access key id (AK). */
  accessKeyId: string;
  /** Secret access key (SK). */
  secretAccessKey: string;
  /** STS session token, sent as `x-bce-security-token`. */
  sessionToken?: string;
}

/** URL form: `https://<endpoint>/<bucket>/<key>` or `https://<bucket>.<endpoint>/<key>`. */
export type Addressing = "path" | "virtual-host";

/** A `fetch`-compatible function. */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Options of the {@link BosClient} constructor. */
export interface BosClientOptions {
  /**
   * The service endpoint: `https://bj.bcebos.com`, `bj.bcebos.com` (https is assumed when no scheme
   * is given) or `http://127.0.0.1:8080` (plain http must be written out, even for localhost).
   */
  endpoint: string;
  /** The credentials every request is signed with. */
  credentials: Credentials;
  /** Region code (`bj`, `gz`, …); informational, taken from a `<region>.bcebos.com` endpoint when omitted. */
  region?: string;
  /** URL form; default `virtual-host` for `<region>.bcebos.com` endpoints and `path` for everything else. */
  addressing?: Addressing;
  /** Retry policy for transient failures. */
  retry?: RetryOptions;
  /** Timeout of one attempt (until the response headers, and for buffered responses the whole body), in ms; default 120000. */
  timeoutMs?: number;
  /** The `fetch` to use (for instrumentation or a custom agent); default the global `fetch`. */
  fetch?: FetchLike;
  /** The limits to validate against before sending; default `DEFAULT_PROFILE`. */
  profile?: Readonly<BosProfile>;
  /** The clock used to sign requests; default `() => new Date()`. */
  now?: () => Date;
  /**
   * Whether request bodies may be sent as streams with an explicit `Content-Length` (needed for
   * byte-level upload progress). Default: detected — `true` on Node and Bun; on Deno `true` too,
   * streamed bodies then going through `node:http` because Deno's `fetch` drops `Content-Length`
   * from streamed bodies and sends them chunked — unless a custom `fetch` is given, in which case
   * `false`.
   */
  streamingUploads?: boolean;
}

/** A request body: bytes, text (sent as UTF-8), a `Blob` (or `File`), or a byte stream. */
export type BodyInput = Uint8Array | string | Blob | ReadableStream<Uint8Array>;

/** Options every operation accepts. */
export interface RequestOptions {
  /** Cancels the operation; the promise rejects with a `BosError` of code `Aborted`. */
  signal?: AbortSignal;
}

/** Progress of an upload, in bytes sent. */
export interface ProgressEvent {
  /** Bytes added since the previous event (> 0). */
  increment: number;
  /** Bytes sent so far (monotonic; retried bytes are counted once). */
  transferred: number;
  /** Total bytes, when known. */
  total?: number;
}

/** Headers stored with an object (used by put, append, initiate, copy with `replace`). */
export interface ObjectHeaderOptions {
  /** `Content-Type`; default `application/octet-stream` for uploads. */
  contentType?: string;
  /** `Content-Disposition` (UTF-8 text allowed). */
  contentDisposition?: string;
  /** `Cache-Control`. */
  cacheControl?: string;
  /** `Content-Encoding`. */
  contentEncoding?: string;
  /** `Expires`: a date or the header text. */
  expires?: Date | string;
  /** User metadata: names (without `x-bce-meta-`, case-insensitive) to UTF-8 text values. */
  userMeta?: Record<string, string>;
  /** Storage class; default the bucket's (STANDARD). */
  storageClass?: StorageClass;
}

/** Options of `putObject`. */
export interface PutObjectOptions extends RequestOptions, ObjectHeaderOptions {
  /** `true` to compute and send `Content-MD5`, or the base64 MD5 to send. */
  contentMD5?: boolean | string;
  /** `true` to compute and send `x-bce-content-crc32c` (and ask the server to return its own). */
  crc32c?: boolean;
  /** Length of a `ReadableStream` body; required to stream it as one PutObject. */
  contentLength?: number;
  /** `If-None-Match` (`*` = only create). */
  ifNoneMatch?: string;
  /** `If-Match`. */
  ifMatch?: string;
  /** Byte-level progress. */
  onProgress?: (event: ProgressEvent) => void;
}

/** Result of `putObject`. */
export interface PutObjectResult {
  /** The ETag (MD5 hex of the body), without quotes. */
  etag: string;
  /** `x-bce-content-crc32c` returned by the server, decimal. */
  crc32c?: string;
  /** `x-bce-content-crc32` returned by the server, decimal. */
  crc32?: string;
  /** `x-bce-version-id`, on versioned buckets. */
  versionId?: string;
  /** Request id of the (last) request. */
  requestId?: string;
}

/** Object metadata from HEAD or GET. */
export interface ObjectMeta {
  /** `Content-Length` of the response (the whole object for HEAD and full GETs). */
  contentLength: number;
  /** `Content-Type`. */
  contentType?: string;
  /** ETag without quotes. */
  etag: string;
  /** `Last-Modified`. */
  lastModified?: Date;
  /** `x-bce-storage-class` (STANDARD when absent). */
  storageClass: string;
  /** `x-bce-object-type`: `Normal`, `Appendable`, … */
  objectType?: string;
  /** `x-bce-next-append-offset` of appendable objects. */
  nextAppendOffset?: number;
  /** User metadata: lower-case names (without `x-bce-meta-`) to UTF-8 text. */
  userMeta: Record<string, string>;
  /** `Content-MD5` (base64 of the whole object), when the server knows it. */
  contentMD5?: string;
  /** `Content-Disposition` as UTF-8 text. */
  contentDisposition?: string;
  /** `Content-Encoding`. */
  contentEncoding?: string;
  /** `Cache-Control`. */
  cacheControl?: string;
  /** `Expires` header text. */
  expires?: string;
  /** `x-bce-content-crc32`, decimal. */
  crc32?: string;
  /** `x-bce-content-crc32c`, decimal. */
  crc32c?: string;
  /** `x-bce-version-id`. */
  versionId?: string;
  /** `x-bce-request-id`. */
  requestId?: string;
}

/** Conditions on the object for GET / HEAD. */
export interface ReadConditions {
  /** `If-Match`: the ETag the object must have. */
  ifMatch?: string;
  /** `If-None-Match`: fail with 304 `NotModified` when the ETag equals. */
  ifNoneMatch?: string;
  /** `If-Modified-Since`. */
  ifModifiedSince?: Date;
  /** `If-Unmodified-Since`. */
  ifUnmodifiedSince?: Date;
}

/** Options of `headObject`. */
export interface HeadObjectOptions extends RequestOptions, ReadConditions {}

/** A byte range: inclusive `start`, inclusive `end` (omitted = to the end of the object). */
export interface ByteRange {
  /** First byte, 0-based. */
  start: number;
  /** Last byte, inclusive; omitted reads to the end. */
  end?: number;
}

/** Response header overrides of GetObject. */
export interface ResponseOverrides {
  /** `responseContentType`. */
  contentType?: string;
  /** `responseContentDisposition`. */
  contentDisposition?: string;
  /** `responseContentLanguage`. */
  contentLanguage?: string;
  /** `responseExpires`. */
  expires?: string;
  /** `responseCacheControl`. */
  cacheControl?: string;
  /** `responseContentEncoding`. */
  contentEncoding?: string;
}

/** Options of `getObject`. */
export interface GetObjectOptions extends RequestOptions, ReadConditions {
  /** Read only these bytes (206 Partial Content). */
  range?: ByteRange;
  /** Response header overrides. */
  response?: ResponseOverrides;
}

/** Result of `getObject`: the metadata and the body as a stream. */
export interface GetObjectResult extends ObjectMeta {
  /** 200 or 206. */
  status: number;
  /** `Content-Range` of a ranged read. */
  contentRange?: { start: number; end: number; total: number };
  /** The body; read it (or cancel it) to release the connection. */
  body: ReadableStream<Uint8Array>;
  /** Reads the whole body. */
  bytes(): Promise<Uint8Array>;
  /** Reads the whole body as UTF-8 text. */
  text(): Promise<string>;
}

/** Options of `copyObject`. */
export interface CopyObjectOptions extends RequestOptions, ObjectHeaderOptions {
  /** `copy` (default; take metadata from the source) or `replace` (take it from these options). Set to `replace` automatically when `userMeta` or content headers are given. */
  metadataDirective?: "copy" | "replace";
  /** Copy only if the source ETag equals this. */
  ifMatch?: string;
  /** Copy only if the source ETag differs. */
  ifNoneMatch?: string;
  /** Copy only if the source changed after this date. */
  ifModifiedSince?: Date;
  /** Copy only if the source did not change after this date. */
  ifUnmodifiedSince?: Date;
}

/** Result of `copyObject` and `uploadPartCopy`. */
export interface CopyObjectResult {
  /** ETag of the new object (or part). */
  etag: string;
  /** Last-Modified of the new object (or part). */
  lastModified?: Date;
  /** Request id. */
  requestId?: string;
}

/** Options of `appendObject`. */
export interface AppendObjectOptions extends RequestOptions, ObjectHeaderOptions {
  /** The current length of the object; omitted creates (or replaces) the object. */
  offset?: number;
  /** `true` to compute and send `Content-MD5`, or the base64 MD5 to send. */
  contentMD5?: boolean | string;
}

/** Result of `appendObject`. */
export interface AppendObjectResult {
  /** ETag after the append. */
  etag: string;
  /** The offset to pass to the next append (the object length). */
  nextAppendOffset: number;
  /** Request id. */
  requestId?: string;
}

/** Options of `deleteObjects`. */
export type DeleteObjectsOptions = RequestOptions;

/** Result of `deleteObjects`. */
export interface DeleteObjectsResult {
  /** Keys that were deleted. */
  deleted: string[];
  /** Keys that failed, with the BOS code (`NoSuchKey` for missing keys). */
  errors: { key: string; code: string; message: string }[];
}

/** Options of `presignUrl`. */
export interface PresignOptions {
  /** HTTP method; default GET. */
  method?: string;
  /** Validity in seconds; default 1800; -1 never expires. */
  expirationInSeconds?: number;
  /** Extra query parameters (e.g. `responseContentDisposition`). */
  query?: Record<string, string>;
  /** Headers the URL's user will send (signed). */
  headers?: Record<string, string>;
  /** Signing time; default now. */
  timestamp?: Date;
}

/** An entry of ListBuckets. */
export interface BucketSummary {
  /** Bucket name. */
  name: string;
  /** Region code. */
  location: string;
  /** Creation time. */
  creationDate: Date;
  /** Multi-AZ bucket. */
  enableMultiAz?: boolean;
}

/** Result of `listBuckets`. */
export interface ListBucketsResult {
  /** The account. */
  owner?: { id: string; displayName: string };
  /** The buckets. */
  buckets: BucketSummary[];
}

/** Options of `createBucket`. */
export interface CreateBucketOptions extends RequestOptions {
  /** Create a multi-AZ bucket. */
  enableMultiAz?: boolean;
}

/** Options of `listObjects`. */
export interface ListObjectsOptions extends RequestOptions {
  /** Only keys starting with this. */
  prefix?: string;
  /** Group keys by this (one character) into `commonPrefixes`. */
  delimiter?: string;
  /** Start after this key. */
  marker?: string;
  /** At most this many entries (keys + prefixes), 1..1000. */
  maxKeys?: number;
}

/** An object in a listing. */
export interface ObjectSummary {
  /** The key. */
  key: string;
  /** Last modification. */
  lastModified: Date;
  /** ETag without quotes. */
  etag: string;
  /** Size in bytes. */
  size: number;
  /** Storage class. */
  storageClass: string;
  /** Owner. */
  owner?: { id: string; displayName: string };
}

/** One page of ListObjects. */
export interface ListObjectsResult {
  /** Bucket name. */
  name: string;
  /** Prefix echoed. */
  prefix: string;
  /** Delimiter echoed. */
  delimiter?: string;
  /** Marker echoed. */
  marker: string;
  /** Effective maxKeys. */
  maxKeys: number;
  /** More entries follow. */
  isTruncated: boolean;
  /** Marker of the next page (when truncated). */
  nextMarker?: string;
  /** The objects. */
  contents: ObjectSummary[];
  /** The common prefixes (only with a delimiter). */
  commonPrefixes: string[];
}

/** An entry yielded by `listAllEntries`: an object, or a common prefix. */
export type ListEntry = ({ kind: "object" } & ObjectSummary) | { kind: "prefix"; prefix: string };

/** Options of `initiateMultipartUpload`. */
export interface InitiateMultipartUploadOptions extends RequestOptions, ObjectHeaderOptions {}

/** Result of `initiateMultipartUpload`. */
export interface InitiateMultipartUploadResult {
  /** Bucket. */
  bucket: string;
  /** Key. */
  key: string;
  /** The upload id (opaque). */
  uploadId: string;
}

/** Options of `uploadPart`. */
export interface UploadPartOptions extends RequestOptions {
  /** `true` to compute and send `Content-MD5`, or the base64 MD5 to send. */
  contentMD5?: boolean | string;
  /** `true` to compute and send `x-bce-content-crc32c` (+ flag), or the decimal CRC32C to send. */
  crc32c?: boolean | string;
  /** Byte-level progress of this part. */
  onProgress?: (event: ProgressEvent) => void;
}

/** Result of `uploadPart`. */
export interface UploadPartResult {
  /** Part number. */
  partNumber: number;
  /** ETag of the part (MD5 hex). */
  etag: string;
  /** `x-bce-content-crc32c` returned by the server. */
  crc32c?: string;
  /** Request id. */
  requestId?: string;
}

/** Options of `uploadPartCopy`. */
export interface UploadPartCopyOptions extends RequestOptions {
  /** Bytes of the source to copy; omitted copies the whole source. */
  range?: { start: number; end: number };
  /** Copy only if the source ETag equals this. */
  ifMatch?: string;
  /** Copy only if the source ETag differs. */
  ifNoneMatch?: string;
  /** Copy only if the source changed after this date. */
  ifModifiedSince?: Date;
  /** Copy only if the source did not change after this date. */
  ifUnmodifiedSince?: Date;
}

/** A part to complete. */
export interface CompletedPart {
  /** Part number. */
  partNumber: number;
  /** ETag from UploadPart. */
  etag: string;
}

/** Options of `completeMultipartUpload`. */
export interface CompleteMultipartUploadOptions extends RequestOptions {
  /** User metadata for the final object. */
  userMeta?: Record<string, string>;
  /** `x-bce-content-crc32` of the whole object, decimal. */
  crc32?: string;
  /** `If-None-Match` (`*`: only if the key does not exist). */
  ifNoneMatch?: string;
}

/** Result of `completeMultipartUpload`. */
export interface CompleteMultipartUploadResult {
  /** Location URL. */
  location?: string;
  /** Bucket. */
  bucket: string;
  /** Key. */
  key: string;
  /** ETag of the assembled object. */
  etag: string;
  /** `x-bce-content-crc32c`, when returned. */
  crc32c?: string;
  /** Request id. */
  requestId?: string;
}

/** Options of `listParts`. */
export interface ListPartsOptions extends RequestOptions {
  /** Parts with a number greater than this. */
  partNumberMarker?: number;
  /** At most this many parts, 1..1000. */
  maxParts?: number;
}

/** A part in ListParts. */
export interface PartSummary {
  /** Part number. */
  partNumber: number;
  /** ETag. */
  etag: string;
  /** Size in bytes. */
  size: number;
  /** Upload time. */
  lastModified?: Date;
}

/** One page of ListParts. */
export interface ListPartsResult {
  /** Bucket. */
  bucket: string;
  /** Key. */
  key: string;
  /** Upload id. */
  uploadId: string;
  /** When the upload was initiated. */
  initiated?: Date;
  /** Storage class of the upload. */
  storageClass?: string;
  /** Marker echoed. */
  partNumberMarker: number;
  /** Marker for the next page. */
  nextPartNumberMarker?: number;
  /** Effective maxParts. */
  maxParts: number;
  /** More parts follow. */
  isTruncated: boolean;
  /** The parts. */
  parts: PartSummary[];
}

/** Options of `listMultipartUploads`. */
export interface ListMultipartUploadsOptions extends RequestOptions {
  /** Only keys starting with this. */
  prefix?: string;
  /** Group keys into `commonPrefixes`. */
  delimiter?: string;
  /** Start after this key. */
  keyMarker?: string;
  /** At most this many entries, 1..1000. */
  maxUploads?: number;
}

/** An upload in ListMultipartUploads. */
export interface UploadSummary {
  /** Key. */
  key: string;
  /** Upload id. */
  uploadId: string;
  /** When it was initiated. */
  initiated?: Date;
  /** Storage class. */
  storageClass?: string;
}

/** One page of ListMultipartUploads. */
export interface ListMultipartUploadsResult {
  /** Bucket. */
  bucket: string;
  /** Prefix echoed. */
  prefix: string;
  /** Marker echoed. */
  keyMarker: string;
  /** Effective maxUploads. */
  maxUploads: number;
  /** More entries follow. */
  isTruncated: boolean;
  /** Marker of the next page. */
  nextKeyMarker?: string;
  /** The uploads. */
  uploads: UploadSummary[];
  /** Common prefixes (with a delimiter). */
  commonPrefixes: string[];
}
