/**
 * Bucket operations: PutBucket, HeadBucket, DeleteBucket, ListBuckets, GetBucketLocation.
 *
 * @module
 */
import { isValidBucketName } from "../../protocol/limits.ts";
import { readSmallBody } from "../_body.ts";
import type { OpContext } from "../_context.ts";
import { BosHttpError, emptyResponse, fail, isoDate, jsonResponse } from "../_http.ts";
import { CommittedError } from "../store/_index.ts";
import type { BucketRecord } from "../store/types.ts";

const MAX_BUCKET_BODY = 64 * 1024;

/** The bucket of a bucket- or object-level request; 404 `NoSuchBucket` when it does not exist. */
export function requireBucket(ctx: OpContext): BucketRecord {
  const name = ctx.bucket ?? "";
  const b = isValidBucketName(name) ? ctx.store.getBucket(name) : undefined;
  if (!b) {
    throw new BosHttpError("NoSuchBucket", `The bucket ${JSON.stringify(name.slice(0, 100))} does not exist`);
  }
  return b;
}

/**
 * Runs a store mutation inside `bucket` (an object or upload commit), holding the bucket shared: the
 * bucket exists throughout, and DeleteBucket waits for the commit (or the commit, coming after it,
 * gets 404 `NoSuchBucket`). Take it last, inside any object or upload lock.
 */
export async function inBucket<T>(ctx: OpContext, bucket: string, fn: () => Promise<T>): Promise<T> {
  return await ctx.lock.shared(bucketLock(bucket), async () => {
    if (!ctx.store.getBucket(bucket)) {
      throw new BosHttpError("NoSuchBucket", `The bucket ${JSON.stringify(bucket)} does not exist`);
    }
    return await fn();
  });
}

/**
 * Like {@link inBucket}; when the commit fails (the bucket is gone, the disk is full), the new blobs it
 * would have used are freed, so a failed write leaves nothing behind.
 */
export async function commitBlobs<T>(
  ctx: OpContext,
  bucket: string,
  blobs: readonly string[],
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await inBucket(ctx, bucket, fn);
  } catch (err) {
    // A change that took effect keeps its blobs, even if flushing it failed afterwards.
    if (!(err instanceof CommittedError)) await ctx.store.deleteBlobs(blobs).catch(() => {});
    throw err;
  }
}

/** The lock key of a bucket (objects' keys are `bucket/key`, uploads' `upload:id`: no overlap). */
export function bucketLock(bucket: string): string {
  return "bucket:" + bucket;
}

/** PutBucket: `PUT /` on a bucket; answers `Location: <region>`. */
export async function putBucket(ctx: OpContext): Promise<Response> {
  const name = ctx.bucket ?? "";
  if (!isValidBucketName(name)) {
    fail(
      "InvalidBucketName",
      `The bucket name ${
        JSON.stringify(name.slice(0, 100))
      } is not valid: use 3-63 characters of a-z, 0-9 and -, starting and ending with a letter or digit`,
    );
  }
  const body = await readSmallBody(
    ctx.req,
    MAX_BUCKET_BODY,
    () => fail("MaxMessageLengthExceeded", `The PutBucket body exceeds ${MAX_BUCKET_BODY} bytes`),
  );
  const text = new TextDecoder().decode(body).trim();
  if (text !== "") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      fail("MalformedJSON", "The PutBucket body is not well-formed JSON");
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      fail("InappropriateJSON", "The PutBucket body must be a JSON object");
    }
  }
  // One creation at a time (the existence and count checks hold until the bucket exists), and none
  // while a DeleteBucket of the same name is still removing its files.
  await ctx.lock.run(
    "buckets",
    () =>
      ctx.lock.run(bucketLock(name), async () => {
        if (ctx.store.getBucket(name)) fail("BucketAlreadyExists", `The bucket ${name} already exists`);
        if (ctx.store.listBuckets().length >= ctx.profile.maxBuckets) {
          fail("TooManyBuckets", `An account may have at most ${ctx.profile.maxBuckets} buckets`);
        }
        await ctx.store.createBucket({ name, location: ctx.region, created: ctx.now().getTime() });
      }),
  );
  return emptyResponse(ctx, 200, { location: ctx.region });
}

/** HeadBucket: 200 when the bucket exists. */
export function headBucket(ctx: OpContext): Response {
  requireBucket(ctx);
  return emptyResponse(ctx, 200);
}

/** DeleteBucket: 204; 409 `BucketNotEmpty` while objects or unfinished uploads exist. */
export async function deleteBucket(ctx: OpContext): Promise<Response> {
  requireBucket(ctx);
  // Alone on the bucket: no object or upload commit is half-way while it is checked and removed.
  await ctx.lock.run(bucketLock(ctx.bucket!), async () => {
    const b = requireBucket(ctx);
    if (ctx.store.bucketHasContent(b.name)) {
      fail("BucketNotEmpty", `The bucket ${b.name} still holds objects or unfinished multipart uploads`);
    }
    await ctx.store.deleteBucket(b.name);
  });
  return emptyResponse(ctx, 204);
}

/** ListBuckets: every bucket, ascending by name. */
export function listBuckets(ctx: OpContext): Response {
  return jsonResponse(ctx, {
    owner: ctx.owner,
    buckets: ctx.store.listBuckets().map((b) => ({
      name: b.name,
      location: b.location,
      creationDate: isoDate(b.created),
    })),
  });
}

/** GetBucketLocation: `{"locationConstraint": "<region>"}`. */
export function getBucketLocation(ctx: OpContext): Response {
  const b = requireBucket(ctx);
  return jsonResponse(ctx, { locationConstraint: b.location });
}
