/**
 * Routing: raw request target + Host → bucket, key and the BOS operation name (looked up in the
 * operation table of `protocol/operations.ts`, which the client and the kit share).
 *
 * Addressing (buckets.md §2): a Host of the form `<bucket>.<region>.bcebos.com` or
 * `<bucket>.<baseDomain>` is virtual-host style (the whole path is the key); any other host is
 * path-style, where an optional leading `/v1` is stripped, the first path segment is the bucket and
 * the rest the key. Segments are split on the raw `/` before percent-decoding.
 *
 * @module
 */
import { percentDecode } from "../protocol/encoding.ts";
import {
  findOperation,
  OPERATION_NAMES,
  type OperationLevel,
  type OperationName,
} from "../protocol/operations.ts";
import { BosHttpError } from "./_http.ts";

export { percentDecode };

/**
 * The BOS operations the server implements: every row of the operation table
 * (`@boskit/boskit/protocol`), in routing order.
 *
 * @example
 * ```ts
 * import { OPERATIONS } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * assert(OPERATIONS.includes("UploadPartCopy"));
 * assert(OPERATIONS.includes("GetBucketCors"));
 * ```
 */
export const OPERATIONS: readonly Operation[] = OPERATION_NAMES;

/** A BOS operation name (a row of the operation table). */
export type Operation = OperationName;

/** The raw pieces of `req.url`: path and query exactly as sent (no normalisation). */
export interface RawTarget {
  /** Host (with port) from the URL. */
  host: string;
  /** Path as sent, starting with `/`. */
  path: string;
  /** Everything after `?` (without `#…`), `""` when absent. */
  query: string;
}

/**
 * Splits a URL string without normalising it (unlike `new URL`, which resolves `.`/`..` segments).
 *
 * @example
 * ```ts
 * import { splitRawUrl } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(splitRawUrl("http://h:1/a/../b?x=1"), { host: "h:1", path: "/a/../b", query: "x=1" });
 * ```
 */
export function splitRawUrl(url: string): RawTarget {
  const m = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?/.exec(url);
  if (!m) return { host: "", path: "/", query: "" };
  return { host: m[1].replace(/^[^@]*@/, ""), path: m[2] || "/", query: m[3] ?? "" };
}

/** Decoded query parameters: the first occurrence of each name wins. */
export type Query = Map<string, string>;

/**
 * Parses a raw query string; malformed percent-encoding or non-UTF-8 → 400 `InvalidURI`.
 *
 * @example
 * ```ts
 * import { parseQuery } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const q = parseQuery("uploads&prefix=a%2Fb&maxKeys=2");
 * assert.equal(q.get("uploads"), "");
 * assert.equal(q.get("prefix"), "a/b");
 * ```
 */
export function parseQuery(raw: string): Query {
  const q: Query = new Map();
  for (const item of raw.split("&")) {
    if (item === "") continue;
    const eq = item.indexOf("=");
    const k = percentDecode(eq < 0 ? item : item.slice(0, eq));
    const v = percentDecode(eq < 0 ? "" : item.slice(eq + 1));
    if (k === undefined || v === undefined) {
      throw new BosHttpError(
        "InvalidURI",
        `The query parameter ${JSON.stringify(item.slice(0, 100))} is not valid percent-encoded UTF-8`,
      );
    }
    if (!q.has(k)) q.set(k, v);
  }
  return q;
}

/** Where a request points. */
export interface Target {
  /** Bucket name as sent (may be invalid); absent for the service level. */
  bucket?: string;
  /** Object key; absent (or empty) for bucket-level requests. */
  key?: string;
  /** Whether the bucket came from the Host header. */
  virtualHost: boolean;
}

/**
 * Resolves bucket and key from the Host and the raw path (buckets.md §2).
 *
 * @param host The Host header (port allowed).
 * @param rawPath The path as sent.
 * @param baseDomain Domain under which `<bucket>.<baseDomain>` is virtual-host addressing.
 *
 * @example
 * ```ts
 * import { resolveTarget } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(resolveTarget("127.0.0.1:8080", "/v1/b1/a%20b/c"), { bucket: "b1", key: "a b/c", virtualHost: false });
 * assert.deepEqual(resolveTarget("b1.bj.bcebos.com", "/x"), { bucket: "b1", key: "x", virtualHost: true });
 * ```
 */
