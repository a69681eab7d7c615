// Private HTTP helpers of the client: endpoints and URLs, request bodies, response parsing, errors.
import { BosError } from "./errors.ts";
import { fromHeaderByteString, META_PREFIX, toHeaderByteString, userMetadataSize } from "./metadata.ts";
import { type BosProfile, isStorageClass, isValidBucketName, utf8Length } from "./limits.ts";
import { uriEncode } from "./signer.ts";
import type { Addressing, ObjectHeaderOptions, ObjectMeta, ProgressEvent } from "./types.ts";

// ------------------------------------------------------------------------------------------------
// Endpoints

export interface Endpoint {
  protocol: "http:" | "https:";
  /** host[:port] as it appears in URLs (default ports dropped). */
  host: string;
  hostname: string;
  addressing: Addressing;
  region?: string;
}

const REGION_HOST = /^([a-z0-9-]+)\.bcebos\.com$/;

export function parseEndpoint(endpoint: string, addressing?: Addressing, region?: string): Endpoint {
  const text = endpoint.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : "https://" + text;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch (cause) {
    throw invalid(`Endpoint must be a host name or an http(s) URL, got ${JSON.stringify(endpoint)}`, cause);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw invalid(`Endpoint scheme must be http or https, got ${JSON.stringify(url.protocol)}`);
  }
  if ((url.pathname !== "/" && url.pathname !== "") || url.search || url.hash || url.username) {
    throw invalid(`Endpoint must not have a path, query or credentials, got ${JSON.stringify(endpoint)}`);
  }
  const hostname = url.hostname.toLowerCase();
  const m = REGION_HOST.exec(hostname);
  if (addressing !== undefined && addressing !== "path" && addressing !== "virtual-host") {
    throw invalid(`Addressing must be "path" or "virtual-host", got ${JSON.stringify(addressing)}`);
  }
  return {
    protocol: url.protocol,
    host: url.host.toLowerCase(),
    hostname,
    addressing: addressing ?? (m ? "virtual-host" : "path"),
    region: region ?? m?.[1],
  };
}

/** Builds the request URL and the host it is sent to; `query` values are decoded text, `null` = bare flag. */
export function buildUrl(
  ep: Endpoint,
  bucket: string | undefined,
  key: string | undefined,
  query?: Record<string, string | number | null | undefined>,
): { url: string; host: string; path: string; rawQuery: string } {
  let host = ep.host;
  let path = "/";
  if (bucket !== undefined) {
    if (ep.addressing === "virtual-host") {
      host = `${bucket}.${ep.host}`;
      path = key === undefined ? "/" : "/" + uriEncode(key, true);
    } else {
      path = "/" + bucket + (key === undefined ? "" : "/" + uriEncode(key, true));
    }
  }
  const parts: string[] = [];
  if (query) {
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined) continue;
      parts.push(uriEncode(k) + "=" + (v === null ? "" : uriEncode(String(v))));
    }
  }
  const rawQuery = parts.join("&");
  return { url: `${ep.protocol}//${host}${path}${rawQuery ? "?" + rawQuery : ""}`, host, path, rawQuery };
}

// ------------------------------------------------------------------------------------------------
// Validation

export function invalid(message: string, cause?: unknown, code = "InvalidArgument"): BosError {
  return new BosError({ status: 0, code, message, cause });
}

export function checkBucket(bucket: string): void {
  if (typeof bucket !== "string" || !isValidBucketName(bucket)) {
    throw invalid(
      `Bucket name must be 3-63 characters of a-z, 0-9 and -, starting and ending with a letter or digit, got ${
        JSON.stringify(bucket)
      }`,
      undefined,
      "InvalidBucketName",
    );
  }
}

export function checkKey(key: string, profile: Readonly<BosProfile>): void {
  const n = typeof key === "string" ? utf8Length(key) : 0;
  if (n < 1 || n > profile.maxKeyLength) {
    throw invalid(
      `Object key must be 1-${profile.maxKeyLength} bytes of UTF-8, got ${n} bytes`,
      undefined,
      "InvalidObjectName",
    );
  }
}

