/**
 * Copying objects of any size: one CopyObject up to the threshold, otherwise a parallel multipart
 * copy (UploadPartCopy with ranges, each pinned to the source's ETag).
 *
 * @module
 */
import { abortError, linkedController } from "../_async.ts";
import { copyObject, headObject } from "../objects.ts";
import type { CopyObjectResult } from "../objects.ts";
import {
  abortMultipartUpload,
  completeMultipartUpload,
  initiateMultipartUpload,
  uploadPartCopy,
} from "../multipart.ts";
import { headerOptions, type ObjectHeaderOptions, replacesHeaders } from "../object_headers.ts";
import type { Pipeline, RequestOptions } from "../pipeline.ts";
import { DEFAULT_CONCURRENCY, partOf, planParts } from "./part_plan.ts";

/**
 * Options of `client.copyLarge`.
 */
export interface CopyLargeOptions extends RequestOptions, ObjectHeaderOptions {
  /** Part size of a multipart copy; default 64 MiB (grown to fit 10000 parts). */
  partSize?: number;
  /** Parts copied at once; default 4. */
  concurrency?: number;
  /** Sources up to this size use one CopyObject; default the profile's maximum put size (5 GiB). */
  multipartThreshold?: number;
}

/**
 * Copies an object of any size. The multipart path takes the source's content headers and metadata
 * unless the options give new ones, and pins every part to the source's ETag so a source that changes
 * mid-copy fails with `PreconditionFailed`; a failed multipart copy is aborted.
 */
export async function copyLarge(
  p: Pipeline,
  sourceBucket: string,
  sourceKey: string,
  bucket: string,
  key: string,
  options: CopyLargeOptions = {},
): Promise<CopyObjectResult> {
  const { signal } = options;
  const src = await headObject(p, sourceBucket, sourceKey, { signal });
  const threshold = options.multipartThreshold ?? p.profile.maxPutObjectSize;
  const replace = replacesHeaders(options);
  if (src.contentLength <= threshold) {
    return await copyObject(p, sourceBucket, sourceKey, bucket, key, {
      ...headerOptions(options),
      ifMatch: src.etag || undefined,
      signal,
    });
  }
  const plan = planParts(src.contentLength, {
    partSize: options.partSize ?? 64 * 1024 * 1024,
    profile: p.profile,
  });
  const headers: ObjectHeaderOptions = replace ? headerOptions(options) : {
    contentType: src.contentType,
    contentDisposition: src.contentDisposition,
    cacheControl: src.cacheControl,
    contentEncoding: src.contentEncoding,
    expires: src.expires,
    userMeta: src.userMeta,
    storageClass: options.storageClass,
  };
  const { uploadId } = await initiateMultipartUpload(p, bucket, key, { ...headers, signal });
  const { controller, unlink } = linkedController(signal);
  const etags = new Array<string>(plan.partCount);
  let next = 1;
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  try {
    const worker = async () => {
      while (next <= plan.partCount && !controller.signal.aborted) {
        const n = next++;
        const part = partOf(plan, n);
        const r = await uploadPartCopy(p, sourceBucket, sourceKey, bucket, key, uploadId, n, {
          range: { start: part.offset, end: part.offset + part.size - 1 },
          ifMatch: src.etag || undefined,
          signal: controller.signal,
        }).catch((e) => {
          controller.abort(e);
          throw e;
        });
        etags[n - 1] = r.etag;
      }
    };
    const results = await Promise.allSettled(
      Array.from({ length: Math.min(concurrency, plan.partCount) }, worker),
    );
    const failed = results.find((r) => r.status === "rejected") as PromiseRejectedResult | undefined;
    if (failed) throw signal?.aborted ? abortError(signal) : failed.reason;
    if (signal?.aborted) throw abortError(signal);
    const done = await completeMultipartUpload(
      p,
      bucket,
      key,
      uploadId,
      etags.map((etag, i) => ({ partNumber: i + 1, etag })),
      { signal },
    );
    return { etag: done.etag, requestId: done.requestId };
  } catch (e) {
    await abortMultipartUpload(p, bucket, key, uploadId).catch(() => {});
    throw e;
  } finally {
    unlink();
  }
}
