/**
 * The model suite: random sequences of BOS operations (with their failing forms) on a pool of keys
 * built to provoke encoding, case and ordering bugs, driven through `fc.commands` against the endpoint
 * and an in-memory model of the bucket (`model/bucket.ts`). After every step the whole bucket is
 * observed — listing, HEAD and GET of every key, a Range read and a conditional GET of every new
 * object version, uploads and their parts — and every observable is compared with the model.
 *
 * @module
 */
import fc from "fast-check";
import type { CheckContext, CheckDef } from "../_check.ts";
import { BucketModel } from "../model/bucket.ts";
import { metaMap } from "./_arb.ts";
import {
  attributes,
  CLASSES,
  conditionPick,
  keyPool,
  listPick,
  partSize,
  rangePick,
  size,
} from "./_model_arb.ts";
import {
  AppendAt,
  AppendCreate,
  Copy,
  Delete,
  DeleteMany,
  List,
  Put,
  type PutFault,
  Read,
  Tick,
} from "./_model_cmd_objects.ts";
import {
  Abort,
  Complete,
  type CompleteList,
  Initiate,
  ListParts,
  ListUploads,
  UploadPart,
  UploadPartCopy,
  type UploadSel,
} from "./_model_cmd_multipart.ts";
import { prng, type Real, sweep } from "./_model_observe.ts";
import { type ModelState, report, type Step } from "./_model_step.ts";
import { metadataSizeModel } from "../model/metadata.ts";

const suite = "model" as const;

type Weighted = Array<{ weight: number; arbitrary: fc.Arbitrary<Step> }>;

const idx = fc.nat({ max: 63 });
const seed = fc.nat();

interface Mix {
  put?: number;
  appendCreate?: number;
  appendAt?: number;
  copy?: number;
  delete?: number;
  deleteMany?: number;
  read?: number;
  list?: number;
  tick?: number;
  initiate?: number;
  uploadPart?: number;
  uploadPartCopy?: number;
  complete?: number;
  abort?: number;
  listParts?: number;
  listUploads?: number;
}

function commandsOf(ctx: CheckContext, mix: Mix, largeWeight: number): fc.Arbitrary<Step> {
  const max = ctx.maxObjectSize;
  const budget = ctx.profile.maxUserMetadataSize;
  const attrs = attributes(budget);
  const sizes = size(max, largeWeight);
  const sel: fc.Arbitrary<UploadSel> = fc.oneof(
    { weight: 10, arbitrary: idx.map((i) => ({ kind: "live" as const, i })) },
    { weight: 1, arbitrary: idx.map((i) => ({ kind: "dead" as const, i })) },
    { weight: 1, arbitrary: fc.constant({ kind: "never" as const }) },
  );
  const partNumber = fc.oneof(
    { weight: 12, arbitrary: fc.integer({ min: 1, max: 6 }) },
    { weight: 1, arbitrary: fc.constant(ctx.profile.maxPartNumber) },
    { weight: 1, arbitrary: fc.constantFrom(0, ctx.profile.maxPartNumber + 1) },
  );
  const putFault = fc.constantFrom<PutFault>(
    "none",
    "none",
    "none",
    "none",
    "none",
    "none",
    "bad-md5",
    "meta-too-large",
    "bad-class",
  );
  const delta = fc.oneof({ weight: 5, arbitrary: fc.constant(0) }, {
    weight: 2,
    arbitrary: fc.integer({ min: -5, max: 5 }),
  });
  const noClass = attributes(budget, []);
  const all: Record<keyof Mix, () => fc.Arbitrary<Step>> = {
    put: () => fc.tuple(idx, sizes, seed, attrs, putFault).map((a) => new Put(...a)),
    appendCreate: () => fc.tuple(idx, sizes, seed, attrs).map((a) => new AppendCreate(...a)),
    appendAt: () => fc.tuple(idx, sizes, seed, delta, noClass).map((a) => new AppendAt(...a)),
    copy: () =>
      fc.tuple(
        idx,
        idx,
        fc.constantFrom<"none" | "copy" | "replace">("none", "copy", "replace", "replace"),
        attrs,
        fc.boolean(),
        fc.option(fc.constantFrom(...CLASSES, "GLACIER"), { nil: undefined, freq: 2 }),
        fc.option(conditionPick, { nil: undefined, freq: 2 }),
      ).map((a) => new Copy(...a)),
    delete: () => idx.map((k) => new Delete(k)),
    deleteMany: () => fc.array(idx, { minLength: 1, maxLength: 4 }).map((ks) => new DeleteMany(ks)),
    read: () =>
      fc.tuple(idx, fc.oneof(rangePick.map((range) => ({ range })), conditionPick.map((cond) => ({ cond }))))
        .map(([k, pick]) => new Read(k, pick)),
    list: () => listPick.map((p) => new List(p)),
    tick: () => fc.constant(new Tick()),
    initiate: () =>
      fc.tuple(idx, attrs, fc.constantFrom(false, false, false, false, false, false, true)).map((a) =>
        new Initiate(...a)
      ),
    uploadPart: () =>
      fc.tuple(sel, partNumber, partSize(largeWeight > 1), seed).map((a) => new UploadPart(...a)),
    uploadPartCopy: () =>
      fc.tuple(
        sel,
        partNumber,
        idx,
        fc.option(
          fc.record({
            at: fc.double({ min: 0, max: 0.99, noNaN: true }),
            span: fc.double({ min: 0, max: 1, noNaN: true }),
            beyond: fc.constantFrom(false, false, false, false, false, true),
          }),
          { nil: undefined, freq: 4 },
        ),
      ).map((a) => new UploadPartCopy(...a)),
    complete: () =>
      fc.tuple(
        sel,
        fc.constantFrom<CompleteList>(
          "all",
          "all",
          "all",
          "all",
          "subset",
          "wrong-etag",
          "swap",
          "duplicate",
          "missing",
        ),
        fc.nat({ max: 255 }),
        fc.oneof({ weight: 3, arbitrary: fc.constant([]) }, {
          weight: 1,
          arbitrary: metaMap(3).filter((mm) => metadataSizeModel(mm) <= budget),
        }),
      ).map((a) => new Complete(...a)),
    abort: () => sel.map((s) => new Abort(s)),
    listParts: () =>
      fc.tuple(
        sel,
        fc.constantFrom(0, 0, 1, 2, 3),
        fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
      )
        .map((a) => new ListParts(...a)),
    listUploads: () => listPick.map((p) => new ListUploads(p)),
  };
  const weighted: Weighted = [];
  for (const [name, weight] of Object.entries(mix) as Array<[keyof Mix, number]>) {
    if (weight > 0) weighted.push({ weight, arbitrary: all[name]() });
  }
  return fc.oneof(...weighted);
}

