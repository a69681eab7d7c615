// Header values as they travel: byte strings (one character per byte), as `fetch` and `Headers`
// represent them. Shared by the signer, metadata accounting and the reference server.

const enc = new TextEncoder();
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

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
      return enc.encode(strictUtf8.decode(bytes).trim());
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
