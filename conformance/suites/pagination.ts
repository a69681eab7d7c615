/**
 * Pagination: ListObjects, ListParts and ListMultipartUploads against the listing model over random
 * key sets (unicode incl. astral, reserved characters, shared prefixes, keys equal to a prefix) and
 * random prefix/delimiter/marker/maxKeys.
 *
 * @module
 */
import fc from "fast-check";
import { type CheckContext, type CheckDef, ensure, LawViolation } from "../_check.ts";
import type { Exchange, HttpResponse } from "../_http.ts";
import {
  abortQuietly,
  deleteQuietly,
  expectOk,
  expectStatus,
  initiate,
  listObjects,
  type ListPage,
  mustUploadPart,
  putMany,
} from "../_ops.ts";
import {
  compareUtf8,
  listAll,
  type ListEntry,
  listPage,
  type ListParams,
  listPartsPage,
} from "../model/listing.ts";
import { isPortableKeySuffix } from "./_arb.ts";
import table from "../../fixtures/listing/list-objects-table.json" with { type: "json" };

const suite = "pagination" as const;

const PIECES = ["a", "b", "/", "-", "é", "😀", "\uff61", "z", "a/", "+", " "];

/** A key set: unique suffixes sharing prefixes, unicode, reserved characters, keys ending in `/`. */
const keySet = fc.uniqueArray(
  fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 4 }).map((a) => a.join("")).filter(
    isPortableKeySuffix,
  ),
  { minLength: 0, maxLength: 14 },
);

const randomText = fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 3 }).map((a) =>
  a.join("")
);

/** A position inside one of the keys (often), or random text; resolved against the key set. */
const near = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(fc.nat(), fc.nat()).map(([i, j]) => ({ i, j })) },
  { weight: 1, arbitrary: randomText.map((text) => ({ text })) },
);

function resolve(
  keys: string[],
  n: { i: number; j: number } | { text: string } | undefined,
): string | undefined {
  if (n === undefined) return undefined;
  if ("text" in n) return n.text;
  if (keys.length === 0) return "";
  const chars = [...keys[n.i % keys.length]];
  return chars.slice(0, n.j % (chars.length + 1)).join("");
}

/**
 * A key set with ListObjects parameters relative to the namespace, drawn near the keys so that pages
 * truncate and prefixes match (built with `map`, not `chain`, so that failures shrink well).
 */
const keysAndParams = fc
  .tuple(
    keySet,
    fc.record({
      prefix: fc.option(near, { nil: undefined, freq: 3 }),
      delimiter: fc.option(fc.constantFrom("/", "/", "-", "a"), { nil: undefined, freq: 3 }),
      marker: fc.option(near, { nil: undefined, freq: 2 }),
      maxKeys: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined, freq: 6 }),
    }),
  )
  .map(([keys, r]): [string[], Params] => [
    keys,
    {
      prefix: ((p) => p === undefined ? undefined : [...p].slice(0, 2).join(""))(resolve(keys, r.prefix)),
      delimiter: r.delimiter,
      marker: resolve(keys, r.marker),
      maxKeys: r.maxKeys,
    },
  ]);

type Params = { prefix?: string; delimiter?: string; marker?: string; maxKeys?: number };

interface Walked {
  marker?: string;
  page: ListPage;
  res: HttpResponse;
}

function entriesOf(page: ListPage): ListEntry[] {
  const entries: ListEntry[] = [
    ...page.contents.map((c) => ({ kind: "key" as const, key: c.key })),
    ...(page.commonPrefixes ?? []).map((p) => ({ kind: "prefix" as const, prefix: p.prefix })),
  ];
  return entries.sort((a, b) =>
    compareUtf8(a.kind === "key" ? a.key : a.prefix, b.kind === "key" ? b.key : b.prefix)
  );
}

const name = (e: ListEntry) => (e.kind === "key" ? e.key : e.prefix + " (prefix)");

