import assert from "node:assert/strict";
import fc from "fast-check";
import {
  DEFAULT_PART_SIZE,
  growingCapacity,
  growingPartSize,
  growingSchedule,
  partOf,
  planPartList,
  planParts,
  UNKNOWN_LENGTH_TARGET,
} from "./part_plan.ts";
import { BosError } from "../../protocol/errors.ts";
import { DEFAULT_PROFILE, GiB, KiB, makeProfile, MiB } from "../../protocol/limits.ts";

const MAX = DEFAULT_PROFILE.maxObjectSize;
const sizes = fc.oneof(
  fc.integer({ min: 0, max: 64 * MiB }),
  fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }).map((n) => n % (MAX + 1)),
  fc.constantFrom(0, 1, MAX, MAX - 1, 10000 * DEFAULT_PART_SIZE, 10000 * DEFAULT_PART_SIZE + 1),
);
const partSizes = fc.option(fc.integer({ min: 1, max: 5 * GiB }), { nil: undefined });
const profiles = fc.constantFrom(DEFAULT_PROFILE, makeProfile({ minPartSize: 5 * MiB }));

Deno.test("planParts: every plan covers the size exactly with consecutive parts", () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 2 * GiB }), partSizes, (size, partSize) => {
    const parts = planPartList(planParts(size, { partSize }));
    let offset = 0;
    parts.forEach((p, i) => {
      assert.equal(p.partNumber, i + 1);
      assert.equal(p.offset, offset);
      offset += p.size;
    });
    assert.equal(offset, size);
  }));
});

Deno.test("planParts: part count is in 1..10000 and sizes obey the profile (non-last ≥ minimum, all ≤ 5 GiB)", () => {
  fc.assert(fc.property(sizes, partSizes, profiles, (size, partSize, profile) => {
    const plan = planParts(size, { partSize, profile });
    assert(plan.partCount >= 1 && plan.partCount <= profile.maxPartNumber);
    assert(plan.partSize >= profile.minPartSize);
    assert(plan.partSize <= profile.maxPartSize);
    assert(plan.partSize * plan.partCount >= size);
    assert(plan.partSize * (plan.partCount - 1) < size || size === 0);
    const last = partOf(plan, plan.partCount);
    assert.equal(last.offset + last.size, size);
    assert(last.size <= plan.partSize);
  }));
});

Deno.test("planParts: the part size is the smallest ≥ the preferred size that fits, rounded up to 1 MiB", () => {
  fc.assert(fc.property(sizes, (size) => {
    const plan = planParts(size);
    if (Math.ceil(size / DEFAULT_PART_SIZE) <= 10000) assert.equal(plan.partSize, DEFAULT_PART_SIZE);
    else {
      assert.equal(plan.partSize % MiB, 0);
      assert(Math.ceil(size / (plan.partSize - MiB)) > 10000, "one MiB less would need too many parts");
    }
  }));
});

Deno.test("planParts: deterministic (same input, same plan)", () => {
  fc.assert(fc.property(sizes, partSizes, (size, partSize) => {
    assert.deepEqual(planParts(size, { partSize }), planParts(size, { partSize }));
  }));
});

Deno.test("planParts: never below the profile minimum even when a smaller part size is asked for", () => {
  assert.equal(planParts(10 * MiB, { partSize: 1 }).partSize, 100 * KiB);
  assert.equal(
    planParts(10 * MiB, { partSize: 1, profile: makeProfile({ minPartSize: 5 * MiB }) }).partSize,
    5 * MiB,
  );
});

Deno.test("planParts: refuses objects over 10000 × 5 GiB with EntityTooLarge", () => {
  assert.throws(
    () => planParts(MAX + 1),
    (e) => e instanceof BosError && e.code === "EntityTooLarge" && e.status === 0,
  );
  assert.throws(() => planParts(-1), (e) => e instanceof BosError && e.code === "InvalidArgument");
});

Deno.test("growingSchedule: unknown-length schedule reaches ≥ 48.8 TB cumulative within 10000 parts", () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 5 * GiB }), profiles, (partSize, profile) => {
    const s = growingSchedule({ partSize, profile });
    assert(growingCapacity(s, 10000) >= UNKNOWN_LENGTH_TARGET);
  }));
});

Deno.test("growingSchedule: sizes never shrink, stay within [minimum, 5 GiB] and start at the preferred size", () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 5 * GiB }), fc.integer({ min: 1, max: 9999 }), (partSize, n) => {
      const s = growingSchedule({ partSize });
      const a = growingPartSize(s, n);
      const b = growingPartSize(s, n + 1);
      assert(a <= b);
      assert(a >= DEFAULT_PROFILE.minPartSize && b <= 5 * GiB);
      assert.equal(growingPartSize(s, 1), Math.max(partSize, DEFAULT_PROFILE.minPartSize));
    }),
  );
});

Deno.test("growingCapacity: equals the sum of the part sizes", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 100 * KiB, max: 64 * MiB }),
      fc.integer({ min: 1, max: 3000 }),
      (partSize, count) => {
        const s = growingSchedule({ partSize });
        let total = 0;
        for (let n = 1; n <= count; n++) total += growingPartSize(s, n);
        assert.equal(growingCapacity(s, count), total);
      },
    ),
    { numRuns: 30 },
  );
});

Deno.test("growingSchedule: small streams use small parts (the first 100 parts are the preferred size)", () => {
  const s = growingSchedule();
  for (let n = 1; n <= 100; n++) assert.equal(growingPartSize(s, n), DEFAULT_PART_SIZE);
});

Deno.test("law: with maxPartSize no part exceeds it, and maxPartSize = partSize keeps every part equal", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 100 * KiB, max: 64 * MiB }),
      fc.integer({ min: 0, max: 5 * GiB }),
      fc.integer({ min: 1, max: 10000 }),
      (partSize, cap, n) => {
        const capped = growingSchedule({ partSize, maxPartSize: cap });
        assert(
          growingPartSize(capped, n) <= Math.max(cap, partSize),
          "never above the cap (or the first part)",
        );
        const fixed = growingSchedule({ partSize, maxPartSize: partSize });
        assert.equal(growingPartSize(fixed, n), partSize);
        assert.equal(
          growingCapacity(fixed, 10000),
          partSize * 10000,
          "a fixed schedule carries partSize × 10000",
        );
      },
    ),
  );
  assert.throws(
    () => growingSchedule({ maxPartSize: -1 }),
    (e) => e instanceof BosError && e.code === "InvalidArgument",
  );
});
