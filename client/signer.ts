/**
 * BCE authentication v1 (`bce-auth-v1`): canonical requests, authorization strings, presigned URLs
 * and server-side verification, exactly as BOS defines them.
 *
 * Strings are signed as UTF-8. Header values given in a `Headers` object are taken as the bytes that
 * travel on the wire (each character code is one byte, which is how `fetch` represents them); header
 * values in a plain object are text and are UTF-8 encoded.
 *
 * @module
 */

/**
 * Query parameters as a caller gives them: decoded values; `null` is a bare flag (`?uploads`),
 * `undefined` is omitted.
 *
 * @example An object, a pair list and a raw query string sign alike
 * ```ts
 * import { canonicalQueryString, type QueryInput } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * const forms: QueryInput[] = [
 *   { uploads: null, maxKeys: 10, marker: undefined },
 *   [["uploads", ""], ["maxKeys", "10"]],
 *   "uploads&maxKeys=10",
 * ];
 * for (const query of forms) assert.equal(canonicalQueryString(query), "maxKeys=10&uploads=");
 * ```
 */
export type QueryInput =
  | Record<string, string | number | null | undefined>
  | ReadonlyArray<readonly [string, string]>
  | string;

/**
 * Request headers: a `Headers` object (wire byte strings) or a plain object (text).
 *
 * @example Plain-object values are text and are signed as UTF-8
 * ```ts
 * import { canonicalHeaders, type HeadersInput } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * const text: HeadersInput = { Host: "bj.bcebos.com", "x-bce-meta-author": "Zoë" };
 * assert.equal(canonicalHeaders(text).canonical, "host:bj.bcebos.com\nx-bce-meta-author:Zo%C3%AB");
 * const wire: HeadersInput = new Headers({ host: "bj.bcebos.com", "x-bce-meta-author": "Zo\xc3\xab" });
 * assert.equal(canonicalHeaders(wire).canonical, canonicalHeaders(text).canonical);
 * ```
 */
export type HeadersInput = Record<string, string | number> | Headers;

/**
 * The request to sign, as it will be (or was) sent.
 *
 * @example
 * ```ts
 * import { canonicalRequest, type SignableRequest } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * const request: SignableRequest = {
 *   method: "put",
 *   path: "/my-bucket/notes/a.txt",
 *   query: { acl: null },
 *   headers: { Host: "bj.bcebos.com", "Content-Length": 5, Accept: "text/plain" },
 * };
 * assert.equal(
 *   canonicalRequest(request),
 *   "PUT\n/my-bucket/notes/a.txt\nacl=\ncontent-length:5\nhost:bj.bcebos.com",
 * );
 * ```
 */
export interface SignableRequest {
  /** HTTP method in any case; canonicalised upper-case. */
  method: string;
  /** The request path as sent on the wire (may be percent-encoded, must not contain the query). */
  path: string;
  /**
   * Query parameters. An object or pair list holds decoded values; a string is the raw query as sent
   * on the wire (without `?`), percent-decoded here. A parameter named `authorization` is never signed.
   */
  query?: QueryInput;
  /** Request headers (`host` must be among them for a valid BOS request). */
  headers?: HeadersInput;
  /**
   * Lower- or mixed-case names of the headers to sign. Default (or an empty list): `host`,
   * `content-length`, `content-type`, `content-md5` and every `x-bce-*` header present.
   */
  headersToSign?: readonly string[];
}

/**
 * Everything {@link createAuthorization} needs.
 *
 * @example A signature valid for an hour
 * ```ts
 * import { type AuthorizationInput, createAuthorization } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * const input: AuthorizationInput = {
 *   accessKeyId: "my_ak",
 *   secretAccessKey: "my_sk",
 *   method: "GET",
 *   path: "/v1/bucket/object1",
 *   headers: { Host: "bj.bcebos.com" },
 *   timestamp: new Date("2014-06-13T05:57:36Z"),
 *   expirationInSeconds: 3600,
 * };
 * const authorization = await createAuthorization(input);
 * assert(authorization.startsWith("bce-auth-v1/my_ak/2014-06-13T05:57:36Z/3600/host/"));
 * ```
 */
export interface AuthorizationInput extends SignableRequest {
  /** Access key id (AK). */
  accessKeyId: string;
  /** Secret access key (SK). */
  secretAccessKey: string;
  /** When the signature becomes valid; second precision. */
  timestamp: Date;
  /** Validity window in seconds from `timestamp`; default 1800; `-1` never expires. */
  expirationInSeconds?: number;
}