function abs(ns: string, p: Params): ListParams {
  return {
    prefix: ns + (p.prefix ?? ""),
    delimiter: p.delimiter,
    marker: p.marker === undefined ? undefined : ns + p.marker,
    maxKeys: p.maxKeys,
  };
}

/** Walks all pages, following nextMarker (or, if absent, the last entry, as clients fall back to). */
async function walk(ctx: CheckContext, p: ListParams, bound: number): Promise<Walked[]> {
  const pages: Walked[] = [];
  let marker = p.marker;
  for (;;) {
    const { res, page } = await listObjects(ctx.http, { ...p, marker });
    pages.push({ marker, page, res });
    if (!page.isTruncated) return pages;
    const entries = entriesOf(page);
    const last = entries.at(-1);
    const next = page.nextMarker || (last ? (last.kind === "key" ? last.key : last.prefix) : undefined);
    if (next === undefined) {
      throw new LawViolation("A truncated page carried no entries and no nextMarker", res.exchange);
    }
    if (pages.length > bound) {
      throw new LawViolation(`Pagination did not end after ${pages.length} pages`, res.exchange);
    }
    marker = next;
  }
}

/** Puts the key set under a fresh namespace, runs `fn`, deletes the keys. */
async function withKeys(
  ctx: CheckContext,
  suffixes: string[],
  fn: (ns: string, keys: string[]) => Promise<void>,
): Promise<void> {
  const ns = ctx.fresh();
  const keys = suffixes.map((s) => ns + s);
  await putMany(ctx.http, keys.map((k) => [k, k.slice(ns.length)]));
  try {
    await fn(ns, keys);
  } finally {
    await deleteQuietly(ctx.http, keys);
  }
}

function listingProperty(
  id: string,
  law: string,
  verify: (ctx: CheckContext, keys: string[], p: ListParams, pages: Walked[]) => void,
): CheckDef {
  return {
    id: `pagination.${id}`,
    suite,
    law,
    numRuns: 60,
    async run(ctx) {
      await ctx.property([keysAndParams], async ([suffixes, rel]) => {
        await withKeys(ctx, suffixes, async (ns, keys) => {
          const p = abs(ns, rel);
          const pages = await walk(ctx, p, keys.length + 3);
          verify(ctx, keys, p, pages);
        });
      });
    },
  };
}

function last(pages: Walked[]): Exchange {
  return pages[pages.length - 1].res.exchange;
}

/** ListMultipartUploads page. */
interface UploadsPage {
  uploads?: Array<{ key: string; uploadId: string }>;
  commonPrefixes?: Array<{ prefix: string }>;
  isTruncated: boolean;
  nextKeyMarker?: string;
}

