/**
 * Object operations: PutObject, GetObject, HeadObject, DeleteObject, DeleteMultipleObjects,
 * CopyObject, AppendObject.
 *
 * @module
 */
import { crcToDecimal, toBase64, toHex, unquote } from "../../protocol/encoding.ts";
import { createIncrementalHash, type IncrementalHash } from "../../protocol/hash.ts";
import { utf8Length } from "../../protocol/limits.ts";
import { expectedDigests, parseJson, readSmallBody, receiveBody, requireUploadLength } from "../_body.ts";
import type { OpContext } from "../_context.ts";
import { baseHeaders, BosHttpError, emptyResponse, fail, isoDate, jsonResponse } from "../_http.ts";
import type { ObjectRecord, Store } from "../store/types.ts";
import { commitBlobs, inBucket, requireBucket } from "./buckets.ts";
import {
  checkCopySourceConditions,
  checkKey,
  conditionsOf,
  copySourceOf,
  evaluateConditions,
  objectHeadersOf,
  objectResponseHeaders,
  setOverride,
  storageClassOf,
} from "./_meta.ts";
import { copyBytes } from "./_copy.ts";

function noSuchKey(key: string): never {
  throw new BosHttpError("NoSuchKey", `The key ${JSON.stringify(key.slice(0, 200))} does not exist`);
}

/** Write conditions of PutObject / Complete on the object currently stored under the key. */
export function checkWriteConditions(ctx: OpContext, existing: ObjectRecord | undefined): void {
  const h = ctx.headers;
  const ifMatch = h.get("if-match")?.trim();
  const ifNoneMatch = h.get("if-none-match")?.trim();
  if (ifMatch) {
    if (!existing || !ifMatch.split(",").some((t) => unquote(t) === "*" || unquote(t) === existing.etag)) {
      fail("PreconditionFailed", `If-Match ${ifMatch} does not hold for the current object`);
    }
  } else {
    const ius = h.get("if-unmodified-since");
    const t = ius ? Date.parse(ius) : NaN;
    if (existing && !Number.isNaN(t) && Math.floor(existing.lastModified / 1000) > Math.floor(t / 1000)) {
      fail("PreconditionFailed", `The object was modified after If-Unmodified-Since ${ius}`);
    }
  }
  if (ifNoneMatch && existing) {
    if (ifNoneMatch.split(",").some((t) => unquote(t) === "*" || unquote(t) === existing.etag)) {
      fail("PreconditionFailed", `If-None-Match ${ifNoneMatch} does not hold: the object exists`);
    }
  }
  if (existing && h.get("x-bce-forbid-overwrite")?.trim().toLowerCase() === "true") {
    fail(
      "FileAlreadyExists",
      `The key ${JSON.stringify(ctx.key.slice(0, 200))} exists and x-bce-forbid-overwrite is set`,
    );
  }
}

function digestHeaders(
  etag: string,
  crc32: string,
  crc32c?: string,
  extra?: Record<string, string>,
): Record<string, string> {
  const h: Record<string, string> = { etag, "x-bce-content-crc32": crc32, ...extra };
  if (crc32c !== undefined) h["x-bce-content-crc32c"] = crc32c;
  return h;
}

