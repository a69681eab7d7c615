/**
 * Metadata: random maps round-trip byte-exactly, the budget boundary is exact, the limit is measured,
 * and CopyObject's metadata directive behaves as specified.
 *
 * @module
 */
import fc from "fast-check";
import { toHeaderByteString } from "../../protocol/headers.ts";
import { uriEncode } from "../../protocol/encoding.ts";
import { type CheckContext, type CheckDef, ensure } from "../_check.ts";
import type { HttpResponse } from "../_http.ts";
import { expectError, expectOk, expectStatus, mustPut, putObject } from "../_ops.ts";
import { expectedMetadata, metadataSizeModel } from "../model/metadata.ts";
import { metaMap, metaName, metaValue } from "./_arb.ts";

const suite = "metadata" as const;
const enc = new TextEncoder();

function metaHeaders(entries: Array<readonly [string, string]>): Record<string, string> {
  const h: Record<string, string> = {};
  for (const [n, v] of entries) h[`x-bce-meta-${n}`] = toHeaderByteString(v);
  return h;
}

/** The user metadata a response carries: lower-case name → value bytes. */
function returnedMetadata(res: HttpResponse): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  res.headers.forEach((v, k) => {
    if (!k.startsWith("x-bce-meta-")) return;
    out.set(k.slice("x-bce-meta-".length), Uint8Array.from(v, (c) => c.charCodeAt(0) & 0xff));
  });
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function showMeta(m: Map<string, Uint8Array>): string {
  return JSON.stringify(Object.fromEntries([...m].map(([k, v]) => [k, new TextDecoder().decode(v)])));
}

function sameMeta(a: Map<string, Uint8Array>, b: Map<string, Uint8Array>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) {
    const w = b.get(k);
    if (!w || w.length !== v.length || w.some((x, i) => x !== v[i])) return false;
  }
  return true;
}

async function expectMetadata(
  ctx: CheckContext,
  key: string,
  expected: Map<string, Uint8Array>,
  what: string,
) {
  const head = await ctx.http.send({ method: "HEAD", key });
  expectStatus(head, 200, `HeadObject after ${what}`);
  const got = returnedMetadata(head);
  ensure(
    sameMeta(got, expected),
    `${what}: metadata ${showMeta(got)}, expected ${showMeta(expected)}`,
    head.exchange,
  );
  return head;
}

/** Entries whose metadata size is exactly `target` (padding the last value with ASCII), or undefined. */
function fillTo(entries: Array<[string, string]>, target: number): Array<[string, string]> | undefined {
  if (entries.length === 0) return undefined;
  const size = metadataSizeModel(entries);
  if (size > target) return undefined;
  const out = entries.map(([n, v]) => [n, v] as [string, string]);
  const last = out[out.length - 1];
  const pad = target - size;
  const chars = [...last[1]];
  last[1] = chars[0] + "p".repeat(pad) + chars.slice(1).join("");
  return metadataSizeModel(out) === target ? out : undefined;
}

const shaped = fc.uniqueArray(fc.tuple(metaName, metaValue), {
  minLength: 1,
  maxLength: 4,
  selector: ([n]) => n.toLowerCase(),
});

async function metaAccepted(ctx: CheckContext, key: string, size: number): Promise<HttpResponse> {
  const value = "v".repeat(size - enc.encode("x-bce-meta-k").length);
  return await putObject(ctx.http, key, "m", { "x-bce-meta-k": value });
}

