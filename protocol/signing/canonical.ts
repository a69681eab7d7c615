/**
 * The canonical request of BCE authentication v1 (`bce-auth-v1`), exactly as BOS defines it: the
 * canonical URI, query string and headers that a signature covers.
 *
 * Strings are signed as UTF-8. Header values given in a `Headers` object are taken as the bytes that
 * travel on the wire (each character code is one byte, which is how `fetch` represents them); header
 * values in a plain object are text and are UTF-8 encoded.
 *
 * @module
 */
import { encodeBytes, percentDecodeToBytes, uriEncode } from "../encoding.ts";
import { trimWireBytes } from "../headers.ts";

const DEFAULT_SIGNED = new Set(["host", "content-length", "content-type", "content-md5"]);
const UNRESERVED_PATH = /^[A-Za-z0-9\-._~/]*$/;
const ASCII = /^[^\u0080-\uffff]*$/;

/**
 * Query parameters as a caller gives them: decoded values; `null` is a bare flag (`?uploads`),
 * `undefined` is omitted.
 */
export type QueryInput =
  | Record<string, string | number | null | undefined>
  | ReadonlyArray<readonly [string, string]>
  | string;

/** Request headers: a `Headers` object (wire byte strings) or a plain object (text). */
export type HeadersInput = Record<string, string | number> | Headers;

/** The request to sign, as it will be (or was) sent. */
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

/** The canonical headers block and the list of names actually signed. */
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

/** The canonical request and the header names it signs (shared by signing and verification). */
export function buildCanonical(request: SignableRequest): { text: string; signedHeaders: string[] } {
  const h = canonicalHeaders(request.headers, request.headersToSign);
  const text = request.method.toUpperCase() + "\n" + canonicalUri(request.path) + "\n" +
    canonicalQueryString(request.query) + "\n" + h.canonical;
  return { text, signedHeaders: h.signedHeaders };
}