/** PutObject. */
export async function putObject(ctx: OpContext): Promise<Response> {
  const bucket = requireBucket(ctx);
  checkKey(ctx);
  const headers = objectHeadersOf(ctx);
  const declared = requireUploadLength(ctx.req, ctx.fromSocket);
  const max = ctx.profile.maxPutObjectSize;
  if (declared !== undefined && declared > max) {
    fail("EntityTooLarge", `The object is ${declared} bytes, more than the PutObject limit of ${max}`);
  }
  const expected = expectedDigests(ctx.headers);
  checkWriteConditions(ctx, ctx.store.getObject(bucket.name, ctx.key));
  const sink = await ctx.store.newBlob();
  const got = await receiveBody(ctx.req, sink, declared, max, expected);
  return await ctx.lock.run(bucket.name + "/" + ctx.key, async () => {
    try {
      checkWriteConditions(ctx, ctx.store.getObject(bucket.name, ctx.key));
    } catch (err) {
      await ctx.store.deleteBlobs([got.segment.blob]);
      throw err;
    }
    const record: ObjectRecord = {
      ...headers,
      key: ctx.key,
      size: got.segment.size,
      etag: got.md5Hex,
      contentMd5: got.md5Base64,
      crc32: got.crc32,
      lastModified: ctx.now().getTime(),
      objectType: "Normal",
      segments: got.segment.size > 0 ? [got.segment] : [],
    };
    await commitBlobs(ctx, bucket.name, [got.segment.blob], () => ctx.store.putObject(bucket.name, record));
    if (got.segment.size === 0) await ctx.store.deleteBlobs([got.segment.blob]);
    return emptyResponse(ctx, 200, {
      ...digestHeaders(record.etag, got.crc32, got.crc32c),
      "content-md5": got.md5Base64,
      "x-bce-storage-class": record.storageClass,
    });
  });
}

type Range = { start: number; end: number } | undefined;

/** Parses a single `Range: bytes=…` against `size`; empty header → no range. */
export function parseRange(header: string | null, size: number): Range {
  if (header === null || header.trim() === "") return undefined;
  const text = header.trim();
  const m = /^bytes\s*=\s*(\d*)\s*-\s*(\d*)$/i.exec(text);
  const invalid = (): never => {
    throw new BosHttpError(
      "InvalidRange",
      `The range ${JSON.stringify(text.slice(0, 100))} cannot be satisfied for an object of ${size} bytes`,
      undefined,
      { "content-range": `bytes */${size}` },
    );
  };
  if (!m || (m[1] === "" && m[2] === "")) invalid();
  if (size === 0) {
    throw new BosHttpError(
      "InvalidArgument",
      `A range read of a 0-byte object is not allowed, got ${JSON.stringify(text.slice(0, 100))}`,
    );
  }
  if (m![1] === "") {
    const n = Number(m![2]);
    if (n === 0) invalid();
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m![1]);
  const last = m![2] === "" ? size - 1 : Number(m![2]);
  if (start >= size || last < start) invalid();
  return { start, end: Math.min(last, size - 1) };
}

const OVERRIDES: Array<[string, string]> = [
  ["responseContentDisposition", "content-disposition"],
  ["responseContentType", "content-type"],
  ["responseContentLanguage", "content-language"],
  ["responseExpires", "expires"],
  ["responseCacheControl", "cache-control"],
  ["responseContentEncoding", "content-encoding"],
];

/** GetObject and HeadObject (HEAD: same headers, no body). */
export function getObject(ctx: OpContext): Response {
  const bucket = requireBucket(ctx);
  checkKey(ctx);
  const record = ctx.store.getObject(bucket.name, ctx.key);
  if (!record) noSuchKey(ctx.key);
  const headers = objectResponseHeaders(record);
  const cond = evaluateConditions(conditionsOf(ctx.headers), record);
  if (cond === "failed") {
    throw new BosHttpError(
      "PreconditionFailed",
      "A condition (If-Match / If-Unmodified-Since) does not hold for the object",
    );
  }
  if (cond === "not-modified") {
    const h = baseHeaders(ctx);
    for (const name of ["etag", "last-modified", "cache-control", "expires"]) {
      const v = headers.get(name);
      if (v !== null) h.set(name, v);
    }
    return new Response(null, { status: 304, headers: h });
  }
  for (const [param, header] of OVERRIDES) {
    const v = ctx.query.get(param);
    if (v !== undefined && v !== "") setOverride(headers, header, v, param);
  }
  const range = parseRange(ctx.headers.get("range"), record.size);
  const h = baseHeaders(ctx, headers);
  const start = range ? range.start : 0;
  const end = range ? range.end + 1 : record.size;
  h.set("content-length", String(end - start));
  if (range) h.set("content-range", `bytes ${range.start}-${range.end}/${record.size}`);
  const status = range ? 206 : 200;
  if (ctx.method === "HEAD") return new Response(null, { status, headers: h });
  const body = end > start ? ctx.store.read(record.segments, start, end) : null;
  return new Response(body, { status, headers: h });
}

