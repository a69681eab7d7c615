/**
 * UTF-8 byte order for keys (BOS lists keys in byte order, which differs from JavaScript's UTF-16
 * string order for characters above U+FFFF).
 *
 * @module
 */

function fix(c: number): number {
  // Surrogates (astral characters, 4 UTF-8 bytes) sort after U+E000..U+FFFF (3 bytes).
  return c >= 0xe000 ? c - 0x800 : c >= 0xd800 ? c + 0x2000 : c;
}

/** Compares two strings by the UTF-8 bytes they encode to. */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return fix(x) - fix(y);
  }
  return a.length - b.length;
}