export function checkPartNumber(partNumber: number, profile: Readonly<BosProfile>): void {
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > profile.maxPartNumber) {
    throw invalid(`Part number must be between 1 and ${profile.maxPartNumber}, got ${partNumber}`);
  }
}

export function checkNonNegativeInteger(name: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
    throw invalid(`${name} must be a non-negative integer, got ${value}`);
  }
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Sets object headers (content headers, storage class, user metadata) after validating them. */
export function setObjectHeaders(h: Headers, o: ObjectHeaderOptions, profile: Readonly<BosProfile>): void {
  if (o.contentType !== undefined) h.set("content-type", toHeaderByteString(o.contentType));
  if (o.contentDisposition !== undefined) {
    h.set("content-disposition", toHeaderByteString(o.contentDisposition));
  }
  if (o.cacheControl !== undefined) h.set("cache-control", toHeaderByteString(o.cacheControl));
  if (o.contentEncoding !== undefined) h.set("content-encoding", toHeaderByteString(o.contentEncoding));
  if (o.expires !== undefined) {
    h.set("expires", o.expires instanceof Date ? o.expires.toUTCString() : toHeaderByteString(o.expires));
  }
  if (o.storageClass !== undefined) {
    if (!isStorageClass(o.storageClass)) {
      throw invalid(
        `Storage class must be one of STANDARD, STANDARD_IA, COLD, ARCHIVE, MAZ_STANDARD, MAZ_STANDARD_IA, MAZ_COLD, got ${
          JSON.stringify(o.storageClass)
        }`,
      );
    }
    h.set("x-bce-storage-class", o.storageClass);
  }
  if (o.userMeta) setUserMeta(h, o.userMeta, profile);
}

export function setUserMeta(h: Headers, meta: Record<string, string>, profile: Readonly<BosProfile>): void {
  const seen = new Set<string>();
  for (const [name, value] of Object.entries(meta)) {
    if (!TOKEN.test(name)) {
      throw invalid(
        `User metadata name must be a non-empty HTTP token (letters, digits, -_.!#$%&'*+^\`|~), got ${
          JSON.stringify(name)
        }`,
      );
    }
    const lower = name.toLowerCase();
    if (seen.has(lower)) {
      throw invalid(`User metadata name ${JSON.stringify(name)} is given twice (names are case-insensitive)`);
    }
    seen.add(lower);
    if (typeof value !== "string") {
      throw invalid(`User metadata value of ${JSON.stringify(name)} must be a string, got ${typeof value}`);
    }
    // deno-lint-ignore no-control-regex
    if (/[\x00-\x08\x0a-\x1f\x7f]/.test(value)) {
      throw invalid(`User metadata value of ${JSON.stringify(name)} must not contain control characters`);
    }
  }
  const size = userMetadataSize(meta);
  if (size > profile.maxUserMetadataSize) {
    throw invalid(
      `User metadata must be at most ${profile.maxUserMetadataSize} bytes (sum of UTF-8 lengths of "x-bce-meta-" + name and value), got ${size}; shorten or drop entries`,
      undefined,
      "MetadataTooLarge",
    );
  }
  for (const [name, value] of Object.entries(meta)) {
    if (value.trim() === "") continue;
    h.set(META_PREFIX + name.toLowerCase(), toHeaderByteString(value.trim()));
  }
}

// ------------------------------------------------------------------------------------------------
// Bodies

/** A request body the pipeline can send, and maybe send again. */
export interface RequestBody {
  length: number;
  /** Bytes in memory (replayable). */
  bytes?: Uint8Array;
  /** A Blob (replayable). */
  blob?: Blob;
  /** A one-shot stream (not replayable). */
  stream?: ReadableStream<Uint8Array>;
}

export const enc: TextEncoder = new TextEncoder();

export function isReplayable(body: RequestBody | undefined): boolean {
  return body === undefined || body.stream === undefined;
}

const CHUNK = 64 * 1024;