/** DeleteObject: 204; missing → 404 `NoSuchKey`. */
export async function deleteObject(ctx: OpContext): Promise<Response> {
  const bucket = requireBucket(ctx);
  checkKey(ctx);
  const deleted = await ctx.lock.run(
    bucket.name + "/" + ctx.key,
    () => inBucket(ctx, bucket.name, () => ctx.store.deleteObject(bucket.name, ctx.key)),
  );
  if (!deleted) noSuchKey(ctx.key);
  return emptyResponse(ctx, 204);
}

/** DeleteMultipleObjects: `POST /<bucket>?delete` with `{"objects": [{"key": …}]}`. */
export async function deleteMultipleObjects(ctx: OpContext): Promise<Response> {
  const bucket = requireBucket(ctx);
  const max = ctx.profile.maxDeleteBodySize;
  const body = await readSmallBody(
    ctx.req,
    max,
    () => fail("MaxMessageLengthExceeded", `The DeleteMultipleObjects body exceeds ${max} bytes`),
  );
  const json = parseJson(body);
  const objects = (json as { objects?: unknown } | null)?.objects;
  if (typeof json !== "object" || json === null || Array.isArray(json) || !Array.isArray(objects)) {
    fail("InappropriateJSON", "The body must be a JSON object with an objects array");
  }
  if (objects.length === 0) fail("InappropriateJSON", "The objects array must not be empty");
  if (objects.length > ctx.profile.maxDeleteObjects) {
    fail(
      "InvalidArgument",
      `At most ${ctx.profile.maxDeleteObjects} keys may be deleted at once, got ${objects.length}`,
    );
  }
  const keys: string[] = [];
  for (const o of objects) {
    const key = (o as { key?: unknown } | null)?.key;
    if (typeof o !== "object" || o === null || typeof key !== "string") {
      fail("InappropriateJSON", "Every entry of objects must be an object with a string key");
    }
    keys.push(key);
  }
  const errors: Array<{ key: string; code: string; message: string }> = [];
  for (const key of keys) {
    if (key === "" || utf8Length(key) > ctx.profile.maxKeyLength) {
      errors.push({ key, code: "InvalidArgument", message: "Invalid Argument." });
      continue;
    }
    const deleted = await ctx.lock.run(
      bucket.name + "/" + key,
      () => inBucket(ctx, bucket.name, () => ctx.store.deleteObject(bucket.name, key)),
    );
    if (!deleted) errors.push({ key, code: "NoSuchKey", message: "The specified key does not exist." });
  }
  if (errors.length === 0) return emptyResponse(ctx, 200);
  return jsonResponse(ctx, { errors });
}

/** Finds the copy source and checks its conditions. */
export function resolveCopySource(ctx: OpContext): ObjectRecord {
  const src = copySourceOf(ctx.headers);
  const b = ctx.store.getBucket(src.bucket);
  if (!b) {
    throw new BosHttpError(
      "NoSuchBucket",
      `The source bucket ${JSON.stringify(src.bucket.slice(0, 100))} does not exist`,
    );
  }
  const record = ctx.store.getObject(b.name, src.key);
  if (!record) noSuchKey(src.key);
  checkCopySourceConditions(ctx.headers, record);
  return record;
}

