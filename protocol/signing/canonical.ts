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

const DEFAULT_SIGNED = /* @__PURE__ */ new Set(["host", "content-length", "content-type", "content-md5"]);
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
   * Names of headers to sign, in any case. Default (or an empty list): `host`, `content-length`,
   * `content-type`, `content-md5` and every `x-bce-*` header present. A list signs the listed headers
   * that are present plus every `x-bce-*` header present (as the official JS and Go SDKs do); a listed
   * name the request lacks is skipped, and `authorization` is never signed.
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
  if (path.charCodeAt(0) !== 0x2f) path = "/" + path;
  if (isCanonicalPath(path)) return path;
  return encodeBytes(percentDecodeToBytes(path), true);
}

/** Unreserved characters (`A-Z a-z 0-9 - . _ ~`) by char code. */
const UNRESERVED_CODE = /* @__PURE__ */ unreservedTable();

function unreservedTable(): Uint8Array {
  const table = new Uint8Array(128);
  for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~") {
    table[c.charCodeAt(0)] = 1;
  }
  return table;
}

function upperHex(c: number): number {
  return c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;
}

/**
 * Whether decoding and re-encoding `path` would give it back: only unreserved characters, `/` and
 * upper-case escapes of bytes that must be escaped. (The usual case: the client encoded it.)
 */
function isCanonicalPath(path: string): boolean {
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c < 0x80 && UNRESERVED_CODE[c] === 1 || c === 0x2f) continue;
    if (c !== 0x25 || i + 2 >= path.length) return false;
    const hi = upperHex(path.charCodeAt(i + 1));
    const lo = upperHex(path.charCodeAt(i + 2));
    if (hi < 0 || lo < 0) return false;
    const b = hi * 16 + lo;
    if (b < 0x80 && UNRESERVED_CODE[b] === 1 || b === 0x2f) return false;
    i += 2;
  }
  return true;
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
  if (Array.isArray(query)) {
    for (const [key, value] of query as ReadonlyArray<readonly [string, string]>) pushItem(items, key, value);
    return items;
  }
  const record = query as Record<string, string | number | null | undefined>;
  for (const key of Object.keys(record)) pushItem(items, key, record[key]);
  return items;
}

function isAuthorizationKey(key: Uint8Array): boolean {
  if (key.length !== 13) return false;
  const name = "authorization";
  for (let i = 0; i < 13; i++) if ((key[i] | 0x20) !== name.charCodeAt(i)) return false;
  return true;
}

function pushItem(items: string[], key: string, value: string | number | null | undefined): void {
  if (value === undefined) return;
  if (key.length === 13 && key.toLowerCase() === "authorization") return;
  items.push(uriEncode(key) + "=" + (value === null ? "" : uriEncode(String(value))));
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
  // Canonical items are pure ASCII, so the default (UTF-16) order is byte order.
  const items = queryItems(query);
  sortStrings(items);
  return items.join("&");
}

/**
 * Which headers a canonical block covers: the default set, a signer's explicit list (the listed names
 * plus every `x-bce-*` header present, as the official JS and Go SDKs sign), or exactly the names an
 * authorization string lists (what a verifier recomputes).
 */
type Selection =
  | { kind: "default" }
  | { kind: "listed"; names: ReadonlySet<string> }
  | { kind: "exact"; names: ReadonlySet<string> };

const DEFAULT_SELECTION: Selection = { kind: "default" };
/** The last explicit list, a copy of its names and its selection: callers often pass one list again. */
let lastList: { list: readonly string[]; copy: string[]; exact: boolean; sel: Selection } | undefined;

function selectionOf(headersToSign: readonly string[] | undefined, exact: boolean): Selection {
  if (!headersToSign || headersToSign.length === 0) return DEFAULT_SELECTION;
  if (lastList && lastList.list === headersToSign && lastList.exact === exact) {
    const copy = lastList.copy;
    let same = copy.length === headersToSign.length;
    for (let i = 0; same && i < copy.length; i++) same = copy[i] === headersToSign[i];
    if (same) return lastList.sel;
  }
  const names = new Set<string>();
  for (const h of headersToSign) names.add(h.trim().toLowerCase());
  const sel: Selection = { kind: exact ? "exact" : "listed", names };
  lastList = { list: headersToSign, copy: [...headersToSign], exact, sel };
  return sel;
}

