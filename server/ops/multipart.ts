/**
 * Multipart operations: InitiateMultipartUpload, UploadPart, UploadPartCopy,
 * CompleteMultipartUpload, AbortMultipartUpload, ListParts, ListMultipartUploads.
 *
 * @module
 */
import { crcToDecimal, toHex } from "../../protocol/encoding.ts";
import { createIncrementalHash } from "../../protocol/hash.ts";
import { uriEncode } from "../../protocol/encoding.ts";
import { crc32OfParts } from "../../protocol/_crc_combine.ts";
import { expectedDigests, parseJson, readSmallBody, receiveBody, requireUploadLength } from "../_body.ts";
import type { OpContext } from "../_context.ts";
import { BosHttpError, emptyResponse, fail, isoDate, jsonResponse } from "../_http.ts";
import { CommittedError, newId } from "../store/_index.ts";
import type { ObjectRecord, PartRecord, UploadRecord } from "../store/types.ts";
import { inBucket, requireBucket } from "./buckets.ts";
import { paginate, parseDelimiter, parseMax } from "./list.ts";
import { checkKey, objectHeadersOf, userMetaOf } from "./_meta.ts";
import { copyBytes } from "./_copy.ts";
import { checkWriteConditions, resolveCopySource } from "./objects.ts";

function noSuchUpload(id: string): never {
  throw new BosHttpError(
    "NoSuchUpload",
    `The upload ${JSON.stringify(id.slice(0, 100))} does not exist (never initiated, aborted or completed)`,
  );
}

/** The upload named by `uploadId`, for this bucket and key; 404 `NoSuchUpload` otherwise. */
function requireUpload(ctx: OpContext, bucket: string): UploadRecord {
  const id = ctx.query.get("uploadId") ?? "";
  const upload = ctx.store.getUpload(id);
  if (!upload || upload.bucket !== bucket || upload.key !== ctx.key) noSuchUpload(id);
  return upload;
}

function partNumberOf(ctx: OpContext): number {
  const raw = ctx.query.get("partNumber") ?? "";
  const max = ctx.profile.maxPartNumber;
  if (!/^\d{1,6}$/.test(raw) || Number(raw) < 1 || Number(raw) > max) {
    fail(
      "InvalidArgument",
      `partNumber must be an integer between 1 and ${max}, got ${JSON.stringify(raw.slice(0, 40))}`,
    );
  }
  return Number(raw);
}

/** InitiateMultipartUpload: `POST /<key>?uploads`. */
export async function initiateMultipartUpload(ctx: OpContext): Promise<Response> {
  const bucket = requireBucket(ctx);
  checkKey(ctx);
  const headers = objectHeadersOf(ctx);
  const upload: UploadRecord = {
    ...headers,
    uploadId: newId(),
    bucket: bucket.name,
    key: ctx.key,
    initiated: ctx.now().getTime(),
    parts: new Map(),
  };
  await inBucket(ctx, bucket.name, () => ctx.store.createUpload(upload));
  return jsonResponse(ctx, { bucket: bucket.name, key: ctx.key, uploadId: upload.uploadId });
}

/**
 * The lock key of an upload. UploadPart's commit, Complete and Abort hold it: each finds the upload
 * still there (or answers 404 `NoSuchUpload`) and acts before the next one looks.
 */
function uploadLock(uploadId: string): string {
  return "upload:" + uploadId;
}

/** Commits a received part, unless the upload was completed or aborted meanwhile (then 404, blob freed). */
async function storePart(ctx: OpContext, upload: UploadRecord, part: PartRecord): Promise<void> {
  await ctx.lock.run(uploadLock(upload.uploadId), async () => {
    if (ctx.store.getUpload(upload.uploadId) !== upload) {
      await ctx.store.deleteBlobs([part.segment.blob]);
      noSuchUpload(upload.uploadId);
    }
    try {
      await ctx.store.putPart(upload.uploadId, part);
    } catch (err) {
      if (!(err instanceof CommittedError)) await ctx.store.deleteBlobs([part.segment.blob]).catch(() => {});
      throw err;
    }
  });
}

