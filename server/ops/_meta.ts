/**
 * Object header handling shared by the object and multipart operations: reading the stored
 * headers from a request, writing them to a response, conditions, copy sources and key rules.
 *
 * @module
 */
import { isStorageClass, objectKeyProblem } from "../../protocol/limits.ts";
import { parseHttpDate, unquote } from "../../protocol/encoding.ts";
import { META_PREFIX, trimHeaderByteString, userMetadataSize } from "../../protocol/headers.ts";
import { BosHttpError, fail, httpDate } from "../_http.ts";
import type { OpContext } from "../_context.ts";
import { percentDecode } from "../router.ts";
import type { ObjectHeaders, ObjectRecord } from "../store/types.ts";

/** Checks the key rules shared with the client (`objectKeyProblem`): length, no `.`/`..` segment, UTF-8. */
export function checkKey(ctx: OpContext): void {
  const problem = objectKeyProblem(ctx.key, ctx.profile);
  if (problem) fail(problem.code, problem.message);
}

/** The storage class header, default `STANDARD`; unknown → 400 `InvalidArgument`. */
export function storageClassOf(headers: Headers, fallback = "STANDARD"): string {
  const raw = headers.get("x-bce-storage-class");
  if (raw === null || raw.trim() === "") return fallback;
  const v = raw.trim();
  if (!isStorageClass(v)) fail("InvalidArgument", `Unknown storage class ${JSON.stringify(v.slice(0, 64))}`);
  return v;
}

/** User metadata of a request (names lower-cased, empty values dropped) after the size check. */
export function userMetaOf(ctx: OpContext): Record<string, string> {
  const size = userMetadataSize(ctx.headers);
  if (size > ctx.profile.maxUserMetadataSize) {
    fail(
      "MetadataTooLarge",
      `The user metadata is ${size} bytes, more than the limit of ${ctx.profile.maxUserMetadataSize}`,
    );
  }
  const meta: Record<string, string> = {};
  ctx.headers.forEach((value, name) => {
    if (!name.startsWith(META_PREFIX)) return;
    const n = name.slice(META_PREFIX.length);
    const v = trimHeaderByteString(value);
    if (n === "" || v === "") return;
    meta[n] = v;
  });
  return meta;
}

/** The headers stored with a new object (PutObject, Append creation, Initiate, copy with replace). */
export function objectHeadersOf(ctx: OpContext, storageClass = storageClassOf(ctx.headers)): ObjectHeaders {
  const h = ctx.headers;
  const opt = (name: string) => {
    const raw = h.get(name);
    const v = raw === null ? "" : trimHeaderByteString(raw);
    return v ? v : undefined;
  };
  return {
    contentType: opt("content-type") ?? "application/octet-stream",
    cacheControl: opt("cache-control"),
    contentDisposition: opt("content-disposition"),
    contentEncoding: opt("content-encoding"),
    expires: opt("expires"),
    meta: userMetaOf(ctx),
    storageClass,
  };
}

/** GET/HEAD headers of an object (without Content-Length / Content-Range). */
export function objectResponseHeaders(record: ObjectRecord): Headers {
  const h = new Headers();
  h.set("content-type", record.contentType);
  if (record.cacheControl) h.set("cache-control", record.cacheControl);
  if (record.contentDisposition) h.set("content-disposition", record.contentDisposition);
  if (record.contentEncoding) h.set("content-encoding", record.contentEncoding);
  if (record.expires) h.set("expires", record.expires);
  h.set("etag", record.etag);
  h.set("last-modified", httpDate(record.lastModified));
  if (record.contentMd5) h.set("content-md5", record.contentMd5);
  if (record.crc32 !== undefined) h.set("x-bce-content-crc32", record.crc32);
  h.set("x-bce-storage-class", record.storageClass);
  h.set("x-bce-object-type", record.objectType);
  if (record.objectType === "Appendable") h.set("x-bce-next-append-offset", String(record.size));
  for (const [name, value] of Object.entries(record.meta)) h.set(META_PREFIX + name, value);
  h.set("accept-ranges", "bytes");
  return h;
}

function etagListMatches(header: string, etag: string): boolean {
  return header.split(",").some((item) => {
    const t = unquote(item);
    return t === "*" || t === etag;
  });
}

const seconds = (ms: number) => Math.floor(ms / 1000);