function selected(name: string, sel: Selection): boolean {
  switch (sel.kind) {
    case "default":
      return name.startsWith("x-bce-") || DEFAULT_SIGNED.has(name);
    case "listed":
      // Never the authorization header itself: a signature cannot cover its own value.
      return (name.startsWith("x-bce-") || sel.names.has(name)) && name !== "authorization";
    case "exact":
      return sel.names.has(name);
  }
}

/** The canonical headers block and the list of names actually signed. */
export interface CanonicalHeaders {
  /** `name:value` lines, sorted, joined with `\n`. */
  canonical: string;
  /** The names that were encoded, sorted ascending. */
  signedHeaders: string[];
}

/**
 * Header values from a `Headers` object are wire byte strings; from a plain object they are text
 * (names differing only in case are joined with `, `, as `Headers` would send them).
 */
function collectHeaders(headers: HeadersInput | undefined, sel: Selection): CanonicalHeaders {
  const names: string[] = [];
  /** The encoded value of each name. */
  const values: string[] = [];
  if (!headers) return { canonical: "", signedHeaders: names };
  if (headers instanceof Headers) {
    headers.forEach((value, name) => {
      if (!selected(name, sel)) return;
      // ASCII: JavaScript's trim removes exactly the ASCII whitespace bytes trimWireBytes would.
      const v = ASCII.test(value) ? value.trim() : trimWireBytes(value);
      if (v.length === 0) return;
      names.push(name);
      values.push(typeof v === "string" ? uriEncode(v) : encodeBytes(v, false));
    });
  } else {
    for (const raw of Object.keys(headers)) {
      let name = isLowerName(raw) ? raw : raw.toLowerCase();
      if (name.charCodeAt(0) <= 0x20 || name.charCodeAt(name.length - 1) <= 0x20) name = name.trim();
      if (!selected(name, sel)) continue;
      const given = headers[raw];
      const v = (typeof given === "string" ? given : String(given)).trim();
      if (v === "") continue;
      const at = names.indexOf(name);
      if (at >= 0) {
        // The same header written twice (in different case): one line, as `Headers` would send it.
        values[at] = uriEncode(trimmedText(headers, name));
        continue;
      }
      names.push(name);
      values.push(uriEncode(v));
    }
  }
  const canonical = canonicalLines(names, values);
  // The names are now in line order, which is name order unless one name extends another with a
  // character below ":" (`x-a` and `x-a-b`): only then do they need an order of their own.
  let sorted = true;
  for (let i = 1; i < names.length && sorted; i++) sorted = names[i - 1] < names[i];
  return { canonical, signedHeaders: sorted ? names : sortStrings(names.slice()) };
}

/** The values of every spelling of header `name` (lower case) in a plain object, trimmed and joined. */
function trimmedText(headers: Record<string, string | number>, name: string): string {
  const parts: string[] = [];
  for (const raw of Object.keys(headers)) {
    if (raw.trim().toLowerCase() !== name) continue;
    const v = String(headers[raw]).trim();
    if (v !== "") parts.push(v);
  }
  return parts.join(", ");
}

/**
 * Sorts `names` (with their `values`) into the byte order of the lines `UriEncode(name):value` and
 * returns the lines joined with `\n`. The lines are ordered by the encoded names followed by `:` (a
 * name never holds a raw `:`), which compares short flat strings instead of the lines themselves.
 */
