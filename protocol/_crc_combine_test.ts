import assert from "node:assert/strict";
import fc from "fast-check";
import { crc32Combine, crc32OfParts } from "./_crc_combine.ts";
import { crcToDecimal } from "./encoding.ts";
import { hash } from "./hash.ts";

const crc = async (data: Uint8Array) => new DataView((await hash("crc32", data)).buffer).getUint32(0);
const u32 = fc.integer({ min: 0, max: 0xffffffff });

Deno.test("law: combine(crc(a), crc(b), len(b)) is crc(a ‖ b), empty pieces included", async () => {
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), fc.uint8Array({ maxLength: 3000 }), async (a, b) => {
      const ab = new Uint8Array([...a, ...b]);
      assert.equal(crc32Combine(await crc(a), await crc(b), b.length), await crc(ab));
    }),
    { numRuns: 300 },
  );
});

Deno.test("law: combining is associative, for lengths far past 2^32", () => {
  fc.assert(
    fc.property(
      u32,
      u32,
      u32,
      fc.integer({ min: 0, max: 2 ** 40 }),
      fc.integer({ min: 0, max: 2 ** 40 }),
      (x, y, z, m, n) => {
        assert.equal(
          crc32Combine(crc32Combine(x, y, m), z, n),
          crc32Combine(x, crc32Combine(y, z, n), m + n),
        );
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("crc32Combine: known values past 2^32 bytes (computed by hashing 4 GiB of zeros once)", async () => {
  const zeros = 2 ** 32 + 5;
  // CRC32 of 2^32 + 5 zero bytes, and of "123456789" followed by them.
  const crcZeros = 2982322595;
  assert.equal(crc32Combine(await crc(new TextEncoder().encode("123456789")), crcZeros, zeros), 1492673838);
  assert.equal(crc32Combine(0, crcZeros, zeros), crcZeros, "an empty first piece");
  assert.equal(crc32Combine(0xcbf43926, 0, 0), 0xcbf43926, "an empty second piece");
});

Deno.test("law: crc32OfParts of any split is the whole's CRC32; unknown when a part's CRC32 is", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.uint8Array({ maxLength: 2000 }),
      fc.array(fc.nat(), { maxLength: 6 }),
      async (data, cuts) => {
        const at = [0, ...cuts.map((c) => c % (data.length + 1)).sort((a, b) => a - b), data.length];
        const parts: { crc32?: string; size: number }[] = [];
        for (let i = 1; i < at.length; i++) {
          const piece = data.subarray(at[i - 1], at[i]);
          parts.push({ crc32: crcToDecimal(await hash("crc32", piece)), size: piece.length });
        }
        assert.equal(crc32OfParts(parts), crcToDecimal(await hash("crc32", data)));
        parts[parts.length - 1].crc32 = undefined;
        assert.equal(crc32OfParts(parts), undefined);
      },
    ),
    { numRuns: 200 },
  );
  assert.equal(crc32OfParts([{ crc32: "4294967296", size: 1 }]), undefined, "not a 32-bit value");
  assert.equal(crc32OfParts([{ crc32: "-1", size: 1 }]), undefined);
});

Deno.test("crc32Combine: refuses lengths that are not non-negative safe integers", () => {
  for (const bad of [-1, 1.5, NaN, 2 ** 53]) {
    assert.throws(() => crc32Combine(0, 0, bad), RangeError);
  }
});