/** The four conditions of a request (plain or `x-bce-copy-source-` prefixed). */
export interface Conditions {
  ifMatch: string | null;
  ifNoneMatch: string | null;
  ifModifiedSince: string | null;
  ifUnmodifiedSince: string | null;
}

/** Reads `If-*` (prefix "") or `x-bce-copy-source-if-*` (prefix "x-bce-copy-source-"). */
export function conditionsOf(headers: Headers, prefix = ""): Conditions {
  return {
    ifMatch: headers.get(prefix + "if-match"),
    ifNoneMatch: headers.get(prefix + "if-none-match"),
    ifModifiedSince: headers.get(prefix + "if-modified-since"),
    ifUnmodifiedSince: headers.get(prefix + "if-unmodified-since"),
  };
}

/**
 * Evaluates conditions against an object: `"ok"`, `"not-modified"` (GET/HEAD answer 304) or
 * `"failed"` (412). Per objects.md §2: If-Match wins over If-Unmodified-Since, If-None-Match over
 * If-Modified-Since.
 */
export function evaluateConditions(c: Conditions, record: ObjectRecord): "ok" | "not-modified" | "failed" {
  const lm = seconds(record.lastModified);
  if (c.ifMatch !== null && c.ifMatch.trim() !== "") {
    if (!etagListMatches(c.ifMatch, record.etag)) return "failed";
  } else {
    const t = parseHttpDate(c.ifUnmodifiedSince)?.getTime();
    if (t !== undefined && lm > seconds(t)) return "failed";
  }
  if (c.ifNoneMatch !== null && c.ifNoneMatch.trim() !== "") {
    if (etagListMatches(c.ifNoneMatch, record.etag)) return "not-modified";
  } else {
    const t = parseHttpDate(c.ifModifiedSince)?.getTime();
    if (t !== undefined && lm <= seconds(t)) return "not-modified";
  }
  return "ok";
}

/** The parsed `x-bce-copy-source`. */
export interface CopySource {
  bucket: string;
  key: string;
}

/** Parses `x-bce-copy-source: /<bucket>/<key>` (percent-encoded, optional `?versionId=`). */
export function copySourceOf(headers: Headers): CopySource {
  const raw = headers.get("x-bce-copy-source")?.trim() ?? "";
  let text = raw;
  const q = text.indexOf("?");
  if (q >= 0) text = text.slice(0, q);
  // Header values are wire byte strings; percent-decoding works on their bytes.
  const bytes = Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
  let latin = "";
  for (const b of bytes) latin += b < 0x80 ? String.fromCharCode(b) : "%" + b.toString(16).padStart(2, "0");
  const decoded = percentDecode(latin);
  if (decoded === undefined) {
    fail(
      "InvalidArgument",
      `x-bce-copy-source is not valid percent-encoded UTF-8, got ${JSON.stringify(raw.slice(0, 200))}`,
    );
  }
  const path = decoded.startsWith("/") ? decoded.slice(1) : decoded;
  const slash = path.indexOf("/");
  if (slash <= 0 || slash === path.length - 1) {
    fail(
      "InvalidArgument",
      `x-bce-copy-source must be /<bucket>/<key>, got ${JSON.stringify(raw.slice(0, 200))}`,
    );
  }
  return { bucket: path.slice(0, slash), key: path.slice(slash + 1) };
}

/** Throws 412 when copy-source conditions fail (any of the four). */
export function checkCopySourceConditions(headers: Headers, source: ObjectRecord): void {
  const r = evaluateConditions(conditionsOf(headers, "x-bce-copy-source-"), source);
  if (r !== "ok") {
    throw new BosHttpError(
      "PreconditionFailed",
      "A copy-source condition does not hold for the source object",
    );
  }
}

/** Sets a header from untrusted text, refusing values a header cannot carry. */
export function setOverride(h: Headers, name: string, value: string, param: string): void {
  // deno-lint-ignore no-control-regex
  if (/[\x00-\x08\x0a-\x1f\x7f]/.test(value)) {
    fail("InvalidArgument", `The query parameter ${param} contains control characters`);
  }
  let v = value;
  if ([...v].some((c) => c.charCodeAt(0) > 0xff)) {
    const bytes = new TextEncoder().encode(v);
    v = "";
    for (const b of bytes) v += String.fromCharCode(b);
  }
  try {
    h.set(name, v.trim());
  } catch {
    fail("InvalidArgument", `The query parameter ${param} is not a valid header value`);
  }
}
