/**
 * The model suite: random sequences of BOS operations (with their failing forms) on a pool of keys
 * built to provoke encoding, case and ordering bugs, driven through `fc.commands` against the endpoint
 * and an in-memory model of the bucket (`model/bucket.ts`). After every step the whole bucket is
 * observed — listing, HEAD and GET of every key, a Range read and a conditional GET of every new
 * object version, uploads and their parts — and every observable is compared with the model. The
 * observations of a step are sent together and compared in a fixed order (`_model_sweep.ts`,
 * `_model_gather.ts`), so a step costs a few round trips and a failure reads the same at any latency.
 *
 * @module
 */
import fc from "fast-check";
import type { CheckContext, CheckDef } from "../_check.ts";
import { type HttpResponse, pool } from "../_http.ts";
import { BucketModel } from "../model/bucket.ts";
import { metaMap } from "./_arb.ts";
import {
  attributes,
  CLASSES,
  conditionPick,
  copyCondition,
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
  PutAll,
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
  UploadParts,
  type UploadSel,
} from "./_model_cmd_multipart.ts";
import { prng, type Real } from "./_model_observe.ts";
import { sweep } from "./_model_sweep.ts";
import { Limiter, MODEL_REQUESTS_IN_FLIGHT } from "./_model_gather.ts";
import { type KeySel, type ModelState, report, type Step } from "./_model_step.ts";
import { metadataSizeModel } from "../model/metadata.ts";

const suite = "model" as const;

type Weighted = Array<{ weight: number; arbitrary: fc.Arbitrary<Step> }>;

const idx = fc.nat({ max: 63 });
const seed = fc.nat();
/** A key selection: mostly an object of the wanted kind, sometimes any key of the pool. */
const keySel = (kind: KeySel["kind"], weight = 4): fc.Arbitrary<KeySel> =>
  fc.oneof(
    { weight, arbitrary: idx.map((i) => ({ kind, i })) },
    { weight: 1, arbitrary: idx.map((i) => ({ kind: "any" as const, i })) },
  );

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
  uploadParts?: number;
  uploadPartCopy?: number;
  complete?: number;
  abort?: number;
  listParts?: number;
  listUploads?: number;
}

/** Every key of the pool written, in a random order, with random sizes and headers. */
function putAll(ctx: CheckContext, max = 4096): fc.Arbitrary<Step> {
  return fc.tuple(
    fc.array(fc.nat({ max: 99 }), { minLength: 12, maxLength: 12 }),
    fc.array(
      fc.tuple(size(Math.min(max, ctx.maxObjectSize), 0), seed, attributes(ctx.profile.maxUserMetadataSize)),
      {
        minLength: 1,
        maxLength: 12,
      },
    ),
  ).map(([order, specs]) => new PutAll(order, specs));
}

/** Parts of at least the minimum size (so that the upload completes), in a random order. */
function fullParts(sel: UploadSel): fc.Arbitrary<Step> {
  return fc.tuple(
    fc.uniqueArray(fc.integer({ min: 1, max: 6 }), { minLength: 2, maxLength: 4 }),
    fc.array(fc.tuple(fc.integer({ min: 0, max: 999 }), seed), { minLength: 4, maxLength: 4 }),
  ).map(([ns, rest]) =>
    new UploadParts(
      sel,
      ns.map((n, i) => [n, { kind: "min" as const, plus: rest[i][0] }, rest[i][1]] as const),
    )
  );
}

/** Several parts of an upload, in a random order (numbers 1–6), with their sizes and seeds. */
function uploadParts(sel: fc.Arbitrary<UploadSel>, large: boolean): fc.Arbitrary<Step> {
  return fc.tuple(
    sel,
    fc.uniqueArray(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 4 }),
    fc.array(fc.tuple(partSize(large), seed), { minLength: 4, maxLength: 4 }),
  ).map(([s, ns, rest]) => new UploadParts(s, ns.map((n, i) => [n, rest[i][0], rest[i][1]] as const)));
}