interface Spec {
  /** Commands every run starts with. */
  prologue?: (ctx: CheckContext) => fc.Arbitrary<Step[]>;
  pool: [number, number];
  mix: Mix;
  maxCommands: number;
  largeWeight: number;
  multipart: boolean;
}

/** Removes everything a run may have created under its namespace (quietly; the run's cleanup retries). */
async function cleanup(ctx: CheckContext, m: ModelState): Promise<void> {
  const http = ctx.http;
  const quiet = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch { /* the final cleanup of the run retries */ }
  };
  for (const u of m.b.uploads) {
    await quiet(() => http.send({ method: "DELETE", key: u.key, query: { uploadId: u.uploadId } }));
    http.untrackUpload(http.bucket, u.key, u.uploadId);
  }
  for (const key of new Set([...m.keys, ...m.b.objects.keys()])) {
    await quiet(() => http.send({ method: "DELETE", key }));
  }
  // Whatever an endpoint stored under other names (a key it rewrote) is listed and removed too.
  await quiet(async () => {
    const r = await http.send({ method: "GET", query: { prefix: m.ns, maxKeys: 1000 } });
    const keys = ((r.json() as { contents?: Array<{ key?: unknown }> } | undefined)?.contents ?? [])
      .map((c) => c.key).filter((k): k is string => typeof k === "string" && k.startsWith(m.ns));
    for (const key of keys) await quiet(() => http.send({ method: "DELETE", key }));
    const u = await http.send({ method: "GET", query: { uploads: null, prefix: m.ns } });
    for (
      const up
        of (u.json() as { uploads?: Array<{ key?: unknown; uploadId?: unknown }> } | undefined)?.uploads ?? []
    ) {
      if (typeof up.key === "string" && up.key.startsWith(m.ns) && typeof up.uploadId === "string") {
        await quiet(() =>
          http.send({ method: "DELETE", key: up.key as string, query: { uploadId: up.uploadId as string } })
        );
      }
    }
  });
}

async function modelProperty(ctx: CheckContext, spec: Spec): Promise<void> {
  const commands = fc.commands([commandsOf(ctx, spec.mix, spec.largeWeight)], {
    maxCommands: spec.maxCommands,
    size: "max",
    ...(ctx.replayPath ? { replayPath: ctx.replayPath } : {}),
  });
  const prologue = spec.prologue?.(ctx) ?? fc.constant([]);
  await ctx.property(
    [keyPool(spec.pool[1], spec.pool[0]), fc.nat(), prologue, commands],
    async (pool, probeSeed, first, cmds) => {
      const ns = ctx.fresh();
      const keys = pool.map((s) => ns + s);
      const model: ModelState = {
        ns,
        keys,
        b: new BucketModel({
          minPartSize: ctx.profile.minPartSize,
          maxPartNumber: ctx.profile.maxPartNumber,
          maxUserMetadataSize: ctx.profile.maxUserMetadataSize,
        }),
        maxObjectSize: ctx.maxObjectSize,
        ticks: 0,
      };
      const real: Real = {
        ctx,
        ns,
        keys,
        clock: Math.floor(ctx.http.now().getTime() / 1000) - 3600,
        log: [],
        multipart: spec.multipart,
        rng: prng(probeSeed),
        verified: new Map(),
        probed: new Map(),
      };
      try {
        try {
          await sweep(real, model.b);
        } catch (e) {
          throw report(e, real, "before the first step (the namespace must be empty)");
        }
        await fc.asyncModelRun(() => ({ model, real }), [...first, ...cmds]);
        if (Deno.env.get("MODEL_DEBUG")) {
          console.error(
            real.log.map((l, i) => `${i + 1}. ${l}`).join("\n") + "\n---",
          );
        }
        real.verified.clear();
        try {
          await sweep(real, model.b);
        } catch (e) {
          throw report(e, real, "after the last step (every object read whole)");
        }
      } finally {
        await cleanup(ctx, model);
      }
    },
  );
}