/**
 * The default validity of a signature, in seconds.
 *
 * @example
 * ```ts
 * import { createAuthorization, DEFAULT_EXPIRATION_SECONDS, parseAuthorization } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * const authorization = await createAuthorization({
 *   accessKeyId: "ak",
 *   secretAccessKey: "sk",
 *   method: "GET",
 *   path: "/",
 *   headers: { host: "bj.bcebos.com" },
 *   timestamp: new Date(),
 * });
 * assert.equal(DEFAULT_EXPIRATION_SECONDS, 1800);
 * assert.equal(parseAuthorization(authorization)?.expirationInSeconds, DEFAULT_EXPIRATION_SECONDS);
 * ```
 */
export const DEFAULT_EXPIRATION_SECONDS = 1800;

import { trimWireBytes } from "./_wire.ts";
import { loadNodeCrypto, nodeCryptoIfLoaded } from "./_node_crypto.ts";

const AUTH_VERSION = "bce-auth-v1";
const DEFAULT_SIGNED = new Set(["host", "content-length", "content-type", "content-md5"]);
const enc = new TextEncoder();
const UNRESERVED = /^[A-Za-z0-9\-._~]*$/;
const UNRESERVED_PATH = /^[A-Za-z0-9\-._~/]*$/;
const ASCII = /^[^\u0080-\uffff]*$/;

// ---------------------------------------------------------------------------------------------
// UriEncode

const HEX_UPPER = "0123456789ABCDEF";
const ENCODED_BYTE: string[] = Array.from({ length: 256 }, (_, b) => {
  const c = String.fromCharCode(b);
  return /[A-Za-z0-9\-._~]/.test(c) ? c : "%" + HEX_UPPER[b >> 4] + HEX_UPPER[b & 15];
});

function encodeBytes(bytes: Uint8Array, keepSlash: boolean): string {
  let out = "";
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    out += keepSlash && b === 0x2f ? "/" : ENCODED_BYTE[b];
  }
  return out;
}

/**
 * BOS UriEncode: RFC 3986 percent-encoding of the UTF-8 bytes of `value`, upper-case hex, only
 * `A-Z a-z 0-9 - . _ ~` left as they are (space is `%20`, `/` is `%2F` unless `keepSlash`).
 *
 * @param value Text to encode (UTF-8), or raw bytes.
 * @param keepSlash Leave `/` unencoded (UriEncodeExceptSlash, used for paths).
 * @returns The encoded string.
 *
 * @example Encoding a key with spaces and CJK characters
 * ```ts
 * import { uriEncode } from "@boskit/boskit";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 *
 * assertEquals(uriEncode("this is an example for 测试"), "this%20is%20an%20example%20for%20%E6%B5%8B%E8%AF%95");
 * assertEquals(uriEncode("a/b c", true), "a/b%20c");
 * ```
 */
export function uriEncode(value: string | Uint8Array, keepSlash = false): string {
  if (typeof value === "string") {
    // Fast path: already all unreserved ASCII.
    if (UNRESERVED.test(value)) return value;
    if (ASCII.test(value)) {
      let out = "";
      for (let i = 0; i < value.length; i++) {
        const c = value.charCodeAt(i);
        out += keepSlash && c === 0x2f ? "/" : ENCODED_BYTE[c];
      }
      return out;
    }
    value = enc.encode(value);
  }
  return encodeBytes(value, keepSlash);
}

function isHex(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);
}

function hexVal(b: number): number {
  return b <= 0x39 ? b - 0x30 : (b | 0x20) - 0x57;
}

/**
 * Percent-decodes `%XY` sequences (either hex case) into bytes; everything else, including `+`
 * and a `%` not followed by two hex digits, is kept as its UTF-8 bytes.
 */
function percentDecodeToBytes(value: string): Uint8Array {
  const src = enc.encode(value);
  if (!src.includes(0x25)) return src;
  const out = new Uint8Array(src.length);
  let n = 0;
  for (let i = 0; i < src.length; i++) {
    const b = src[i];
    if (b === 0x25 && i + 2 < src.length && isHex(src[i + 1]) && isHex(src[i + 2])) {
      out[n++] = (hexVal(src[i + 1]) << 4) | hexVal(src[i + 2]);
      i += 2;
    } else {
      out[n++] = b;
    }
  }
  return out.subarray(0, n);
}

/**
 * Whether `value` is well-formed percent-encoding: every `%` starts a `%XY` escape with two hex digits.
 *
 * @param value A path or query component as sent on the wire.
 * @returns `true` when every `%` is followed by two hex digits.
 *
 * @example
 * ```ts
 * import { isWellFormedPercentEncoding } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * assert(isWellFormedPercentEncoding("/a%20b"));
 * assert(!isWellFormedPercentEncoding("/a%2"));
 * ```
 */
export function isWellFormedPercentEncoding(value: string): boolean {
  return !/%(?![0-9A-Fa-f]{2})/.test(value);
}

