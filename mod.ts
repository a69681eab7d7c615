/**
 * boskit: a Baidu Object Storage (BOS) toolkit on Web standards. This entry point is the client:
 * {@link BosClient} with every bucket, object, multipart and listing operation, the upload engine
 * (multipart, concurrency, progress, resume), resilient downloads, and `BosError`. The reference
 * server is `@boskit/boskit/server`, the conformance kit `@boskit/boskit/conformance`, and the wire
 * protocol without a client (signer, operation table) `@boskit/boskit/protocol`.
 *
 * The client needs only `fetch`, Web Crypto and Web Streams, so it runs in browsers and workers too (9.2 KB
 * min+gz up front; every area loads on first use; the bucket's CORS rules must expose the headers it reads,
 * see the README's "Browsers"). The quick start below runs against the embedded reference server; against
 * real BOS, pass your region's endpoint (`https://bj.bcebos.com`, …) and your own keys instead.
 *
 * @example Quick start: the client against the embedded reference server
 * ```ts
 * import { BosClient } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve(); // a local BOS-compatible endpoint on a free port
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * await client.putObject("my-bucket", "hello.txt", "Hello, BOS", { contentType: "text/plain" });
 * const object = await client.getObject("my-bucket", "hello.txt");
 * assert.equal(await object.text(), "Hello, BOS");
 * assert.equal(object.contentType, "text/plain");
 * await server.close();
 * ```
 *
 * @example Errors are typed: status, BOS code and request id
 * ```ts
 * import { BosClient, BosError } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * const error = await client.headBucket("no-such-bucket").catch((e) => e);
 * assert(error instanceof BosError);
 * assert.equal(error.status, 404);
 * assert.equal(error.code, "NoSuchBucket");
 * await server.close();
 * ```
 *
 * @module
 */

// The client.
export { BosClient } from "./client/client.ts";
export type { BosClientConstructor } from "./client/client.ts";
export type { Addressing } from "./client/endpoint.ts";
export type { BosClientOptions, FetchLike, RequestOptions } from "./client/pipeline.ts";
export type { BodyInput, ProgressEvent } from "./client/body.ts";
export type { Credentials } from "./protocol/signing/sign.ts";
export type { ObjectHeaderOptions, ObjectMeta, ReadConditions } from "./client/object_headers.ts";

// Operations by area (each area's methods are documented in its `…Operations` interface).
export type {
  BucketOperations,
  BucketSummary,
  CreateBucketOptions,
  ListBucketsResult,
} from "./client/buckets.ts";
export type { CorsOperations, OptionsObjectOptions, OptionsObjectResult } from "./client/cors.ts";
export type { CorsConfiguration, CorsMethod, CorsRule } from "./protocol/cors.ts";
export type {
  AppendObjectOptions,
  AppendObjectResult,
  ByteRange,
  CopyObjectOptions,
  CopyObjectResult,
  DeleteObjectsOptions,
  DeleteObjectsResult,
  GetObjectOptions,
  GetObjectResult,
  HeadObjectOptions,
  ObjectOperations,
  PresignOptions,
  PutObjectOptions,
  PutObjectResult,
  ResponseOverrides,
} from "./client/objects.ts";
export type {
  CompletedPart,
  CompleteMultipartUploadOptions,
  CompleteMultipartUploadResult,
  InitiateMultipartUploadOptions,
  InitiateMultipartUploadResult,
  ListMultipartUploadsOptions,
  ListMultipartUploadsResult,
  ListPartsOptions,
  ListPartsResult,
  MultipartOperations,
  PartSummary,
  UploadPartCopyOptions,
  UploadPartOptions,
  UploadPartResult,
  UploadSummary,
} from "./client/multipart.ts";
export { listObjectPages } from "./client/pages.ts";
export type {
  ListEntry,
  ListingOperations,
  ListObjectsOptions,
  ListObjectsResult,
  ObjectLister,
  ObjectSummary,
  PartLister,
  UploadLister,
} from "./client/listing.ts";

// Managed transfers: the upload engine, the appender, large copies, downloads.
export type { TransferOperations } from "./client/transfers.ts";
export type { UploadFileOptions, UploadOptions, UploadResult } from "./client/upload/engine.ts";
export type {
  CheckpointPart,
  CheckpointPlan,
  Integrity,
  UploadCheckpoint,
} from "./client/upload/checkpoint.ts";
export type { SourceFingerprint } from "./client/upload/sources.ts";
export { Appender } from "./client/upload/appender.ts";
export type { AppenderClient, AppenderOptions } from "./client/upload/appender.ts";
export type { CopyLargeOptions } from "./client/upload/copy_large.ts";
export type { DownloadFileOptions, DownloadOptions } from "./client/download.ts";
export {
  DEFAULT_PART_SIZE,
  growingCapacity,
  growingPartSize,
  growingSchedule,
  partOf,
  planPartList,
  planParts,
  UNKNOWN_LENGTH_TARGET,
} from "./client/upload/part_plan.ts";
export type {
  GrowingPartSchedule,
  PartPlan,
  PartPlanOptions,
  PlannedPart,
} from "./client/upload/part_plan.ts";

// Retries.
export {
  backoffDelay,
  DEFAULT_RETRY,
  isClockSkewError,
  isRejectedUnprocessed,
  isTransientError,
  resolveRetryOptions,
  TRANSIENT_CLIENT_CODES,
} from "./client/retry.ts";
export type { ResolvedRetryOptions, RetryOptions } from "./client/retry.ts";

// Errors, limits, metadata and checksums (shared with the server and the kit).
export { BosError, ERROR_CODES } from "./protocol/errors.ts";
export type {
  AnyErrorCode,
  BosErrorCode,
  BosErrorInit,
  ClientErrorCode,
  ServiceErrorCode,
} from "./protocol/errors.ts";
export {
  bucketNameProblem,
  DEFAULT_PROFILE,
  GiB,
  isStorageClass,
  isValidBucketName,
  KiB,
  makeProfile,
  MiB,
  objectKeyProblem,
  STORAGE_CLASSES,
  utf8Length,
} from "./protocol/limits.ts";
export type { BosProfile, NameProblem, StorageClass } from "./protocol/limits.ts";
export { META_PREFIX, userMetadataSize } from "./protocol/headers.ts";
export { createIncrementalHash, hash } from "./protocol/hash.ts";
export type { HashAlgorithm, IncrementalHash } from "./protocol/hash.ts";
export { crcToDecimal, fromBase64, toBase64, toHex } from "./protocol/encoding.ts";

// Deprecated: kept so code written against earlier versions compiles (see each name's note).
export {
  canonicalHeaders,
  canonicalQueryString,
  canonicalRequest,
  canonicalUri,
  constantTimeEqual,
  copyLarge,
  createAuthorization,
  DEFAULT_EXPIRATION_SECONDS,
  download,
  downloadFile,
  formatTimestamp,
  fromHeaderByteString,
  isWellFormedPercentEncoding,
  listAllEntries,
  listAllMultipartUploads,
  listAllObjects,
  listAllParts,
  listAllPrefixes,
  parseAuthorization,
  parseTimestamp,
  presignUrl,
  signingKey,
  toHeaderByteString,
  trimHeaderByteString,
  upload,
  uploadFile,
  uriEncode,
  verifyAuthorization,
} from "./client/deprecated.ts";
export type {
  AuthorizationInput,
  CanonicalHeaders,
  HeadersInput,
  ParsedAuthorization,
  PresignInput,
  QueryInput,
  SignableRequest,
  VerifyFailureReason,
  VerifyInput,
  VerifyResult,
} from "./client/deprecated.ts";
