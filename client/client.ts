/**
 * `BosClient`, the one object users hold: a thin facade over the per-area operation modules. The
 * constructor resolves the options into a request {@link Pipeline}; every method is a one-line
 * delegation to its area (`buckets.ts`, `objects.ts`, `multipart.ts`, `listing.ts`, `cors.ts`,
 * `transfers.ts`), where the method is documented beside its code in the area's `…Operations`
 * interface. The upload engine, the large copy and the download helpers are loaded with `import()`
 * the first time a method needs them, so an application that only puts and gets objects never loads
 * them (nor hash-wasm or `node:*`).
 *
 * The public `BosClient` is declared the way the Web platform declares its classes (an interface for
 * the instance, a constant for the constructor), which lets each area document its own methods.
 *
 * @module
 */
import type { BosProfile } from "../protocol/limits.ts";
import type { BodyInput } from "./body.ts";
import * as buckets from "./buckets.ts";
import type { BucketOperations, CreateBucketOptions, ListBucketsResult } from "./buckets.ts";
import * as cors from "./cors.ts";
import type { CorsOperations } from "./cors.ts";
import type { CorsRule } from "../protocol/cors.ts";
import type { DownloadFileOptions, DownloadOptions } from "./download.ts";
import * as listing from "./listing.ts";
import type {
  ListEntry,
  ListingOperations,
  ListObjectsOptions,
  ListObjectsResult,
  ObjectSummary,
} from "./listing.ts";
import * as multipart from "./multipart.ts";
import type {
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
} from "./multipart.ts";
import type { ObjectMeta } from "./object_headers.ts";
import * as objects from "./objects.ts";
import type {
  AppendObjectOptions,
  AppendObjectResult,
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
} from "./objects.ts";
import { type BosClientOptions, Pipeline, type RequestOptions } from "./pipeline.ts";
import type { TransferOperations } from "./transfers.ts";
import { Appender, type AppenderOptions } from "./upload/appender.ts";
import type { CopyLargeOptions } from "./upload/copy_large.ts";
import type { UploadFileOptions, UploadOptions, UploadResult } from "./upload/engine.ts";

/**
 * A client for Baidu Object Storage: the operations of every area (buckets, objects, multipart,
 * listing, CORS, managed transfers) on one resolved endpoint.
 */
export interface BosClient
  extends
    BucketOperations,
    CorsOperations,
    ObjectOperations,
    MultipartOperations,
    ListingOperations,
    TransferOperations {
  /** The resolved endpoint. */
  readonly endpoint: { protocol: string; host: string; addressing: "path" | "virtual-host"; region?: string };
  /** The limits validated against before sending. */
  readonly profile: Readonly<BosProfile>;
  /** Whether request bodies are streamed with an explicit Content-Length (byte-level progress). */
  readonly streamingUploads: boolean;
  /**
   * Milliseconds added to the local clock when signing (learned from a clock-skew error).
   *
   * @example Zero until a clock-skew error is corrected
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import assert from "node:assert/strict";
   *
   * const client = new BosClient({ endpoint: "http://127.0.0.1:8080", credentials: { accessKeyId: "ak", secretAccessKey: "sk" } });
   * assert.equal(client.clockOffsetMs, 0);
   * ```
   */
  readonly clockOffsetMs: number;
}

/** The constructor of {@link BosClient}. */
export interface BosClientConstructor {
  /**
   * Creates a client; no request is sent.
   *
   * @param options Endpoint, credentials and transport options.
   * @returns The client.
   */
  new (options: BosClientOptions): BosClient;
  /** The prototype of every client (`client instanceof BosClient` holds). */
  readonly prototype: BosClient;
}

/**
 * A client for Baidu Object Storage on Web standards (`fetch`, Web Crypto, Web Streams): every BOS
 * object, bucket and multipart operation, async iterators over listings, and a managed upload
 * engine (multipart, concurrency, progress, resume), on Deno, Bun, Node 20+ and edge runtimes.
 *
 * Every operation accepts an `AbortSignal` and fails with a {@link BosError}: the service's status,
 * code, message and request id, or status 0 with `NetworkError`, `Timeout`, `Aborted` or the code
 * BOS would answer for a request refused before sending (`MetadataTooLarge`, `InvalidBucketName`…).
 *
 * @example Put and read back an object
 * ```ts
 * import { BosClient } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve(); // the embedded reference server; or "https://bj.bcebos.com" and your keys
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * await client.putObject("my-bucket", "hello.txt", "hello", { contentType: "text/plain" });
 * const got = await client.getObject("my-bucket", "hello.txt");
 * assert.equal(await got.text(), "hello");
 * await server.close();
 * ```
 */
