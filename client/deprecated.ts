/**
 * Names `@boskit/boskit` exported before each feature got one public path. They keep working; each
 * points to where the feature lives now: a `BosClient` method, or `@boskit/boskit/protocol` for the
 * signer and the header byte-string helpers (which the client itself does not need from users).
 *
 * @module
 */
import * as headers from "../protocol/headers.ts";
import * as encoding from "../protocol/encoding.ts";
import * as canonical from "../protocol/signing/canonical.ts";
import * as sign from "../protocol/signing/sign.ts";
import * as verify from "../protocol/signing/verify.ts";
import type { BodyInput } from "./body.ts";
import type { BosClient } from "./client.ts";
import type { DownloadFileOptions, DownloadOptions } from "./download.ts";
import type {
  ListEntry,
  ListObjectsOptions,
  ObjectLister,
  ObjectSummary,
  PartLister,
  UploadLister,
} from "./listing.ts";
import type {
  ListMultipartUploadsOptions,
  ListPartsOptions,
  PartSummary,
  UploadSummary,
} from "./multipart.ts";
import type { CopyObjectResult, GetObjectResult } from "./objects.ts";
import type { CopyLargeOptions } from "./upload/copy_large.ts";
import type { UploadFileOptions, UploadOptions, UploadResult } from "./upload/engine.ts";

// -----------------------------------------------------------------------------------------------
// Free functions that duplicate BosClient methods (each loads its implementation on first use).

/** @deprecated Use `client.upload(bucket, key, body, options)`. */
export function upload(
  client: BosClient,
  bucket: string,
  key: string,
  body: BodyInput,
  options: UploadOptions = {},
): Promise<UploadResult> {
  return client.upload(bucket, key, body, options);
}

/** @deprecated Use `client.uploadFile(bucket, key, path, options)`. */
export function uploadFile(
  client: BosClient,
  bucket: string,
  key: string,
  path: string,
  options: UploadFileOptions = {},
): Promise<UploadResult> {
  return client.uploadFile(bucket, key, path, options);
}

/** @deprecated Use `client.copyLarge(sourceBucket, sourceKey, bucket, key, options)`. */
export function copyLarge(
  client: BosClient,
  sourceBucket: string,
  sourceKey: string,
  bucket: string,
  key: string,
  options: CopyLargeOptions = {},
): Promise<CopyObjectResult> {
  return client.copyLarge(sourceBucket, sourceKey, bucket, key, options);
}

/** @deprecated Use `client.download(bucket, key, options)`. */
export function download(
  client: BosClient,
  bucket: string,
  key: string,
  options: DownloadOptions = {},
): Promise<GetObjectResult> {
  return client.download(bucket, key, options);
}

/** @deprecated Use `client.downloadFile(bucket, key, path, options)`. */
export function downloadFile(
  client: BosClient,
  bucket: string,
  key: string,
  path: string,
  options: DownloadFileOptions = {},
): Promise<{ bytes: number; etag: string }> {
  return client.downloadFile(bucket, key, path, options);
}

/** @deprecated Use `client.listAllObjects(bucket, options)` (or {@link listObjectPages} for any lister). */
export async function* listAllObjects(
  lister: ObjectLister,
  bucket: string,
  options: ListObjectsOptions = {},
): AsyncIterableIterator<ObjectSummary> {
  yield* (await import("./listing.ts")).listAllObjects(lister, bucket, options);
}

/** @deprecated Use `client.listAllPrefixes(bucket, options)`. */
export async function* listAllPrefixes(
  lister: ObjectLister,
  bucket: string,
  options: ListObjectsOptions = {},
): AsyncIterableIterator<string> {
  yield* (await import("./listing.ts")).listAllPrefixes(lister, bucket, options);
}

/** @deprecated Use `client.listAllEntries(bucket, options)`. */
export async function* listAllEntries(
  lister: ObjectLister,
  bucket: string,
  options: ListObjectsOptions = {},
): AsyncIterableIterator<ListEntry> {
  yield* (await import("./listing.ts")).listAllEntries(lister, bucket, options);
}

/** @deprecated Use `client.listAllParts(bucket, key, uploadId, options)`. */
export async function* listAllParts(
  lister: PartLister,
  bucket: string,
  key: string,
  uploadId: string,
  options: ListPartsOptions = {},
): AsyncIterableIterator<PartSummary> {
  yield* (await import("./listing.ts")).listAllParts(lister, bucket, key, uploadId, options);
}

/** @deprecated Use `client.listAllMultipartUploads(bucket, options)`. */
export async function* listAllMultipartUploads(
  lister: UploadLister,
  bucket: string,
  options: ListMultipartUploadsOptions = {},
): AsyncIterableIterator<UploadSummary> {
  yield* (await import("./listing.ts")).listAllMultipartUploads(lister, bucket, options);
}

// -----------------------------------------------------------------------------------------------
// The signer and wire helpers: now in @boskit/boskit/protocol.

