/**
 * Bucket operations: PutBucket, HeadBucket, DeleteBucket, ListBuckets, GetBucketLocation, each a
 * function over the client's {@link Pipeline}, with the option and result types they use.
 *
 * @module
 */
import { parseIsoDate } from "../protocol/encoding.ts";
import { enc, type RequestBody } from "./body.ts";
import type { Pipeline, RequestOptions } from "./pipeline.ts";
import { arr, drain, json, str } from "./_response.ts";
import { checkBucket } from "./_validate.ts";

/**
 * Options of `createBucket`.
 */
export interface CreateBucketOptions extends RequestOptions {
  /** Create a multi-AZ bucket. */
  enableMultiAz?: boolean;
}

/**
 * An entry of ListBuckets.
 */
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

/**
 * Result of `listBuckets`.
 */
export interface ListBucketsResult {
  /** The account. */
  owner?: { id: string; displayName: string };
  /** The buckets. */
  buckets: BucketSummary[];
}

/** The bucket operations of a {@link BosClient}. */
export interface BucketOperations {
  /**
   * Creates a bucket (PutBucket).
   *
   * @param bucket Bucket name.
   * @param options Multi-AZ flag and signal.
   * @returns The region the bucket was created in (`Location` header), when given.
   *
   * @example Create a bucket
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const server = await serve();
   * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
   * const { location } = await client.createBucket("my-bucket");
   * assert.equal(location, "bj");
   * await server.close();
   * ```
   */
  createBucket(bucket: string, options?: CreateBucketOptions): Promise<{ location?: string }>;

  /**
   * Checks that a bucket exists and is accessible (HeadBucket).
   *
   * @param bucket Bucket name.
   * @param options Signal.
   * @returns Nothing; fails with `NoSuchBucket` (404) or `AccessDenied` (403).
   *
   * @example Check that a bucket exists
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const server = await serve();
   * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
   * await client.createBucket("my-bucket");
   * const exists = (bucket: string) =>
   *   client.headBucket(bucket).then(
   *     () => true,
   *     (e) => e.code === "NoSuchBucket" ? false : Promise.reject(e),
   *   );
   * assert.equal(await exists("my-bucket"), true);
   * assert.equal(await exists("no-such-bucket"), false);
   * await server.close();
   * ```
   */
  headBucket(bucket: string, options?: RequestOptions): Promise<void>;

  /**
   * Deletes an empty bucket (DeleteBucket).
   *
   * @param bucket Bucket name.
   * @param options Signal.
   * @returns Nothing; fails with `BucketNotEmpty` (409) or `NoSuchBucket` (404).
   *
   * @example Delete an empty bucket
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const server = await serve();
   * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
   * await client.createBucket("my-bucket");
   * await client.deleteBucket("my-bucket");
   * await assert.rejects(client.headBucket("my-bucket"), { code: "NoSuchBucket" });
   * await server.close();
   * ```
   */
  deleteBucket(bucket: string, options?: RequestOptions): Promise<void>;

  /**
   * Lists the account's buckets (ListBuckets).
   *
   * @param options Signal.
   * @returns Owner and buckets.
   *
   * @example List buckets
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const server = await serve();
   * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
   * await client.createBucket("my-bucket");
   * const { buckets } = await client.listBuckets();
   * assert.deepEqual(buckets.map((b) => b.name), ["my-bucket"]);
   * await server.close();
   * ```
   */
  listBuckets(options?: RequestOptions): Promise<ListBucketsResult>;

  /**
   * The region of a bucket (GetBucketLocation).
   *
   * @param bucket Bucket name.
   * @param options Signal.
   * @returns The region code, e.g. `bj`.
   *
   * @example Where a bucket lives
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const server = await serve();
   * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
   * await client.createBucket("my-bucket");
   * assert.equal(await client.getBucketLocation("my-bucket"), "bj");
   * await server.close();
   * ```
   */
  getBucketLocation(bucket: string, options?: RequestOptions): Promise<string>;
}

/** Creates a bucket (PutBucket). */
export async function createBucket(
  p: Pipeline,
  bucket: string,
  options: CreateBucketOptions = {},
): Promise<{ location?: string }> {
  checkBucket(bucket);
  let body: RequestBody | undefined;
  const headers = new Headers();
  if (options.enableMultiAz !== undefined) {
    const bytes = enc.encode(JSON.stringify({ enableMultiAz: options.enableMultiAz }));
    body = { bytes, length: bytes.length };
    headers.set("content-type", "application/json");
  }
  const h = await p.send({
    op: "PutBucket",
    bucket,
    headers,
    body,
    signal: options.signal,
    parse: drain,
  });
  return { location: h.get("location") ?? undefined };
}

/** Checks that a bucket exists and is accessible (HeadBucket). */
export async function headBucket(p: Pipeline, bucket: string, options: RequestOptions = {}): Promise<void> {
  checkBucket(bucket);
  await p.send({
    op: "HeadBucket",
    bucket,
    signal: options.signal,
    parse: drain,
  });
}

/** Deletes an empty bucket (DeleteBucket). */
export async function deleteBucket(p: Pipeline, bucket: string, options: RequestOptions = {}): Promise<void> {
  checkBucket(bucket);
  await p.send({
    op: "DeleteBucket",
    bucket,
    signal: options.signal,
    parse: drain,
  });
}

/** Lists the account's buckets (ListBuckets). */
export async function listBuckets(p: Pipeline, options: RequestOptions = {}): Promise<ListBucketsResult> {
  const j = await p.send({
    op: "ListBuckets",
    signal: options.signal,
    parse: json,
  });
  const owner = j.owner as { id?: unknown; displayName?: unknown } | undefined;
  return {
    owner: owner ? { id: str(owner.id), displayName: str(owner.displayName) } : undefined,
    buckets: arr(j.buckets).map((b): BucketSummary => ({
      name: str(b.name),
      location: str(b.location),
      creationDate: parseIsoDate(b.creationDate) ?? new Date(0),
      ...(b.enableMultiAz === true ? { enableMultiAz: true } : {}),
    })),
  };
}

/** The region of a bucket (GetBucketLocation). */
export async function getBucketLocation(
  p: Pipeline,
  bucket: string,
  options: RequestOptions = {},
): Promise<string> {
  checkBucket(bucket);
  const j = await p.send({
    op: "GetBucketLocation",
    bucket,
    signal: options.signal,
    parse: json,
  });
  return str(j.locationConstraint);
}
