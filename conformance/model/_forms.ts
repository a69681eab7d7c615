/**
 * The wire forms of the model's read probes: a Range header from a range, an HTTP date in one of the
 * three forms HTTP defines. Re-exported by `bucket.ts`.
 *
 * @module
 */

/**
 * A Range request: `bytes=first-last` (`closed`, maybe with `last < first`, which is invalid),
 * `bytes=first-` (`open`) or, with `suffix`, the last `suffix` bytes (`bytes=-suffix`; `first` unused).
 */
export interface RangeSpec {
  /** First byte. */
  first: number;
  /** Last byte (inclusive); absent for an open range. */
  last?: number;
  /** Length of a suffix range `bytes=-N` (then `first` and `last` are not sent). */
  suffix?: number;
  /** A malformed header sent instead (`first`, `last` and `suffix` unused): always 416. */
  malformed?: string;
}

/**
 * The `Range` header of a range.
 *
 * @param range The range.
 * @returns The header value.
 *
 * @example
 * ```ts
 * import { rangeHeader } from "./bucket.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(rangeHeader({ first: 3 }), "bytes=3-");
 * assert.equal(rangeHeader({ first: 0, suffix: 5 }), "bytes=-5");
 * ```
 */
export function rangeHeader(range: RangeSpec): string {
  if (range.malformed !== undefined) return range.malformed;
  return range.suffix !== undefined ? `bytes=-${range.suffix}` : `bytes=${range.first}-${range.last ?? ""}`;
}

/**
 * A date condition's header value in its format.
 *
 * @param seconds The instant (seconds since the epoch).
 * @param format RFC 1123 (default), RFC 850 or asctime.
 * @returns The HTTP date.
 *
 * @example
 * ```ts
 * import { httpDateIn } from "./bucket.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(httpDateIn(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");
 * assert.equal(httpDateIn(784111777, "rfc850"), "Sunday, 06-Nov-94 08:49:37 GMT");
 * assert.equal(httpDateIn(784111777, "asctime"), "Sun Nov  6 08:49:37 1994");
 * ```
 */
export function httpDateIn(seconds: number, format?: "rfc850" | "asctime"): string {
  const d = new Date(seconds * 1000);
  const rfc1123 = d.toUTCString();
  if (!format) return rfc1123;
  const [wd, dd, mon, yyyy, time] = rfc1123.replace(",", "").split(" ");
  if (format === "asctime") return `${wd} ${mon} ${String(Number(dd)).padStart(2, " ")} ${time} ${yyyy}`;
  const day = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"][d.getUTCDay()];
  return `${day}, ${dd}-${mon}-${yyyy.slice(2)} ${time} GMT`;
}