/** @deprecated Import `QueryInput` from `@boskit/boskit/protocol`. */
export type QueryInput = canonical.QueryInput;
/** @deprecated Import `HeadersInput` from `@boskit/boskit/protocol`. */
export type HeadersInput = canonical.HeadersInput;
/** @deprecated Import `SignableRequest` from `@boskit/boskit/protocol`. */
export type SignableRequest = canonical.SignableRequest;
/** @deprecated Import `CanonicalHeaders` from `@boskit/boskit/protocol`. */
export type CanonicalHeaders = canonical.CanonicalHeaders;
/** @deprecated Import `AuthorizationInput` from `@boskit/boskit/protocol`. */
export type AuthorizationInput = sign.AuthorizationInput;
/** @deprecated Import `PresignInput` from `@boskit/boskit/protocol`. */
export type PresignInput = sign.PresignInput;
/** @deprecated Import `VerifyFailureReason` from `@boskit/boskit/protocol`. */
export type VerifyFailureReason = verify.VerifyFailureReason;
/** @deprecated Import `ParsedAuthorization` from `@boskit/boskit/protocol`. */
export type ParsedAuthorization = verify.ParsedAuthorization;
/** @deprecated Import `VerifyInput` from `@boskit/boskit/protocol`. */
export type VerifyInput = verify.VerifyInput;
/** @deprecated Import `VerifyResult` from `@boskit/boskit/protocol`. */
export type VerifyResult = verify.VerifyResult;

/** @deprecated Import `DEFAULT_EXPIRATION_SECONDS` from `@boskit/boskit/protocol`. */
export const DEFAULT_EXPIRATION_SECONDS: number = sign.DEFAULT_EXPIRATION_SECONDS;

/** @deprecated Import `createAuthorization` from `@boskit/boskit/protocol`. */
export function createAuthorization(input: sign.AuthorizationInput): Promise<string> {
  return sign.createAuthorization(input);
}

/** @deprecated Use `client.presignUrl(bucket, key, options)`, or import `presignUrl` from `@boskit/boskit/protocol`. */
export function presignUrl(input: sign.PresignInput): Promise<string> {
  return sign.presignUrl(input);
}

/** @deprecated Import `signingKey` from `@boskit/boskit/protocol`. */
export function signingKey(secretAccessKey: string, authStringPrefix: string): Promise<string> {
  return sign.signingKey(secretAccessKey, authStringPrefix);
}

/** @deprecated Import `formatTimestamp` from `@boskit/boskit/protocol`. */
export function formatTimestamp(date: Date): string {
  return sign.formatTimestamp(date);
}

/** @deprecated Import `parseTimestamp` from `@boskit/boskit/protocol`. */
export function parseTimestamp(text: string): Date | undefined {
  return sign.parseTimestamp(text);
}

/** @deprecated Import `canonicalUri` from `@boskit/boskit/protocol`. */
export function canonicalUri(path: string): string {
  return canonical.canonicalUri(path);
}

/** @deprecated Import `canonicalQueryString` from `@boskit/boskit/protocol`. */
export function canonicalQueryString(query?: canonical.QueryInput): string {
  return canonical.canonicalQueryString(query);
}

/** @deprecated Import `canonicalHeaders` from `@boskit/boskit/protocol`. */
export function canonicalHeaders(
  headers?: canonical.HeadersInput,
  headersToSign?: readonly string[],
): canonical.CanonicalHeaders {
  return canonical.canonicalHeaders(headers, headersToSign);
}

/** @deprecated Import `canonicalRequest` from `@boskit/boskit/protocol`. */
export function canonicalRequest(request: canonical.SignableRequest): string {
  return canonical.canonicalRequest(request);
}

/** @deprecated Import `parseAuthorization` from `@boskit/boskit/protocol`. */
export function parseAuthorization(authorization: string): verify.ParsedAuthorization | undefined {
  return verify.parseAuthorization(authorization);
}

/** @deprecated Import `verifyAuthorization` from `@boskit/boskit/protocol`. */
export function verifyAuthorization(input: verify.VerifyInput): Promise<verify.VerifyResult> {
  return verify.verifyAuthorization(input);
}

/** @deprecated Import `constantTimeEqual` from `@boskit/boskit/protocol`. */
export function constantTimeEqual(a: string, b: string): boolean {
  return verify.constantTimeEqual(a, b);
}

/** @deprecated Import `uriEncode` from `@boskit/boskit/protocol`. */
export function uriEncode(value: string | Uint8Array, keepSlash = false): string {
  return encoding.uriEncode(value, keepSlash);
}

/** @deprecated Import `isWellFormedPercentEncoding` from `@boskit/boskit/protocol`. */
export function isWellFormedPercentEncoding(value: string): boolean {
  return encoding.isWellFormedPercentEncoding(value);
}

/** @deprecated Import `toHeaderByteString` from `@boskit/boskit/protocol`. */
export function toHeaderByteString(text: string): string {
  return headers.toHeaderByteString(text);
}

/** @deprecated Import `fromHeaderByteString` from `@boskit/boskit/protocol`. */
export function fromHeaderByteString(value: string): string {
  return headers.fromHeaderByteString(value);
}

/** @deprecated Import `trimHeaderByteString` from `@boskit/boskit/protocol`. */
export function trimHeaderByteString(value: string): string {
  return headers.trimHeaderByteString(value);
}
