/**
 * Arbitraries of the model suite: key pools built to provoke encoding, case, normalisation and
 * ordering bugs, object headers, sizes from 0 bytes to the run's maximum, ranges and conditions.
 *
 * @module
 */
import fc from "fast-check";
import type { SentAttributes } from "../model/bucket.ts";
import { metadataSizeModel } from "../model/metadata.ts";
import { isPortableKeySuffix, metaMap } from "./_arb.ts";

/**
 * Pieces keys are made of: reserved characters (`+ % ? #` and the rest of RFC 3986's set), a space,
 * a literal `%41` (which a double-decoding endpoint turns into `A`), letters of both cases, CJK, emoji
 * and other astral characters, U+FF61 and U+E000 (which sort before astral characters in UTF-16 but
 * after them in UTF-8), and `é` both composed and decomposed.
 */
const PIECES = [
  "a",
  "b",
  "A",
  "x",
  " ",
  "+",
  "%",
  "%41",
  "?",
  "#",
  "=",
  "&",
  ";",
  ",",
  "!",
  "*",
  "'",
  "(",
  "~",
  "-",
  "测",
  "試",
  "😀",
  "𝄞",
  "\uff61",
  "\ue000",
  "é",
  "e\u0301",
];

/** How keys of the pool relate to a stem. */
type Derivation = "case" | "dir" | "longer" | "plus-space" | "nfd" | "percent" | "order";

const DERIVATIONS: Derivation[] = ["case", "dir", "longer", "plus-space", "nfd", "percent", "order"];

/** Keys related to a stem so that one loose comparison or one wrong order makes them collide or swap. */
function derive(stem: string, d: Derivation, piece: string): string[] {
  switch (d) {
    case "case":
      // Keys that differ only in letter case.
      return flipCase(stem) !== stem ? [flipCase(stem)] : [stem + "a", stem + "A"];
    case "dir":
      // A key ending in "/" and a key under it.
      return [stem + "/", stem + "/" + piece];
    case "longer":
      return [stem + piece];
    case "plus-space":
      return /[+ ]/.test(stem)
        ? [stem.replace(/[+ ]/g, (c) => (c === "+" ? " " : "+"))]
        : [stem + "+x", stem + " x"];
    case "nfd":
      // é composed and decomposed.
      return [stem + "\u00e9", stem + "e\u0301"];
    case "percent":
      // A literal %41 next to the A it would decode to.
      return [stem + "%41", stem + "A"];
    default:
      // U+FF61 and U+E000 sort before astral characters in UTF-16, after them in UTF-8: as keys, and
      // as directories, so that common prefixes differ the same way.
      return [stem + "\u{1F600}/" + piece, stem + "\uff61", stem + "\ue000/" + piece];
  }
}

const stem = fc
  .tuple(
    fc.option(fc.constantFrom("d/", "d/e/", "D/"), { nil: undefined, freq: 3 }),
    fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 3 }),
  )
  .map(([dir, pieces]) => (dir ?? "") + pieces.join(""));

/**
 * A pool of key suffixes (relative to a namespace): a few stems, each with related keys that differ
 * only in case, by a trailing `/`, by `+` against space, by Unicode normalisation, or extend it (shared
 * prefixes). Commands name keys by index into the pool.
 *
 * @param max Most keys.
 * @param min Fewest keys.
 */
export function keyPool(max: number, min = 2): fc.Arbitrary<string[]> {
  return fc
    .array(
      fc.tuple(stem, fc.subarray(DERIVATIONS, { minLength: 2, maxLength: 3 }), fc.constantFrom(...PIECES)),
      { minLength: 1, maxLength: Math.max(1, Math.ceil(max / 2)) },
    )
    .map((stems) => {
      const out: string[] = [];
      for (const [s, ds, piece] of stems) {
        for (const k of [s, ...ds.flatMap((d) => derive(s, d, piece))]) {
          if (!out.includes(k) && isPortableKeySuffix(k)) out.push(k);
        }
      }
      return out.slice(0, max);
    })
    .filter((keys) => keys.length >= min);
}

