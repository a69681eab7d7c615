/**
 * Arbitraries shared by the suites: keys with unicode and reserved characters, bodies, metadata.
 *
 * @module
 */
import fc from "fast-check";

/** Characters keys are built from: unreserved, reserved, space, CJK, Latin-1, astral, BMP-high. */
export const KEY_CHARS = [
  ..."abcxyzABZ0189-_.~",
  ..."!'()*+=&?#%;:$,[] ",
  "测",
  "試",
  "é",
  "ß",
  "\u00e0",
  "😀",
  "𝄞",
  "\uff61",
  "\ufffd",
];

/** Whether a key suffix is safe on every endpoint: no empty, `.` or `..` segment, no leading `/`. */
export function isPortableKeySuffix(s: string): boolean {
  if (s === "" || s.startsWith("/")) return false;
  const segments = s.split("/");
  return segments.every((seg, i) => (seg !== "" || i === segments.length - 1) && seg !== "." && seg !== "..");
}

/** A key suffix with unicode and reserved characters (1–12 characters, may contain `/`). */
export const keySuffix: fc.Arbitrary<string> = fc
  .array(
    fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...KEY_CHARS) }, {
      weight: 1,
      arbitrary: fc.constant("/"),
    }),
    {
      minLength: 1,
      maxLength: 12,
    },
  )
  .map((a) => a.join(""))
  .filter(isPortableKeySuffix);

/** A body of 0–`max` random bytes. */
export function body(max = 256): fc.Arbitrary<Uint8Array> {
  return fc.uint8Array({ minLength: 0, maxLength: max });
}

/** A metadata name: lower- and upper-case letters, digits and `-`, starting with a letter. */
export const metaName: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"),
    fc.array(fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCDEFXYZ0123456789-"), { maxLength: 10 }),
  )
  .map(([a, b]) => a + b.join(""));

/** Characters metadata values are built from (never leading/trailing whitespace, no controls). */
export const META_VALUE_CHARS = [
  ..."abcXYZ019-_.~!'()*+=&?#%;:@$,[]/\\\"<>{}|^`",
  "测",
  "試",
  "é",
  "😀",
  "𝄞",
  "\u00a9",
];

/** A metadata value: printable ASCII and unicode, no surrounding or inner control characters. */
export const metaValue: fc.Arbitrary<string> = fc
  .tuple(
    fc.array(fc.constantFrom(...META_VALUE_CHARS), { minLength: 1, maxLength: 24 }),
    fc.array(fc.constantFrom(...META_VALUE_CHARS, " "), { maxLength: 12 }),
    fc.array(fc.constantFrom(...META_VALUE_CHARS), { minLength: 1, maxLength: 4 }),
  )
  .map(([a, b, c]) => a.join("") + b.join("") + c.join(""));

/**
 * A metadata map without names that collide case-insensitively.
 *
 * @param maxEntries Most entries.
 */
export function metaMap(maxEntries = 6): fc.Arbitrary<Array<[string, string]>> {
  return fc.uniqueArray(fc.tuple(metaName, metaValue), {
    maxLength: maxEntries,
    selector: ([n]) => n.toLowerCase(),
  });
}