/** UploadPart: `PUT /<key>?partNumber=N&uploadId=ID`. */
export async function uploadPart(ctx: OpContext): Promise<Response> {
  const bucket = requireBucket(ctx);
  const partNumber = partNumberOf(ctx);
  const upload = requireUpload(ctx, bucket.name);
  const declared = requireUploadLength(ctx.req, ctx.fromSocket);
  const max = ctx.profile.maxPartSize;
  if (declared !== undefined && declared > max) {
    fail("EntityTooLarge", `The part is ${declared} bytes, more than the limit of ${max}`);
  }
  const expected = expectedDigests(ctx.headers);
  const sink = await ctx.store.newBlob();
  const got = await receiveBody(ctx.req, sink, declared, max, expected);
  await storePart(ctx, upload, {
    partNumber,
    etag: got.md5Hex,
    size: got.segment.size,
    lastModified: ctx.now().getTime(),
    crc32: got.crc32,
    segment: got.segment,
  });
  const headers: Record<string, string> = { etag: got.md5Hex, "x-bce-content-crc32": got.crc32 };
  if (got.crc32c !== undefined) headers["x-bce-content-crc32c"] = got.crc32c;
  return emptyResponse(ctx, 200, headers);
}

function copyRangeOf(ctx: OpContext, size: number): { start: number; end: number } {
  const raw = ctx.headers.get("x-bce-copy-source-range");
  if (raw === null || raw.trim() === "") return { start: 0, end: size };
  const m = /^bytes=(\d{1,16})-(\d{1,16})$/.exec(raw.trim());
  if (!m || Number(m[2]) < Number(m[1]) || Number(m[1]) >= size) {
    throw new BosHttpError(
      "InvalidRange",
      `x-bce-copy-source-range ${
        JSON.stringify(raw.slice(0, 80))
      } cannot be satisfied for a source of ${size} bytes`,
    );
  }
  return { start: Number(m[1]), end: Math.min(Number(m[2]), size - 1) + 1 };
}

/** UploadPartCopy: `PUT /<key>?partNumber=N&uploadId=ID` with `x-bce-copy-source`. */
export async function uploadPartCopy(ctx: OpContext): Promise<Response> {
  const bucket = requireBucket(ctx);
  const partNumber = partNumberOf(ctx);
  const upload = requireUpload(ctx, bucket.name);
  const source = resolveCopySource(ctx);
  if (source.objectType === "Appendable") {
    throw new BosHttpError(
      "NotAllowCopy",
      "An appendable object cannot be the source of UploadPartCopy; use CopyObject",
      400,
    );
  }
  const { start, end } = copyRangeOf(ctx, source.size);
  if (end - start > ctx.profile.maxPartSize) {
    fail(
      "EntityTooLarge",
      `The part is ${end - start} bytes, more than the limit of ${ctx.profile.maxPartSize}`,
    );
  }
  // Opened now, in the step that found the source: its bytes stay readable whatever happens to it next.
  const copied = await copyBytes(ctx.store, ctx.store.read(source.segments, start, end), end - start);
  const part: PartRecord = {
    partNumber,
    etag: copied.md5Hex,
    size: copied.segment.size,
    lastModified: ctx.now().getTime(),
    crc32: copied.crc32,
    segment: copied.segment,
  };
  await storePart(ctx, upload, part);
  return jsonResponse(ctx, { lastModified: isoDate(part.lastModified), eTag: part.etag }, 200, {
    etag: part.etag,
  });
}

interface ListedPart {
  partNumber: number;
  eTag: string;
}

function parsePartList(json: unknown): ListedPart[] {
  const parts = (json as { parts?: unknown } | null)?.parts;
  if (typeof json !== "object" || json === null || Array.isArray(json) || !Array.isArray(parts)) {
    fail("InappropriateJSON", "The body must be a JSON object with a parts array");
  }
  if (parts.length === 0) fail("InappropriateJSON", "The parts array must not be empty");
  return parts.map((p, i) => {
    const o = p as { partNumber?: unknown; eTag?: unknown; etag?: unknown } | null;
    const n = typeof o?.partNumber === "string" && /^\d{1,6}$/.test(o.partNumber)
      ? Number(o.partNumber)
      : o?.partNumber;
    const etag = o?.eTag ?? o?.etag;
    if (
      typeof o !== "object" || o === null || typeof n !== "number" || !Number.isInteger(n) ||
      typeof etag !== "string"
    ) {
      fail("InappropriateJSON", `parts[${i}] must have an integer partNumber and a string eTag`);
    }
    return { partNumber: n, eTag: etag.trim().replace(/^"(.*)"$/, "$1") };
  });
}

