/**
 * The encodings of the BOS wire protocol, one of each: BOS UriEncode and percent-decoding, hex,
 * base64, the decimal form of CRCs, ETag quoting and HTTP / ISO dates. Used by the client, the
 * reference server, the signer and the conformance kit.
 *
 * @module
 */

const enc = new TextEncoder();
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

// -----------------------------------------------------------------------------------------------
// Percent-encoding

const HEX_UPPER = "0123456789ABCDEF";
const ENCODED_BYTE: string[] = Array.from({ length: 256 }, (_, b) => {
  const c = String.fromCharCode(b);
  return /[A-Za-z0-9\-._~]/.test(c) ? c : "%" + HEX_UPPER[b >> 4] + HEX_UPPER[b & 15];
});

/** 1 for the unreserved ASCII characters (`A-Z a-z 0-9 - . _ ~`), by char code. */
const KEPT = new Uint8Array(128);
for (let c = 0; c < 128; c++) if (ENCODED_BYTE[c].length === 1) KEPT[c] = 1;

/** UriEncode of raw bytes (`keepSlash`: leave `/` as it is). */
export function encodeBytes(bytes: Uint8Array, keepSlash: boolean): string {
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
    // Fast path: the unreserved ASCII head (usually the whole string) is kept as it is.
    const n = value.length;
    let i = 0;
    while (i < n) {
      const c = value.charCodeAt(i);
      if (c >= 0x80 || KEPT[c] !== 1) break;
      i++;
    }
    if (i === n) return value;
    let ascii = true;
    for (let j = i; j < n; j++) {
      if (value.charCodeAt(j) >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      // Runs of kept characters are copied as slices, each other character replaced by its escape.
      let out = "";
      let run = 0;
      for (; i < n; i++) {
        const c = value.charCodeAt(i);
        if (KEPT[c] === 1 || keepSlash && c === 0x2f) continue;
        out += value.slice(run, i) + ENCODED_BYTE[c];
        run = i + 1;
      }
      return out + value.slice(run);
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
 * and a `%` not followed by two hex digits, is kept as its UTF-8 bytes (the lenient decoding the
 * signer applies to paths and queries as sent).
 */
export function percentDecodeToBytes(value: string): Uint8Array {
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

/**
 * Percent-decodes to UTF-8 text (`+` stays `+`); `undefined` when an escape is malformed or the bytes
 * are not UTF-8 (the strict decoding a server applies to paths and query parameters).
 *
 * @param text A path segment or query component as sent.
 * @returns The text, or `undefined`.
 *
 * @example
 * ```ts
 * import { percentDecode } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * assert.equal(percentDecode("a%20b+c"), "a b+c");
 * assert.equal(percentDecode("%zz"), undefined);
 * ```
 */
export function percentDecode(text: string): string | undefined {
  if (!text.includes("%")) return text;
  if (!isWellFormedPercentEncoding(text)) return undefined;
  try {
    return strictUtf8.decode(percentDecodeToBytes(text));
  } catch {
    return undefined;
  }
}

// -----------------------------------------------------------------------------------------------
// Bytes as text

/**
 * Lower-case hex of bytes.
 *
 * @param bytes The bytes.
 * @returns The hex text.
 *
 * @example
 * ```ts
 * import { toHex } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * assert.equal(toHex(new Uint8Array([0, 171])), "00ab");
 * ```
 */
export function toHex(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]];
  return s;
}

/**
 * Standard base64 (with padding) of bytes.
 *
 * @param bytes The bytes.
 * @returns The base64 text.
 *
 * @example
 * ```ts
 * import { toBase64 } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * assert.equal(toBase64(new Uint8Array([104, 105])), "aGk=");
 * ```
 */
export function toBase64(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin);
}

/**
 * Decodes standard base64; returns `undefined` for text that is not valid base64.
 *
 * @param text The base64 text.
 * @returns The bytes, or `undefined`.
 *
 * @example
 * ```ts
 * import { fromBase64 } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(fromBase64("aGk="), new Uint8Array([104, 105]));
 * assert.equal(fromBase64("%%"), undefined);
 * ```
 */
export function fromBase64(text: string): Uint8Array | undefined {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) return undefined;
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * A CRC digest (4 big-endian bytes) as the unsigned decimal text BOS uses in
 * `x-bce-content-crc32` / `x-bce-content-crc32c`.
 *
 * @param digest The 4-byte digest.
 * @returns Decimal text.
 *
 * @example
 * ```ts
 * import { crcToDecimal, hash } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * assert.equal(crcToDecimal(await hash("crc32", "123456789")), "3421780262");
 * ```
 */
export function crcToDecimal(digest: Uint8Array): string {
  return String(((digest[0] << 24) | (digest[1] << 16) | (digest[2] << 8) | digest[3]) >>> 0);
}

// -----------------------------------------------------------------------------------------------
// ETags and dates

/**
 * An ETag without its quoting: surrounding whitespace, a weak `W/` prefix and one pair of double
 * quotes are removed; `null` or `undefined` (no header) gives `""`. BOS sends ETags unquoted; some
 * servers and proxies quote them.
 *
 * @param etag An `ETag` header value or JSON field.
 * @returns The bare ETag.
 *
 * @example
 * ```ts
 * import { unquote } from "@boskit/boskit/protocol";
 * import assert from "node:assert/strict";
 *
 * assert.equal(unquote('"5d41402abc4b2a76b9719d911017c592"'), "5d41402abc4b2a76b9719d911017c592");
 * assert.equal(unquote('W/"abc"'), "abc");
 * assert.equal(unquote(null), "");
 * ```
 */
export function unquote(etag: string | null | undefined): string {
  if (!etag) return "";
  let t = etag.trim();
  if (t.startsWith("W/")) t = t.slice(2);
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
}

/**
 * Parses an HTTP date (`Wed, 06 Apr 2016 06:34:40 GMT`, the obsolete RFC 850 and asctime forms, which
 * are GMT although asctime carries no zone (RFC 9110 §5.6.7), or any form `Date` understands);
 * `undefined` for a missing, empty or unparsable value.
 *
 * @param text A `Date`, `Last-Modified` or `If-*-Since` header value.
 * @returns The instant, or `undefined`.
 *
 * @example
 * ```ts
 * import { parseHttpDate } from "@boskit/boskit/protocol";
 * import assert from "node:assert/strict";
 *
 * assert.equal(parseHttpDate("Wed, 06 Apr 2016 06:34:40 GMT")?.toISOString(), "2016-04-06T06:34:40.000Z");
 * assert.equal(parseHttpDate("Wed Apr  6 06:34:40 2016")?.toISOString(), "2016-04-06T06:34:40.000Z");
 * assert.equal(parseHttpDate(" "), undefined);
 * ```
 */
export function parseHttpDate(text: string | null | undefined): Date | undefined {
  if (!text || text.trim() === "") return undefined;
  const t = text.trim();
  // asctime has no zone: `Date` would read it as local time.
  const d = new Date(/^[A-Za-z]{3} [A-Za-z]{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$/.test(t) ? t + " GMT" : t);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/**
 * Parses an ISO 8601 date from a JSON field; `undefined` when it is not a string or not a date.
 *
 * @param text A JSON value (`lastModified`, `creationDate`, …).
 * @returns The instant, or `undefined`.
 *
 * @example
 * ```ts
 * import { parseIsoDate } from "@boskit/boskit/protocol";
 * import assert from "node:assert/strict";
 *
 * assert.equal(parseIsoDate("2016-04-06T06:34:40Z")?.getTime(), 1459924480000);
 * assert.equal(parseIsoDate(42), undefined);
 * ```
 */
export function parseIsoDate(text: unknown): Date | undefined {
  if (typeof text !== "string") return undefined;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? undefined : d;
}
