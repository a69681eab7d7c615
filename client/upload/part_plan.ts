/**
 * Part-count arithmetic for multipart uploads, as pure functions: a fixed part size for a body of
 * known length, and a growing schedule for a stream of unknown length.
 *
 * @module
 */
import { BosError } from "../../protocol/errors.ts";
import { type BosProfile, DEFAULT_PROFILE, MiB } from "../../protocol/limits.ts";

/**
 * The part size used when the caller gives none: 8 MiB.
 *
 * @example
 * ```ts
 * import { DEFAULT_PART_SIZE } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * assert.equal(DEFAULT_PART_SIZE, 8 * 1024 * 1024);
 * ```
 */
export const DEFAULT_PART_SIZE: number = 8 * MiB;

/** Parts in flight at once when the caller gives no concurrency (uploads and large copies). */
export const DEFAULT_CONCURRENCY = 4;

/**
 * How much an unknown-length stream must be able to carry: 48.8 TB (48.8 × 10¹² bytes), the object
 * limit BOS documents. (10000 parts of 5 GiB are 53.7 × 10¹² bytes; a schedule that starts small
 * cannot reach that exact maximum, so pass the length when a stream is larger than this.)
 *
 * @example
 * ```ts
 * import { UNKNOWN_LENGTH_TARGET } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * assert.equal(UNKNOWN_LENGTH_TARGET, 48_800_000_000_000);
 * ```
 */
export const UNKNOWN_LENGTH_TARGET: number = 48.8e12;

/** Options of {@link planParts}. */
export interface PartPlanOptions {
  /** The preferred (minimum) part size in bytes; default {@link DEFAULT_PART_SIZE}. */
  partSize?: number;
  /** The limits to respect; default {@link DEFAULT_PROFILE}. */
  profile?: Readonly<BosProfile>;
  /**
   * For an unknown-length stream ({@link growingSchedule}): the largest part the schedule may grow
   * to; default the profile's maximum part size. Equal to `partSize`, parts never grow, so memory
   * never grows with the stream, and the stream can be at most `partSize` × 10000 bytes.
   */
  maxPartSize?: number;
}

/** A fixed-size part plan for a body of known length: every part is `partSize` bytes except the last. */
export interface PartPlan {
  /** The body length in bytes. */
  size: number;
  /** The size of every part but the last. */
  partSize: number;
  /** How many parts (≥ 1; a 0-byte body is one empty part). */
  partCount: number;
}

/** One part of a plan. */
export interface PlannedPart {
  /** Part number, 1-based. */
  partNumber: number;
  /** Offset of the part's first byte in the body. */
  offset: number;
  /** Length of the part in bytes. */
  size: number;
}

function checkSize(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new BosError({
      status: 0,
      code: "InvalidArgument",
      message: `${name} must be a non-negative safe integer, got ${value}`,
    });
  }
}

/**
 * Plans the parts of a body of known length: the smallest part size that is at least the
 * preferred size (and never below the profile's minimum) and keeps the count within the part-number
 * limit; when the preferred size would need too many parts, `ceil(size / 10000)` rounded up to 1 MiB.
 *
 * @param size The body length in bytes.
 * @param options Preferred part size and profile.
 * @returns The plan.
 * @throws {BosError} `EntityTooLarge` when the body cannot fit in the maximum number of maximum-size
 *   parts; `InvalidArgument` for a negative or non-integer size or part size.
 *
 * @example A 1 GiB body with the default 8 MiB parts, and a 1 TiB body
 * ```ts
 * import { planParts } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(planParts(1024 ** 3), { size: 1024 ** 3, partSize: 8 * 1024 ** 2, partCount: 128 });
 * const big = planParts(1024 ** 4);
 * assert.equal(big.partSize, 105 * 1024 ** 2);
 * assert(big.partCount <= 10000);
 * ```
 */
export function planParts(size: number, options: PartPlanOptions = {}): PartPlan {
  const profile = options.profile ?? DEFAULT_PROFILE;
  checkSize("Body size", size);
  const preferred = options.partSize ?? DEFAULT_PART_SIZE;
  checkSize("Part size", preferred);
  if (preferred > profile.maxPartSize) {
    throw new BosError({
      status: 0,
      code: "InvalidArgument",
      message: `Part size must be at most ${profile.maxPartSize} bytes, got ${preferred}`,
    });
  }
  if (size > profile.maxObjectSize) {
    throw new BosError({
      status: 0,
      code: "EntityTooLarge",
      message: `Object size must be at most ${profile.maxObjectSize} bytes, got ${size}`,
    });
  }
  let partSize = Math.max(preferred, profile.minPartSize, 1);
  if (Math.ceil(size / partSize) > profile.maxPartNumber) {
    const needed = Math.ceil(size / profile.maxPartNumber);
    partSize = Math.min(Math.ceil(needed / MiB) * MiB, profile.maxPartSize);
    if (partSize < needed) partSize = needed;
  }
  const partCount = Math.max(1, Math.ceil(size / partSize));
  if (partCount > profile.maxPartNumber || partSize > profile.maxPartSize) {
    throw new BosError({
      status: 0,
      code: "EntityTooLarge",
      message:
        `Object of ${size} bytes does not fit in ${profile.maxPartNumber} parts of at most ${profile.maxPartSize} bytes`,
    });
  }
  return { size, partSize, partCount };
}