const CONTENT_TYPES = [
  "text/plain",
  "text/html; charset=GBK",
  "application/json",
  "application/x-boskit+json; charset=utf-8",
  "image/png",
  "application/octet-stream",
];
const CACHE_CONTROLS = [
  "no-cache",
  "max-age=3600",
  "private, max-age=0",
  "public, s-maxage=60, must-revalidate",
];
const DISPOSITIONS = [
  "inline",
  'attachment; filename="a b+c.txt"',
  "attachment; filename*=UTF-8''%E6%B5%8B%E8%AF%95.bin",
];
const EXPIRES = [
  "Wed, 21 Oct 2037 07:28:00 GMT",
  "Thu, 01 Jan 2099 00:00:00 GMT",
  "Mon, 06 Apr 2026 06:34:40 GMT",
];

/**
 * Content encodings no HTTP client decodes on the way (a `gzip` would be inflated by `fetch` against a
 * real endpoint): the header must come back exactly as stored.
 */
const ENCODINGS = ["compress", "x-boskit-raw", "identity"];

/** The four storage classes. */
export const CLASSES = ["STANDARD", "STANDARD_IA", "COLD", "ARCHIVE"] as const;

const opt = <T>(values: readonly T[], freq = 2): fc.Arbitrary<T | undefined> =>
  values.length ? fc.option(fc.constantFrom(...values), { nil: undefined, freq }) : fc.constant(undefined);

/**
 * Object headers: each standard header present or not, user metadata with mixed-case names and
 * unicode values within the budget, and a storage class (or none).
 *
 * @param budget The user metadata budget.
 * @param classes Storage classes to draw from.
 */
export function attributes(
  budget: number,
  classes: readonly string[] = CLASSES,
): fc.Arbitrary<SentAttributes> {
  return fc
    .record({
      contentType: opt(CONTENT_TYPES, 3),
      cacheControl: opt(CACHE_CONTROLS),
      contentDisposition: opt(DISPOSITIONS),
      expires: opt(EXPIRES),
      contentEncoding: opt(ENCODINGS),
      meta: metaMap(4).filter((m) => metadataSizeModel(m) <= budget),
      storageClass: opt(classes, 4),
    })
    .map((r) => {
      const out: SentAttributes = { meta: r.meta };
      for (
        const k of [
          "contentType",
          "cacheControl",
          "contentDisposition",
          "expires",
          "contentEncoding",
          "storageClass",
        ] as const
      ) {
        if (r[k] !== undefined) out[k] = r[k];
      }
      return out;
    });
}

/** A body size: mostly small (0 included), sometimes hundreds of KiB, rarely up to `max` MiB-scale. */
export function size(max: number, largeWeight = 1): fc.Arbitrary<number> {
  const small = Math.min(max, 4096);
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(0) },
    { weight: 10, arbitrary: fc.integer({ min: 1, max: Math.min(max, 64) }) },
    { weight: 8, arbitrary: fc.integer({ min: Math.min(max, 65), max: small }) },
    { weight: 2, arbitrary: fc.integer({ min: small, max: Math.min(max, 300 * 1024) }) },
    { weight: largeWeight, arbitrary: fc.integer({ min: Math.min(max, 1024 * 1024), max }) },
  );
}

/**
 * A part size relative to the profile: tiny, exactly the minimum, a little above it, or (when `large`)
 * a fraction of the largest object size.
 */
export type PartSize = { kind: "tiny"; n: number } | { kind: "min"; plus: number } | {
  kind: "frac";
  f: number;
};

/** Part sizes. */
export function partSize(large = false): fc.Arbitrary<PartSize> {
  return fc.oneof(
    { weight: 2, arbitrary: fc.integer({ min: 0, max: 64 }).map((n) => ({ kind: "tiny" as const, n })) },
    { weight: 4, arbitrary: fc.constant({ kind: "min" as const, plus: 0 }) },
    {
      weight: 2,
      arbitrary: fc.integer({ min: 1, max: 999 }).map((plus) => ({ kind: "min" as const, plus })),
    },
    {
      weight: large ? 6 : 0,
      arbitrary: fc.double({ min: 0.05, max: 0.3, noNaN: true }).map((f) => ({ kind: "frac" as const, f })),
    },
  );
}

/** How a Range is chosen against an object (resolved at run time from its size and part boundaries). */
export interface RangePick {
  /** Form of the range. */
  form:
    | "inside"
    | "past-end"
    | "open"
    | "single"
    | "last-byte"
    | "first-byte"
    | "boundary"
    | "beyond"
    | "suffix"
    | "reversed";
  /** Position as a fraction of the size. */
  at: number;
  /** Second position / length as a fraction. */
  span: number;
  /** Small offset in bytes. */
  delta: number;
}