function commandsOf(ctx: CheckContext, mix: Mix, largeWeight: number): fc.Arbitrary<Step> {
  const max = ctx.maxObjectSize;
  const budget = ctx.profile.maxUserMetadataSize;
  const attrs = attributes(budget);
  const sizes = size(max, largeWeight);
  const sel: fc.Arbitrary<UploadSel> = fc.oneof(
    { weight: 10, arbitrary: fc.nat({ max: 1 }).map((i) => ({ kind: "live" as const, i })) },
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
    put: () =>
      fc.tuple(
        fc.oneof(
          { weight: 3, arbitrary: idx },
          { weight: 1, arbitrary: keySel("appendable", 1) },
          { weight: 1, arbitrary: keySel("multipart", 1) },
        ),
        sizes,
        seed,
        attrs,
        putFault,
      ).map((a) => new Put(...a)),
    appendCreate: () => fc.tuple(idx, sizes, seed, attrs).map((a) => new AppendCreate(...a)),
    appendAt: () =>
      fc.tuple(
        fc.oneof(
          { weight: 3, arbitrary: keySel("appendable") },
          { weight: 1, arbitrary: keySel("multipart") },
          { weight: 1, arbitrary: keySel("live") },
        ),
        sizes,
        seed,
        delta,
        noClass,
      ).map((a) => new AppendAt(...a)),
    copy: () =>
      fc.tuple(
        fc.oneof({ weight: 4, arbitrary: keySel("live", 6) }, {
          weight: 1,
          arbitrary: keySel("appendable", 6),
        }),
        fc.oneof({ weight: 6, arbitrary: idx }, { weight: 1, arbitrary: fc.constant(-1) }),
        fc.constantFrom<"none" | "copy" | "replace">("none", "copy", "replace", "replace"),
        attrs,
        fc.boolean(),
        fc.option(fc.constantFrom(...CLASSES, "GLACIER"), { nil: undefined, freq: 2 }),
        fc.option(copyCondition, { nil: undefined, freq: 3 }),
      ).map((a) => new Copy(...a)),
    delete: () =>
      fc.oneof(keySel("live", 2), keySel("appendable", 1), keySel("dir", 2), keySel("absent", 1)).map((k) =>
        new Delete(k)
      ),
    deleteMany: () => fc.array(idx, { minLength: 1, maxLength: 4 }).map((ks) => new DeleteMany(ks)),
    read: () =>
      fc.tuple(
        keySel("live"),
        fc.oneof(rangePick.map((range) => ({ range })), conditionPick.map((cond) => ({ cond }))),
      )
        .map(([k, pick]) => new Read(k, pick)),
    list: () => listPick.map((p) => new List(p)),
    tick: () => fc.constant(new Tick()),
    initiate: () =>
      fc.tuple(idx, attrs, fc.constantFrom(false, false, false, false, false, false, true)).map((a) =>
        new Initiate(...a)
      ),
    uploadPart: () =>
      fc.tuple(sel, partNumber, partSize(largeWeight > 1), seed).map((a) => new UploadPart(...a)),
    uploadParts: () => uploadParts(sel, largeWeight > 1),
    uploadPartCopy: () =>
      fc.tuple(
        sel,
        partNumber,
        keySel("live", 6),
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
  /** Listings walked after every step. */
  listings: ReadonlyArray<{ delimiter?: string; maxKeys?: number }>;
  /** Whether every key is read after every step (else only changed ones). */
  readAll: boolean;
  /** Whether every directory of the pool is listed with a delimiter after every step. */
  listDirs?: boolean;
  /** Once a run failed, how long shrinking may take (then the smallest failure so far is reported). */
  shrinkMs: number;
}

const LISTINGS = [{}, { delimiter: "/", maxKeys: 2 }];

/** Keys of a ListObjects answer under a namespace, and uploads of a ListMultipartUploads answer. */
function listed(
  r: HttpResponse | undefined,
  ns: string,
): { keys: string[]; uploads: Array<[string, string]> } {
  const j = r?.status === 200
    ? r.json() as {
      contents?: Array<{ key?: unknown }>;
      uploads?: Array<{ key?: unknown; uploadId?: unknown }>;
    } | undefined
    : undefined;
  const under = (k: unknown): k is string => typeof k === "string" && k.startsWith(ns);
  return {
    keys: (j?.contents ?? []).map((c) => c?.key).filter(under),
    uploads: (j?.uploads ?? []).flatMap((u) =>
      under(u?.key) && typeof u.uploadId === "string" ? [[u.key, u.uploadId] as [string, string]] : []
    ),
  };
}

/**
 * Removes everything a run may have created under its namespace, quietly (the run's own cleanup
 * retries what is left), in three rounds of requests sent together: the uploads aborted and the keys
 * deleted with one DeleteMultipleObjects; then the namespace and its uploads listed; then whatever the
 * endpoint still shows (a key it stored under another name, a batch delete it did not do) removed one
 * by one.
 */
async function cleanup(ctx: CheckContext, m: ModelState): Promise<void> {
  const http = ctx.http;
  const quiet = async <T>(fn: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await fn();
    } catch {
      return undefined; // the final cleanup of the run retries
    }
  };
  const abort = (key: string, uploadId: string) =>
    quiet(async () => {
      const r = await http.send({ method: "DELETE", key, query: { uploadId } });
      if (r.status < 300 || r.status === 404) http.untrackUpload(http.bucket, key, uploadId);
    });
  const keys = [...new Set([...m.keys, ...m.b.objects.keys()])];
  let batch: HttpResponse | undefined;
  await Promise.all([
    pool(m.b.uploads, 16, (u) => abort(u.key, u.uploadId)),
    quiet(async () => {
      batch = await http.send({
        method: "POST",
        query: { delete: null },
        headers: { "content-type": "application/json; charset=utf-8" },
        body: JSON.stringify({ objects: keys.map((key) => ({ key })) }),
      });
    }),
  ]);
  const [objects, uploads] = await Promise.all([
    quiet(() => http.send({ method: "GET", query: { prefix: m.ns, maxKeys: 1000 } })),
    quiet(() => http.send({ method: "GET", query: { uploads: null, prefix: m.ns } })),
  ]);
  const left = listed(objects, m.ns).keys;
  // Keys the batch deleted (a missing key is not an error here) and the listing no longer shows.
  if (batch?.status === 200 && objects?.status === 200) {
    const failed = new Set(
      ((batch.json() as { errors?: Array<{ key?: unknown; code?: unknown }> } | undefined)?.errors ?? [])
        .filter((e) => e?.code !== "NoSuchKey").map((e) => e?.key),
    );
    for (const k of keys) if (!failed.has(k) && !left.includes(k)) http.untrackObject(http.bucket, k);
  }
  const leftUploads = listed(uploads, m.ns).uploads;
  await Promise.all([
    pool(batch?.status === 200 ? left : [...new Set([...keys, ...left])], 16, async (key) => {
      await quiet(() => http.send({ method: "DELETE", key }));
    }),
    pool(leftUploads, 16, ([key, uploadId]) => abort(key, uploadId)),
  ]);
}

let shrinkLimit: number | undefined;
let inFlight = MODEL_REQUESTS_IN_FLIGHT;

/**
 * Sets how many requests of one model check may be in flight at once (`undefined` restores the default
 * {@link MODEL_REQUESTS_IN_FLIGHT}). Results do not depend on it; the tests prove that with 1.
 */
export function setModelRequestsInFlight(n: number | undefined): void {
  inFlight = n ?? MODEL_REQUESTS_IN_FLIGHT;
}

/**
 * Caps how long the model checks shrink a failure (milliseconds; `undefined` restores the defaults of
 * 15–20 s). The zoo tests set 0: they only need to know that a check fails, not its smallest case.
 */
export function limitModelShrinking(ms: number | undefined): void {
  shrinkLimit = ms;
}

async function modelProperty(ctx: CheckContext, spec: Spec): Promise<void> {
  const commands = fc.commands([commandsOf(ctx, spec.mix, spec.largeWeight)], {
    maxCommands: spec.maxCommands,
    size: "max",
    ...(ctx.replayPath ? { replayPath: ctx.replayPath } : {}),
  });
  const prologue = spec.prologue?.(ctx) ?? fc.constant([]);
  // Each shrinking attempt replays a whole sequence with its observations; once the budget is spent
  // the property passes at once, so fast-check stops and reports the smallest failure found so far.
  let failedAt: number | undefined;
  const budget = shrinkLimit ?? spec.shrinkMs;
  const arbitraries = [keyPool(spec.pool[1], spec.pool[0]), fc.nat(), prologue, commands] as const;
  await ctx.property([...arbitraries], async (pool, probeSeed, first, cmds) => {
    if (failedAt !== undefined && performance.now() - failedAt > budget) return;
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
      clock: 0,
      log: [],
      multipart: spec.multipart,
      listings: spec.listings,
      readAll: spec.readAll,
      listDirs: spec.listDirs ?? false,
      rng: prng(probeSeed),
      verified: new Map(),
      probed: new Map(),
      limiter: new Limiter(inFlight),
    };
    try {
      try {
        await sweep(real, model.b);
      } catch (e) {
        throw report(e, real, "before the first step (the namespace must be empty)");
      }
      await fc.asyncModelRun(() => ({ model, real }), [...first, ...cmds]);
      real.readAll = true;
      try {
        await sweep(real, model.b);
      } catch (e) {
        throw report(e, real, "after the last step (every key read)");
      }
    } catch (e) {
      failedAt ??= performance.now();
      throw e;
    } finally {
      await cleanup(ctx, model);
    }
  });
}