/** The ETag of an assembled object (multipart.md §4). */
export async function multipartEtag(etags: readonly string[]): Promise<string> {
  if (etags.length === 1) return etags[0];
  const md5 = await createIncrementalHash("md5");
  md5.update(new TextEncoder().encode(etags.join("")));
  return "-" + toHex(md5.digest());
}

/** A part's CRC32 as recorded at UploadPart; read from the store only for records that lack it. */
async function partCrc32(ctx: OpContext, part: PartRecord): Promise<{ crc32: string; size: number }> {
  if (part.crc32 !== undefined || part.size === 0) return { crc32: part.crc32 ?? "0", size: part.size };
  const crc = await createIncrementalHash("crc32");
  const reader = ctx.store.read([part.segment], 0, part.size).getReader();
  while (true) {
    const r = await reader.read();
    if (r.done) break;
    crc.update(r.value);
  }
  return { crc32: crcToDecimal(crc.digest()), size: part.size };
}

/** CompleteMultipartUpload: `POST /<key>?uploadId=ID` with the JSON part list. */
export async function completeMultipartUpload(ctx: OpContext): Promise<Response> {
  const bucket = requireBucket(ctx);
  const upload = requireUpload(ctx, bucket.name);
  const max = ctx.profile.maxCompleteBodySize;
  const body = await readSmallBody(
    ctx.req,
    max,
    () => fail("MaxMessageLengthExceeded", `The CompleteMultipartUpload body exceeds ${max} bytes`),
  );
  const listed = parsePartList(parseJson(body));
  for (let i = 1; i < listed.length; i++) {
    if (listed[i].partNumber <= listed[i - 1].partNumber) {
      fail(
        "InvalidPartOrder",
        `Part numbers must be strictly ascending: ${listed[i].partNumber} follows ${
          listed[i - 1].partNumber
        }`,
      );
    }
  }
  const meta = userMetaOf(ctx);
  // Upload first (no part lands, no Abort or second Complete acts meanwhile), then the object.
  return await ctx.lock.run(
    uploadLock(upload.uploadId),
    () =>
      ctx.lock.run(bucket.name + "/" + ctx.key, async () => {
        if (ctx.store.getUpload(upload.uploadId) !== upload) noSuchUpload(upload.uploadId);
        const parts: PartRecord[] = [];
        for (const l of listed) {
          const p = upload.parts.get(l.partNumber);
          if (!p || p.etag !== l.eTag) {
            fail(
              "InvalidPart",
              `Part ${l.partNumber} with eTag ${l.eTag} was not uploaded under this upload`,
            );
          }
          parts.push(p);
        }
        for (let i = 0; i < parts.length - 1; i++) {
          if (parts[i].size < ctx.profile.minPartSize) {
            fail(
              "EntityTooSmall",
              `Part ${parts[i].partNumber} is ${
                parts[i].size
              } bytes, less than the minimum of ${ctx.profile.minPartSize} for every part but the last`,
            );
          }
        }
        const size = parts.reduce((n, p) => n + p.size, 0);
        if (size > ctx.profile.maxObjectSize) {
          fail(
            "EntityTooLarge",
            `The object would be ${size} bytes, more than the limit of ${ctx.profile.maxObjectSize}`,
          );
        }
        checkWriteConditions(ctx, ctx.store.getObject(bucket.name, ctx.key));
        const segments = parts.filter((p) => p.size > 0).map((p) => p.segment);
        const crcHeader = ctx.headers.get("x-bce-content-crc32");
        let crc32: string | undefined;
        if (crcHeader !== null) {
          const expected = expectedDigests(ctx.headers).crc32;
          // Combined from the parts' CRC32s (recorded at UploadPart): the object is not read again.
          const crcs: { crc32: string; size: number }[] = [];
          for (const p of parts) crcs.push(await partCrc32(ctx, p));
          crc32 = crc32OfParts(crcs);
          if (expected !== undefined && expected !== crc32) {
            fail("BadDigest", `x-bce-content-crc32 ${expected} does not match the object's CRC32 ${crc32}`);
          }
        }
        const record: ObjectRecord = {
          contentType: upload.contentType,
          cacheControl: upload.cacheControl,
          contentDisposition: upload.contentDisposition,
          contentEncoding: upload.contentEncoding,
          expires: upload.expires,
          meta: Object.keys(meta).length > 0 ? meta : upload.meta,
          storageClass: upload.storageClass,
          key: ctx.key,
          size,
          etag: await multipartEtag(parts.map((p) => p.etag)),
          crc32,
          lastModified: ctx.now().getTime(),
          objectType: "Normal",
          segments,
        };
        await inBucket(
          ctx,
          bucket.name,
          () => ctx.store.completeUpload(upload.uploadId, bucket.name, record),
        );
        const host = ctx.headers.get("host") ?? "localhost";
        const headers: Record<string, string> = { etag: record.etag };
        if (crc32 !== undefined) {
          headers["x-bce-content-crc32"] = crc32;
        }
        return jsonResponse(
          ctx,
          {
            location: `http://${host}/${bucket.name}/${uriEncode(ctx.key, true)}`,
            bucket: bucket.name,
            key: ctx.key,
            eTag: record.etag,
          },
          200,
          headers,
        );
      }),
  );
}