/** CopyObject: `PUT` with `x-bce-copy-source`; JSON `{lastModified, eTag}`. */
export async function copyObject(ctx: OpContext): Promise<Response> {
  const bucket = requireBucket(ctx);
  checkKey(ctx);
  const rawDirective = ctx.headers.get("x-bce-metadata-directive")?.trim().toLowerCase() || "copy";
  if (rawDirective !== "copy" && rawDirective !== "replace") {
    fail(
      "InvalidArgument",
      `x-bce-metadata-directive must be copy or replace, got ${JSON.stringify(rawDirective.slice(0, 40))}`,
    );
  }
  const storageClass = storageClassOf(ctx.headers);
  const replaceHeaders = rawDirective === "replace" ? objectHeadersOf(ctx, storageClass) : undefined;
  const source = resolveCopySource(ctx);
  if (source.size > ctx.profile.maxPutObjectSize) {
    fail(
      "EntityTooLarge",
      `The source is ${source.size} bytes, more than the CopyObject limit of ${ctx.profile.maxPutObjectSize}; use UploadPartCopy`,
    );
  }
  const copied = await copyBytes(ctx.store, ctx.store.read(source.segments, 0, source.size), source.size);
  return await ctx.lock.run(bucket.name + "/" + ctx.key, async () => {
    const record: ObjectRecord = {
      ...(replaceHeaders ?? {
        contentType: source.contentType,
        cacheControl: source.cacheControl,
        contentDisposition: source.contentDisposition,
        contentEncoding: source.contentEncoding,
        expires: source.expires,
        meta: { ...source.meta },
        storageClass,
      }),
      key: ctx.key,
      size: source.size,
      etag: source.etag,
      contentMd5: source.contentMd5,
      crc32: copied.crc32,
      lastModified: ctx.now().getTime(),
      objectType: source.objectType,
      segments: copied.segment.size > 0 ? [copied.segment] : [],
    };
    await commitBlobs(
      ctx,
      bucket.name,
      [copied.segment.blob],
      () => ctx.store.putObject(bucket.name, record),
    );
    if (copied.segment.size === 0) await ctx.store.deleteBlobs([copied.segment.blob]);
    return jsonResponse(ctx, { lastModified: isoDate(record.lastModified), eTag: record.etag }, 200, {
      etag: record.etag,
      "x-bce-storage-class": record.storageClass,
    });
  });
}

// The running MD5 and CRC32 of recently appended objects, per store, so that an append hashes only
// its own bytes instead of re-reading the whole object (a log written by N appends would otherwise
// cost O(N²)). An entry is used only while the object still has the ETag and size it was saved with;
// after a restart or an eviction the object is read once to rebuild it.
interface AppendHashes {
  md5: IncrementalHash;
  crc32: IncrementalHash;
}
const APPEND_HASHES_LIMIT = 256;
const appendHashCache = new WeakMap<Store, Map<string, AppendHashes & { etag: string; size: number }>>();

async function appendHashes(
  store: Store,
  bucket: string,
  existing: ObjectRecord | undefined,
): Promise<AppendHashes> {
  if (existing) {
    const saved = appendHashCache.get(store)?.get(bucket + "\0" + existing.key);
    if (saved && saved.etag === existing.etag && saved.size === existing.size) {
      return { md5: await saved.md5.copy(), crc32: await saved.crc32.copy() };
    }
  }
  const whole = { md5: await createIncrementalHash("md5"), crc32: await createIncrementalHash("crc32") };
  if (existing) {
    for await (const chunk of store.read(existing.segments, 0, existing.size)) {
      whole.md5.update(chunk);
      whole.crc32.update(chunk);
    }
  }
  return whole;
}