// ---------------------------------------------------------------------------------------------
// Canonical pieces

/**
 * The canonical URI: the path percent-decoded to bytes, then re-encoded with UriEncodeExceptSlash.
 * Raw and percent-encoded spellings of the same path give the same result.
 *
 * @param path The request path as sent (encoded or not); a missing leading `/` is added.
 * @returns The canonical URI.
 *
 * @example
 * ```ts
 * import { canonicalUri } from "@boskit/boskit";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 *
 * assertEquals(canonicalUri("/example/测试"), "/example/%E6%B5%8B%E8%AF%95");
 * assertEquals(canonicalUri("/example/%e6%b5%8b%E8%AF%95"), "/example/%E6%B5%8B%E8%AF%95");
 * ```
 */
export function canonicalUri(path: string): string {
  if (!path.startsWith("/")) path = "/" + path;
  if (UNRESERVED_PATH.test(path)) return path;
  return encodeBytes(percentDecodeToBytes(path), true);
}

function queryItems(query: QueryInput | undefined): string[] {
  const items: string[] = [];
  if (query === undefined) return items;
  if (typeof query === "string") {
    for (const part of query.split("&")) {
      if (part === "") continue;
      const eq = part.indexOf("=");
      const rawKey = eq < 0 ? part : part.slice(0, eq);
      const rawValue = eq < 0 ? "" : part.slice(eq + 1);
      const key = percentDecodeToBytes(rawKey);
      if (isAuthorizationKey(key)) continue;
      items.push(encodeBytes(key, false) + "=" + encodeBytes(percentDecodeToBytes(rawValue), false));
    }
    return items;
  }
  const pairs: Iterable<readonly [string, string | number | null | undefined]> = Array.isArray(query)
    ? query as ReadonlyArray<readonly [string, string]>
    : Object.entries(query);
  for (const [key, value] of pairs) {
    if (value === undefined) continue;
    if (key.toLowerCase() === "authorization") continue;
    items.push(uriEncode(key) + "=" + uriEncode(value === null ? "" : String(value)));
  }
  return items;
}

function isAuthorizationKey(key: Uint8Array): boolean {
  if (key.length !== 13) return false;
  const name = "authorization";
  for (let i = 0; i < 13; i++) if ((key[i] | 0x20) !== name.charCodeAt(i)) return false;
  return true;
}

/**
 * The canonical query string: each parameter as `UriEncode(key)=UriEncode(value)` (bare keys get
 * `=`), `authorization` dropped, the whole items sorted by byte order and joined with `&`.
 *
 * @param query Decoded parameters, or the raw query string as sent.
 * @returns The canonical query string (empty when there are no parameters).
 *
 * @example The documentation's example
 * ```ts
 * import { canonicalQueryString } from "@boskit/boskit";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 *
 * assertEquals(canonicalQueryString("text&text1=%E6%B5%8B%E8%AF%95&text10=test"), "text10=test&text1=%E6%B5%8B%E8%AF%95&text=");
 * assertEquals(canonicalQueryString({ uploads: null, authorization: "x" }), "uploads=");
 * ```
 */
export function canonicalQueryString(query?: QueryInput): string {
  return queryItems(query).sort(byteOrder).join("&");
}