function canonicalLines(names: string[], values: string[]): string {
  const n = names.length;
  if (n === 0) return "";
  for (let i = 1; i < n; i++) {
    const name = names[i];
    const value = values[i];
    const key = uriEncode(name);
    let j = i - 1;
    while (j >= 0 && lineBefore(key, uriEncode(names[j]))) {
      names[j + 1] = names[j];
      values[j + 1] = values[j];
      j--;
    }
    names[j + 1] = name;
    values[j + 1] = value;
  }
  let out = uriEncode(names[0]) + ":" + values[0];
  for (let i = 1; i < n; i++) out += "\n" + uriEncode(names[i]) + ":" + values[i];
  return out;
}

/** Whether `a + ":"` sorts before `b + ":"` (two different encoded names). */
function lineBefore(a: string, b: string): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return x < y;
  }
  // One is a prefix of the other: the shorter one continues with ":".
  return a.length < b.length ? 0x3a < b.charCodeAt(n) : a.charCodeAt(n) < 0x3a;
}

/**
 * Sorts strings in UTF-16 order (byte order for ASCII, which every canonical item is): insertion sort
 * for the few a request has, else the built-in sort.
 */
function sortStrings(items: string[]): string[] {
  const n = items.length;
  if (n > 16) return items.sort();
  for (let i = 1; i < n; i++) {
    const item = items[i];
    let j = i - 1;
    while (j >= 0 && items[j] > item) {
      items[j + 1] = items[j];
      j--;
    }
    items[j + 1] = item;
  }
  return items;
}

/** Whether a header name has no upper-case ASCII letter (and so is its own lower case). */
function isLowerName(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a || c > 0x7f) return false;
  }
  return true;
}

/**
 * The canonical headers: the selected headers with non-empty trimmed values, each as
 * `UriEncode(name):UriEncode(value)`, sorted, joined with `\n`. Without a list (or with an empty one)
 * the default set is selected: `host`, `content-length`, `content-type`, `content-md5` and every
 * `x-bce-*` header. With a list, the listed names plus every `x-bce-*` header present, as the official
 * JS and Go SDKs sign, so `x-bce-date` and the other `x-bce-*` headers are always covered (the
 * `authorization` header is never signed).
 *
 * @param headers The request headers.
 * @param headersToSign Names to sign (any case); omitted or empty means the default set.
 * @returns The canonical block and the names it covers.
 *
 * @example
 * ```ts
 * import { canonicalHeaders } from "@boskit/boskit/protocol";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 *
 * const c = canonicalHeaders({ Host: "localhost", "x-bce-a": "a/b:c", C: "", "Content-MD5": "MD5" });
 * assertEquals(c.canonical, "content-md5:MD5\nhost:localhost\nx-bce-a:a%2Fb%3Ac");
 * assertEquals(c.signedHeaders, ["content-md5", "host", "x-bce-a"]);
 *
 * // An explicit list still covers every x-bce-* header.
 * assertEquals(canonicalHeaders({ Host: "h", "Content-MD5": "M", "x-bce-date": "d" }, ["Host"]).signedHeaders, [
 *   "host",
 *   "x-bce-date",
 * ]);
 * ```
 */
export function canonicalHeaders(
  headers?: HeadersInput,
  headersToSign?: readonly string[],
): CanonicalHeaders {
  return collectHeaders(headers, selectionOf(headersToSign, false));
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

/**
 * The canonical request and the header names it signs (shared by signing and verification). With
 * `exact`, `headersToSign` is the list an authorization string carries: exactly those names are
 * covered (a verifier's view); otherwise it is a signer's list (plus every `x-bce-*` header).
 */
export function buildCanonical(
  request: SignableRequest,
  exact = false,
): { text: string; signedHeaders: string[] } {
  const h = collectHeaders(request.headers, selectionOf(request.headersToSign, exact));
  const method = request.method;
  const text = (isUpperAscii(method) ? method : method.toUpperCase()) + "\n" + canonicalUri(request.path) +
    "\n" + canonicalQueryString(request.query) + "\n" + h.canonical;
  return { text, signedHeaders: h.signedHeaders };
}

function isUpperAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x61 && c <= 0x7a || c > 0x7f) return false;
  }
  return true;
}