export const BosClient: BosClientConstructor = class BosClient implements BosClient {
  readonly endpoint: { protocol: string; host: string; addressing: "path" | "virtual-host"; region?: string };
  readonly profile: Readonly<BosProfile>;
  readonly streamingUploads: boolean;
  readonly #p: Pipeline;

  /**
   * Creates a client; no request is sent.
   *
   * @param options Endpoint, credentials and transport options.
   */
  constructor(options: BosClientOptions) {
    this.#p = new Pipeline(options);
    const ep = this.#p.ep;
    this.endpoint = { protocol: ep.protocol, host: ep.host, addressing: ep.addressing, region: ep.region };
    this.profile = this.#p.profile;
    this.streamingUploads = this.#p.streamingUploads;
  }

  get clockOffsetMs(): number {
    return this.#p.clockOffsetMs;
  }

  // Buckets (buckets.ts)

  createBucket(bucket: string, options: CreateBucketOptions = {}): Promise<{ location?: string }> {
    return buckets.createBucket(this.#p, bucket, options);
  }
  headBucket(bucket: string, options: RequestOptions = {}): Promise<void> {
    return buckets.headBucket(this.#p, bucket, options);
  }
  deleteBucket(bucket: string, options: RequestOptions = {}): Promise<void> {
    return buckets.deleteBucket(this.#p, bucket, options);
  }
  listBuckets(options: RequestOptions = {}): Promise<ListBucketsResult> {
    return buckets.listBuckets(this.#p, options);
  }
  getBucketLocation(bucket: string, options: RequestOptions = {}): Promise<string> {
    return buckets.getBucketLocation(this.#p, bucket, options);
  }

  // CORS (cors.ts)

  putBucketCors(bucket: string, rules: readonly CorsRule[], options: RequestOptions = {}): Promise<void> {
    return cors.putBucketCors(this.#p, bucket, rules, options);
  }
  getBucketCors(bucket: string, options: RequestOptions = {}): Promise<CorsRule[]> {
    return cors.getBucketCors(this.#p, bucket, options);
  }
  deleteBucketCors(bucket: string, options: RequestOptions = {}): Promise<void> {
    return cors.deleteBucketCors(this.#p, bucket, options);
  }

  // Objects (objects.ts)

  putObject(
    bucket: string,
    key: string,
    body: BodyInput,
    options: PutObjectOptions = {},
  ): Promise<PutObjectResult> {
    return objects.putObject(this.#p, bucket, key, body, options);
  }
  getObject(bucket: string, key: string, options: GetObjectOptions = {}): Promise<GetObjectResult> {
    return objects.getObject(this.#p, bucket, key, options);
  }
  headObject(bucket: string, key: string, options: HeadObjectOptions = {}): Promise<ObjectMeta> {
    return objects.headObject(this.#p, bucket, key, options);
  }
  deleteObject(bucket: string, key: string, options: RequestOptions = {}): Promise<void> {
    return objects.deleteObject(this.#p, bucket, key, options);
  }
  deleteObjects(
    bucket: string,
    keys: readonly string[],
    options: DeleteObjectsOptions = {},
  ): Promise<DeleteObjectsResult> {
    return objects.deleteObjects(this.#p, bucket, keys, options);
  }
  copyObject(
    sourceBucket: string,
    sourceKey: string,
    bucket: string,
    key: string,
    options: CopyObjectOptions = {},
  ): Promise<CopyObjectResult> {
    return objects.copyObject(this.#p, sourceBucket, sourceKey, bucket, key, options);
  }
  appendObject(
    bucket: string,
    key: string,
    body: Uint8Array | string | Blob,
    options: AppendObjectOptions = {},
  ): Promise<AppendObjectResult> {
    return objects.appendObject(this.#p, bucket, key, body, options);
  }
  presignUrl(bucket: string, key: string, options: PresignOptions = {}): Promise<string> {
    return objects.presignUrl(this.#p, bucket, key, options);
  }

  // Multipart (multipart.ts)

  initiateMultipartUpload(
    bucket: string,
    key: string,
    options: InitiateMultipartUploadOptions = {},
  ): Promise<InitiateMultipartUploadResult> {
    return multipart.initiateMultipartUpload(this.#p, bucket, key, options);
  }
  uploadPart(
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    body: Uint8Array | string | Blob,
    options: UploadPartOptions = {},
  ): Promise<UploadPartResult> {
    return multipart.uploadPart(this.#p, bucket, key, uploadId, partNumber, body, options);
  }
  uploadPartCopy(
    sourceBucket: string,
    sourceKey: string,
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    options: UploadPartCopyOptions = {},
  ): Promise<CopyObjectResult> {
    return multipart.uploadPartCopy(
      this.#p,
      sourceBucket,
      sourceKey,
      bucket,
      key,
      uploadId,
      partNumber,
      options,
    );
  }
  completeMultipartUpload(
    bucket: string,
    key: string,
    uploadId: string,
    parts: readonly CompletedPart[],
    options: CompleteMultipartUploadOptions = {},
  ): Promise<CompleteMultipartUploadResult> {
    return multipart.completeMultipartUpload(this.#p, bucket, key, uploadId, parts, options);
  }
  abortMultipartUpload(
    bucket: string,
    key: string,
    uploadId: string,
    options: RequestOptions = {},
  ): Promise<void> {
    return multipart.abortMultipartUpload(this.#p, bucket, key, uploadId, options);
  }
  listParts(
    bucket: string,
    key: string,
    uploadId: string,
    options: ListPartsOptions = {},
  ): Promise<ListPartsResult> {
    return multipart.listParts(this.#p, bucket, key, uploadId, options);
  }
  listMultipartUploads(
    bucket: string,
    options: ListMultipartUploadsOptions = {},
  ): Promise<ListMultipartUploadsResult> {
    return multipart.listMultipartUploads(this.#p, bucket, options);
  }

  // Listing (listing.ts)

  listObjects(bucket: string, options: ListObjectsOptions = {}): Promise<ListObjectsResult> {
    return listing.listObjects(this.#p, bucket, options);
  }
  listAllObjects(bucket: string, options: ListObjectsOptions = {}): AsyncIterableIterator<ObjectSummary> {
    return listing.listAllObjects(this, bucket, options);
  }
  listAllPrefixes(bucket: string, options: ListObjectsOptions = {}): AsyncIterableIterator<string> {
    return listing.listAllPrefixes(this, bucket, options);
  }
  listAllEntries(bucket: string, options: ListObjectsOptions = {}): AsyncIterableIterator<ListEntry> {
    return listing.listAllEntries(this, bucket, options);
  }
  listAllParts(
    bucket: string,
    key: string,
    uploadId: string,
    options: ListPartsOptions = {},
  ): AsyncIterableIterator<PartSummary> {
    return listing.listAllParts(this, bucket, key, uploadId, options);
  }
  listAllMultipartUploads(
    bucket: string,
    options: ListMultipartUploadsOptions = {},
  ): AsyncIterableIterator<UploadSummary> {
    return listing.listAllMultipartUploads(this, bucket, options);
  }

  // Managed transfers (transfers.ts): the engines are loaded on first use.

  async upload(
    bucket: string,
    key: string,
    body: BodyInput,
    options: UploadOptions = {},
  ): Promise<UploadResult> {
    return (await import("./upload/engine.ts")).upload(this.#p, bucket, key, body, options);
  }
  async uploadFile(
    bucket: string,
    key: string,
    path: string,
    options: UploadFileOptions = {},
  ): Promise<UploadResult> {
    return (await import("./upload/engine.ts")).uploadFile(this.#p, bucket, key, path, options);
  }
  putObjectFromFile(
    bucket: string,
    key: string,
    path: string,
    options: UploadFileOptions = {},
  ): Promise<UploadResult> {
    return this.uploadFile(bucket, key, path, options);
  }
  appender(bucket: string, key: string, options: AppenderOptions = {}): Appender {
    return new Appender(this, bucket, key, options);
  }
  async copyLarge(
    sourceBucket: string,
    sourceKey: string,
    bucket: string,
    key: string,
    options: CopyLargeOptions = {},
  ): Promise<CopyObjectResult> {
    return (await import("./upload/copy_large.ts")).copyLarge(
      this.#p,
      sourceBucket,
      sourceKey,
      bucket,
      key,
      options,
    );
  }
  async download(bucket: string, key: string, options: DownloadOptions = {}): Promise<GetObjectResult> {
    return (await import("./download.ts")).download(this.#p, bucket, key, options);
  }
  async downloadFile(
    bucket: string,
    key: string,
    path: string,
    options: DownloadFileOptions = {},
  ): Promise<{ bytes: number; etag: string }> {
    return (await import("./download.ts")).downloadFile(this.#p, bucket, key, path, options);
  }
};