/**
 * A stream over `bytes` in 64 KiB chunks that reports how far it has been read (pulled by fetch
 * as it writes to the socket). Chunks are copies unless `views` is set: some fetch implementations
 * transfer (detach) enqueued buffers, which would detach `bytes` itself; a transport known to only
 * read them (the node:http one) takes views, which saves a copy and 8 MiB of garbage per part.
 */
export function countingStream(
  source: Uint8Array | ReadableStream<Uint8Array>,
  onPosition: (position: number) => void,
  views = false,
): ReadableStream<Uint8Array> {
  let position = 0;
  if (source instanceof Uint8Array) {
    return new ReadableStream<Uint8Array>({
      pull(controller) {
        if (position >= source.length) {
          controller.close();
          return;
        }
        const end = Math.min(source.length, position + CHUNK);
        controller.enqueue(views ? source.subarray(position, end) : source.slice(position, end));
        position = end;
        onPosition(position);
      },
    }, { highWaterMark: 0 });
  }
  const reader = source.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) {
        controller.close();
        return;
      }
      controller.enqueue(value);
      position += value.length;
      onPosition(position);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
}

/**
 * Tracks progress of one body across attempts: bytes are counted as they are read, and a retry is
 * not counted again until it passes the previous attempt's high-water mark.
 */
