/**
 * A zoo of broken endpoints that only the model suite catches: each is the reference server with one
 * realistic vendor bug — an attribute lost on one write path, a header in the wrong wire form on one
 * read path, an order that only shows when things are created out of order, a size only large objects
 * reach — that the per-area laws do not produce. `zoo_model_test.ts` proves each fails a `model.*`
 * check.
 *
 * @module
 */
import { createHandler } from "../server/mod.ts";
import { createMemoryStore, type ObjectRecord, type Store } from "../server/mod.ts";
import type { Credentials } from "./_http.ts";
import {
  type Handler,
  objectOf,
  operationOf,
  parse,
  type Parsed,
  queryParams,
  rebuild,
  withJson,
  type ZooEntry,
} from "./_zoo.ts";

/** A broken endpoint of this zoo: which model checks must fail, and which other laws also catch it. */
export interface ModelZooEntry extends ZooEntry {
  /** What kind of observation it breaks (the list). */
  observation: string;
  /** Laws outside `model.*` that legitimately catch it too. */
  alsoCaughtBy?: string[];
}

const MiB = 1024 * 1024;

/** The reference handler over a store, with a hook around every request. */
function over(
  credentials: Credentials,
  wrap: (inner: Store) => Store,
  around?: (p: Parsed, store: Store, next: (p: Parsed) => Promise<Response>) => Promise<Response>,
): Handler {
  const store = wrap(createMemoryStore());
  const h = createHandler({ credentials: [credentials], store, onInternalError: () => {} });
  const next = (p: Parsed) => h(rebuild(p));
  return async (req) => {
    const p = await parse(req);
    return around ? await around(p, store, next) : await next(p);
  };
}

const same = (s: Store) => s;