/** The pagination checks. */
export const PAGINATION_CHECKS: CheckDef[] = [
  listingProperty(
    "concatenated-pages-equal-model",
    "Following nextMarker, the concatenated pages equal the model's listing (keys and common prefixes in UTF-8 byte order) for any key set and prefix/delimiter/marker/maxKeys",
    (_ctx, keys, p, pages) => {
      const got = pages.flatMap((w) => entriesOf(w.page)).map(name);
      const want = listAll(keys, p).map(name);
      ensure(
        JSON.stringify(got) === JSON.stringify(want),
        `Pages list ${JSON.stringify(got)}, the model lists ${JSON.stringify(want)}`,
        last(pages),
      );
    },
  ),
  listingProperty(
    "no-entry-repeats-across-pages",
    "No key and no common prefix appears twice across the pages of one listing",
    (_ctx, _keys, _p, pages) => {
      const seen = new Set<string>();
      for (const w of pages) {
        for (const e of entriesOf(w.page)) {
          ensure(
            !seen.has(name(e)),
            `${JSON.stringify(name(e))} appears again on the page after marker ${JSON.stringify(w.marker)}`,
            w.res.exchange,
          );
          seen.add(name(e));
        }
      }
    },
  ),
  listingProperty(
    "max-keys-counts-common-prefixes",
    "Every page holds at most maxKeys entries, counting each common prefix as one entry, and exactly as many as the model's page for the same marker",
    (_ctx, keys, p, pages) => {
      for (const w of pages) {
        const n = w.page.contents.length + (w.page.commonPrefixes?.length ?? 0);
        const model = listPage(keys, { ...p, marker: w.marker });
        ensure(
          n <= (p.maxKeys ?? 1000),
          `A page holds ${n} entries (keys + common prefixes) with maxKeys ${p.maxKeys}`,
          w.res.exchange,
        );
        ensure(
          n === model.entries.length,
          `The page after marker ${
            JSON.stringify(w.marker)
          } holds ${n} entries, the model's holds ${model.entries.length}`,
          w.res.exchange,
        );
      }
    },
  ),
  listingProperty(
    "next-marker-present-iff-truncated",
    "nextMarker is present exactly when isTruncated is true, and isTruncated is true exactly when the model has more entries",
    (_ctx, keys, p, pages) => {
      for (const w of pages) {
        const has = typeof w.page.nextMarker === "string" && w.page.nextMarker !== "";
        ensure(
          has === w.page.isTruncated,
          `isTruncated ${w.page.isTruncated} with nextMarker ${JSON.stringify(w.page.nextMarker)}`,
          w.res.exchange,
        );
        const model = listPage(keys, { ...p, marker: w.marker });
        ensure(
          w.page.isTruncated === model.isTruncated,
          `isTruncated ${w.page.isTruncated} after marker ${
            JSON.stringify(w.marker)
          }, the model says ${model.isTruncated}`,
          w.res.exchange,
        );
      }
    },
  ),
  {
    id: "pagination.response-echoes-parameters",
    suite,
    law:
      'ListObjects echoes name, prefix and marker ("" when not given) and the effective maxKeys (1000 by default); delimiter and commonPrefixes appear only when a delimiter is given',
    numRuns: 30,
    async run(ctx) {
      await ctx.property([keysAndParams], async ([suffixes, rel]) => {
        await withKeys(ctx, suffixes, async (ns) => {
          const p = abs(ns, rel);
          const { res, page } = await listObjects(ctx.http, p);
          const j = page as ListPage & { name?: string };
          ensure(
            j.name === ctx.http.bucket,
            `name is ${JSON.stringify(j.name)}, expected ${ctx.http.bucket}`,
            res.exchange,
          );
          ensure(
            j.prefix === (p.prefix ?? ""),
            `prefix is ${JSON.stringify(j.prefix)}, expected ${JSON.stringify(p.prefix ?? "")}`,
            res.exchange,
          );
          ensure(
            j.marker === (p.marker ?? ""),
            `marker is ${JSON.stringify(j.marker)}, expected ${JSON.stringify(p.marker ?? "")}`,
            res.exchange,
          );
          ensure(
            j.maxKeys === (p.maxKeys ?? 1000),
            `maxKeys is ${JSON.stringify(j.maxKeys)}, expected ${p.maxKeys ?? 1000}`,
            res.exchange,
          );
          if (p.delimiter === undefined) {
            ensure(
              j.delimiter === undefined || j.delimiter === null,
              `delimiter ${JSON.stringify(j.delimiter)} without one given`,
              res.exchange,
            );
            ensure(
              j.commonPrefixes === undefined || j.commonPrefixes === null,
              "commonPrefixes present without a delimiter",
              res.exchange,
            );
          } else {
            ensure(
              j.delimiter === p.delimiter,
              `delimiter is ${JSON.stringify(j.delimiter)}, expected ${JSON.stringify(p.delimiter)}`,
              res.exchange,
            );
          }
        });
      });
    },
  },
  {
    id: "pagination.max-keys-above-limit-capped",
    suite,
    law: "ListObjects with maxKeys above maxListEntries (1000) treats it as 1000 and says so in maxKeys",
    async run(ctx) {
      const { res, page } = await listObjects(ctx.http, {
        prefix: ctx.ns,
        maxKeys: ctx.profile.maxListEntries * 5,
      });
      ensure(
        page.maxKeys === ctx.profile.maxListEntries,
        `maxKeys is ${page.maxKeys}, expected ${ctx.profile.maxListEntries}`,
        res.exchange,
      );
    },
  },
  {
    id: "pagination.max-parts-and-uploads-above-limit-capped",
    suite,
    law:
      "ListParts with maxParts and ListMultipartUploads with maxUploads above 1000 treat them as 1000 and say so in maxParts / maxUploads",
    async run(ctx) {
      const limit = ctx.profile.maxListEntries;
      const key = ctx.ns + "capped";
      const uploadId = await initiate(ctx.http, key);
      try {
        const parts = await ctx.http.send({ method: "GET", key, query: { uploadId, maxParts: limit * 5 } });
        expectOk(parts, "ListParts");
        const mp = (parts.json() as { maxParts?: unknown } | undefined)?.maxParts;
        ensure(
          mp === limit,
          `ListParts with maxParts ${limit * 5} says maxParts ${mp}, expected ${limit}`,
          parts.exchange,
        );
        const ups = await ctx.http.send({
          method: "GET",
          query: { uploads: null, prefix: ctx.ns, maxUploads: limit * 5 },
        });
        expectOk(ups, "ListMultipartUploads");
        const mu = (ups.json() as { maxUploads?: unknown } | undefined)?.maxUploads;
        ensure(
          mu === limit,
          `ListMultipartUploads with maxUploads ${limit * 5} says maxUploads ${mu}, expected ${limit}`,
          ups.exchange,
        );
      } finally {
        await abortQuietly(ctx.http, key, uploadId);
      }
    },
  },
  {
    id: "pagination.marker-is-exclusive",
    suite,
    law: "A listing with marker = an existing key starts strictly after that key",
    numRuns: 24,
    async run(ctx) {
      await ctx.property([keySet.filter((k) => k.length > 0), fc.nat()], async (suffixes, pick) => {
        await withKeys(ctx, suffixes, async (ns, keys) => {
          const marker = keys[pick % keys.length];
          const { res, page } = await listObjects(ctx.http, { prefix: ns, marker });
          const want = listPage(keys, { prefix: ns, marker }).contents;
          const got = page.contents.map((c) => c.key);
          ensure(
            !got.includes(marker),
            `The listing after marker ${JSON.stringify(marker)} includes it`,
            res.exchange,
          );
          ensure(
            JSON.stringify(got) === JSON.stringify(want),
            `After marker ${JSON.stringify(marker)}: ${JSON.stringify(got)}, model ${JSON.stringify(want)}`,
            res.exchange,
          );
        });
      });
    },
  },
  {
    id: "pagination.keys-in-utf8-byte-order",
    suite,
    law: "Keys are listed in UTF-8 byte order (astral characters after U+FFxx, unlike UTF-16 order)",
    numRuns: 18,
    async run(ctx) {
      const set = fc.uniqueArray(
        fc.array(fc.constantFrom("a", "😀", "\uff61", "\ue000", "𝄞", "é", "z"), {
          minLength: 1,
          maxLength: 3,
        }).map((a) => a.join("")),
        { minLength: 2, maxLength: 8 },
      ).map((s) => [...s, "😀", "\uff61"]).map((s) => [...new Set(s)]);
      await ctx.property([set], async (suffixes) => {
        await withKeys(ctx, suffixes, async (ns, keys) => {
          const { res, page } = await listObjects(ctx.http, { prefix: ns });
          const got = page.contents.map((c) => c.key);
          const want = [...keys].sort(compareUtf8);
          ensure(
            JSON.stringify(got) === JSON.stringify(want),
            `Listed ${JSON.stringify(got)}, byte order is ${JSON.stringify(want)}`,
            res.exchange,
          );
        });
      });
    },
  },
  {
    id: "pagination.listing-table-matches-bos",
    suite,
    law:
      "The seven ListObjects requests of listing.md §2, answered by real BOS, give the same contents, common prefixes, isTruncated and nextMarker",
    async run(ctx) {
      const data = table.keys;
      await withKeys(ctx, data, async (ns) => {
        const rows = table.rows.map((r) =>
          [
            r.request as Params,
            r.contents,
            r.commonPrefixes ?? undefined,
            r.isTruncated,
            r.nextMarkerInside ?? r.nextMarker ?? undefined,
          ] as const
        );
        for (const [rel, contents, cps, truncated, next] of rows) {
          const p = abs(ns, rel);
          const { res, page } = await listObjects(ctx.http, p);
          const what = `ListObjects ${JSON.stringify(rel)}`;
          const got = page.contents.map((c) => c.key.slice(ns.length));
          ensure(
            JSON.stringify(got) === JSON.stringify(contents),
            `${what}: contents ${JSON.stringify(got)}, BOS gives ${JSON.stringify(contents)}`,
            res.exchange,
          );
          const gotCps = page.commonPrefixes?.map((c) => c.prefix.slice(ns.length));
          if (cps === undefined) {
            ensure(
              !gotCps || gotCps.length === 0,
              `${what}: commonPrefixes ${JSON.stringify(gotCps)} without a delimiter`,
              res.exchange,
            );
          } else {
            ensure(
              JSON.stringify(gotCps) === JSON.stringify(cps),
              `${what}: commonPrefixes ${JSON.stringify(gotCps)}, BOS gives ${JSON.stringify(cps)}`,
              res.exchange,
            );
          }
          ensure(
            page.isTruncated === truncated,
            `${what}: isTruncated ${page.isTruncated}, BOS gives ${truncated}`,
            res.exchange,
          );
          const nm = page.nextMarker?.slice(ns.length);
          if (next === undefined) {
            ensure(
              !page.nextMarker,
              `${what}: nextMarker ${JSON.stringify(page.nextMarker)} on the last page`,
              res.exchange,
            );
          } else if (next.endsWith("/")) {
            ensure(
              nm?.startsWith(next),
              `${what}: nextMarker ${JSON.stringify(nm)} should lie inside ${next}`,
              res.exchange,
            );
          } else {ensure(
              nm === next,
              `${what}: nextMarker ${JSON.stringify(nm)}, BOS gives ${next}`,
              res.exchange,
            );}
          if (next?.endsWith("/")) {
            const after = await listObjects(ctx.http, { ...p, marker: page.nextMarker });
            const repeated = after.page.commonPrefixes?.some((c) => c.prefix === ns + next);
            ensure(!repeated, `${what}: the page after nextMarker repeats ${next}`, after.res.exchange);
          }
        }
      });
    },
  },
  {
    id: "pagination.list-parts-pages-equal-model",
    suite,
    law:
      "ListParts pages, following nextPartNumberMarker from any partNumberMarker with any maxParts, list exactly the uploaded part numbers above the marker in ascending order; isTruncated only when more follow",
    numRuns: 24,
    async run(ctx) {
      const key = ctx.ns + "upload";
      const uploadId = await initiate(ctx.http, key);
      const numbers = [1, 2, 3, 5, 8, 9, 10, 13, 21, 34];
      try {
        for (const n of numbers) await mustUploadPart(ctx.http, key, uploadId, n, `part ${n}`);
        await ctx.property(
          [fc.integer({ min: 1, max: 4 }), fc.constantFrom(0, 0, 1, 4, 9, 20, 34, 40)],
          async (maxParts, start) => {
            const got: number[] = [];
            let marker: number = start;
            for (let i = 0; i < 20; i++) {
              const res = await ctx.http.send({
                method: "GET",
                key,
                query: { uploadId, maxParts, partNumberMarker: marker },
              });
              expectOk(res, "ListParts");
              const page = res.json() as {
                parts?: Array<{ partNumber: number }>;
                isTruncated: boolean;
                nextPartNumberMarker?: number;
              };
              const model = listPartsPage(numbers, marker, maxParts);
              const nums = (page.parts ?? []).map((p) => p.partNumber);
              ensure(
                JSON.stringify(nums) === JSON.stringify(model.parts),
                `ListParts after ${marker} (maxParts ${maxParts}) lists ${JSON.stringify(nums)}, model ${
                  JSON.stringify(model.parts)
                }`,
                res.exchange,
              );
              ensure(
                page.isTruncated === model.isTruncated,
                `ListParts after ${marker}: isTruncated ${page.isTruncated}, model ${model.isTruncated}`,
                res.exchange,
              );
              got.push(...nums);
              if (!page.isTruncated) break;
              ensure(
                typeof page.nextPartNumberMarker === "number",
                "A truncated ListParts page has no numeric nextPartNumberMarker",
                res.exchange,
              );
              ensure(
                page.nextPartNumberMarker === model.nextPartNumberMarker,
                `nextPartNumberMarker ${page.nextPartNumberMarker}, expected ${model.nextPartNumberMarker}`,
                res.exchange,
              );
              marker = page.nextPartNumberMarker!;
            }
            const want = numbers.filter((n) => n > start);
            ensure(
              JSON.stringify(got) === JSON.stringify(want),
              `ListParts pages from ${start} give ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`,
            );
          },
        );
      } finally {
        await abortQuietly(ctx.http, key, uploadId);
      }
    },
  },
  {
    id: "pagination.list-uploads-pages-equal-model",
    suite,
    law:
      "ListMultipartUploads pages, following nextKeyMarker with any prefix/delimiter/maxUploads, concatenate to the model's listing of the upload keys, with common prefixes counted toward maxUploads",
    numRuns: 18,
    async run(ctx) {
      await ctx.property([keysAndParams], async ([suffixes, rel]) => {
        const ns = ctx.fresh();
        const uploads: Array<[string, string]> = [];
        try {
          for (const s of suffixes) uploads.push([ns + s, await initiate(ctx.http, ns + s)]);
          const p = abs(ns, { ...rel, marker: undefined });
          const got: ListEntry[] = [];
          let keyMarker: string | undefined;
          for (let i = 0;; i++) {
            const res = await ctx.http.send({
              method: "GET",
              query: {
                uploads: null,
                prefix: p.prefix,
                delimiter: p.delimiter,
                maxUploads: p.maxKeys,
                keyMarker,
              },
            });
            expectStatus(res, 200, "ListMultipartUploads");
            const page = res.json() as UploadsPage;
            const entries: ListEntry[] = [
              ...(page.uploads ?? []).map((u) => ({ kind: "key" as const, key: u.key })),
              ...(page.commonPrefixes ?? []).map((c) => ({ kind: "prefix" as const, prefix: c.prefix })),
            ].sort((a, b) =>
              compareUtf8(a.kind === "key" ? a.key : a.prefix, b.kind === "key" ? b.key : b.prefix)
            );
            ensure(
              entries.length <= (p.maxKeys ?? 1000),
              `A ListMultipartUploads page holds ${entries.length} entries with maxUploads ${p.maxKeys}`,
              res.exchange,
            );
            got.push(...entries);
            if (!page.isTruncated) break;
            const lastEntry = entries.at(-1);
            keyMarker = page.nextKeyMarker ||
              (lastEntry ? (lastEntry.kind === "key" ? lastEntry.key : lastEntry.prefix) : undefined);
            ensure(
              keyMarker !== undefined && i < suffixes.length + 3,
              "ListMultipartUploads pagination does not end",
              res.exchange,
            );
          }
          const want = listAll(uploads.map(([k]) => k), p).map(name);
          ensure(
            JSON.stringify(got.map(name)) === JSON.stringify(want),
            `Upload pages list ${JSON.stringify(got.map(name))}, the model lists ${JSON.stringify(want)}`,
          );
        } finally {
          for (const [k, id] of uploads) await abortQuietly(ctx.http, k, id);
        }
      });
    },
  },
];