export class ProgressTracker {
  #high = 0;
  constructor(readonly total: number | undefined, readonly emit: (event: ProgressEvent) => void) {}
  get transferred(): number {
    return this.#high;
  }
  position(position: number): void {
    if (position > this.#high) {
      const increment = position - this.#high;
      this.#high = position;
      this.emit({ increment, transferred: this.#high, total: this.total });
    }
  }
}

/** Whether this runtime's fetch sends a stream body with an explicit Content-Length (not chunked). */
export function detectStreamingUploads(): boolean {
  // Node (undici) and Bun frame a stream body with the Content-Length given. Deno's fetch drops it
  // and sends chunked (denoland/deno#24197); browsers forbid setting Content-Length and stream only
  // over HTTP/2; other runtimes are unknown — all of those get in-memory part bodies.
  // deno-lint-ignore no-explicit-any
  const g = globalThis as any;
  if (g.Bun) return true;
  if (g.Deno) return false;
  return typeof g.process?.versions?.node === "string" && typeof ReadableStream === "function";
}

// ------------------------------------------------------------------------------------------------
// Responses

export function unquote(etag: string | null | undefined): string {
  if (!etag) return "";
  const t = etag.trim().replace(/^W\//, "");
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
}

function optional(h: Headers, name: string): string | undefined {
  const v = h.get(name);
  return v === null ? undefined : v;
}

function optionalNumber(h: Headers, name: string): number | undefined {
  const v = h.get(name);
  if (v === null || v.trim() === "") return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

export function parseHttpDate(text: string | null | undefined): Date | undefined {
  if (!text) return undefined;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

export function parseIsoDate(text: unknown): Date | undefined {
  if (typeof text !== "string") return undefined;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

export function userMetaFrom(h: Headers): Record<string, string> {
  const meta: Record<string, string> = {};
  h.forEach((value, name) => {
    if (name.startsWith(META_PREFIX)) meta[name.slice(META_PREFIX.length)] = fromHeaderByteString(value);
  });
  return meta;
}

export function objectMetaFrom(h: Headers): ObjectMeta {
  const disposition = optional(h, "content-disposition");
  return {
    contentLength: optionalNumber(h, "content-length") ?? 0,
    contentType: optional(h, "content-type"),
    etag: unquote(h.get("etag")),
    lastModified: parseHttpDate(h.get("last-modified")),
    storageClass: optional(h, "x-bce-storage-class") ?? "STANDARD",
    objectType: optional(h, "x-bce-object-type"),
    nextAppendOffset: optionalNumber(h, "x-bce-next-append-offset"),
    userMeta: userMetaFrom(h),
    contentMD5: optional(h, "content-md5"),
    contentDisposition: disposition === undefined ? undefined : fromHeaderByteString(disposition),
    contentEncoding: optional(h, "content-encoding"),
    cacheControl: optional(h, "cache-control"),
    expires: optional(h, "expires"),
    crc32: optional(h, "x-bce-content-crc32"),
    crc32c: optional(h, "x-bce-content-crc32c"),
    versionId: optional(h, "x-bce-version-id"),
    requestId: optional(h, "x-bce-request-id"),
  };
}

/** What the pipeline knows about the failed request, to name a body-less error. */
export interface ErrorContext {
  /** BOS operation name, for messages. */
  op: string;
  method: string;
  /** The code for a 404 without a body: NoSuchKey / NoSuchBucket / NoSuchUpload. */
  notFound: string;
}

const STATUS_CODES: Record<number, string> = {
  304: "NotModified",
  400: "InvalidHTTPRequest",
  403: "AccessDenied",
  405: "MethodNotAllowed",
  408: "RequestTimeout",
  409: "Conflict",
  411: "MissingContentLength",
  412: "PreconditionFailed",
  416: "InvalidRange",
  429: "SlowDown",
  500: "InternalError",
  501: "NotImplemented",
  502: "BadGateway",
  503: "ServiceUnavailable",
  504: "GatewayTimeout",
};

/** Builds the BosError of a non-2xx response, reading (and so releasing) its body. */
export async function errorFromResponse(res: Response, ctx: ErrorContext): Promise<BosError> {
  const h = res.headers;
  let code: string | undefined;
  let message: string | undefined;
  let requestId = optional(h, "x-bce-request-id");
  let text = "";
  if (ctx.method !== "HEAD" && res.body) {
    try {
      text = await res.text();
    } catch {
      // A body that breaks off still leaves the status.
    }
  } else {
    await res.body?.cancel().catch(() => {});
  }
  if (text) {
    try {
      const j = JSON.parse(text);
      if (j && typeof j === "object") {
        if (typeof j.code === "string" && j.code) code = j.code;
        if (typeof j.message === "string" && j.message) message = j.message;
        if (typeof j.requestId === "string" && j.requestId) requestId ??= j.requestId;
      }
    } catch {
      // not JSON
    }
  }
  code ??= optional(h, "x-bce-error-code") ??
    (res.status === 404 ? ctx.notFound : STATUS_CODES[res.status]) ??
    `Http${res.status}`;
  message ??= optional(h, "x-bce-error-message") ??
    (text && text.length < 300 && !text.trimStart().startsWith("{") ? text.trim() : undefined) ??
    `${ctx.op} failed with HTTP ${res.status}${res.statusText ? " " + res.statusText : ""}`;
  return new BosError({
    status: res.status,
    code,
    message,
    requestId,
    debugId: optional(h, "x-bce-debug-id"),
  });
}

/**
 * Throws the BosError hidden in a 200 response body (CopyObject, UploadPartCopy, Complete), or
 * returns the parsed JSON.
 */
export function jsonOrEmbeddedError(text: string, res: Response): Record<string, unknown> {
  let j: unknown = {};
  if (text.trim() !== "") {
    try {
      j = JSON.parse(text);
    } catch (cause) {
      throw new BosError({
        status: res.status,
        code: "MalformedResponse",
        message: `The response body is not JSON: ${JSON.stringify(text.slice(0, 200))}`,
        requestId: optional(res.headers, "x-bce-request-id"),
        cause,
      });
    }
  }
  if (!j || typeof j !== "object") j = {};
  const o = j as Record<string, unknown>;
  if (typeof o.code === "string" && o.code !== "") {
    throw new BosError({
      status: res.status,
      code: o.code,
      message: typeof o.message === "string" ? o.message : `The operation failed with ${o.code}`,
      requestId: (typeof o.requestId === "string" ? o.requestId : undefined) ??
        optional(res.headers, "x-bce-request-id"),
      debugId: optional(res.headers, "x-bce-debug-id"),
    });
  }
  return o;
}

export function str(v: unknown, fallback = ""): string {
  return typeof v === "string" ? v : fallback;
}

export function num(v: unknown, fallback = 0): number {
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
  return Number.isFinite(n) ? n : fallback;
}

export function arr(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v) ? v.filter((x) => x && typeof x === "object") : [];
}
