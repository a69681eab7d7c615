/**
 * Header values as they travel (byte strings: one character per byte, which is how `fetch` and
 * `Headers` represent them), their mapping to and from text, and user metadata (`x-bce-meta-*`) size
 * accounting exactly as BOS counts it. Shared by the signer, the client and the reference server.
 *
 * @module
 */
import { utf8Length } from "./limits.ts";

const wireEncoder = new TextEncoder();
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The prefix of user metadata headers.
 *
 * @example The prefix counts against the metadata budget
 * ```ts
 * import { META_PREFIX, userMetadataSize } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * assert.equal(META_PREFIX, "x-bce-meta-");
 * assert.equal(userMetadataSize({ color: "blue" }), (META_PREFIX + "color").length + "blue".length);
 * ```
 */
export const META_PREFIX = "x-bce-meta-";

/**
 * The size BOS charges user metadata against its 2 KB budget: the sum over entries of the UTF-8
 * length of `"x-bce-meta-" + name` plus the length of the value. Entries with an empty value are
 * not stored by BOS and are not counted. Values in a `Headers` object are wire byte strings (one
 * character per byte); values in a plain object are text (UTF-8).
 *
 * @param meta Metadata names (without the prefix) to values, or request `Headers` (only
 *   `x-bce-meta-*` entries are counted).
 * @returns The size in bytes.
 *
 * @example The boundary from BOS's own tests
 * ```ts
 * import { userMetadataSize } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * assert.equal(userMetadataSize({ key: "v".repeat(2034) }), 2048);
 * ```
 */
export function userMetadataSize(meta: Record<string, string> | Headers): number {
  let total = 0;
  if (meta instanceof Headers) {
    meta.forEach((value, name) => {
      if (!name.startsWith(META_PREFIX)) return;
      const n = trimWireBytes(value).length;
      if (n > 0) total += utf8Length(name) + n;
    });
    return total;
  }
  for (const [name, value] of Object.entries(meta)) {
    const v = value.trim();
    if (v !== "") total += utf8Length(META_PREFIX + name) + utf8Length(v);
  }
  return total;
}

/**
 * Trims a header value as received (a wire byte string) the way BOS clients trim the text they
 * send: UTF-8 values lose leading and trailing Unicode whitespace, other bytes only ASCII
 * whitespace; a multi-byte character is never cut (the last byte of "张" is 0xA0, which
 * `String#trim` would wrongly remove).
 *
 * @param value A header value as received (one character per byte).
 * @returns The trimmed value, still a wire byte string.
 *
 * @example
 * ```ts
 * import { toHeaderByteString, trimHeaderByteString } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * const zhang = toHeaderByteString("张");
 * assert.equal(trimHeaderByteString(" " + zhang + " "), zhang);
 * ```
 */
export function trimHeaderByteString(value: string): string {
  return trimWireValue(value);
}

/**
 * Turns text into the byte string `fetch` sends as a header value: its UTF-8 bytes, one character
 * per byte. ASCII text is returned unchanged.
 *
 * @param text A header value as text.
 * @returns The value as a wire byte string.
 *
 * @example
 * ```ts
 * import { toHeaderByteString } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * assert.equal(toHeaderByteString("é"), "\u00c3\u00a9");
 * ```
 */
export function toHeaderByteString(text: string): string {
  // deno-lint-ignore no-control-regex
  if (/^[\x00-\x7f]*$/.test(text)) return text;
  const bytes = wireEncoder.encode(text);
  let out = "";
  for (let i = 0; i < bytes.length; i++) out += String.fromCharCode(bytes[i]);
  return out;
}

/**
 * Reads a header byte string as UTF-8 text; a value that is not valid UTF-8 is returned unchanged.
 *
 * @param value A header value as received (one character per byte).
 * @returns The text.
 *
 * @example
 * ```ts
 * import { fromHeaderByteString } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * assert.equal(fromHeaderByteString("\u00c3\u00a9"), "é");
 * ```
 */
export function fromHeaderByteString(value: string): string {
  // deno-lint-ignore no-control-regex
  if (/^[\x00-\x7f]*$/.test(value)) return value;
  const bytes = new Uint8Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c > 0xff) return value;
    bytes[i] = c;
  }
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return value;
  }
}

// -----------------------------------------------------------------------------------------------
// Wire byte strings

/** The bytes of a wire byte string (each character code is one byte). */
export function byteStringToBytes(value: string): Uint8Array {
  const bytes = new Uint8Array(value.length);
  for (let i = 0; i < value.length; i++) bytes[i] = value.charCodeAt(i) & 0xff;
  return bytes;
}

function isAsciiSpace(b: number): boolean {
  return b === 0x20 || (b >= 0x09 && b <= 0x0d);
}

/**
 * Trims a wire header value the way clients trim the text they sign: when the bytes are UTF-8, the
 * text is trimmed of all JavaScript whitespace (U+00A0, U+3000, U+FEFF…) and re-encoded; otherwise
 * only ASCII whitespace bytes are trimmed. Never cuts a multi-byte sequence (a trailing 0xA0 byte of
 * "张" is not a space).
 */
export function trimWireBytes(value: string): Uint8Array {
  const bytes = byteStringToBytes(value);
  let ascii = true;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (!ascii) {
    try {
      return wireEncoder.encode(strictUtf8.decode(bytes).trim());
    } catch {
      // Not UTF-8: trim ASCII whitespace bytes only.
    }
  }
  let start = 0;
  let end = bytes.length;
  while (start < end && isAsciiSpace(bytes[start])) start++;
  while (end > start && isAsciiSpace(bytes[end - 1])) end--;
  return bytes.subarray(start, end);
}

/** {@link trimWireBytes}, returned as a wire byte string. */
export function trimWireValue(value: string): string {
  const bytes = trimWireBytes(value);
  let out = "";
  for (let i = 0; i < bytes.length; i++) out += String.fromCharCode(bytes[i]);
  return out;
}