function copySourceKey(p: Parsed): { bucket: string; key: string } | undefined {
  const raw = p.headers.get("x-bce-copy-source");
  if (!raw) return undefined;
  const text = decodeURIComponent(raw.replace(/\?.*$/, "")).replace(/^\//, "");
  const i = text.indexOf("/");
  return i < 0 ? undefined : { bucket: text.slice(0, i), key: text.slice(i + 1) };
}

// Operations are told apart by the server's own routing table (operationOf), never by hand.
const isCopy = (p: Parsed) => operationOf(p) === "CopyObject";
/** A multipart-assembled object: a Normal object with no whole-object MD5. */
const isAssembled = (r: ObjectRecord | undefined) =>
  r !== undefined && r.objectType === "Normal" && r.contentMd5 === undefined && r.size > 0;

function withHeaders(res: Response, fn: (h: Headers) => void, body?: BodyInit | null): Response {
  const h = new Headers(res.headers);
  fn(h);
  return new Response(body === undefined ? res.body : body, { status: res.status, headers: h });
}

function bosError(res: Response, status: number, code: string, message: string): Response {
  const requestId = res.headers.get("x-bce-request-id") ?? "";
  const h = new Headers(res.headers);
  for (const k of [...h.keys()]) {
    if (/^(etag|last-modified|content-|x-bce-(?!request-id|debug-id))/.test(k)) h.delete(k);
  }
  h.set("content-type", "application/json; charset=utf-8");
  return new Response(JSON.stringify({ code, message, requestId }), { status, headers: h });
}

function concat(a: ReadableStream<Uint8Array>, b: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream({
    async start(controller) {
      for (const s of [a, b]) for await (const chunk of s) controller.enqueue(chunk);
      controller.close();
    },
  });
}

async function head(store: Store, p: Parsed): Promise<ObjectRecord | undefined> {
  const t = objectOf(p);
  return t ? await Promise.resolve(store.getObject(t.bucket, t.key)) : undefined;
}

/** Keys mapped to one spelling by a storage layer that compares them loosely. */
function loose(fold: (key: string) => string): (inner: Store) => Store {
  return (inner) => {
    const spelling = new Map<string, string>();
    const canon = (bucket: string, key: string) => spelling.get(bucket + "\n" + fold(key)) ?? key;
    return {
      ...inner,
      getObject: (bucket, key) => inner.getObject(bucket, canon(bucket, key)),
      putObject(bucket, record) {
        const key = canon(bucket, record.key);
        spelling.set(bucket + "\n" + fold(record.key), key);
        return inner.putObject(bucket, { ...record, key });
      },
      completeUpload(id, bucket, record) {
        const key = canon(bucket, record.key);
        spelling.set(bucket + "\n" + fold(record.key), key);
        return inner.completeUpload(id, bucket, { ...record, key });
      },
      async deleteObject(bucket, key) {
        const k = canon(bucket, key);
        const ok = await inner.deleteObject(bucket, k);
        if (ok) spelling.delete(bucket + "\n" + fold(key));
        return ok;
      },
    };
  };
}

/** The broken endpoints only the model suite catches. */
export const MODEL_ZOO: readonly ModelZooEntry[] = [
  {
    name: "delete-appendable-answers-200",
    description: "DeleteObject of an appendable object answers 200 instead of 204 (a separate code path)",
    observation: "status",
    expectFailing: ["model.objects-match-model"],
    make: (c) =>
      over(c, same, async (p, store, next) => {
        const r = operationOf(p) === "DeleteObject" ? await head(store, p) : undefined;
        const res = await next(p);
        return r?.objectType === "Appendable" && res.status === 204
          ? new Response(null, { status: 200, headers: res.headers })
          : res;
      }),
  },
  {
    name: "copy-drops-cache-headers",
    description:
      "CopyObject with the copy directive carries Content-Type and metadata but loses Cache-Control, Content-Disposition and Expires",
    observation: "stored headers (Cache-Control, Content-Disposition, Expires) on a write path",
    expectFailing: ["model.objects-match-model"],
    make: (c) =>
      over(c, same, async (p, store, next) => {
        const res = await next(p);
        const directive = p.headers.get("x-bce-metadata-directive")?.toLowerCase();
        const t = objectOf(p);
        if (isCopy(p) && res.status === 200 && directive !== "replace" && t) {
          const r = store.getObject(t.bucket, t.key);
          if (r) {
            await store.putObject(t.bucket, {
              ...r,
              cacheControl: undefined,
              contentDisposition: undefined,
              expires: undefined,
            });
          }
        }
        return res;
      }),
  },
  {
    name: "complete-drops-disposition",
    description:
      "CompleteMultipartUpload keeps the Content-Type given at Initiate but drops Content-Disposition, Cache-Control and Expires",
    observation: "Content-Disposition",
    expectFailing: ["model.multipart-matches-model"],
    make: (c) =>
      over(c, (inner) => ({
        ...inner,
        completeUpload: (id, bucket, record) =>
          inner.completeUpload(id, bucket, {
            ...record,
            contentDisposition: undefined,
            cacheControl: undefined,
            expires: undefined,
          }),
      })),
  },
  {
    name: "append-drops-cache-control",
    description: "AppendObject stores no Cache-Control or Expires for the appendable objects it creates",
    observation: "Cache-Control, Expires",
    expectFailing: ["model.objects-match-model"],
    make: (c) =>
      over(c, (inner) => ({
        ...inner,
        putObject: (bucket, r) =>
          inner.putObject(
            bucket,
            r.objectType === "Appendable" ? { ...r, cacheControl: undefined, expires: undefined } : r,
          ),
      })),
  },
  {
    name: "replace-keeps-source-content-type",
    description:
      "CopyObject with the replace directive and no Content-Type keeps the source's Content-Type instead of the default",
    observation: "Content-Type",
    expectFailing: ["model.objects-match-model"],
    make: (c) =>
      over(c, same, async (p, store, next) => {
        const src = copySourceKey(p);
        const source = src ? store.getObject(src.bucket, src.key) : undefined;
        const res = await next(p);
        const t = objectOf(p);
        if (
          isCopy(p) && res.status === 200 && t && source &&
          p.headers.get("x-bce-metadata-directive")?.toLowerCase() === "replace" &&
          !p.headers.has("content-type")
        ) {
          const r = store.getObject(t.bucket, t.key);
          if (r) await store.putObject(t.bucket, { ...r, contentType: source.contentType });
        }
        return res;
      }),
  },
  {
    name: "initiate-metadata-dropped",
    description:
      "User metadata given at InitiateMultipartUpload is not kept (only metadata given at Complete is)",
    observation: "x-bce-meta-* on a write path",
    expectFailing: ["model.multipart-matches-model"],
    make: (c) =>
      over(c, (inner) => ({ ...inner, createUpload: (u) => inner.createUpload({ ...u, meta: {} }) })),
  },
  {
    name: "append-mangles-unicode-metadata",
    description:
      "AppendObject stores non-ASCII metadata values of the objects it creates as '?' (its header parser is ASCII-only)",
    observation: "x-bce-meta-* with unicode values",
    expectFailing: ["model.objects-match-model"],
    make: (c) =>
      over(c, (inner) => ({
        ...inner,
        putObject: (bucket, r) =>
          inner.putObject(
            bucket,
            r.objectType === "Appendable"
              ? {
                ...r,
                meta: Object.fromEntries(
                  Object.entries(r.meta).map(([k, v]) => [k, v.replace(/[\x80-\xff]+/g, "?")]),
                ),
              }
              : r,
          ),
      })),
  },
  {
    name: "complete-drops-storage-class",
    description: "CompleteMultipartUpload creates a STANDARD object whatever storage class Initiate gave",
    observation: "storage class",
    expectFailing: ["model.multipart-matches-model"],
    make: (c) =>
      over(c, (inner) => ({
        ...inner,
        completeUpload: (id, bucket, record) =>
          inner.completeUpload(id, bucket, { ...record, storageClass: "STANDARD" }),
      })),
  },
  {
    name: "copy-keeps-source-storage-class",
    description:
      "CopyObject without x-bce-storage-class keeps the source's class (BOS: STANDARD unless given)",
    observation: "storage class on copy",
    expectFailing: ["model.objects-match-model"],
    make: (c) =>
      over(c, same, async (p, store, next) => {
        const src = copySourceKey(p);
        const source = src ? store.getObject(src.bucket, src.key) : undefined;
        const res = await next(p);
        const t = objectOf(p);
        if (isCopy(p) && res.status === 200 && t && source && !p.headers.has("x-bce-storage-class")) {
          const r = store.getObject(t.bucket, t.key);
          if (r) await store.putObject(t.bucket, { ...r, storageClass: source.storageClass });
        }
        return res;
      }),
  },
  {
    name: "put-over-appendable-stays-appendable",
    description:
      "PutObject over an appendable object keeps x-bce-object-type Appendable (the type is not reset)",
    observation: "object type after an overwrite",
    expectFailing: ["model.objects-match-model"],
    alsoCaughtBy: ["offsets.append-sequence-matches-model"],
    make: (c) =>
      over(c, (inner) => ({
        ...inner,
        putObject(bucket, r) {
          const old = inner.getObject(bucket, r.key);
          return inner.putObject(
            bucket,
            old?.objectType === "Appendable" && r.objectType === "Normal"
              ? { ...r, objectType: "Appendable" }
              : r,
          );
        },
      })),
  },
  {
    name: "copy-of-appendable-is-normal",
    description:
      "CopyObject always writes a Normal object, also from an appendable source (which stays appendable in BOS)",
    observation: "object type",
    expectFailing: ["model.objects-match-model"],
    make: (c) =>
      over(c, same, async (p, store, next) => {
        const res = await next(p);
        const t = objectOf(p);
        const r = isCopy(p) && res.status === 200 && t ? store.getObject(t.bucket, t.key) : undefined;
        if (r?.objectType === "Appendable") await store.putObject(t!.bucket, { ...r, objectType: "Normal" });
        return res;
      }),
  },
  {
    name: "get-omits-next-append-offset",
    description: "GetObject of an appendable object omits x-bce-next-append-offset (HEAD carries it)",
    observation: "x-bce-next-append-offset",
    expectFailing: ["model.objects-match-model"],
    make: (c) =>
      over(c, same, async (p, _s, next) => {
        const res = await next(p);
        return operationOf(p) === "GetObject"
          ? withHeaders(res, (h) => h.delete("x-bce-next-append-offset"))
          : res;
      }),
  },
  {
    name: "appendable-etag-stale",
    description: "The ETag (and Content-MD5) of an appendable object stays that of its first append",
    observation: "ETag of appendable objects",
    expectFailing: ["model.objects-match-model"],
    make: (c) =>
      over(c, (inner) => ({
        ...inner,
        putObject(bucket, r) {
          const old = inner.getObject(bucket, r.key);
          const stale = old?.objectType === "Appendable" && r.objectType === "Appendable" &&
            r.size > old.size;
          return inner.putObject(bucket, stale ? { ...r, etag: old.etag, contentMd5: old.contentMd5 } : r);
        },
      })),
  },
  {
    name: "etag-quoted-on-head",
    description: "HeadObject sends the ETag quoted while every other response sends it bare",
    observation: "ETag quoting",
    expectFailing: ["model.objects-match-model"],
    make: (c) =>
      over(c, same, async (p, _s, next) => {
        const res = await next(p);
        const e = res.headers.get("etag");
        return operationOf(p) === "HeadObject" && e && !e.startsWith('"')
          ? withHeaders(res, (h) => h.set("etag", `"${e}"`))
          : res;
      }),
  },
  {
    name: "head-length-of-last-part",
    description: "HeadObject of a multipart object reports the size of its last part as Content-Length",
    observation: "Content-Length",
    expectFailing: ["model.multipart-matches-model"],
    make: (c) =>
      over(c, same, async (p, store, next) => {
        const r = operationOf(p) === "HeadObject" ? await head(store, p) : undefined;
        const res = await next(p);
        return isAssembled(r) && res.status === 200 && r!.segments.length > 1
          ? withHeaders(res, (h) => h.set("content-length", String(r!.segments.at(-1)!.size)), null)
          : res;
      }),
  },
  {
    name: "last-modified-iso-on-head",
    description: "HeadObject writes Last-Modified in ISO 8601 (2026-12-01T10:00:00Z) instead of RFC 1123",
    observation: "Last-Modified form",
    expectFailing: ["model.objects-match-model"],
    make: (c) =>
      over(c, same, async (p, _s, next) => {
        const res = await next(p);
        const lm = res.headers.get("last-modified");
        return operationOf(p) === "HeadObject" && lm
          ? withHeaders(res, (h) => h.set("last-modified", new Date(lm).toISOString().replace(".000", "")))
          : res;
      }),
  },
  {
    name: "last-modified-in-beijing-time",
    description: "Last-Modified headers carry the server's local time (UTC+8) labelled GMT",
    observation: "Last-Modified value",
    expectFailing: ["model.objects-match-model"],
    make: (c) =>
      over(c, same, async (p, _s, next) => {
        const res = await next(p);
        const lm = res.headers.get("last-modified");
        return lm
          ? withHeaders(res, (h) =>
            h.set("last-modified", new Date(Date.parse(lm) + 8 * 3600_000).toUTCString()))
          : res;
      }),
  },
  {
    name: "copy-keeps-source-last-modified",
    description: "CopyObject gives the copy the source's Last-Modified (the record is copied whole)",
    observation: "Last-Modified monotonicity",
    expectFailing: ["model.large-objects-match-model"],
    make: (c) =>
      over(c, same, async (p, store, next) => {
        const src = copySourceKey(p);
        const source = src ? store.getObject(src.bucket, src.key) : undefined;
        const res = await next(p);
        const t = objectOf(p);
        if (!isCopy(p) || res.status !== 200 || !t || !source) return res;
        const r = store.getObject(t.bucket, t.key);
        if (r) await store.putObject(t.bucket, { ...r, lastModified: source.lastModified });
        return withJson(
          res,
          (j) => (j.lastModified = new Date(source.lastModified).toISOString().replace(/\.\d{3}Z$/, "Z")),
        );
      }),
  },
  {
    name: "if-modified-since-strict",
    description: "If-Modified-Since equal to Last-Modified answers 200 (compared with < instead of <=)",
    observation: "conditional GET",
    expectFailing: ["model.objects-match-model"],
    make: (c) =>
      over(c, same, (p, _s, next) => {
        const ims = p.headers.get("if-modified-since");
        if (ims && !Number.isNaN(Date.parse(ims))) {
          p.headers.set("if-modified-since", new Date(Date.parse(ims) - 1000).toUTCString());
        }
        return next(p);
      }),
  },
  {
    name: "range-end-not-clamped",
    description: "A Range whose last byte lies past the object's end answers 416 instead of the clamped 206",
    observation: "ranges past the end (clamped)",
    expectFailing: ["model.objects-match-model"],
    make: (c) =>
      over(c, same, async (p, _s, next) => {
        const res = await next(p);
        const asked = /^bytes=\d+-(\d+)$/.exec(p.headers.get("range") ?? "")?.[1];
        const served = /^bytes \d+-(\d+)\/\d+$/.exec(res.headers.get("content-range") ?? "")?.[1];
        return res.status === 206 && asked && served && Number(asked) > Number(served)
          ? bosError(res, 416, "InvalidRange", "The requested range is not satisfiable")
          : res;
      }),
  },
  {
    name: "range-across-parts-rereads-first-part",
    description:
      "A Range that crosses a part boundary of a multipart object returns, after the boundary, bytes from the start of the object",
    observation: "ranges crossing part boundaries",
    expectFailing: ["model.multipart-matches-model"],
    make: (c) =>
      over(c, (inner) => ({
        ...inner,
        read(segments, start, end) {
          const total = segments.reduce((n, s) => n + s.size, 0);
          const b = segments[0]?.size ?? 0;
          if (segments.length < 2 || (start === 0 && end === total) || start >= b || end <= b) {
            return inner.read(segments, start, end);
          }
          return concat(inner.read(segments, start, b), inner.read(segments, 0, end - b));
        },
      })),
  },
  {
    name: "open-range-on-multipart-off-by-one",
    description:
      "An open-ended Range (bytes=a-) on a multipart object reports Content-Range bytes a-size/size",
    observation: "open-ended ranges, Content-Range",
    expectFailing: ["model.multipart-matches-model"],
    make: (c) =>
      over(c, same, async (p, store, next) => {
        const r = operationOf(p) === "GetObject" && /^bytes=\d+-$/.test(p.headers.get("range") ?? "")
          ? await head(store, p)
          : undefined;
        const res = await next(p);
        const m = /^bytes (\d+)-\d+\/(\d+)$/.exec(res.headers.get("content-range") ?? "");
        return isAssembled(r) && res.status === 206 && m
          ? withHeaders(res, (h) => h.set("content-range", `bytes ${m[1]}-${m[2]}/${m[2]}`))
          : res;
      }),
  },
  {
    name: "single-byte-range-on-appendable-shifted",
    description: "A single-byte Range (bytes=a-a) on an appendable object returns the byte after a",
    observation: "single-byte ranges",
    expectFailing: ["model.objects-match-model"],
    make: (c) =>
      over(c, same, async (p, store, next) => {
        const m = /^bytes=(\d+)-(\d+)$/.exec(p.headers.get("range") ?? "");
        const r = m && m[1] === m[2] && operationOf(p) === "GetObject" ? await head(store, p) : undefined;
        const res = await next({ ...p, headers: new Headers(p.headers) });
        if (r?.objectType !== "Appendable" || res.status !== 206 || Number(m![1]) + 1 >= r.size) return res;
        const shifted = new Headers(p.headers);
        shifted.set("range", `bytes=${Number(m![1]) + 1}-${Number(m![1]) + 1}`);
        const other = await next({ ...p, headers: shifted });
        return new Response(other.body, { status: 206, headers: res.headers });
      }),
  },
  {
    name: "put-truncates-at-16-mib",
    description:
      "Bodies are stored up to 16 MiB only (a buffer cap in the blob writer); the ETag is still that of the whole body",
    observation: "whole-body digests of large objects",
    expectFailing: ["model.large-objects-match-model"],
    make: (c) =>
      over(c, (inner) => ({
        ...inner,
        async newBlob() {
          const sink = await inner.newBlob();
          let written = 0;
          return {
            blob: sink.blob,
            write(chunk: Uint8Array) {
              const room = Math.max(0, 16 * MiB - written);
              written += chunk.length;
              return room ? sink.write(chunk.subarray(0, room)) : Promise.resolve();
            },
            finish: () => sink.finish(),
            abort: () => sink.abort(),
          };
        },
      })),
  },
  {
    name: "list-storage-class-always-standard",
    description: "ListObjects reports storageClass STANDARD for every entry",
    observation: "listing fields",
    expectFailing: ["model.objects-match-model"],
    make: (c) =>
      over(c, same, async (p, _s, next) => {
        const res = await next(p);
        if (operationOf(p) !== "ListObjects") return res;
        return withJson(res, (j) => {
          for (const e of (j.contents as Array<{ storageClass?: string }> | undefined) ?? []) {
            e.storageClass = "STANDARD";
          }
        });
      }),
  },
  {
    name: "common-prefixes-utf16-order",
    description: "ListObjects sorts commonPrefixes by UTF-16 code units (keys stay in byte order)",
    observation: "listing order",
    expectFailing: ["model.listings-match-model"],
    make: (c) =>
      over(c, same, async (p, _s, next) => {
        const res = await next(p);
        if (operationOf(p) !== "ListObjects") return res;
        return withJson(res, (j) => {
          (j.commonPrefixes as Array<{ prefix: string }> | undefined)?.sort((
            a,
            b,
          ) => (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : 0));
        });
      }),
  },
  {
    name: "uploads-in-initiation-order",
    description: "ListMultipartUploads lists uploads in the order they were initiated, not by key",
    observation: "ListMultipartUploads key order",
    expectFailing: ["model.multipart-matches-model"],
    alsoCaughtBy: ["pagination.list-uploads-pages-equal-model"],
    make: (c) =>
      over(c, (inner) => ({
        ...inner,
        listUploads: (bucket) =>
          [...inner.listUploads(bucket)].sort((a, b) =>
            a.initiated - b.initiated || (a.uploadId < b.uploadId ? -1 : 1)
          ),
      })),
  },
  {
    name: "one-key-uploads-newest-first",
    description: "ListMultipartUploads lists the uploads of one key newest first",
    observation: "ListMultipartUploads ordering",
    expectFailing: ["model.multipart-matches-model"],
    make: (c) =>
      over(c, (inner) => ({
        ...inner,
        listUploads: (bucket) => {
          const all = inner.listUploads(bucket);
          const out: typeof all = [];
          for (let i = 0; i < all.length;) {
            let j = i;
            while (j < all.length && all[j].key === all[i].key) j++;
            out.push(...all.slice(i, j).reverse());
            i = j;
          }
          return out;
        },
      })),
  },
  {
    name: "list-parts-in-upload-order",
    description: "ListParts lists the parts in the order they were uploaded, not by part number",
    observation: "ListParts ordering",
    expectFailing: ["model.multipart-matches-model"],
    make: (c) => {
      const order = new Map<string, number[]>();
      return over(c, same, async (p, _s, next) => {
        const op = operationOf(p);
        const q = queryParams(p.query);
        const id = q.get("uploadId");
        const res = await next(p);
        if (!id) return res;
        if ((op === "UploadPart" || op === "UploadPartCopy") && res.status === 200) {
          const n = Number(q.get("partNumber"));
          order.set(id, [...(order.get(id) ?? []).filter((x) => x !== n), n]);
        }
        if (op !== "ListParts") return res;
        const seq = order.get(id) ?? [];
        return withJson(res, (j) => {
          (j.parts as Array<{ partNumber: number }> | undefined)?.sort((a, b) =>
            seq.indexOf(a.partNumber) - seq.indexOf(b.partNumber)
          );
        });
      });
    },
  },
  {
    name: "uploads-next-key-marker-missing",
    description: "Truncated ListMultipartUploads pages carry no nextKeyMarker",
    observation: "ListMultipartUploads pagination",
    expectFailing: ["model.multipart-matches-model"],
    make: (c) =>
      over(c, same, async (p, _s, next) => {
        const res = await next(p);
        return operationOf(p) === "ListMultipartUploads" ? withJson(res, (j) => delete j.nextKeyMarker) : res;
      }),
  },
  {
    name: "reuploaded-part-keeps-old-data",
    description: "UploadPart again for a part number answers the new ETag but keeps the old part",
    observation: "ListParts fields, Complete",
    expectFailing: ["model.multipart-matches-model"],
    alsoCaughtBy: [
      "part_math.measured-min-part-size-equals-profile",
      "part_math.reuploaded-part-replaces-earlier",
    ],
    make: (c) =>
      over(c, (inner) => ({
        ...inner,
        putPart(id, part) {
          const u = inner.getUpload(id);
          return u?.parts.has(part.partNumber)
            ? inner.deleteBlobs([part.segment.blob])
            : inner.putPart(id, part);
        },
      })),
  },
  {
    name: "precondition-failed-without-request-id",
    description: "412 PreconditionFailed bodies carry code and message but no requestId",
    observation: "error bodies",
    expectFailing: ["model.objects-match-model"],
    make: (c) =>
      over(c, same, async (p, _s, next) => {
        const res = await next(p);
        return res.status === 412 ? withJson(res, (j) => delete j.requestId) : res;
      }),
  },
  {
    name: "append-to-multipart-is-offset-incorrect",
    description:
      "AppendObject with an offset on a multipart object answers 409 OffsetIncorrect instead of 403 ObjectUnappendable",
    observation: "error status and code",
    expectFailing: ["model.multipart-matches-model"],
    make: (c) =>
      over(c, same, async (p, store, next) => {
        const r = operationOf(p) === "AppendObject" && queryParams(p.query).has("offset")
          ? await head(store, p)
          : undefined;
        const res = await next(p);
        return isAssembled(r) && res.status === 403
          ? bosError(res, 409, "OffsetIncorrect", "The offset differs from the current length of the object")
          : res;
      }),
  },
  {
    name: "case-insensitive-keys",
    description:
      "Keys are compared case-insensitively (a case-insensitive file system underneath): the first spelling wins",
    observation: "keys that differ only in case",
    expectFailing: ["model.listings-match-model"],
    make: (c) => over(c, loose((k) => k.toLowerCase())),
  },
  {
    name: "keys-normalised-to-nfc",
    description: "Keys are normalised to Unicode NFC, so a decomposed é and a composed é name one object",
    observation: "unicode keys",
    expectFailing: ["model.listings-match-model"],
    make: (c) => over(c, loose((k) => k.normalize("NFC"))),
  },
  {
    name: "keys-percent-decoded-twice",
    description: "The storage layer percent-decodes keys once more, so a key holding %41 names the object A",
    observation: "keys with % escapes",
    expectFailing: ["model.listings-match-model"],
    make: (c) =>
      over(
        c,
        loose((k) => {
          try {
            return decodeURIComponent(k);
          } catch {
            return k;
          }
        }),
      ),
  },
  {
    name: "delete-of-slash-key-deletes-children",
    description: "DeleteObject of a key ending in / removes every key under it (directory semantics)",
    observation: "keys with a trailing /",
    expectFailing: ["model.listings-match-model"],
    make: (c) =>
      over(c, (inner) => ({
        ...inner,
        async deleteObject(bucket, key) {
          const ok = await inner.deleteObject(bucket, key);
          if (ok && key.endsWith("/")) {
            for (const k of [...inner.sortedKeys(bucket)]) {
              if (k.startsWith(key)) await inner.deleteObject(bucket, k);
            }
          }
          return ok;
        },
      })),
  },
  {
    name: "copy-truncates-at-8-mib",
    description: "CopyObject copies at most the first 8 MiB of its source",
    observation: "whole-body digests of large copies",
    expectFailing: ["model.large-objects-match-model"],
    make: (c) =>
      over(c, same, async (p, store, next) => {
        const res = await next(p);
        const t = objectOf(p);
        const r = isCopy(p) && res.status === 200 && t ? store.getObject(t.bucket, t.key) : undefined;
        if (!r || r.size <= 8 * MiB) return res;
        const sink = await store.newBlob();
        for await (const chunk of store.read(r.segments, 0, 8 * MiB)) await sink.write(chunk);
        await store.putObject(t!.bucket, { ...r, size: 8 * MiB, segments: [await sink.finish()] });
        return res;
      }),
  },

  {
    name: "content-encoding-dropped",
    description:
      "Content-Encoding given at a write is not stored (the header mapping knows only the other four)",
    observation: "stored headers (Content-Encoding)",
    expectFailing: ["model.objects-match-model"],
    make: (c) =>
      over(c, (inner) => ({
        ...inner,
        putObject: (bucket, r) => inner.putObject(bucket, { ...r, contentEncoding: undefined }),
        completeUpload: (id, bucket, r) =>
          inner.completeUpload(id, bucket, { ...r, contentEncoding: undefined }),
      })),
  },
  {
    name: "head-omits-crc32",
    description: "HeadObject leaves out x-bce-content-crc32, which GetObject carries",
    observation: "optional headers on one read path",
    expectFailing: ["model.objects-match-model"],
    make: (c) =>
      over(c, same, async (p, _s, next) => {
        const res = await next(p);
        return operationOf(p) === "HeadObject"
          ? withHeaders(res, (h) => h.delete("x-bce-content-crc32"))
          : res;
      }),
  },
  {
    name: "head-ignores-conditions",
    description: "HeadObject ignores If-Match, If-None-Match, If-Modified-Since and If-Unmodified-Since",
    observation: "conditional HEAD",
    expectFailing: ["model.objects-match-model"],
    make: (c) =>
      over(c, same, (p, _s, next) => {
        if (operationOf(p) === "HeadObject") {
          for (const k of ["if-match", "if-none-match", "if-modified-since", "if-unmodified-since"]) {
            p.headers.delete(k);
          }
        }
        return next(p);
      }),
  },
];