const SPECS: Record<string, Spec> = {
  objects: {
    // Every run starts with every key written, an appendable object appended to, two copies (one
    // per directive), a delete and a put over an appendable object, then goes on at random.
    prologue: (ctx) => {
      const budget = ctx.profile.maxUserMetadataSize;
      const copy = (directive: "copy" | "replace") =>
        fc.tuple(
          fc.oneof(keySel("live", 1), keySel("appendable", 1)),
          idx,
          attributes(budget).chain((a) =>
            fc.boolean().map((drop) => (drop ? { ...a, contentType: undefined } : a))
          ),
          fc.boolean(),
          fc.option(fc.constantFrom(...CLASSES), { nil: undefined, freq: 2 }),
        ).map(([src, d, a, withHeaders, cls]) => new Copy(src, d, directive, a, withHeaders, cls, undefined));
      return fc.tuple(
        putAll(ctx),
        fc.tuple(idx, size(4096, 0), seed, attributes(budget)),
        fc.tuple(size(4096, 0), seed, attributes(budget, [])),
        copy("copy"),
        copy("replace"),
        // A delete of a "directory" key, an appendable object or any object.
        fc.oneof(keySel("dir", 1), keySel("appendable", 1), keySel("live", 1)),
        fc.tuple(size(4096, 0), seed, attributes(budget)),
      ).map(([all, [k, n, s, a], [n2, s2, a2], c1, c2, del, [n3, s3, a3]]) => [
        all,
        new AppendCreate(k, n, s, a),
        new AppendAt({ kind: "appendable", i: 0 }, n2, s2, 0, a2),
        c1,
        c2,
        new Delete(del),
        // A PutObject over an appendable object (when one is left) makes it a normal object.
        new Put({ kind: "appendable", i: 0 }, n3, s3, a3, "none"),
      ]);
    },
    pool: [3, 8],
    mix: { put: 6, appendCreate: 3, appendAt: 4, copy: 6, delete: 4, deleteMany: 1, read: 3, list: 2 },
    maxCommands: 20,
    largeWeight: 0,
    multipart: false,
    listings: LISTINGS,
    readAll: true,
    shrinkMs: 20_000,
  },
  multipart: {
    // Every run starts with an object assembled from parts (and a refused append to it) and three
    // uploads in progress, two of one key, one holding parts, one of them uploaded again.
    prologue: (ctx) => {
      const attrs = attributes(ctx.profile.maxUserMetadataSize);
      const first = { kind: "live" as const, i: 0 };
      return fc.tuple(
        fc.array(attrs, { minLength: 4, maxLength: 4 }),
        fullParts(first),
        uploadParts(fc.constant(first), false),
        idx,
        fc.nat({ max: 255 }),
        fc.tuple(size(64, 0), seed, attributes(ctx.profile.maxUserMetadataSize, [])),
        fc.tuple(partSize(), seed),
      )
        .map(([[a, b, c, e], full, parts, k, pick, [n, sd, d], [ps, ps2]]) => [
          new Initiate(k, a, false),
          full,
          new Complete(first, "valid", pick, []),
          // An assembled object is not appendable.
          new AppendAt({ kind: "multipart", i: 0 }, n, sd, 0, d),
          // Three uploads: two of one key (listed in initiation order), one of another.
          new Initiate(k + 1, b, false),
          new Initiate(k, c, false),
          new Initiate(k, e, false),
          parts,
          // A part uploaded again replaces the earlier one.
          new UploadPart(first, (parts as UploadParts).parts[0][0], ps, ps2),
        ]);
    },
    pool: [2, 4],
    mix: {
      put: 2,
      appendCreate: 1,
      appendAt: 2,
      copy: 1,
      read: 1,
      initiate: 3,
      uploadPart: 4,
      uploadParts: 3,
      uploadPartCopy: 2,
      complete: 5,
      abort: 1,
      listParts: 1,
      listUploads: 2,
    },
    maxCommands: 20,
    largeWeight: 0,
    multipart: true,
    listings: LISTINGS,
    readAll: true,
    shrinkMs: 20_000,
  },
  listing: {
    // Every key written in a random order, then one of them deleted (a "directory" key when there is one).
    prologue: (ctx) =>
      fc.tuple(putAll(ctx, 64), keySel("dir", 8))
        .map(([all, del]) => [all, new Delete(del)]),
    pool: [6, 14],
    mix: { put: 8, copy: 2, appendCreate: 1, delete: 3, list: 8 },
    maxCommands: 16,
    largeWeight: 0,
    multipart: false,
    listings: [...LISTINGS, { maxKeys: 1 }, { delimiter: "/" }],
    readAll: false,
    listDirs: true,
    shrinkMs: 20_000,
  },
  large: {
    // Every run starts with an object of 85–100 % of the largest size (so the default run always has
    // one) and an upload in progress holding large parts.
    prologue: (ctx) =>
      fc.tuple(
        fc.double({ min: 0.85, max: 1, noNaN: true }),
        seed,
        // Not ARCHIVE: the object is the source of the copy below.
        attributes(ctx.profile.maxUserMetadataSize, ["STANDARD", "STANDARD_IA", "COLD"]),
        attributes(ctx.profile.maxUserMetadataSize),
        uploadParts(fc.constant({ kind: "live" as const, i: 0 }), true),
        fc.tuple(
          idx,
          fc.constantFrom<"none" | "copy" | "replace">("none", "copy", "replace"),
          attributes(ctx.profile.maxUserMetadataSize),
        ),
      ).map(([f, s, a, b, parts, [, dir, c]]) => [
        new Put(0, Math.floor(f * ctx.maxObjectSize), s, a, "none"),
        new Initiate(1, b, false),
        parts,
        // A copy made a second later: its Last-Modified must be the copy's, not the source's.
        new Tick(),
        new Copy({ kind: "any", i: 0 }, 1, dir, c, false, undefined, undefined),
      ]),
    pool: [2, 3],
    mix: {
      put: 1,
      appendCreate: 1,
      appendAt: 2,
      copy: 3,
      read: 2,
      tick: 1,
      initiate: 2,
      uploadPart: 2,
      uploadParts: 2,
      uploadPartCopy: 1,
      complete: 4,
    },
    maxCommands: 10,
    largeWeight: 40,
    multipart: true,
    listings: [{}],
    readAll: true,
    shrinkMs: 15_000,
  },
};