/** The metadata checks. */
export const METADATA_CHECKS: CheckDef[] = [
  {
    id: "metadata.random-metadata-round-trips",
    suite,
    law:
      "Random metadata maps within the budget round-trip byte for byte: names come back lower-cased, unicode values sent as UTF-8 bytes come back as the same bytes",
    numRuns: 45,
    async run(ctx) {
      const maps = metaMap(6).filter((m) => metadataSizeModel(m) <= ctx.profile.maxUserMetadataSize);
      await ctx.property([maps], async (entries) => {
        const key = ctx.fresh() + "meta";
        expectOk(await putObject(ctx.http, key, "meta", metaHeaders(entries)), "PutObject with metadata");
        await expectMetadata(ctx, key, expectedMetadata(entries), "PutObject");
        await ctx.http.send({ method: "DELETE", key });
      });
    },
  },
  {
    id: "metadata.exactly-at-limit-accepted",
    suite,
    law:
      'A metadata set of exactly maxUserMetadataSize bytes (Σ len("x-bce-meta-"+name) + len(value)) is accepted and returned whole',
    numRuns: 15,
    async run(ctx) {
      const limit = ctx.profile.maxUserMetadataSize;
      await ctx.property(
        [shaped.map((e) => fillTo(e, limit)).filter((e) => e !== undefined)],
        async (entries) => {
          const key = ctx.fresh() + "meta";
          const r = await putObject(ctx.http, key, "at limit", metaHeaders(entries!));
          expectOk(r, `PutObject with ${limit} bytes of metadata`);
          await expectMetadata(ctx, key, expectedMetadata(entries!), "PutObject at the limit");
          await ctx.http.send({ method: "DELETE", key });
        },
      );
    },
  },
  {
    id: "metadata.one-byte-over-limit-rejected",
    suite,
    law: "A metadata set of maxUserMetadataSize + 1 bytes is refused with 400 MetadataTooLarge",
    numRuns: 15,
    async run(ctx) {
      const limit = ctx.profile.maxUserMetadataSize;
      await ctx.property(
        [shaped.map((e) => fillTo(e, limit + 1)).filter((e) => e !== undefined)],
        async (entries) => {
          const key = ctx.fresh() + "meta";
          const r = await putObject(ctx.http, key, "over limit", metaHeaders(entries!));
          expectError(r, 400, "MetadataTooLarge", `PutObject with ${limit + 1} bytes of metadata`);
        },
      );
    },
  },
  {
    id: "metadata.measured-limit-equals-profile",
    suite,
    exclusive: true,
    law:
      "The largest metadata size the endpoint accepts (measured by binary search) equals the profile's maxUserMetadataSize",
    async run(ctx) {
      const key = ctx.ns + "probe";
      const min = enc.encode("x-bce-meta-k").length + 1;
      const ok = async (size: number) => (await metaAccepted(ctx, key, size)).status === 200;
      if (!(await ok(min))) {
        ctx.finding("maxUserMetadataSize", "none", `even ${min} bytes were refused`);
        ensure(false, `The endpoint refused the smallest metadata set (${min} bytes)`);
      }
      let lo = min;
      let hi = Math.max(ctx.profile.maxUserMetadataSize + 1, min + 1);
      const cap = 256 * 1024;
      while (await ok(hi)) {
        lo = hi;
        if (hi >= cap) break;
        hi = Math.min(hi * 2, cap);
      }
      if (lo === hi) {
        ctx.finding("maxUserMetadataSize", `≥ ${cap}`, "no limit found up to the probe cap");
        ensure(
          false,
          `The endpoint accepted ${cap} bytes of metadata; the profile says ${ctx.profile.maxUserMetadataSize}`,
        );
      }
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (await ok(mid)) lo = mid;
        else hi = mid;
      }
      ctx.finding(
        "maxUserMetadataSize",
        lo,
        'largest accepted Σ len("x-bce-meta-"+name)+len(value), by binary search',
      );
      await ctx.http.send({ method: "DELETE", key });
      ensure(
        lo === ctx.profile.maxUserMetadataSize,
        `Measured metadata limit ${lo} bytes, profile says ${ctx.profile.maxUserMetadataSize}`,
      );
    },
  },
  {
    id: "metadata.copy-directive-copy-keeps-source-metadata",
    suite,
    law:
      "CopyObject with x-bce-metadata-directive: copy takes Content-Type and metadata from the source and ignores those in the request",
    async run(ctx) {
      await copyCheck(ctx, "copy");
    },
  },
  {
    id: "metadata.copy-without-directive-keeps-source-metadata",
    suite,
    law:
      "CopyObject without a metadata directive behaves as copy: the source's Content-Type and metadata are kept",
    async run(ctx) {
      await copyCheck(ctx, undefined);
    },
  },
  {
    id: "metadata.copy-directive-replace-takes-request-metadata",
    suite,
    law:
      "CopyObject with x-bce-metadata-directive: replace stores exactly the request's Content-Type and metadata",
    async run(ctx) {
      await copyCheck(ctx, "replace");
    },
  },
  {
    id: "metadata.append-keeps-creation-metadata",
    suite,
    law:
      "Metadata and Content-Type given when an appendable object is created are kept; later appends carrying other metadata do not change them",
    async run(ctx) {
      const key = ctx.ns + "appendable";
      const first = await ctx.http.send({
        method: "POST",
        key,
        query: { append: null },
        body: "hello ",
        headers: { "content-type": "text/x-first", ...metaHeaders([["foo", "bar"]]) },
      });
      expectOk(first, "AppendObject creating the object");
      const second = await ctx.http.send({
        method: "POST",
        key,
        query: { append: null, offset: 6 },
        body: "world",
        headers: { "content-type": "text/x-second", ...metaHeaders([["foo", "bar1"], ["extra", "x"]]) },
      });
      expectOk(second, "AppendObject at offset 6");
      const head = await expectMetadata(ctx, key, expectedMetadata([["foo", "bar"]]), "a second append");
      ensure(
        head.headers.get("content-type") === "text/x-first",
        `Content-Type after a second append is ${head.headers.get("content-type")}, expected text/x-first`,
        head.exchange,
      );
    },
  },
  {
    id: "metadata.copy-to-self-with-replace-updates-metadata",
    suite,
    law:
      "CopyObject of an object onto itself with directive replace updates its metadata and keeps its bytes",
    async run(ctx) {
      const key = ctx.ns + "self";
      await mustPut(ctx.http, key, "self copy", metaHeaders([["old", "1"]]));
      const r = await ctx.http.send({
        method: "PUT",
        key,
        headers: {
          "x-bce-copy-source": `/${ctx.http.bucket}/${uriEncode(key, true)}`,
          "x-bce-metadata-directive": "replace",
          ...metaHeaders([["new", "2 😀"]]),
        },
      });
      expectOk(r, "CopyObject onto itself with replace");
      await expectMetadata(ctx, key, expectedMetadata([["new", "2 😀"]]), "CopyObject onto itself");
      const get = await ctx.http.send({ method: "GET", key });
      ensure(get.text() === "self copy", `The bytes changed to ${JSON.stringify(get.text())}`, get.exchange);
    },
  },
];