/**
 * One part of a fixed plan.
 *
 * @param plan The plan from {@link planParts}.
 * @param partNumber 1-based part number.
 * @returns Its offset and size.
 *
 * @example
 * ```ts
 * import { partOf, planParts } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * const plan = planParts(20 * 1024 * 1024 + 5);
 * assert.deepEqual(partOf(plan, 3), { partNumber: 3, offset: 16 * 1024 * 1024, size: 4 * 1024 * 1024 + 5 });
 * ```
 */
export function partOf(plan: PartPlan, partNumber: number): PlannedPart {
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > plan.partCount) {
    throw new RangeError(`Part number must be between 1 and ${plan.partCount}, got ${partNumber}`);
  }
  const offset = (partNumber - 1) * plan.partSize;
  return { partNumber, offset, size: Math.min(plan.partSize, plan.size - offset) };
}

/**
 * Every part of a fixed plan, in order.
 *
 * @param plan The plan from {@link planParts}.
 * @returns The parts, numbered from 1.
 *
 * @example
 * ```ts
 * import { planParts, planPartList } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * const parts = planPartList(planParts(10, { partSize: 100 * 1024 }));
 * assert.deepEqual(parts, [{ partNumber: 1, offset: 0, size: 10 }]);
 * ```
 */
export function planPartList(plan: PartPlan): PlannedPart[] {
  const parts: PlannedPart[] = [];
  for (let n = 1; n <= plan.partCount; n++) parts.push(partOf(plan, n));
  return parts;
}

/** A part-size schedule for streams of unknown length: sizes double every `doublingInterval` parts. */
export interface GrowingPartSchedule {
  /** Size of parts 1..doublingInterval. */
  initialPartSize: number;
  /** How many parts share one size before it doubles. */
  doublingInterval: number;
  /** The cap (the profile's maximum part size). */
  maxPartSize: number;
  /** The highest part number allowed. */
  maxPartNumber: number;
}

/**
 * The size of part `partNumber` under a growing schedule:
 * `min(maxPartSize, initialPartSize × 2^floor((partNumber − 1) / doublingInterval))`.
 *
 * @param schedule The schedule.
 * @param partNumber 1-based part number.
 * @returns The part size in bytes.
 *
 * @example
 * ```ts
 * import { growingPartSize } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * const s = { initialPartSize: 8, doublingInterval: 2, maxPartSize: 20, maxPartNumber: 10000 };
 * assert.deepEqual([1, 2, 3, 4, 5].map((n) => growingPartSize(s, n)), [8, 8, 16, 16, 20]);
 * ```
 */
export function growingPartSize(schedule: GrowingPartSchedule, partNumber: number): number {
  const step = Math.floor((partNumber - 1) / schedule.doublingInterval);
  if (step >= 53) return schedule.maxPartSize;
  return Math.min(schedule.maxPartSize, schedule.initialPartSize * 2 ** step);
}

/**
 * Total bytes the first `parts` parts of a schedule carry.
 *
 * @param schedule The schedule.
 * @param parts How many parts (default: the schedule's maximum part number).
 * @returns The cumulative size in bytes.
 *
 * @example
 * ```ts
 * import { growingCapacity, growingSchedule, UNKNOWN_LENGTH_TARGET } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * assert(growingCapacity(growingSchedule()) >= UNKNOWN_LENGTH_TARGET);
 * ```
 */
export function growingCapacity(schedule: GrowingPartSchedule, parts?: number): number {
  const count = parts ?? schedule.maxPartNumber;
  let total = 0;
  let n = 1;
  while (n <= count) {
    const size = growingPartSize(schedule, n);
    if (size >= schedule.maxPartSize) return total + (count - n + 1) * schedule.maxPartSize;
    const stepEnd = Math.min(
      count,
      (Math.floor((n - 1) / schedule.doublingInterval) + 1) * schedule.doublingInterval,
    );
    total += (stepEnd - n + 1) * size;
    n = stepEnd + 1;
  }
  return total;
}

/**
 * The growing schedule for an unknown-length stream: starts at the preferred part size and doubles
 * as late as possible — the largest doubling interval that still lets 10000 parts carry
 * {@link UNKNOWN_LENGTH_TARGET} bytes — so small streams use small parts and memory stays bounded.
 *
 * @param options Preferred first part size and profile.
 * @returns The schedule.
 *
 * @example The default schedule (8 MiB parts, doubling every 108 parts)
 * ```ts
 * import { growingSchedule } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * const s = growingSchedule();
 * assert.equal(s.initialPartSize, 8 * 1024 * 1024);
 * assert.equal(s.doublingInterval, 108);
 * ```
 */
export function growingSchedule(options: PartPlanOptions = {}): GrowingPartSchedule {
  const profile = options.profile ?? DEFAULT_PROFILE;
  const preferred = options.partSize ?? DEFAULT_PART_SIZE;
  checkSize("Part size", preferred);
  const initialPartSize = Math.min(Math.max(preferred, profile.minPartSize, 1), profile.maxPartSize);
  if (options.maxPartSize !== undefined) checkSize("Maximum part size", options.maxPartSize);
  const maxPartSize = Math.max(
    initialPartSize,
    Math.min(options.maxPartSize ?? Infinity, profile.maxPartSize),
  );
  const target = Math.min(UNKNOWN_LENGTH_TARGET, profile.maxObjectSize);
  const make = (doublingInterval: number): GrowingPartSchedule => ({
    initialPartSize,
    doublingInterval,
    maxPartSize,
    maxPartNumber: profile.maxPartNumber,
  });
  let lo = 1;
  let hi = Math.max(1, profile.maxPartNumber);
  if (growingCapacity(make(hi)) >= target) return make(hi);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (growingCapacity(make(mid)) >= target) lo = mid;
    else hi = mid - 1;
  }
  return make(lo);
}
