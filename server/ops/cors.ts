/**
 * The bucket CORS operations: PutBucketCors (replace the rules), GetBucketCors (read them; 404
 * `NoSuchCORSConfiguration` when there are none) and DeleteBucketCors (204, also without rules).
 * OptionsObject (the preflight) is answered before authentication by the handler (`_cors.ts`);
 * its row here only completes the dispatch table.
 *
 * @module
 */
import { parseCorsConfiguration } from "../../protocol/cors.ts";
import { parseJson, readSmallBody } from "../_body.ts";
import type { OpContext } from "../_context.ts";
import { BosHttpError, emptyResponse, fail, jsonResponse } from "../_http.ts";
import { inBucket, requireBucket } from "./buckets.ts";
import { corsRulesFor, preflight } from "../_cors.ts";

const MAX_CORS_BODY = 64 * 1024;

/** PutBucketCors: `PUT /?cors` with `{"corsConfiguration": [...]}`; replaces every rule. */
export async function putBucketCors(ctx: OpContext): Promise<Response> {
  const bucket = requireBucket(ctx);
  const body = await readSmallBody(
    ctx.req,
    MAX_CORS_BODY,
    () => fail("MaxMessageLengthExceeded", `The CORS configuration must be at most ${MAX_CORS_BODY} bytes`),
  );
  if (body.length === 0) {
    fail("MalformedJSON", "PutBucketCors needs a JSON body with the corsConfiguration rules");
  }
  const parsed = parseCorsConfiguration(parseJson(body));
  if ("problem" in parsed) throw new BosHttpError(parsed.problem.code, parsed.problem.message);
  await inBucket(ctx, bucket.name, () => ctx.store.setBucketCors(bucket.name, parsed.rules));
  return emptyResponse(ctx, 200);
}

/** GetBucketCors: the rules as PutBucketCors took them. */
export function getBucketCors(ctx: OpContext): Response {
  const bucket = requireBucket(ctx);
  if (!bucket.cors || bucket.cors.length === 0) {
    fail("NoSuchCORSConfiguration", `The bucket ${bucket.name} has no CORS configuration`);
  }
  return jsonResponse(ctx, { corsConfiguration: bucket.cors });
}

/** DeleteBucketCors: removes every rule; 204 whether there were rules or not. */
export async function deleteBucketCors(ctx: OpContext): Promise<Response> {
  const bucket = requireBucket(ctx);
  await inBucket(ctx, bucket.name, () => ctx.store.setBucketCors(bucket.name, undefined));
  return emptyResponse(ctx, 204);
}

/** OptionsObject: the preflight, from the bucket's rules (the handler answers it before authentication). */
export function optionsObject(ctx: OpContext): Response {
  return preflight(ctx, ctx.headers, corsRulesFor(ctx.store, ctx.bucket, []));
}
