/**
 * Bucket CORS operations: PutBucketCors, GetBucketCors and DeleteBucketCors, each a function over
 * the client's {@link Pipeline}, and OptionsObject (a CORS preflight sent by hand). A configuration
 * is checked against the same rules the reference server enforces (`protocol/cors.ts`) before it is
 * sent.
 *
 * @module
 */
import { type CorsRule, parseCorsConfiguration } from "../protocol/cors.ts";
import { BosError } from "../protocol/errors.ts";
import { enc } from "./body.ts";
import type { Pipeline, RequestOptions } from "./pipeline.ts";
import { drain, json } from "./_response.ts";
import { checkBucket, checkKey, invalid } from "./_validate.ts";

/** The bucket CORS operations of a {@link BosClient}. */
export interface CorsOperations {
  /**
   * Replaces a bucket's CORS rules (PutBucketCors). The rules are checked before sending: each needs
   * `allowedOrigins` (at most one `*` per origin) and `allowedMethods` (among GET, PUT, DELETE,
   * POST, HEAD); at most 100 rules.
   *
   * @param bucket Bucket name.
   * @param rules The rules, tried in order by BOS.
   * @param options Signal.
   * @returns Nothing; fails with `InvalidArgument` for a rule BOS would refuse.
   *
   * @example Allow a web app to read and upload
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const server = await serve();
   * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
   * await client.createBucket("my-bucket");
   * await client.putBucketCors("my-bucket", [{
   *   allowedOrigins: ["https://app.example.com"],
   *   allowedMethods: ["GET", "PUT"],
   *   allowedExposeHeaders: ["ETag", "x-bce-request-id"],
   *   maxAgeSeconds: 3600,
   * }]);
   * const rules = await client.getBucketCors("my-bucket");
   * assert.deepEqual(rules[0].allowedMethods, ["GET", "PUT"]);
   * await server.close();
   * ```
   */
  putBucketCors(bucket: string, rules: readonly CorsRule[], options?: RequestOptions): Promise<void>;

  /**
   * A bucket's CORS rules (GetBucketCors). A bucket without rules answers 404
   * `NoSuchCORSConfiguration`.
   *
   * @param bucket Bucket name.
   * @param options Signal.
   * @returns The rules.
   *
   * @example Rules, or none
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const server = await serve();
   * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
   * await client.createBucket("my-bucket");
   * const rulesOf = (bucket: string) =>
   *   client.getBucketCors(bucket).catch((e) => e.code === "NoSuchCORSConfiguration" ? [] : Promise.reject(e));
   * assert.deepEqual(await rulesOf("my-bucket"), []);
   * await client.putBucketCors("my-bucket", [{ allowedOrigins: ["*"], allowedMethods: ["GET"] }]);
   * assert.equal((await rulesOf("my-bucket")).length, 1);
   * await server.close();
   * ```
   */
  getBucketCors(bucket: string, options?: RequestOptions): Promise<CorsRule[]>;

  /**
   * Removes every CORS rule of a bucket (DeleteBucketCors); succeeds when there were none.
   *
   * @param bucket Bucket name.
   * @param options Signal.
   * @returns Nothing; fails with `NoSuchBucket` for a missing bucket.
   *
   * @example Remove the rules
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const server = await serve();
   * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
   * await client.createBucket("my-bucket");
   * await client.putBucketCors("my-bucket", [{ allowedOrigins: ["*"], allowedMethods: ["GET"] }]);
   * await client.deleteBucketCors("my-bucket");
   * await client.deleteBucketCors("my-bucket"); // no rules left: still fine
   * await assert.rejects(client.getBucketCors("my-bucket"), { code: "NoSuchCORSConfiguration" });
   * await server.close();
   * ```
   */
  deleteBucketCors(bucket: string, options?: RequestOptions): Promise<void>;

  /**
   * Sends the CORS preflight a browser would send (OptionsObject, unsigned): which methods, headers
   * and exposed headers the bucket's rules grant an origin. For servers and tools (Deno, Node, Bun):
   * a browser sets `Origin` and the `Access-Control-Request-*` headers itself and refuses them here.
   *
   * @param bucket Bucket name.
   * @param key Object key.
   * @param options The origin, the method and headers of the request to check, signal.
   * @returns What the matching rule allows; a refused preflight (no rule matches, no rules, no
   *   bucket) fails with 403 `AccessDenied`.
   *
   * @example Check that a web app may upload before shipping it
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const server = await serve();
   * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
   * await client.createBucket("my-bucket");
   * await client.putBucketCors("my-bucket", [{
   *   allowedOrigins: ["https://app.example.com"],
   *   allowedMethods: ["GET", "PUT"],
   *   allowedHeaders: ["*"],
   *   allowedExposeHeaders: ["ETag"],
   * }]);
   * const ok = await client.optionsObject("my-bucket", "photo.jpg", {
   *   origin: "https://app.example.com",
   *   method: "PUT",
   *   headers: ["authorization", "x-bce-date", "content-type"],
   * });
   * assert.deepEqual(ok.allowMethods, ["GET", "PUT"]);
   * assert.deepEqual(ok.exposeHeaders, ["ETag"]);
   * await assert.rejects(
   *   client.optionsObject("my-bucket", "photo.jpg", { origin: "https://evil.example", method: "PUT" }),
   *   { status: 403, code: "AccessDenied" },
   * );
   * await server.close();
   * ```
   */
  optionsObject(bucket: string, key: string, options: OptionsObjectOptions): Promise<OptionsObjectResult>;
}