async function copyCheck(ctx: CheckContext, directive: "copy" | "replace" | undefined): Promise<void> {
  const source = ctx.ns + "source";
  const dest = ctx.ns + "dest";
  const srcMeta: Array<[string, string]> = [["origin", "源 source"], ["keep", "yes"]];
  const reqMeta: Array<[string, string]> = [["fresh", "新 value"]];
  await mustPut(ctx.http, source, "copy me", { "content-type": "text/x-source", ...metaHeaders(srcMeta) });
  const res = await ctx.http.send({
    method: "PUT",
    key: dest,
    headers: {
      "x-bce-copy-source": `/${ctx.http.bucket}/${uriEncode(source, true)}`,
      "content-type": "text/x-request",
      ...(directive ? { "x-bce-metadata-directive": directive } : {}),
      ...metaHeaders(reqMeta),
    },
  });
  expectOk(res, `CopyObject with directive ${directive ?? "(none)"}`);
  const expected = directive === "replace" ? reqMeta : srcMeta;
  const head = await expectMetadata(
    ctx,
    dest,
    expectedMetadata(expected),
    `CopyObject (${directive ?? "no directive"})`,
  );
  const type = head.headers.get("content-type");
  const want = directive === "replace" ? "text/x-request" : "text/x-source";
  ensure(
    type === want,
    `Content-Type after CopyObject (${directive ?? "no directive"}) is ${type}, expected ${want}`,
    head.exchange,
  );
}