function byteOrder(a: string, b: string): number {
  // Canonical items are pure ASCII, so UTF-16 order is byte order.
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Header values from a `Headers` object are wire byte strings; from a plain object they are text.
 * A value comes back as text when it is ASCII (its bytes are its characters), as UTF-8 bytes otherwise.
 */
function headerEntries(headers: HeadersInput | undefined): Map<string, string | Uint8Array> {
  const map = new Map<string, string | Uint8Array>();
  if (!headers) return map;
  if (headers instanceof Headers) {
    headers.forEach((value, name) => {
      // ASCII: JavaScript's trim removes exactly the ASCII whitespace bytes trimWireBytes would.
      const v = ASCII.test(value) ? value.trim() : trimWireBytes(value);
      if (v.length > 0) map.set(name.trim().toLowerCase(), v);
    });
    return map;
  }
  for (const [name, raw] of Object.entries(headers)) {
    const v = String(raw).trim();
    if (v === "") continue;
    const key = name.trim().toLowerCase();
    const prev = map.get(key);
    map.set(key, prev === undefined ? v : prev + ", " + v);
  }
  return map;
}

function isDefaultSigned(name: string): boolean {
  return DEFAULT_SIGNED.has(name) || name.startsWith("x-bce-");
}

/**
 * The canonical headers block and the list of names actually signed.
 *
 * @example Only the default set is signed unless names are given
 * ```ts
 * import { type CanonicalHeaders, canonicalHeaders } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * const headers = { Host: "bj.bcebos.com", "X-Bce-Date": "2014-06-13T05:57:36Z", Accept: "text/plain" };
 * const c: CanonicalHeaders = canonicalHeaders(headers);
 * assert.equal(c.canonical, "host:bj.bcebos.com\nx-bce-date:2014-06-13T05%3A57%3A36Z");
 * assert.deepEqual(c.signedHeaders, ["host", "x-bce-date"]);
 * assert.deepEqual(canonicalHeaders(headers, ["accept"]).signedHeaders, ["accept"]);
 * ```
 */
export interface CanonicalHeaders {
  /** `name:value` lines, sorted, joined with `\n`. */
  canonical: string;
  /** The names that were encoded, sorted ascending. */
  signedHeaders: string[];
}

/**
 * The canonical headers: the selected headers with non-empty trimmed values, each as
 * `UriEncode(name):UriEncode(value)`, sorted, joined with `\n`.
 *
 * @param headers The request headers.
 * @param headersToSign Names to sign; omitted or empty means the default set.
 * @returns The canonical block and the names it covers.
 *
 * @example
 * ```ts
 * import { canonicalHeaders } from "@boskit/boskit";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 *
 * const c = canonicalHeaders({ Host: "localhost", "x-bce-a": "a/b:c", C: "", "Content-MD5": "MD5" });
 * assertEquals(c.canonical, "content-md5:MD5\nhost:localhost\nx-bce-a:a%2Fb%3Ac");
 * assertEquals(c.signedHeaders, ["content-md5", "host", "x-bce-a"]);
 * ```
 */
export function canonicalHeaders(
  headers?: HeadersInput,
  headersToSign?: readonly string[],
): CanonicalHeaders {
  const entries = headerEntries(headers);
  const wanted = headersToSign && headersToSign.length > 0
    ? new Set(headersToSign.map((h) => h.trim().toLowerCase()))
    : undefined;
  const lines: string[] = [];
  const names: string[] = [];
  for (const [name, value] of entries) {
    if (wanted ? !wanted.has(name) : !isDefaultSigned(name)) continue;
    lines.push(
      uriEncode(name) + ":" + (typeof value === "string" ? uriEncode(value) : encodeBytes(value, false)),
    );
    names.push(name);
  }
  return { canonical: lines.sort(byteOrder).join("\n"), signedHeaders: names.sort(byteOrder) };
}

/**
 * The canonical request that BOS signs:
 * `METHOD\nCanonicalURI\nCanonicalQueryString\nCanonicalHeaders` (no trailing newline).
 *
 * @param request Method, path, query, headers and optional headers-to-sign list.
 * @returns The canonical request text.
 *
 * @example
 * ```ts
 * import { canonicalRequest } from "@boskit/boskit";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 *
 * const text = canonicalRequest({ method: "get", path: "/v1/bucket/object1", headers: { Host: "bj.bcebos.com" } });
 * assertEquals(text, "GET\n/v1/bucket/object1\n\nhost:bj.bcebos.com");
 * ```
 */
export function canonicalRequest(request: SignableRequest): string {
  return buildCanonical(request).text;
}

function buildCanonical(request: SignableRequest): { text: string; signedHeaders: string[] } {
  const h = canonicalHeaders(request.headers, request.headersToSign);
  const text = request.method.toUpperCase() + "\n" + canonicalUri(request.path) + "\n" +
    canonicalQueryString(request.query) + "\n" + h.canonical;
  return { text, signedHeaders: h.signedHeaders };
}

// ---------------------------------------------------------------------------------------------
// HMAC

const HEX_LOWER = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

function toHex(buf: ArrayBuffer): string {
  const bytes = new Uint8Array(buf);
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += HEX_LOWER[bytes[i]];
  return s;
}

async function hmacHex(key: string, message: string): Promise<string> {
  // node:crypto's synchronous HMAC where the runtime has it: Web Crypto costs a promise (and in Deno
  // a thread hop) per call, which dominates for the few hundred bytes a signature covers.
  const node = nodeCryptoIfLoaded() ?? (await loadNodeCrypto());
  if (node) return node.createHmac("sha256", key).update(message).digest("hex");
  const k = await crypto.subtle.importKey(
    "raw",
    enc.encode(key),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return toHex(await crypto.subtle.sign("HMAC", k, enc.encode(message)));
}

const SIGNING_KEY_CACHE_LIMIT = 256;
const signingKeyCache = new Map<string, Promise<string>>();

/**
 * The signing key: lower-case hex of HMAC-SHA256(SK, authStringPrefix). Cached per (secret, prefix).
 *
 * @param secretAccessKey The SK.
 * @param authStringPrefix `bce-auth-v1/{ak}/{timestamp}/{expiration}`.
 * @returns 64 lower-case hex characters.
 *
 * @example
 * ```ts
 * import { signingKey } from "@boskit/boskit";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 *
 * const key = await signingKey("my_sk", "bce-auth-v1/my_ak/2014-06-13T05:57:36Z/1800");
 * assertEquals(key, "b358d27f22640783b887965f17e6cf57ce5b44e3e44ed171a934df6daff52a7c");
 * ```
 */
export function signingKey(secretAccessKey: string, authStringPrefix: string): Promise<string> {
  const cacheKey = secretAccessKey + "\n" + authStringPrefix;
  let key = signingKeyCache.get(cacheKey);
  if (!key) {
    if (signingKeyCache.size >= SIGNING_KEY_CACHE_LIMIT) signingKeyCache.clear();
    key = hmacHex(secretAccessKey, authStringPrefix);
    signingKeyCache.set(cacheKey, key);
    key.catch(() => signingKeyCache.delete(cacheKey));
  }
  return key;
}

// ---------------------------------------------------------------------------------------------
// Authorization

/**
 * Formats a date as a BCE timestamp `yyyy-mm-ddThh:mm:ssZ` (UTC, whole seconds).
 *
 * @param date The instant.
 * @returns The timestamp text.
 *
 * @example
 * ```ts
 * import { formatTimestamp } from "@boskit/boskit";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 *
 * assertEquals(formatTimestamp(new Date(1402639056789)), "2014-06-13T05:57:36Z");
 * ```
 */
export function formatTimestamp(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new RangeError("Timestamp must be a valid date, got Invalid Date");
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * Parses a BCE timestamp `yyyy-mm-ddThh:mm:ssZ`; returns `undefined` when it is not exactly that form.
 *
 * @param text The timestamp text.
 * @returns The instant, or `undefined`.
 *
 * @example
 * ```ts
 * import { parseTimestamp } from "@boskit/boskit";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 *
 * assertEquals(parseTimestamp("2014-06-13T05:57:36Z")?.getTime(), 1402639056000);
 * assertEquals(parseTimestamp("2014-06-13 05:57:36"), undefined);
 * ```
 */
export function parseTimestamp(text: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  const t = Date.UTC(y, mo - 1, d, h, mi, s);
  const date = new Date(t);
  if (
    date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d ||
    h > 23 || mi > 59 || s > 59
  ) return undefined;
  return date;
}

function checkExpiration(expirationInSeconds: number): void {
  if (!Number.isInteger(expirationInSeconds) || expirationInSeconds < -1) {
    throw new RangeError(
      `Expiration must be an integer number of seconds (or -1 for never), got ${expirationInSeconds}`,
    );
  }
}

/**
 * Signs a request: returns the `Authorization` value
 * `bce-auth-v1/{ak}/{timestamp}/{expiration}/{signedHeaders}/{signature}`.
 *
 * @param input Credentials, timestamp, expiration and the request.
 * @returns The authorization string.
 *
 * @example The JS SDK's unit-test vector
 * ```ts
 * import { createAuthorization } from "@boskit/boskit";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 *
 * const auth = await createAuthorization({
 *   accessKeyId: "my_ak",
 *   secretAccessKey: "my_sk",
 *   method: "PUT",
 *   path: "/v1/bucket/object1",
 *   query: { A: null, b: "", C: "d" },
 *   headers: { Host: "bce.baidu.com", abc: "123", "x-bce-meta-key1": "ABC" },
 *   timestamp: new Date(1402639056000),
 * });
 * assertEquals(
 *   auth,
 *   "bce-auth-v1/my_ak/2014-06-13T05:57:36Z/1800/host;x-bce-meta-key1/80c9672aca2ea9af4bb40b9a8ff458d72df94e97d550840727f3a929af271d25",
 * );
 * ```
 */
export async function createAuthorization(input: AuthorizationInput): Promise<string> {
  const expiration = input.expirationInSeconds ?? DEFAULT_EXPIRATION_SECONDS;
  checkExpiration(expiration);
  const prefix = `${AUTH_VERSION}/${input.accessKeyId}/${formatTimestamp(input.timestamp)}/${expiration}`;
  const { text, signedHeaders } = buildCanonical(input);
  const key = await signingKey(input.secretAccessKey, prefix);
  const signature = await hmacHex(key, text);
  return `${prefix}/${signedHeaders.join(";")}/${signature}`;
}

// ---------------------------------------------------------------------------------------------
// Presigned URLs

/**
 * Everything {@link presignUrl} needs.
 *
 * @example A presigned PUT that also signs the content type the uploader will send
 * ```ts
 * import { type PresignInput, presignUrl } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * const input: PresignInput = {
 *   accessKeyId: "my_ak",
 *   secretAccessKey: "my_sk",
 *   method: "PUT",
 *   url: "https://my-bucket.bj.bcebos.com/upload.bin",
 *   timestamp: new Date("2024-01-01T00:00:00Z"),
 *   expirationInSeconds: 600,
 *   headers: { "content-type": "application/octet-stream" },
 * };
 * const authorization = new URL(await presignUrl(input)).searchParams.get("authorization") ?? "";
 * assert(authorization.startsWith("bce-auth-v1/my_ak/2024-01-01T00:00:00Z/600/content-type;host/"));
 * ```
 */
export interface PresignInput {
  /** Access key id (AK). */
  accessKeyId: string;
  /** Secret access key (SK). */
  secretAccessKey: string;
  /** STS session token, added as the signed query parameter `x-bce-security-token`. */
  sessionToken?: string;
  /** HTTP method the URL is for; default `GET`. */
  method?: string;
  /**
   * The full URL (`https://host/path?query`) with the path as it will be sent (percent-encoded);
   * path-style, virtual-host and `/v1/<bucket>/<key>` forms all work.
   */
  url: string | URL;
  /** When the URL becomes valid. */
  timestamp: Date;
  /** Validity in seconds; default 1800; `-1` never expires. */
  expirationInSeconds?: number;
  /** Extra headers the caller promises to send with the URL (signed along with `host`). */
  headers?: Record<string, string | number>;
}

function splitUrl(url: string | URL): { origin: string; host: string; path: string; query: string } {
  const text = typeof url === "string" ? url : url.href;
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]+)([^?#]*)(?:\?([^#]*))?/.exec(text);
  if (!m) throw new TypeError(`URL must be absolute (scheme://host/path), got ${JSON.stringify(text)}`);
  const scheme = m[1].toLowerCase();
  let host = m[2].replace(/^[^@]*@/, "").toLowerCase();
  if ((scheme === "http" && host.endsWith(":80")) || (scheme === "https" && host.endsWith(":443"))) {
    host = host.replace(/:\d+$/, "");
  }
  return { origin: `${scheme}://${host}`, host, path: m[3] || "/", query: m[4] ?? "" };
}

/**
 * Builds a presigned URL: the authorization string travels in the `authorization` query parameter,
 * signing `host` (plus any headers the caller promises to send).
 *
 * @param input Credentials, method, URL, timestamp and expiration.
 * @returns The URL with `authorization=` appended.
 *
 * @example A presigned GET valid for an hour
 * ```ts
 * import { presignUrl } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * const url = await presignUrl({
 *   accessKeyId: "my_ak",
 *   secretAccessKey: "my_sk",
 *   url: "https://bj.bcebos.com/v1/bucket/object1",
 *   timestamp: new Date(1402639056000),
 *   expirationInSeconds: 3600,
 * });
 * assert(url.startsWith("https://bj.bcebos.com/v1/bucket/object1?authorization=bce-auth-v1%2Fmy_ak%2F"));
 * ```
 */
export async function presignUrl(input: PresignInput): Promise<string> {
  const { origin, host, path, query } = splitUrl(input.url);
  let rawQuery = query.split("&").filter((p) => p !== "" && !/^authorization(=|$)/i.test(p)).join("&");
  if (input.sessionToken !== undefined) {
    rawQuery += (rawQuery ? "&" : "") + "x-bce-security-token=" + uriEncode(input.sessionToken);
  }
  const headers: Record<string, string | number> = { ...input.headers, host };
  const authorization = await createAuthorization({
    accessKeyId: input.accessKeyId,
    secretAccessKey: input.secretAccessKey,
    method: input.method ?? "GET",
    path,
    query: rawQuery,
    headers,
    headersToSign: Object.keys(headers),
    timestamp: input.timestamp,
    expirationInSeconds: input.expirationInSeconds,
  });
  return `${origin}${path}?${rawQuery ? rawQuery + "&" : ""}authorization=${uriEncode(authorization)}`;
}

// ---------------------------------------------------------------------------------------------
// Verification

/**
 * Why a signature was refused.
 *
 * @example An old signature has expired
 * ```ts
 * import { createAuthorization, verifyAuthorization, type VerifyFailureReason } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * const request = { method: "GET", path: "/b/k", headers: { host: "localhost" } };
 * const timestamp = new Date("2020-01-01T00:00:00Z");
 * const authorization = await createAuthorization({
 *   ...request,
 *   accessKeyId: "ak",
 *   secretAccessKey: "sk",
 *   timestamp,
 * });
 * const result = await verifyAuthorization({ ...request, authorization, lookupSecret: () => "sk" });
 * const reason: VerifyFailureReason | undefined = result.ok ? undefined : result.reason;
 * assert.equal(reason, "expired");
 * ```
 */
export type VerifyFailureReason =
  | "malformed"
  | "unknown-key"
  | "expired"
  | "not-yet-valid"
  | "signature-mismatch";

/**
 * A parsed authorization string.
 *
 * @example
 * ```ts
 * import { type ParsedAuthorization, parseAuthorization } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * const text = "bce-auth-v1/my_ak/2014-06-13T05:57:36Z/1800/host;x-bce-date/" + "a".repeat(64);
 * const parsed: ParsedAuthorization | undefined = parseAuthorization(text);
 * assert.equal(parsed?.accessKeyId, "my_ak");
 * assert.equal(parsed?.timestamp.toISOString(), "2014-06-13T05:57:36.000Z");
 * assert.equal(parsed?.expirationInSeconds, 1800);
 * assert.deepEqual(parsed?.signedHeaders, ["host", "x-bce-date"]);
 * ```
 */
export interface ParsedAuthorization {
  /** The AK. */
  accessKeyId: string;
  /** When the signature becomes valid. */
  timestamp: Date;
  /** The timestamp exactly as written. */
  timestampText: string;
  /** Validity in seconds, `-1` for never. */
  expirationInSeconds: number;
  /** Signed header names as listed (may be empty: the default set). */
  signedHeaders: string[];
  /** 64 lower-case hex characters. */
  signature: string;
}

/**
 * Parses `bce-auth-v1/{ak}/{timestamp}/{expiration}/{signedHeaders}/{signature}`.
 *
 * @param authorization The header or decoded query value.
 * @returns The parts, or `undefined` when the string is malformed.
 *
 * @example
 * ```ts
 * import { parseAuthorization } from "@boskit/boskit";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 *
 * const p = parseAuthorization("bce-auth-v1/ak/2015-04-27T08:23:49Z/1800//" + "0".repeat(64));
 * assertEquals(p?.signedHeaders, []);
 * ```
 */
export function parseAuthorization(authorization: string): ParsedAuthorization | undefined {
  const parts = authorization.trim().split("/");
  if (parts.length !== 6 || parts[0] !== AUTH_VERSION) return undefined;
  const [, accessKeyId, timestampText, exp, headers, signature] = parts;
  if (accessKeyId === "") return undefined;
  const timestamp = parseTimestamp(timestampText);
  if (!timestamp) return undefined;
  if (!/^(-1|0|[1-9]\d{0,9})$/.test(exp)) return undefined;
  if (!/^[0-9a-fA-F]{64}$/.test(signature)) return undefined;
  const signedHeaders = headers === "" ? [] : headers.split(";").map((h) => h.trim().toLowerCase());
  if (signedHeaders.some((h) => h === "")) return undefined;
  return {
    accessKeyId,
    timestamp,
    timestampText,
    expirationInSeconds: Number(exp),
    signedHeaders,
    signature: signature.toLowerCase(),
  };
}

/**
 * Everything {@link verifyAuthorization} needs.
 *
 * @example Verifying with a fixed server clock
 * ```ts
 * import { createAuthorization, verifyAuthorization, type VerifyInput } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * const headers = { host: "bj.bcebos.com", "x-bce-date": "2024-05-01T12:00:00Z" };
 * const request = { method: "DELETE", path: "/my-bucket/a.txt", headers };
 * const timestamp = new Date("2024-05-01T12:00:00Z");
 * const authorization = await createAuthorization({
 *   ...request,
 *   accessKeyId: "ak",
 *   secretAccessKey: "sk",
 *   timestamp,
 * });
 * const input: VerifyInput = {
 *   ...request,
 *   authorization,
 *   lookupSecret: (accessKeyId) => (accessKeyId === "ak" ? "sk" : undefined),
 *   now: new Date("2024-05-01T12:10:00Z"), // ten minutes later: within the default 1800 s
 * };
 * assert.equal((await verifyAuthorization(input)).ok, true);
 * assert.equal((await verifyAuthorization({ ...input, now: new Date("2024-05-01T13:00:00Z") })).ok, false);
 * ```
 */
export interface VerifyInput extends Omit<SignableRequest, "headersToSign"> {
  /** The `Authorization` header, or the percent-decoded `authorization` query parameter. */
  authorization: string;
  /** Looks up the SK of an AK; `undefined` when the AK is unknown. */
  lookupSecret: (accessKeyId: string) => string | undefined | Promise<string | undefined>;
  /** The server's clock; default now. */
  now?: Date;
  /** How far in the future a timestamp may be before it is refused; default 900 s (15 minutes). */
  clockSkewSeconds?: number;
}

/**
 * The result of {@link verifyAuthorization}.
 *
 * @example A signature made with the wrong secret
 * ```ts
 * import { createAuthorization, verifyAuthorization, type VerifyResult } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * const request = { method: "GET", path: "/b/k", headers: { host: "localhost" } };
 * const timestamp = new Date();
 * const authorization = await createAuthorization({
 *   ...request,
 *   accessKeyId: "ak",
 *   secretAccessKey: "wrong",
 *   timestamp,
 * });
 * const result: VerifyResult = await verifyAuthorization({
 *   ...request,
 *   authorization,
 *   lookupSecret: () => "sk",
 * });
 * assert(!result.ok);
 * assert.equal(result.code, "SignatureDoesNotMatch");
 * assert.equal(result.status, 403);
 * assert.equal(result.canonicalRequest, "GET\n/b/k\n\nhost:localhost");
 * ```
 */
export type VerifyResult =
  | { ok: true; accessKeyId: string; parsed: ParsedAuthorization }
  | {
    ok: false;
    reason: VerifyFailureReason;
    /** The BOS error code a server answers with. */
    code: string;
    /** The HTTP status that goes with `code`. */
    status: number;
    /** A sentence saying what was wrong (never contains a secret). */
    message: string;
    /** The canonical request the server computed (for `signature-mismatch` only). */
    canonicalRequest?: string;
  };

/**
 * Verifies a BCE v1 authorization against the request it came with: parses it, looks up the
 * secret, checks the time window, recomputes the signature over the listed headers (any order; an
 * empty list means the default set) and compares in constant time.
 *
 * @param input The authorization, the request as received, a secret lookup and the clock.
 * @returns `{ ok: true }` or the precise reason, BOS code and status of the refusal.
 *
 * @example
 * ```ts
 * import { createAuthorization, verifyAuthorization } from "@boskit/boskit";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 *
 * const request = { method: "GET", path: "/b/k", headers: { host: "localhost:8080" } };
 * const timestamp = new Date();
 * const authorization = await createAuthorization({
 *   ...request,
 *   accessKeyId: "ak",
 *   secretAccessKey: "sk",
 *   timestamp,
 * });
 * const result = await verifyAuthorization({
 *   ...request,
 *   authorization,
 *   lookupSecret: (ak) => ak === "ak" ? "sk" : undefined,
 * });
 * assertEquals(result.ok, true);
 * ```
 */
export async function verifyAuthorization(input: VerifyInput): Promise<VerifyResult> {
  const parsed = parseAuthorization(input.authorization);
  if (!parsed) {
    return fail("malformed", "InvalidHTTPAuthHeader", 400, "The authorization string is malformed");
  }
  const secret = await input.lookupSecret(parsed.accessKeyId);
  if (secret === undefined) {
    return fail("unknown-key", "InvalidAccessKeyId", 403, "The access key id does not exist");
  }
  const now = (input.now ?? new Date()).getTime();
  const skew = (input.clockSkewSeconds ?? 900) * 1000;
  const start = parsed.timestamp.getTime();
  if (parsed.expirationInSeconds !== -1) {
    if (start - now > skew) {
      return fail(
        "not-yet-valid",
        "RequestTimeTooSkewed",
        403,
        `The request timestamp ${parsed.timestampText} is too far ahead of the server time ${
          formatTimestamp(new Date(now))
        }`,
      );
    }
    if (now > start + parsed.expirationInSeconds * 1000) {
      return fail(
        "expired",
        "RequestExpired",
        403,
        `The request has expired: timestamp ${parsed.timestampText} plus ${parsed.expirationInSeconds} s is before ${
          formatTimestamp(new Date(now))
        }`,
      );
    }
  }
  const prefix =
    `${AUTH_VERSION}/${parsed.accessKeyId}/${parsed.timestampText}/${parsed.expirationInSeconds}`;
  const { text } = buildCanonical({
    method: input.method,
    path: input.path,
    query: input.query,
    headers: input.headers,
    headersToSign: parsed.signedHeaders,
  });
  const key = await signingKey(secret, prefix);
  const expected = await hmacHex(key, text);
  if (!constantTimeEqual(expected, parsed.signature)) {
    return {
      ...fail(
        "signature-mismatch",
        "SignatureDoesNotMatch",
        403,
        "The request signature we calculated does not match the signature you provided",
      ),
      canonicalRequest: text,
    };
  }
  return { ok: true, accessKeyId: parsed.accessKeyId, parsed };
}

function fail(reason: VerifyFailureReason, code: string, status: number, message: string) {
  return { ok: false as const, reason, code, status, message };
}

/**
 * Compares two strings in time that depends only on their lengths, not on where they differ.
 *
 * @param a First string.
 * @param b Second string.
 * @returns Whether they are equal.
 *
 * @example
 * ```ts
 * import { constantTimeEqual } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * assert(constantTimeEqual("abc", "abc"));
 * assert(!constantTimeEqual("abc", "abd"));
 * ```
 */
export function constantTimeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) diff |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0);
  return diff === 0;
}
