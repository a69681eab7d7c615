/**
 * CopyObject: identical bytes and ETag, the four copy-source conditions (each failing → 412, all
 * holding → copied, on UploadPartCopy alike), missing source, unknown metadata directives.
 *
 * @module
 */
import { uriEncode } from "../../protocol/encoding.ts";
import { type CheckContext, type CheckDef, ensure } from "../_check.ts";
import type { HttpResponse } from "../_http.ts";
import {
  abortQuietly,
  bytesEqual,
  describeDifference,
  expectError,
  expectOk,
  headObject,
  initiate,
  md5Hex,
  mustPut,
  sendOperation,
  unquote,
} from "../_ops.ts";
import { body, keySuffix } from "./_arb.ts";

const suite = "copy" as const;

function copy(
  ctx: CheckContext,
  source: string,
  dest: string,
  headers: Record<string, string> = {},
): Promise<HttpResponse> {
  return ctx.http.send({
    method: "PUT",
    key: dest,
    headers: { "x-bce-copy-source": `/${ctx.http.bucket}/${uriEncode(source, true)}`, ...headers },
  });
}

async function source(ctx: CheckContext): Promise<{ key: string; etag: string; lastModified: Date }> {
  const key = ctx.ns + "source";
  await mustPut(ctx.http, key, "copy source " + ctx.ns);
  const head = await headObject(ctx.http, key);
  const lastModified = new Date(head.headers.get("last-modified") ?? "");
  ensure(
    !Number.isNaN(lastModified.getTime()),
    `HeadObject Last-Modified ${head.headers.get("last-modified")} is not a date`,
    head.exchange,
  );
  return { key, etag: unquote(head.headers.get("etag")), lastModified };
}

const day = 86400_000;

function conditionFails(
  header: string,
  value: (s: { etag: string; lastModified: Date }) => string,
  law: string,
): CheckDef {
  return {
    id: `copy.${header.replace("x-bce-copy-source-", "")}-failure-is-412`,
    suite,
    law,
    async run(ctx) {
      const s = await source(ctx);
      const dest = ctx.ns + "dest";
      const r = await copy(ctx, s.key, dest, { [header]: value(s) });
      expectError(r, 412, "PreconditionFailed", `CopyObject with ${header}: ${value(s)}`);
      const h = await headObject(ctx.http, dest);
      ensure(h.status === 404, "The destination exists after a failed conditional copy", h.exchange);
    },
  };
}