function rememberAppendHashes(
  store: Store,
  bucket: string,
  record: ObjectRecord,
  hashes: AppendHashes,
): void {
  let cache = appendHashCache.get(store);
  if (!cache) appendHashCache.set(store, cache = new Map());
  const k = bucket + "\0" + record.key;
  cache.delete(k); // re-insert at the end: the map's order is least recently appended first
  if (cache.size >= APPEND_HASHES_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(k, { ...hashes, etag: record.etag, size: record.size });
}

/** AppendObject: `POST ?append[&offset=N]`. */
export async function appendObject(ctx: OpContext): Promise<Response> {
  const bucket = requireBucket(ctx);
  checkKey(ctx);
  const rawOffset = ctx.query.get("offset");
  let offset: number | undefined;
  if (rawOffset !== undefined) {
    if (!/^\d{1,16}$/.test(rawOffset)) {
      fail(
        "InvalidArgument",
        `offset must be a non-negative integer, got ${JSON.stringify(rawOffset.slice(0, 40))}`,
      );
    }
    offset = Number(rawOffset);
  }
  const declared = requireUploadLength(ctx.req, ctx.fromSocket);
  const max = ctx.profile.maxAppendSize;
  if (declared !== undefined && declared > max) {
    fail("EntityTooLarge", `The append body is ${declared} bytes, more than the limit of ${max}`);
  }
  const expected = expectedDigests(ctx.headers);
  return await ctx.lock.run(bucket.name + "/" + ctx.key, async () => {
    const existing = offset === undefined ? undefined : ctx.store.getObject(bucket.name, ctx.key);
    let created: ReturnType<typeof objectHeadersOf> | undefined;
    if (offset === undefined) {
      created = objectHeadersOf(ctx);
      if (created.storageClass === "ARCHIVE") {
        fail("InvalidArgument", "Appendable objects cannot use the ARCHIVE storage class");
      }
    } else {
      if (!existing) noSuchKey(ctx.key);
      if (existing.objectType !== "Appendable") {
        fail(
          "ObjectUnappendable",
          `The object ${JSON.stringify(ctx.key.slice(0, 200))} is ${existing.objectType}, not Appendable`,
        );
      }
      if (existing.size !== offset) {
        throw new BosHttpError(
          "OffsetIncorrect",
          `The offset ${offset} differs from the current length ${existing.size} of the object`,
          undefined,
          { "x-bce-next-append-offset": String(existing.size) },
        );
      }
      if (declared !== undefined && existing.size + declared > ctx.profile.maxAppendableObjectSize) {
        fail(
          "EntityTooLarge",
          `Appending ${declared} bytes would exceed the appendable object limit of ${ctx.profile.maxAppendableObjectSize}`,
        );
      }
    }
    const whole = await appendHashes(ctx.store, bucket.name, existing);
    const sink = await ctx.store.newBlob();
    const limit = Math.min(max, ctx.profile.maxAppendableObjectSize - (existing?.size ?? 0));
    const got = await receiveBody(ctx.req, sink, declared, limit, expected, whole);
    const running = { md5: await whole.md5.copy(), crc32: await whole.crc32.copy() };
    const digest = whole.md5.digest();
    const base = existing ?? { ...created!, segments: [] as ObjectRecord["segments"] };
    const segments = got.segment.size > 0 ? [...base.segments, got.segment] : [...base.segments];
    const record: ObjectRecord = {
      contentType: base.contentType,
      cacheControl: base.cacheControl,
      contentDisposition: base.contentDisposition,
      contentEncoding: base.contentEncoding,
      expires: base.expires,
      meta: base.meta,
      storageClass: base.storageClass,
      key: ctx.key,
      size: (existing?.size ?? 0) + got.segment.size,
      etag: toHex(digest),
      contentMd5: toBase64(digest),
      crc32: crcToDecimal(whole.crc32.digest()),
      lastModified: ctx.now().getTime(),
      objectType: "Appendable",
      segments,
    };
    await commitBlobs(ctx, bucket.name, [got.segment.blob], () => ctx.store.putObject(bucket.name, record));
    rememberAppendHashes(ctx.store, bucket.name, record, running);
    if (got.segment.size === 0) await ctx.store.deleteBlobs([got.segment.blob]);
    return emptyResponse(ctx, 200, {
      ...digestHeaders(record.etag, record.crc32!, got.crc32c),
      "content-md5": record.contentMd5!,
      "x-bce-next-append-offset": String(record.size),
      "x-bce-object-type": "Appendable",
      "x-bce-storage-class": record.storageClass,
    });
  });
}
