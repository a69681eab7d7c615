/**
 * Operation name → implementation.
 *
 * @module
 */
import type { OpContext } from "./_context.ts";
import { deleteBucket, getBucketLocation, headBucket, listBuckets, putBucket } from "./ops/buckets.ts";
import { deleteBucketCors, getBucketCors, optionsObject, putBucketCors } from "./ops/cors.ts";
import { listObjects } from "./ops/list.ts";
import {
  abortMultipartUpload,
  completeMultipartUpload,
  initiateMultipartUpload,
  listMultipartUploads,
  listParts,
  uploadPart,
  uploadPartCopy,
} from "./ops/multipart.ts";
import {
  appendObject,
  copyObject,
  deleteMultipleObjects,
  deleteObject,
  getObject,
  putObject,
} from "./ops/objects.ts";
import type { Operation } from "./router.ts";

const OPS: Record<Operation, (ctx: OpContext) => Response | Promise<Response>> = {
  PutBucket: putBucket,
  HeadBucket: headBucket,
  DeleteBucket: deleteBucket,
  ListBuckets: listBuckets,
  GetBucketLocation: getBucketLocation,
  PutBucketCors: putBucketCors,
  GetBucketCors: getBucketCors,
  DeleteBucketCors: deleteBucketCors,
  PutObject: putObject,
  GetObject: getObject,
  HeadObject: getObject,
  DeleteObject: deleteObject,
  DeleteMultipleObjects: deleteMultipleObjects,
  CopyObject: copyObject,
  AppendObject: appendObject,
  InitiateMultipartUpload: initiateMultipartUpload,
  UploadPart: uploadPart,
  UploadPartCopy: uploadPartCopy,
  CompleteMultipartUpload: completeMultipartUpload,
  AbortMultipartUpload: abortMultipartUpload,
  ListParts: listParts,
  ListMultipartUploads: listMultipartUploads,
  ListObjects: listObjects,
  OptionsObject: optionsObject,
};

/** Runs the operation of `ctx`. */
export async function dispatch(ctx: OpContext): Promise<Response> {
  return await OPS[ctx.operation](ctx);
}