/** Range picks. */
export const rangePick: fc.Arbitrary<RangePick> = fc.record({
  form: fc.constantFrom(
    "inside",
    "past-end",
    "open",
    "single",
    "last-byte",
    "first-byte",
    "boundary",
    "beyond",
    "suffix",
    "reversed",
  ),
  at: fc.double({ min: 0, max: 0.999, noNaN: true }),
  span: fc.double({ min: 0, max: 1, noNaN: true }),
  delta: fc.integer({ min: 0, max: 3 }),
});

/** How GET conditions are chosen (resolved against the object's ETag and Last-Modified). */
export interface ConditionPick {
  /** Which headers: one of the four, or the two pairs whose precedence objects.md §2 defines. */
  combo:
    | "if-match"
    | "if-none-match"
    | "if-modified-since"
    | "if-unmodified-since"
    | "match+unmodified"
    | "none-match+modified";
  /** Whether the ETag given is the object's. */
  same: boolean;
  /** Whether the ETag is sent quoted. */
  quoted: boolean;
  /** Seconds added to Last-Modified for the date. */
  delta: number;
}

/** Condition picks. */
export const conditionPick: fc.Arbitrary<ConditionPick> = fc.record({
  combo: fc.constantFrom(
    "if-match",
    "if-none-match",
    "if-modified-since",
    "if-unmodified-since",
    "match+unmodified",
    "none-match+modified",
  ),
  same: fc.boolean(),
  quoted: fc.boolean(),
  delta: fc.constantFrom(-86400, -1, 0, 0, 1, 86400),
});

/** A copy-source condition: which header, whether it holds, quoting, and how far the date is. */
export interface CopyCondition {
  /** The condition (`x-bce-copy-source-` + kind). */
  kind: "if-match" | "if-none-match" | "if-modified-since" | "if-unmodified-since";
  /** Whether it holds (the copy proceeds) or fails (412). */
  holds: boolean;
  /** Whether an ETag is sent quoted. */
  quoted: boolean;
  /** Dates a day away from Last-Modified rather than at it or a second away. */
  far: boolean;
}

/** Copy-source conditions. */
export const copyCondition: fc.Arbitrary<CopyCondition> = fc.record({
  kind: fc.constantFrom("if-match", "if-none-match", "if-modified-since", "if-unmodified-since"),
  holds: fc.boolean(),
  quoted: fc.boolean(),
  far: fc.boolean(),
});

/** ListObjects / ListMultipartUploads parameters drawn near the pool's keys. */
export interface ListPick {
  /** Prefix: a pool key cut after some characters (`text` for random pieces), maybe case-flipped. */
  prefix?: { i: number; cut: number; flip: boolean };
  /** Delimiter. */
  delimiter?: string;
  /** Marker: a pool key cut after some characters, or a whole key. */
  marker?: { i: number; cut: number };
  /** Page size. */
  max?: number;
}

/** List parameter picks. */
export const listPick: fc.Arbitrary<ListPick> = fc
  .record({
    prefix: fc.option(fc.record({ i: fc.nat(), cut: fc.nat({ max: 8 }), flip: fc.boolean() }), {
      nil: undefined,
      freq: 3,
    }),
    delimiter: fc.option(fc.constantFrom("/", "/", "/", "a", " ", "+", "测"), { nil: undefined, freq: 2 }),
    marker: fc.option(fc.record({ i: fc.nat(), cut: fc.nat({ max: 10 }) }), { nil: undefined, freq: 2 }),
    max: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined, freq: 4 }),
  })
  .map((r) => {
    const out: ListPick = {};
    if (r.prefix) out.prefix = r.prefix;
    if (r.delimiter !== undefined) out.delimiter = r.delimiter;
    if (r.marker) out.marker = r.marker;
    if (r.max !== undefined) out.max = r.max;
    return out;
  });

/** Flips the case of letters (for prefixes that differ from keys only in case). */
export function flipCase(s: string): string {
  return [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join("");
}

/** The first `n` code points of `s`. */
export function cut(s: string, n: number): string {
  return [...s].slice(0, n).join("");
}