export function resolveTarget(host: string, rawPath: string, baseDomain?: string): Target {
  const hostname = host.toLowerCase().replace(/:\d*$/, "").replace(/\.$/, "");
  let vhostBucket: string | undefined;
  const labels = hostname.split(".");
  if (labels.length === 4 && labels[2] === "bcebos" && labels[3] === "com" && labels[1] !== "s3") {
    vhostBucket = labels[0];
  } else if (baseDomain) {
    const base = baseDomain.toLowerCase().replace(/:\d*$/, "");
    if (hostname.endsWith("." + base)) {
      const label = hostname.slice(0, -(base.length + 1));
      if (label !== "" && !label.includes(".")) vhostBucket = label;
    }
  }
  const path = rawPath.startsWith("/") ? rawPath : "/" + rawPath;
  if (vhostBucket !== undefined) {
    return { bucket: vhostBucket, key: decodeKey(path.slice(1)), virtualHost: true };
  }
  let rest = path;
  if (rest === "/v1" || rest.startsWith("/v1/")) rest = rest.slice(3) || "/";
  if (rest === "/") return { virtualHost: false };
  const slash = rest.indexOf("/", 1);
  const rawBucket = slash < 0 ? rest.slice(1) : rest.slice(1, slash);
  const bucket = percentDecode(rawBucket);
  if (bucket === undefined) {
    throw new BosHttpError("InvalidURI", `The bucket name in the path is not valid percent-encoded UTF-8`);
  }
  const key = slash < 0 ? "" : decodeKey(rest.slice(slash + 1));
  return { bucket, key, virtualHost: false };
}

function decodeKey(raw: string): string {
  const key = percentDecode(raw);
  if (key === undefined) {
    throw new BosHttpError("InvalidURI", "The object key in the path is not valid percent-encoded UTF-8");
  }
  return key;
}

/**
 * BOS sub-resources this server does not implement: answered with 501 `NotImplemented`.
 *
 * @example
 * ```ts
 * import { UNSUPPORTED_SUBRESOURCES } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * assert(UNSUPPORTED_SUBRESOURCES.has("acl"));
 * ```
 */
export const UNSUPPORTED_SUBRESOURCES: ReadonlySet<string> = new Set([
  "acl",
  "lifecycle",
  "logging",
  "replication",
  "replicationProgress",
  "encryption",
  "versioning",
  "versions",
  "versionId",
  "tagging",
  "website",
  "staticWebsite",
  "quota",
  "userQuota",
  "restore",
  "symlink",
  "fetch",
  "storageClass",
  "copyrightProtection",
  "objectlock",
  "notification",
  "mirroring",
  "inventory",
  "requestPayment",
  "trash",
  "select",
  "objectMeta",
  "intelligenttiering",
  "policy",
  "rename",
]);

/**
 * The operation a request asks for, or a 405 / 501 / 400 error.
 *
 * @param method HTTP method.
 * @param target Bucket and key.
 * @param query Decoded query.
 * @param headers Request headers (`x-bce-copy-source` selects the copy operations).
 *
 * @example
 * ```ts
 * import { resolveOperation } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const op = resolveOperation("POST", { bucket: "b", key: "k", virtualHost: false }, new Map([["uploads", ""]]), new Headers());
 * assert.equal(op, "InitiateMultipartUpload");
 * ```
 */
export function resolveOperation(method: string, target: Target, query: Query, headers: Headers): Operation {
  for (const name of query.keys()) {
    if (UNSUPPORTED_SUBRESOURCES.has(name)) {
      throw new BosHttpError("NotImplemented", `The sub-resource ${name} is not implemented by this server`);
    }
  }
  const level: OperationLevel = target.bucket === undefined ? "service" : target.key ? "object" : "bucket";
  if (level !== "bucket" && query.has("cors")) {
    // CORS rules belong to a bucket (PutBucketCors…); on an object or the service it stays unsupported.
    throw new BosHttpError("NotImplemented", "The sub-resource cors is implemented on buckets only");
  }
  const operation = findOperation(method, level, query.keys(), (name) => headers.has(name));
  if (operation === undefined) {
    throw new BosHttpError("MethodNotAllowed", `The method ${method} is not allowed against this resource`);
  }
  return operation;
}
