/**
 * Part math: the client's part plan obeys the limits, and the endpoint enforces part numbers, the
 * minimum non-last part size, part order and part identity, and assembles parts byte-exactly.
 *
 * @module
 */
import fc from "fast-check";
import { growingPartSize, growingSchedule, planPartList, planParts } from "../../client/upload/part_plan.ts";
import { BosError } from "../../protocol/errors.ts";
import { type CheckContext, type CheckDef, ensure, LawViolation } from "../_check.ts";
import {
  abortQuietly,
  bytesEqual,
  complete,
  describeDifference,
  expectError,
  expectOk,
  initiate,
  md5Hex,
  mustUploadPart,
  patternBytes,
  uploadPart,
  withUpload,
} from "../_ops.ts";

const suite = "part_math" as const;

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

/** An upload with parts 1..n of exactly `size` bytes, for checks that only vary the Complete list. */
async function fixedUpload(ctx: CheckContext, n: number, size: number) {
  const key = ctx.ns + "upload";
  const uploadId = await initiate(ctx.http, key);
  const etags: string[] = [];
  for (let i = 1; i <= n; i++) {
    etags.push(await mustUploadPart(ctx.http, key, uploadId, i, patternBytes(size, i)));
  }
  return { key, uploadId, etags };
}

async function assembleAndRead(
  ctx: CheckContext,
  key: string,
  parts: Array<{ partNumber: number; data: Uint8Array }>,
): Promise<void> {
  const uploadId = await initiate(ctx.http, key);
  const listed: Array<{ partNumber: number; eTag: string }> = [];
  // Upload in reverse order: the endpoint must order by part number, not by arrival.
  for (const p of [...parts].reverse()) {
    listed.unshift({
      partNumber: p.partNumber,
      eTag: await mustUploadPart(ctx.http, key, uploadId, p.partNumber, p.data),
    });
  }
  const done = await complete(ctx.http, key, uploadId, listed);
  expectOk(done, "CompleteMultipartUpload");
  const expected = concat(parts.map((p) => p.data));
  const get = await ctx.http.send({ method: "GET", key });
  expectOk(get, "GetObject of the assembled object");
  ensure(
    bytesEqual(get.body, expected),
    `Assembled object: ${describeDifference(get.body, expected)}`,
    get.exchange,
  );
  await ctx.http.send({ method: "DELETE", key });
}