/** AbortMultipartUpload: `DELETE /<key>?uploadId=ID` → 204; exactly one of racing Abort/Complete wins. */
export async function abortMultipartUpload(ctx: OpContext): Promise<Response> {
  const bucket = requireBucket(ctx);
  const upload = requireUpload(ctx, bucket.name);
  await ctx.lock.run(uploadLock(upload.uploadId), async () => {
    if (ctx.store.getUpload(upload.uploadId) !== upload) noSuchUpload(upload.uploadId);
    await ctx.store.abortUpload(upload.uploadId);
  });
  return emptyResponse(ctx, 204);
}

/** ListParts: `GET /<key>?uploadId=ID[&maxParts][&partNumberMarker]`. */
export function listParts(ctx: OpContext): Response {
  const bucket = requireBucket(ctx);
  const upload = requireUpload(ctx, bucket.name);
  const maxParts = parseMax(ctx.query.get("maxParts"), "maxParts", ctx.profile.maxListEntries);
  const rawMarker = ctx.query.get("partNumberMarker") ?? "";
  if (rawMarker !== "" && !/^\d{1,6}$/.test(rawMarker)) {
    fail(
      "InvalidArgument",
      `partNumberMarker must be a non-negative integer, got ${JSON.stringify(rawMarker.slice(0, 40))}`,
    );
  }
  const marker = rawMarker === "" ? 0 : Number(rawMarker);
  const all = [...upload.parts.values()].filter((p) => p.partNumber > marker).sort((a, b) =>
    a.partNumber - b.partNumber
  );
  const page = all.slice(0, maxParts);
  return jsonResponse(ctx, {
    bucket: bucket.name,
    key: upload.key,
    uploadId: upload.uploadId,
    initiated: isoDate(upload.initiated),
    owner: ctx.owner,
    storageClass: upload.storageClass,
    partNumberMarker: marker,
    nextPartNumberMarker: page.length > 0 ? page[page.length - 1].partNumber : marker,
    maxParts,
    isTruncated: all.length > page.length,
    parts: page.map((p) => ({
      partNumber: p.partNumber,
      lastModified: isoDate(p.lastModified),
      eTag: p.etag,
      size: p.size,
    })),
  });
}

/** ListMultipartUploads: `GET /<bucket>?uploads`. */
export function listMultipartUploads(ctx: OpContext): Response {
  const bucket = requireBucket(ctx);
  const prefix = ctx.query.get("prefix") ?? "";
  const keyMarker = ctx.query.get("keyMarker") ?? "";
  const delimiter = parseDelimiter(ctx.query.get("delimiter"));
  const maxUploads = parseMax(ctx.query.get("maxUploads"), "maxUploads", ctx.profile.maxListEntries);
  const uploads = ctx.store.listUploads(bucket.name);
  const page = paginate(uploads, (u) => u.key, {
    prefix,
    delimiter,
    marker: keyMarker,
    maxEntries: maxUploads,
  });
  const body: Record<string, unknown> = { bucket: bucket.name, prefix };
  if (delimiter !== "") body.delimiter = delimiter;
  body.keyMarker = keyMarker;
  body.maxUploads = maxUploads;
  body.isTruncated = page.truncated;
  if (page.truncated) body.nextKeyMarker = page.nextMarker;
  body.uploads = page.entries.filter((e) => e.item !== undefined).map((e) => ({
    key: e.item!.key,
    uploadId: e.item!.uploadId,
    owner: ctx.owner,
    initiated: isoDate(e.item!.initiated),
    storageClass: e.item!.storageClass,
  }));
  if (delimiter !== "") {
    body.commonPrefixes = page.entries.filter((e) => e.prefix !== undefined).map((e) => ({
      prefix: e.prefix,
    }));
  }
  return jsonResponse(ctx, body);
}