/** Options of `optionsObject`: the cross-origin request to check. */
export interface OptionsObjectOptions extends RequestOptions {
  /** The page's origin (`Origin`), e.g. `https://app.example.com`. */
  origin: string;
  /** The method of the request to check (`Access-Control-Request-Method`): GET, PUT, DELETE, POST or HEAD. */
  method: string;
  /** The headers it will send beyond the CORS-safelisted ones (`Access-Control-Request-Headers`). */
  headers?: readonly string[];
}

/** What a granted preflight allows (the `Access-Control-*` headers of the answer). */
export interface OptionsObjectResult {
  /** `Access-Control-Allow-Origin`: the origin. */
  allowOrigin: string;
  /** `Access-Control-Allow-Methods`: every method of the matching rule. */
  allowMethods: string[];
  /** `Access-Control-Allow-Headers`: the requested headers. */
  allowHeaders: string[];
  /** `Access-Control-Expose-Headers`: the headers a script may read. */
  exposeHeaders: string[];
  /** `Access-Control-Max-Age`, in seconds, when the rule sets one. */
  maxAgeSeconds?: number;
  /** `Access-Control-Allow-Credentials: true`. */
  allowCredentials: boolean;
}

/** Replaces a bucket's CORS rules (PutBucketCors). */
export async function putBucketCors(
  p: Pipeline,
  bucket: string,
  rules: readonly CorsRule[],
  options: RequestOptions = {},
): Promise<void> {
  checkBucket(bucket);
  const parsed = parseCorsConfiguration({ corsConfiguration: rules });
  if ("problem" in parsed) throw invalid(parsed.problem.message, undefined, parsed.problem.code);
  const bytes = enc.encode(JSON.stringify({ corsConfiguration: parsed.rules }));
  await p.send({
    op: "PutBucketCors",
    bucket,
    headers: new Headers({ "content-type": "application/json; charset=utf-8" }),
    body: { bytes, length: bytes.length },
    signal: options.signal,
    parse: drain,
  });
}

/** A bucket's CORS rules (GetBucketCors). */
export async function getBucketCors(
  p: Pipeline,
  bucket: string,
  options: RequestOptions = {},
): Promise<CorsRule[]> {
  checkBucket(bucket);
  const j = await p.send({ op: "GetBucketCors", bucket, signal: options.signal, parse: json });
  if (Array.isArray(j.corsConfiguration) && j.corsConfiguration.length === 0) return [];
  const parsed = parseCorsConfiguration(j);
  if ("problem" in parsed) {
    throw new BosError({
      status: 200,
      code: "MalformedResponse",
      message: `GetBucketCors answered a configuration that is not valid: ${parsed.problem.message}`,
    });
  }
  return parsed.rules;
}

/** Removes a bucket's CORS rules (DeleteBucketCors). */
export async function deleteBucketCors(
  p: Pipeline,
  bucket: string,
  options: RequestOptions = {},
): Promise<void> {
  checkBucket(bucket);
  await p.send({ op: "DeleteBucketCors", bucket, signal: options.signal, parse: drain });
}

/** Sends a CORS preflight by hand (OptionsObject, unsigned). */
export async function optionsObject(
  p: Pipeline,
  bucket: string,
  key: string,
  options: OptionsObjectOptions,
): Promise<OptionsObjectResult> {
  checkBucket(bucket);
  checkKey(key, p.profile);
  if (!options || typeof options.origin !== "string" || !options.origin || !options.method) {
    throw invalid("optionsObject needs the origin and the method of the request to check");
  }
  const headers = new Headers({ origin: options.origin, "access-control-request-method": options.method });
  if (options.headers?.length) headers.set("access-control-request-headers", options.headers.join(","));
  const h = await p.send({
    op: "OptionsObject",
    bucket,
    key,
    headers,
    anonymous: true,
    signal: options.signal,
    parse: drain,
  });
  const list = (name: string) => (h.get(name) ?? "").split(",").map((v) => v.trim()).filter((v) => v !== "");
  const maxAge = h.get("access-control-max-age");
  return {
    allowOrigin: h.get("access-control-allow-origin") ?? "",
    allowMethods: list("access-control-allow-methods"),
    allowHeaders: list("access-control-allow-headers"),
    exposeHeaders: list("access-control-expose-headers"),
    maxAgeSeconds: maxAge !== null && /^\d+$/.test(maxAge.trim()) ? Number(maxAge) : undefined,
    allowCredentials: h.get("access-control-allow-credentials") === "true",
  };
}