/** The copy checks. */
export const COPY_CHECKS: CheckDef[] = [
  {
    id: "copy.copy-produces-identical-bytes-and-etag",
    suite,
    law:
      "CopyObject produces an object with the source's bytes, and the returned eTag is the source's MD5 ETag",
    numRuns: 24,
    async run(ctx) {
      await ctx.property([body(2048), keySuffix, keySuffix], async (data, srcName, destName) => {
        const dir = ctx.fresh();
        const src = dir + "s/" + srcName;
        const dest = dir + "d/" + destName;
        await mustPut(ctx.http, src, data);
        const r = await copy(ctx, src, dest);
        expectOk(r, "CopyObject");
        const md5 = await md5Hex(data);
        const etag = unquote((r.json() as { eTag?: string } | undefined)?.eTag);
        ensure(etag === md5, `CopyObject eTag ${etag}, source MD5 ${md5}`, r.exchange);
        const get = await ctx.http.send({ method: "GET", key: dest });
        ensure(
          bytesEqual(get.body, data),
          `Copied object: ${describeDifference(get.body, data)}`,
          get.exchange,
        );
      });
    },
  },
  conditionFails(
    "x-bce-copy-source-if-match",
    () => '"0123456789abcdef0123456789abcdef"',
    "CopyObject with x-bce-copy-source-if-match not equal to the source ETag answers 412 PreconditionFailed and copies nothing",
  ),
  conditionFails(
    "x-bce-copy-source-if-none-match",
    (s) => `"${s.etag}"`,
    "CopyObject with x-bce-copy-source-if-none-match equal to the source ETag answers 412 PreconditionFailed and copies nothing",
  ),
  conditionFails(
    "x-bce-copy-source-if-modified-since",
    (s) => new Date(s.lastModified.getTime() + day).toUTCString(),
    "CopyObject with x-bce-copy-source-if-modified-since after the source's Last-Modified answers 412 PreconditionFailed and copies nothing",
  ),
  conditionFails(
    "x-bce-copy-source-if-unmodified-since",
    (s) => new Date(s.lastModified.getTime() - day).toUTCString(),
    "CopyObject with x-bce-copy-source-if-unmodified-since before the source's Last-Modified answers 412 PreconditionFailed and copies nothing",
  ),
  {
    id: "copy.conditions-that-hold-allow-copy",
    suite,
    law:
      "CopyObject succeeds when each copy-source condition holds (if-match = ETag quoted or not, if-none-match ≠ ETag, if-modified-since before, if-unmodified-since after Last-Modified)",
    async run(ctx) {
      const s = await source(ctx);
      const conditions: Array<[string, string]> = [
        ["x-bce-copy-source-if-match", `"${s.etag}"`],
        ["x-bce-copy-source-if-match", s.etag],
        ["x-bce-copy-source-if-none-match", '"0123456789abcdef0123456789abcdef"'],
        ["x-bce-copy-source-if-modified-since", new Date(s.lastModified.getTime() - day).toUTCString()],
        ["x-bce-copy-source-if-unmodified-since", new Date(s.lastModified.getTime() + day).toUTCString()],
      ];
      for (const [h, v] of conditions) {
        expectOk(await copy(ctx, s.key, ctx.ns + "dest", { [h]: v }), `CopyObject with ${h}: ${v}`);
      }
    },
  },
  {
    id: "copy.upload-part-copy-honours-conditions",
    suite,
    law:
      "UploadPartCopy honours the four x-bce-copy-source-if-* conditions as CopyObject does: each failing one answers 412 PreconditionFailed and adds no part, each holding one copies the part",
    async run(ctx) {
      const s = await source(ctx);
      const other = '"0123456789abcdef0123456789abcdef"';
      const before = new Date(s.lastModified.getTime() - day).toUTCString();
      const after = new Date(s.lastModified.getTime() + day).toUTCString();
      const cases: Array<[string, string, boolean]> = [
        ["x-bce-copy-source-if-match", other, false],
        ["x-bce-copy-source-if-match", `"${s.etag}"`, true],
        ["x-bce-copy-source-if-none-match", `"${s.etag}"`, false],
        ["x-bce-copy-source-if-none-match", other, true],
        ["x-bce-copy-source-if-modified-since", after, false],
        ["x-bce-copy-source-if-modified-since", before, true],
        ["x-bce-copy-source-if-unmodified-since", before, false],
        ["x-bce-copy-source-if-unmodified-since", after, true],
      ];
      const key = ctx.ns + "part-copy";
      const uploadId = await initiate(ctx.http, key);
      try {
        for (const [i, [h, v, holds]] of cases.entries()) {
          const partNumber = i + 1;
          const r = await sendOperation(ctx.http, "UploadPartCopy", {
            key,
            query: { partNumber, uploadId },
            headers: { "x-bce-copy-source": `/${ctx.http.bucket}/${uriEncode(s.key, true)}`, [h]: v },
          });
          const what = `UploadPartCopy with ${h}: ${v}`;
          if (holds) expectOk(r, what);
          else expectError(r, 412, "PreconditionFailed", what);
        }
        const parts = await sendOperation(ctx.http, "ListParts", { key, query: { uploadId } });
        expectOk(parts, "ListParts");
        const listed = ((parts.json() as { parts?: Array<{ partNumber?: number }> } | undefined)?.parts ?? [])
          .map((p) => p.partNumber);
        const want = cases.flatMap(([, , holds], i) => (holds ? [i + 1] : []));
        ensure(
          JSON.stringify(listed) === JSON.stringify(want),
          `ListParts lists parts ${JSON.stringify(listed)}, expected only the copies whose condition held ${
            JSON.stringify(want)
          }`,
          parts.exchange,
        );
      } finally {
        await abortQuietly(ctx.http, key, uploadId);
      }
    },
  },
  {
    id: "copy.missing-source-is-no-such-key",
    suite,
    law: "CopyObject from a missing source key answers 404 NoSuchKey",
    async run(ctx) {
      expectError(
        await copy(ctx, ctx.ns + "missing", ctx.ns + "dest"),
        404,
        "NoSuchKey",
        "CopyObject from a missing source",
      );
    },
  },
  {
    id: "copy.unknown-metadata-directive-rejected",
    suite,
    law:
      "CopyObject with an x-bce-metadata-directive other than copy or replace answers 400 InvalidArgument and writes nothing (objects.md §6)",
    async run(ctx) {
      const s = await source(ctx);
      await Promise.all(["move", "none", "replace-all", "copy,replace"].map(async (directive, i) => {
        const dest = ctx.ns + "dest" + i;
        const what = `CopyObject with x-bce-metadata-directive: ${directive}`;
        expectError(
          await copy(ctx, s.key, dest, { "x-bce-metadata-directive": directive }),
          400,
          "InvalidArgument",
          what,
        );
        const h = await headObject(ctx.http, dest);
        ensure(h.status === 404, `The destination exists after a refused ${what}`, h.exchange);
      }));
    },
  },
];