const SPECS: Record<string, Spec> = {
  objects: {
    pool: [2, 6],
    mix: { put: 6, appendCreate: 2, appendAt: 4, copy: 5, delete: 2, deleteMany: 1, read: 3, list: 2 },
    maxCommands: 14,
    largeWeight: 0,
    multipart: false,
  },
  multipart: {
    pool: [2, 4],
    mix: {
      put: 2,
      appendCreate: 1,
      appendAt: 1,
      copy: 1,
      read: 1,
      initiate: 4,
      uploadPart: 8,
      uploadPartCopy: 2,
      complete: 4,
      abort: 1,
      listParts: 1,
      listUploads: 2,
    },
    maxCommands: 16,
    largeWeight: 0,
    multipart: true,
  },
  listing: {
    pool: [5, 12],
    mix: { put: 8, copy: 2, appendCreate: 1, delete: 2, list: 8 },
    maxCommands: 16,
    largeWeight: 0,
    multipart: false,
  },
  large: {
    // Every run starts with an object of 60–100 % of the largest size, so the default run always has one.
    // and one upload in progress for the parts to go to.
    prologue: (ctx) =>
      fc.tuple(
        fc.double({ min: 0.6, max: 1, noNaN: true }),
        seed,
        attributes(ctx.profile.maxUserMetadataSize),
        attributes(ctx.profile.maxUserMetadataSize),
      ).map((
        [f, s, a, b],
      ) => [new Put(0, Math.floor(f * ctx.maxObjectSize), s, a, "none"), new Initiate(1, b, false)]),
    pool: [2, 3],
    mix: {
      put: 1,
      appendCreate: 1,
      appendAt: 2,
      copy: 3,
      read: 2,
      tick: 1,
      initiate: 2,
      uploadPart: 5,
      uploadPartCopy: 1,
      complete: 3,
    },
    maxCommands: 10,
    largeWeight: 40,
    multipart: true,
  },
};

/** The model checks. */
export const MODEL_CHECKS: CheckDef[] = [
  {
    id: "model.objects-match-model",
    suite,
    law:
      "Any sequence of PutObject, AppendObject (with and without offset, right and wrong), CopyObject (copy and replace directives, storage class, the four copy-source conditions, self-copy), DeleteObject, DeleteMultipleObjects, ranged and conditional reads and listings — failing forms included, on keys with reserved characters, spaces, trailing slashes, case-only differences, CJK and emoji — leaves every status, stored header (in its wire form), body, range, listing field and error body equal to the bucket model after every step",
    numRuns: 12,
    run: (ctx) => modelProperty(ctx, SPECS.objects),
  },
  {
    id: "model.multipart-matches-model",
    suite,
    law:
      "Any sequence of Initiate (headers, metadata, storage class), UploadPart in any order and again, UploadPartCopy with ranges, Complete (right list, wrong ETag, unordered, duplicated, missing or small non-last part), Abort, ListParts and ListMultipartUploads, mixed with object writes, leaves every upload, part, listing page and assembled object (headers, storage class, bytes, ranges across part boundaries) equal to the bucket model after every step",
    numRuns: 10,
    run: (ctx) => modelProperty(ctx, SPECS.multipart),
  },
  {
    id: "model.listings-match-model",
    suite,
    law:
      "Keys created, copied and deleted in random order list exactly as the model says for any prefix (including ones that differ from keys only in case), delimiter, marker and maxKeys: entries in UTF-8 byte order with their eTag, size, storage class and lastModified, common prefixes, isTruncated and nextMarker on every page",
    numRuns: 10,
    run: (ctx) => modelProperty(ctx, SPECS.listing),
  },
  {
    id: "model.large-objects-match-model",
    suite,
    law:
      "Objects of up to the run's maximum size (tens of MiB by default; --max-object-size) written by PutObject, AppendObject, CopyObject and multipart upload read back whole and in ranges exactly as the model says, never truncated",
    numRuns: 3,
    run: (ctx) => modelProperty(ctx, SPECS.large),
  },
];