/** The model checks. */
export const MODEL_CHECKS: CheckDef[] = [
  {
    id: "model.objects-match-model",
    suite,
    law:
      "Any sequence of PutObject, AppendObject (with and without offset, right and wrong), CopyObject (copy and replace directives, storage class, the four copy-source conditions, self-copy), DeleteObject, DeleteMultipleObjects, ranged and conditional reads and listings — failing forms included, on keys with reserved characters, spaces, trailing slashes, case-only differences, CJK and emoji — leaves every status, stored header (in its wire form), body, range, listing field and error body equal to the bucket model after every step",
    numRuns: 8,
    slow: true,
    run: (ctx) => modelProperty(ctx, SPECS.objects),
  },
  {
    id: "model.multipart-matches-model",
    suite,
    law:
      "Any sequence of Initiate (headers, metadata, storage class), UploadPart in any order and again, UploadPartCopy with ranges, Complete (right list, wrong ETag, unordered, duplicated, missing or small non-last part), Abort, ListParts and ListMultipartUploads, mixed with object writes, leaves every upload, part, listing page and assembled object (headers, storage class, bytes, ranges across part boundaries) equal to the bucket model after every step",
    numRuns: 8,
    slow: true,
    run: (ctx) => modelProperty(ctx, SPECS.multipart),
  },
  {
    id: "model.listings-match-model",
    suite,
    law:
      "Keys created, copied and deleted in random order list exactly as the model says for any prefix (including ones that differ from keys only in case), delimiter, marker and maxKeys: entries in UTF-8 byte order with their eTag, size, storage class and lastModified, common prefixes, isTruncated and nextMarker on every page",
    numRuns: 8,
    slow: true,
    run: (ctx) => modelProperty(ctx, SPECS.listing),
  },
  {
    id: "model.large-objects-match-model",
    suite,
    law:
      "Objects of up to the run's maximum size (tens of MiB by default; --max-object-size) written by PutObject, AppendObject, CopyObject and multipart upload read back whole and in ranges exactly as the model says, never truncated",
    numRuns: 2,
    slow: true,
    run: (ctx) => modelProperty(ctx, SPECS.large),
  },
];