/** The part-math checks. */
export const PART_MATH_CHECKS: CheckDef[] = [
  {
    id: "part_math.plan-obeys-limits",
    suite,
    law:
      "For any size and part-size setting the client's part plan uses at most maxPartNumber parts, every non-last part is between minPartSize and maxPartSize, and the parts tile the body exactly",
    needsEndpoint: false,
    numRuns: 300,
    async run(ctx) {
      const p = ctx.profile;
      const sizes = fc.oneof(
        fc.integer({ min: 0, max: 64 * 1024 * 1024 }),
        fc.integer({ min: 0, max: Math.min(p.maxObjectSize + 1, Number.MAX_SAFE_INTEGER) }),
      );
      const partSizes = fc.option(fc.integer({ min: 0, max: p.maxPartSize }), { nil: undefined });
      await ctx.property([sizes, partSizes], (size, partSize) => {
        let plan;
        try {
          plan = planParts(size, { partSize, profile: p });
        } catch (e) {
          const capacity = Math.min(p.maxObjectSize, p.maxPartNumber * p.maxPartSize);
          if (e instanceof BosError && e.code === "EntityTooLarge" && size > capacity) return;
          throw new LawViolation(`planParts(${size}, ${partSize}) threw ${String(e)}`);
        }
        ensure(
          plan.partCount >= 1 && plan.partCount <= p.maxPartNumber,
          `partCount ${plan.partCount} out of 1..${p.maxPartNumber}`,
        );
        ensure(plan.partSize <= p.maxPartSize, `partSize ${plan.partSize} above ${p.maxPartSize}`);
        if (plan.partCount > 1) {
          ensure(plan.partSize >= p.minPartSize, `partSize ${plan.partSize} below ${p.minPartSize}`);
        }
        ensure(
          plan.partSize * (plan.partCount - 1) < Math.max(size, 1) && size <= plan.partSize * plan.partCount,
          `${plan.partCount} parts of ${plan.partSize} do not tile ${size} bytes`,
        );
        if (plan.partCount <= 64) {
          const list = planPartList(plan);
          let offset = 0;
          for (const part of list) {
            ensure(
              part.offset === offset,
              `part ${part.partNumber} starts at ${part.offset}, expected ${offset}`,
            );
            offset += part.size;
          }
          ensure(offset === size, `parts add up to ${offset}, expected ${size}`);
        }
        const schedule = growingSchedule({ partSize, profile: p });
        for (const n of [1, 2, Math.ceil(p.maxPartNumber / 2), p.maxPartNumber]) {
          const s = growingPartSize(schedule, n);
          ensure(
            s >= Math.min(p.minPartSize, p.maxPartSize) && s <= p.maxPartSize,
            `growing part ${n} has size ${s}`,
          );
        }
      });
    },
  },
  {
    id: "part_math.part-number-out-of-range-rejected",
    suite,
    law: "UploadPart with partNumber 0 or above maxPartNumber (10000) is refused with 400 InvalidArgument",
    numRuns: 12,
    async run(ctx) {
      const key = ctx.ns + "upload";
      return await withUpload(ctx.http, key, async (uploadId) => {
        for (const n of [0, ctx.profile.maxPartNumber + 1]) {
          expectError(
            await uploadPart(ctx.http, key, uploadId, n, "x"),
            400,
            "InvalidArgument",
            `UploadPart ${n}`,
          );
        }
        await ctx.property(
          [fc.integer({ min: ctx.profile.maxPartNumber + 1, max: ctx.profile.maxPartNumber * 100 })],
          async (n) => {
            expectError(
              await uploadPart(ctx.http, key, uploadId, n, "x"),
              400,
              "InvalidArgument",
              `UploadPart ${n}`,
            );
          },
        );
      });
    },
  },
  {
    id: "part_math.part-numbers-1-and-max-accepted",
    suite,
    law: "UploadPart accepts partNumber 1 and partNumber maxPartNumber (10000)",
    async run(ctx) {
      const key = ctx.ns + "upload";
      return await withUpload(ctx.http, key, async (uploadId) => {
        expectOk(await uploadPart(ctx.http, key, uploadId, 1, "a"), "UploadPart 1");
        expectOk(
          await uploadPart(ctx.http, key, uploadId, ctx.profile.maxPartNumber, "b"),
          `UploadPart ${ctx.profile.maxPartNumber}`,
        );
      });
    },
  },
  {
    id: "part_math.small-non-last-part-rejected-at-complete",
    suite,
    law:
      "CompleteMultipartUpload with a non-last part of a few bytes is refused with 400 EntityTooSmall (UploadPart itself accepts it)",
    numRuns: 12,
    async run(ctx) {
      await ctx.property(
        [fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 2, maxLength: 4 })],
        async (sizes) => {
          const key = ctx.fresh() + "upload";
          return await withUpload(ctx.http, key, async (uploadId) => {
            const parts = [];
            for (let i = 0; i < sizes.length; i++) {
              parts.push({
                partNumber: i + 1,
                eTag: await mustUploadPart(ctx.http, key, uploadId, i + 1, patternBytes(sizes[i], i)),
              });
            }
            expectError(
              await complete(ctx.http, key, uploadId, parts),
              400,
              "EntityTooSmall",
              "CompleteMultipartUpload with tiny parts",
            );
          });
        },
      );
    },
  },
  {
    id: "part_math.non-last-part-one-byte-below-minimum-rejected",
    suite,
    law:
      "CompleteMultipartUpload whose first part is minPartSize − 1 bytes is refused with 400 EntityTooSmall",
    async run(ctx) {
      const key = ctx.ns + "upload";
      return await withUpload(ctx.http, key, async (uploadId) => {
        const a = await mustUploadPart(
          ctx.http,
          key,
          uploadId,
          1,
          patternBytes(ctx.profile.minPartSize - 1, 1),
        );
        const b = await mustUploadPart(ctx.http, key, uploadId, 2, "last");
        const r = await complete(ctx.http, key, uploadId, [{ partNumber: 1, eTag: a }, {
          partNumber: 2,
          eTag: b,
        }]);
        expectError(
          r,
          400,
          "EntityTooSmall",
          `Complete with a first part of ${ctx.profile.minPartSize - 1} bytes`,
        );
      });
    },
  },
  {
    id: "part_math.non-last-part-of-exactly-minimum-accepted",
    suite,
    law: "CompleteMultipartUpload whose non-last parts are exactly minPartSize bytes succeeds",
    async run(ctx) {
      const min = ctx.profile.minPartSize;
      await assembleAndRead(ctx, ctx.ns + "exact", [
        { partNumber: 1, data: patternBytes(min, 11) },
        { partNumber: 2, data: patternBytes(min, 12) },
        { partNumber: 3, data: patternBytes(3, 13) },
      ]);
    },
  },
  {
    id: "part_math.measured-min-part-size-equals-profile",
    suite,
    exclusive: true,
    law:
      "The smallest non-last part size CompleteMultipartUpload accepts (measured by binary search) equals the profile's minPartSize",
    async run(ctx) {
      const key = ctx.ns + "probe";
      let uploadId = await initiate(ctx.http, key);
      let tailEtag = await mustUploadPart(ctx.http, key, uploadId, 2, "tail");
      const accepted = async (size: number): Promise<boolean> => {
        const etag = await mustUploadPart(ctx.http, key, uploadId, 1, patternBytes(size, size));
        const r = await complete(ctx.http, key, uploadId, [{ partNumber: 1, eTag: etag }, {
          partNumber: 2,
          eTag: tailEtag,
        }]);
        if (r.status === 200) {
          uploadId = await initiate(ctx.http, key);
          tailEtag = await mustUploadPart(ctx.http, key, uploadId, 2, "tail");
          return true;
        }
        if (r.status !== 400 || (r.json() as { code?: string } | undefined)?.code !== "EntityTooSmall") {
          throw new LawViolation(
            `Complete with a ${size}-byte first part answered ${r.status} ${r.text().slice(0, 200)}`,
            r.exchange,
          );
        }
        return false;
      };
      try {
        const cap = 64 * 1024 * 1024;
        let hi = Math.max(1, ctx.profile.minPartSize);
        while (!(await accepted(hi))) {
          if (hi >= cap) {
            ctx.finding("minPartSize", `> ${cap}`, "no accepted size up to the probe cap");
            throw new LawViolation(`No non-last part up to ${cap} bytes was accepted`);
          }
          hi = Math.min(hi * 2, cap);
        }
        let lo = 0;
        if (await accepted(1)) hi = 1;
        else lo = 1;
        while (hi - lo > 1) {
          const mid = Math.floor((lo + hi) / 2);
          if (await accepted(mid)) hi = mid;
          else lo = mid;
        }
        ctx.finding("minPartSize", hi, "smallest non-last part accepted at Complete, by binary search");
        ensure(
          hi === ctx.profile.minPartSize,
          `Measured minimum part size ${hi} bytes, profile says ${ctx.profile.minPartSize}`,
        );
      } finally {
        await abortQuietly(ctx.http, key, uploadId);
        await ctx.http.send({ method: "DELETE", key });
      }
    },
  },
  {
    id: "part_math.single-small-part-completes",
    suite,
    law: "An upload of one part of any size (even 0 or 4 bytes) completes and reads back exactly",
    numRuns: 12,
    async run(ctx) {
      await ctx.property([fc.integer({ min: 0, max: 16 })], async (size) => {
        await assembleAndRead(ctx, ctx.fresh() + "single", [{
          partNumber: 1,
          data: patternBytes(size, size),
        }]);
      });
    },
  },
  {
    id: "part_math.unordered-part-list-rejected",
    suite,
    law:
      "CompleteMultipartUpload whose part list is not strictly ascending (descending or duplicated numbers) is refused with 400 InvalidPartOrder",
    numRuns: 15,
    async run(ctx) {
      const { key, uploadId, etags } = await fixedUpload(ctx, 3, ctx.profile.minPartSize);
      try {
        const lists = fc.oneof(
          fc.shuffledSubarray([1, 2, 3], { minLength: 2, maxLength: 3 })
            .filter((l) => l.some((n, i) => i > 0 && n <= l[i - 1])),
          fc.integer({ min: 1, max: 3 }).map((n) => [1, 2, 3].filter((x) => x <= n).concat([n]).sort()),
        );
        await ctx.property([lists], async (numbers) => {
          const parts = numbers.map((n) => ({ partNumber: n, eTag: etags[n - 1] }));
          const r = await complete(ctx.http, key, uploadId, parts);
          expectError(r, 400, "InvalidPartOrder", `Complete with part order ${numbers.join(",")}`);
        });
      } finally {
        await abortQuietly(ctx.http, key, uploadId);
      }
    },
  },
  {
    id: "part_math.unknown-or-mismatched-part-rejected",
    suite,
    law:
      "CompleteMultipartUpload listing a part that was not uploaded, or with another part's eTag, is refused with 400 InvalidPart",
    numRuns: 15,
    async run(ctx) {
      const { key, uploadId, etags } = await fixedUpload(ctx, 2, ctx.profile.minPartSize);
      try {
        const bad = fc.oneof(
          fc.integer({ min: 3, max: 50 }).map((n) => ({ kind: "missing" as const, n })),
          fc.constantFrom(1, 2).map((n) => ({ kind: "wrong-etag" as const, n })),
        );
        await ctx.property([bad], async (b) => {
          const parts = [{ partNumber: 1, eTag: etags[0] }, { partNumber: 2, eTag: etags[1] }];
          if (b.kind === "missing") parts.push({ partNumber: b.n, eTag: etags[0] });
          else parts[b.n - 1].eTag = await md5Hex("not this part " + b.n);
          const r = await complete(ctx.http, key, uploadId, parts);
          expectError(r, 400, "InvalidPart", `Complete with a ${b.kind} part ${b.n}`);
        });
      } finally {
        await abortQuietly(ctx.http, key, uploadId);
      }
    },
  },
  {
    id: "part_math.reuploaded-part-replaces-earlier",
    suite,
    law:
      "Uploading a part number again replaces the earlier part: ListParts shows the new eTag and the object holds the new bytes",
    async run(ctx) {
      const key = ctx.ns + "upload";
      return await withUpload(ctx.http, key, async (uploadId) => {
        await mustUploadPart(ctx.http, key, uploadId, 1, "first version of the part");
        const second = new TextEncoder().encode("second");
        const etag = await mustUploadPart(ctx.http, key, uploadId, 1, second);
        ensure(etag === await md5Hex(second), `UploadPart eTag ${etag} is not the MD5 of the new bytes`);
        const list = await ctx.http.send({ method: "GET", key, query: { uploadId } });
        expectOk(list, "ListParts");
        const parts =
          (list.json() as { parts?: Array<{ partNumber: number; eTag: string; size: number }> })?.parts ?? [];
        ensure(parts.length === 1, `ListParts shows ${parts.length} parts, expected 1`, list.exchange);
        ensure(
          parts[0].eTag.replace(/"/g, "") === etag && parts[0].size === second.length,
          `ListParts shows ${JSON.stringify(parts[0])}`,
          list.exchange,
        );
        expectOk(await complete(ctx.http, key, uploadId, [{ partNumber: 1, eTag: etag }]), "Complete");
        const get = await ctx.http.send({ method: "GET", key });
        ensure(bytesEqual(get.body, second), `Object: ${describeDifference(get.body, second)}`, get.exchange);
      });
    },
  },
  {
    id: "part_math.assembled-bytes-equal-concatenation",
    suite,
    law:
      "For random part counts, sizes (non-last ≥ minPartSize, unequal) and part-number gaps, the completed object equals the concatenation of the listed parts",
    numRuns: 12,
    async run(ctx) {
      const min = ctx.profile.minPartSize;
      const plan = fc.tuple(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 4096 }), fc.integer({ min: 1, max: 3 })), {
          maxLength: 2,
        }),
        fc.integer({ min: 0, max: 4096 }),
        fc.integer({ min: 1, max: 3 }),
        fc.nat(),
      );
      await ctx.property([plan], async ([nonLast, lastSize, lastGap, seed]) => {
        const parts: Array<{ partNumber: number; data: Uint8Array }> = [];
        let n = 0;
        for (const [extra, gap] of nonLast) {
          n += gap;
          parts.push({ partNumber: n, data: patternBytes(min + extra, seed + n) });
        }
        n += lastGap;
        parts.push({ partNumber: n, data: patternBytes(lastSize, seed + n) });
        await assembleAndRead(ctx, ctx.fresh() + "assembled", parts);
      });
    },
  },
  {
    id: "part_math.unequal-part-sizes-assemble",
    suite,
    law: "Parts of unequal sizes (growing, then shrinking) assemble in part-number order",
    async run(ctx) {
      const min = ctx.profile.minPartSize;
      await assembleAndRead(ctx, ctx.ns + "unequal", [
        { partNumber: 1, data: patternBytes(min, 1) },
        { partNumber: 2, data: patternBytes(min + 4097, 2) },
        { partNumber: 5, data: patternBytes(min + 1, 5) },
        { partNumber: 9, data: patternBytes(17, 9) },
      ]);
    },
  },
];
