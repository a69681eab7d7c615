/**
 * Multipart lifecycle: unknown and finished upload ids, abort, visibility, ETag consistency,
 * ListParts contents, Content-Type and metadata of the assembled object.
 *
 * @module
 */
import { type CheckDef, ensure } from "../_check.ts";
import {
  abortQuietly,
  complete,
  expectError,
  expectOk,
  expectStatus,
  headObject,
  initiate,
  listObjects,
  md5Hex,
  mustUploadPart,
  patternBytes,
  unquote,
  uploadPart,
  withUpload,
} from "../_ops.ts";

const suite = "multipart" as const;

/** The multipart checks. */
export const MULTIPART_CHECKS: CheckDef[] = [
  {
    id: "multipart.unknown-upload-id-is-no-such-upload",
    suite,
    law: "UploadPart with an uploadId that was never issued answers 404 NoSuchUpload",
    async run(ctx) {
      const r = await uploadPart(ctx.http, ctx.ns + "upload", "0123456789abcdef0123456789abcdef", 1, "x");
      expectError(r, 404, "NoSuchUpload", "UploadPart with an unknown uploadId");
    },
  },
  {
    id: "multipart.abort-removes-upload",
    suite,
    law:
      "AbortMultipartUpload answers 204; afterwards ListParts, UploadPart and another AbortMultipartUpload answer 404 NoSuchUpload and ListMultipartUploads no longer lists it",
    async run(ctx) {
      const key = ctx.ns + "upload";
      const uploadId = await initiate(ctx.http, key);
      await mustUploadPart(ctx.http, key, uploadId, 1, "part");
      const r = await ctx.http.send({ method: "DELETE", key, query: { uploadId } });
      expectStatus(r, 204, "AbortMultipartUpload");
      ctx.http.untrackUpload(ctx.http.bucket, key, uploadId);
      expectError(
        await ctx.http.send({ method: "GET", key, query: { uploadId } }),
        404,
        "NoSuchUpload",
        "ListParts after abort",
      );
      expectError(
        await uploadPart(ctx.http, key, uploadId, 2, "late"),
        404,
        "NoSuchUpload",
        "UploadPart after abort",
      );
      expectError(
        await ctx.http.send({ method: "DELETE", key, query: { uploadId } }),
        404,
        "NoSuchUpload",
        "AbortMultipartUpload again",
      );
      const list = await ctx.http.send({ method: "GET", query: { uploads: null, prefix: ctx.ns } });
      expectOk(list, "ListMultipartUploads");
      const uploads = (list.json() as { uploads?: Array<{ uploadId: string }> })?.uploads ?? [];
      ensure(
        !uploads.some((u) => u.uploadId === uploadId),
        "ListMultipartUploads still lists the aborted upload",
        list.exchange,
      );
    },
  },
  {
    id: "multipart.object-invisible-until-complete",
    suite,
    law: "Until CompleteMultipartUpload the key does not exist (HEAD 404, not listed); afterwards it does",
    async run(ctx) {
      const key = ctx.ns + "upload";
      return await withUpload(ctx.http, key, async (uploadId) => {
        const etag = await mustUploadPart(ctx.http, key, uploadId, 1, "only part");
        expectStatus(await headObject(ctx.http, key), 404, "HeadObject before Complete");
        const before = await listObjects(ctx.http, { prefix: key });
        ensure(
          before.page.contents.length === 0,
          "ListObjects lists the key before Complete",
          before.res.exchange,
        );
        expectOk(await complete(ctx.http, key, uploadId, [{ partNumber: 1, eTag: etag }]), "Complete");
        expectStatus(await headObject(ctx.http, key), 200, "HeadObject after Complete");
      });
    },
  },
  {
    id: "multipart.complete-etag-matches-head-and-listing",
    suite,
    law:
      "The eTag CompleteMultipartUpload returns is non-empty and equals the ETag of HeadObject and the eTag in ListObjects",
    async run(ctx) {
      const key = ctx.ns + "upload";
      return await withUpload(ctx.http, key, async (uploadId) => {
        const a = await mustUploadPart(ctx.http, key, uploadId, 1, patternBytes(ctx.profile.minPartSize, 1));
        const b = await mustUploadPart(ctx.http, key, uploadId, 2, "tail");
        const done = await complete(ctx.http, key, uploadId, [{ partNumber: 1, eTag: a }, {
          partNumber: 2,
          eTag: b,
        }]);
        expectOk(done, "Complete");
        const etag = unquote((done.json() as { eTag?: string } | undefined)?.eTag);
        ensure(etag, "CompleteMultipartUpload answered without an eTag", done.exchange);
        const head = await headObject(ctx.http, key);
        ensure(
          unquote(head.headers.get("etag")) === etag,
          `HeadObject ETag ${head.headers.get("etag")}, Complete said ${etag}`,
          head.exchange,
        );
        const { res, page } = await listObjects(ctx.http, { prefix: key });
        ensure(
          unquote(page.contents[0]?.eTag) === etag,
          `ListObjects eTag ${page.contents[0]?.eTag}, Complete said ${etag}`,
          res.exchange,
        );
      });
    },
  },
  {
    id: "multipart.list-parts-reports-sizes-and-etags",
    suite,
    law: "ListParts reports each uploaded part with its size and the MD5 of its bytes as eTag",
    async run(ctx) {
      const key = ctx.ns + "upload";
      return await withUpload(ctx.http, key, async (uploadId) => {
        const bodies = ["", "a", "part three", "0123456789".repeat(50)];
        for (let i = 0; i < bodies.length; i++) {
          await mustUploadPart(ctx.http, key, uploadId, i + 1, bodies[i]);
        }
        const r = await ctx.http.send({ method: "GET", key, query: { uploadId } });
        expectOk(r, "ListParts");
        const parts =
          (r.json() as { parts?: Array<{ partNumber: number; eTag: string; size: number }> })?.parts ?? [];
        ensure(
          parts.length === bodies.length,
          `ListParts lists ${parts.length} parts, expected ${bodies.length}`,
          r.exchange,
        );
        for (let i = 0; i < bodies.length; i++) {
          const p = parts[i];
          const want = {
            partNumber: i + 1,
            eTag: await md5Hex(bodies[i]),
            size: new TextEncoder().encode(bodies[i]).length,
          };
          ensure(
            p.partNumber === want.partNumber && unquote(p.eTag) === want.eTag && p.size === want.size,
            `ListParts entry ${JSON.stringify(p)}, expected ${JSON.stringify(want)}`,
            r.exchange,
          );
        }
      });
    },
  },
  {
    id: "multipart.list-parts-echoes-markers",
    suite,
    law:
      "ListParts echoes partNumberMarker as a number (0 when sent as 0) and returns nextPartNumberMarker = the last part listed even when not truncated",
    async run(ctx) {
      const key = ctx.ns + "upload";
      return await withUpload(ctx.http, key, async (uploadId) => {
        await mustUploadPart(ctx.http, key, uploadId, 1, "one");
        await mustUploadPart(ctx.http, key, uploadId, 4, "four");
        const r = await ctx.http.send({ method: "GET", key, query: { uploadId, partNumberMarker: 0 } });
        expectOk(r, "ListParts with partNumberMarker=0");
        const j = r.json() as {
          partNumberMarker?: unknown;
          nextPartNumberMarker?: unknown;
          isTruncated?: boolean;
          maxParts?: unknown;
        };
        ensure(
          j.partNumberMarker === 0,
          `partNumberMarker is ${JSON.stringify(j.partNumberMarker)}, expected 0`,
          r.exchange,
        );
        ensure(j.isTruncated === false, `isTruncated is ${j.isTruncated}`, r.exchange);
        ensure(
          j.nextPartNumberMarker === 4,
          `nextPartNumberMarker is ${JSON.stringify(j.nextPartNumberMarker)}, expected 4`,
          r.exchange,
        );
        ensure(
          j.maxParts === 1000,
          `maxParts is ${JSON.stringify(j.maxParts)}, expected the default 1000`,
          r.exchange,
        );
      });
    },
  },
  {
    id: "multipart.completed-upload-id-is-gone",
    suite,
    law: "After CompleteMultipartUpload the uploadId is gone: UploadPart answers 404 NoSuchUpload",
    async run(ctx) {
      const key = ctx.ns + "upload";
      const uploadId = await initiate(ctx.http, key);
      const etag = await mustUploadPart(ctx.http, key, uploadId, 1, "x");
      expectOk(await complete(ctx.http, key, uploadId, [{ partNumber: 1, eTag: etag }]), "Complete");
      expectError(
        await uploadPart(ctx.http, key, uploadId, 2, "y"),
        404,
        "NoSuchUpload",
        "UploadPart after Complete",
      );
    },
  },
  {
    id: "multipart.initiate-content-type-and-complete-metadata-kept",
    suite,
    law: "The assembled object has the Content-Type given at Initiate and the metadata given at Complete",
    async run(ctx) {
      const key = ctx.ns + "upload";
      const uploadId = await initiate(ctx.http, key, { "content-type": "text/x-initiated" });
      try {
        const etag = await mustUploadPart(ctx.http, key, uploadId, 1, "typed");
        expectOk(
          await complete(ctx.http, key, uploadId, [{ partNumber: 1, eTag: etag }], {
            "x-bce-meta-stage": "complete",
          }),
          "Complete",
        );
        const head = await headObject(ctx.http, key);
        ensure(
          head.headers.get("content-type") === "text/x-initiated",
          `Content-Type ${head.headers.get("content-type")}, expected text/x-initiated`,
          head.exchange,
        );
        ensure(
          head.headers.get("x-bce-meta-stage") === "complete",
          `x-bce-meta-stage ${head.headers.get("x-bce-meta-stage")}, expected complete`,
          head.exchange,
        );
      } finally {
        await abortQuietly(ctx.http, key, uploadId);
      }
    },
  },
];
