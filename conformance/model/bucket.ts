/**
 * A model of a whole bucket, for the `model.*` suite: every object with its bytes, kind (normal,
 * appendable, multipart), stored headers, metadata, storage class, ETag rule and Last-Modified bounds,
 * every multipart upload with its parts, and the rules of `objects.md`, `multipart.md` and `listing.md`
 * for what each operation answers. It is pure (no I/O); the suite drives a real endpoint and this model
 * with the same commands and compares what it sees with what the model predicts.
 *
 * Where the spec leaves a value open (the ETag of a multipart object, the `x-bce-object-type` of one,
 * the exact second an object was written), the model keeps what it allows and the suite pins the value
 * the first time it is observed; every later observation must agree.
 *
 * @module
 */
import type { RangeSpec } from "./_forms.ts";
import { compareUtf8 } from "./listing.ts";
import { expectedMetadata, metadataSizeModel } from "./metadata.ts";

export type { RangeSpec } from "./_forms.ts";
export { httpDateIn, rangeHeader } from "./_forms.ts";

/**
 * What kind of write made an object.
 */
export type ObjectKind = "normal" | "appendable" | "multipart";

/**
 * Object headers as a request sends them (any field may be absent).
 */
export interface SentAttributes {
  /** `Content-Type`. */
  contentType?: string;
  /** `Cache-Control`. */
  cacheControl?: string;
  /** `Content-Disposition`. */
  contentDisposition?: string;
  /** `Expires`. */
  expires?: string;
  /** `Content-Encoding`. */
  contentEncoding?: string;
  /** `x-bce-meta-*` entries: name as sent (any case) and text value. */
  meta?: ReadonlyArray<readonly [string, string]>;
  /** `x-bce-storage-class` as sent (may be invalid on purpose). */
  storageClass?: string;
}

/**
 * The headers an object is stored with, as GET and HEAD must return them.
 */
export interface StoredAttributes {
  /** `Content-Type` (default `application/octet-stream`). */
  contentType: string;
  /** `Cache-Control`, when stored. */
  cacheControl?: string;
  /** `Content-Disposition`, when stored. */
  contentDisposition?: string;
  /** `Expires`, when stored. */
  expires?: string;
  /** `Content-Encoding`, when stored. */
  contentEncoding?: string;
  /** User metadata: lower-case name → UTF-8 bytes of the value. */
  meta: ReadonlyMap<string, Uint8Array>;
  /** Storage class. */
  storageClass: string;
}

/**
 * How an object's ETag is known: the hex MD5 of its bytes, an exact value, or opaque (pinned at the
 * first observation, optionally one of some candidates).
 */
export type EtagRule =
  | { kind: "md5" }
  | { kind: "exact"; value: string }
  | { kind: "opaque"; candidates?: readonly string[]; md5Allowed?: boolean };

/**
 * Bounds of a second (Unix time in seconds), pinned to one value once observed.
 */
export interface Pinned {
  /** Earliest allowed value. */
  min: number;
  /** Latest allowed value. */
  max: number;
  /** The value seen first; later observations must equal it. */
  value?: number;
}

/**
 * One object of the model.
 */
export interface ModelObject {
  /** Key. */
  key: string;
  /** The bytes. */
  content: Uint8Array;
  /** The write that made it. */
  kind: ObjectKind;
  /** Stored headers. */
  attrs: StoredAttributes;
  /** How its ETag is known. */
  etag: EtagRule;
  /** The ETag once observed (for every rule). */
  etagSeen?: string;
  /** Allowed `x-bce-object-type` values (`null` = the header may be absent). */
  objectTypes: ReadonlyArray<string | null>;
  /** The `x-bce-object-type` first seen (`null` = absent). */
  objectTypeSeen?: string | null;
  /** Whether GET/HEAD must carry `Content-MD5` (otherwise it is checked only when present). */
  contentMd5Required: boolean;
  /**
   * Whether each optional header (`Content-MD5`, `x-bce-content-crc32`) was there on the first whole
   * read of this object: every later GET and HEAD must agree (HEAD carries GET's headers, objects.md §3).
   */
  presence?: Record<string, boolean>;
  /** Last-Modified in seconds. */
  lastModified: Pinned;
  /** Part sizes, for objects assembled from parts. */
  parts?: readonly number[];
  /** Increases with every write (a new object of the same key gets a new version). */
  version: number;
}

/**
 * One uploaded part.
 */
export interface ModelPart {
  /** Part number. */
  partNumber: number;
  /** Its bytes. */
  content: Uint8Array;
  /** The hex MD5 of its bytes (its ETag). */
  etag: string;
  /** Its Last-Modified (ListParts `lastModified`) in seconds. */
  lastModified: Pinned;
}

/**
 * One multipart upload in progress.
 */
export interface ModelUpload {
  /** The id the endpoint gave. */
  uploadId: string;
  /** Key. */
  key: string;
  /** Headers for the final object (from Initiate). */
  attrs: StoredAttributes;
  /** Whether Initiate carried user metadata. */
  metaAtInitiate: boolean;
  /** `initiated` in seconds. */
  initiated: Pinned;
  /** Uploaded parts by number. */
  parts: Map<number, ModelPart>;
  /** Initiation order. */
  seq: number;
}

/**
 * An error the endpoint may answer (`code` `*` = any code).
 */
export interface Fault {
  /** HTTP status. */
  status: number;
  /** BOS error code, or `*`. */
  code: string;
}

/**
 * What an operation must answer: success, or one of the faults that apply (the spec does not order
 * faults that apply together, so any of them is accepted).
 */
export type Outcome = { ok: true } | { ok: false; faults: Fault[] };

/**
 * The limits the model applies.
 */
export interface ModelLimits {
  /** Smallest non-last part Complete accepts. */
  minPartSize: number;
  /** Highest part number. */
  maxPartNumber: number;
  /** User metadata budget. */
  maxUserMetadataSize: number;
}

/**
 * A time window in seconds in which a write happened.
 */
export interface Window {
  /** Not before. */
  min: number;
  /** Not after. */
  max: number;
}

/**
 * One condition header of a GET or of a copy source: kind and value as sent. An ETag condition's
 * value may be a list (`"a", "b"`), weak (`W/"a"`) or `*`; a date is sent in `format` (RFC 1123 by
 * default, or one of the two obsolete forms HTTP recipients must accept, RFC 9110 §5.6.7).
 */
export type Condition =
  | { kind: "if-match" | "if-none-match"; etag: string }
  | { kind: "if-modified-since" | "if-unmodified-since"; seconds: number; format?: "rfc850" | "asctime" };

const fault = (status: number, ...codes: string[]): Fault[] => codes.map((code) => ({ status, code }));
const OCTET = "application/octet-stream";
const VALID_CLASSES = new Set(["STANDARD", "STANDARD_IA", "COLD", "ARCHIVE"]);

/**
 * The stored headers for headers sent with a creating write (PutObject, AppendObject without offset,
 * Initiate, CopyObject with `replace`).
 *
 * @param sent Headers as sent.
 * @param storageClass The class to store (default: the sent one, else `STANDARD`).
 * @returns The stored headers.
 *
 * @example
 * ```ts
 * import { storedAttributes } from "./bucket.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(storedAttributes({ storageClass: "COLD" }).storageClass, "COLD");
 * assert.equal(storedAttributes({ storageClass: "COLD" }, "STANDARD").storageClass, "STANDARD");
 * ```
 */
export function storedAttributes(sent: SentAttributes, storageClass?: string): StoredAttributes {
  return {
    contentType: sent.contentType ?? OCTET,
    ...(sent.cacheControl !== undefined ? { cacheControl: sent.cacheControl } : {}),
    ...(sent.contentDisposition !== undefined ? { contentDisposition: sent.contentDisposition } : {}),
    ...(sent.expires !== undefined ? { expires: sent.expires } : {}),
    ...(sent.contentEncoding !== undefined ? { contentEncoding: sent.contentEncoding } : {}),
    meta: expectedMetadata(sent.meta ?? []),
    storageClass: storageClass ?? sent.storageClass ?? "STANDARD",
  };
}

/**
 * What a Range read of an object of `size` bytes answers: the bytes served (the end clamped to the
 * last byte; a suffix range `bytes=-N` serves the last N bytes, the whole object when N ≥ size),
 * 416 `InvalidRange` when the first byte lies at or past the end, the last before the first, or the
 * suffix is empty (`bytes=-0`) or the header is malformed (whatever the size: it is refused before
 * the object is looked at), and 400 for any well-formed range on a 0-byte object (objects.md §2: the
 * doc says 400; its code is not documented).
 *
 * @param size Object size.
 * @param range The range sent.
 * @returns Served bytes or the faults.
 *
 * @example
 * ```ts
 * import { rangeOutcome } from "./bucket.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(rangeOutcome(10, { first: 3 }), { ok: true, first: 3, last: 9 });
 * assert.deepEqual(rangeOutcome(10, { first: 10, last: 12 }), { ok: false, faults: [{ status: 416, code: "InvalidRange" }] });
 * assert.deepEqual(rangeOutcome(10, { first: 0, suffix: 4 }), { ok: true, first: 6, last: 9 });
 * assert.deepEqual(rangeOutcome(10, { first: 5, last: 4 }), { ok: false, faults: [{ status: 416, code: "InvalidRange" }] });
 * ```
 */
export function rangeOutcome(
  size: number,
  range: RangeSpec,
): { ok: true; first: number; last: number } | { ok: false; faults: Fault[] } {
  if (range.malformed !== undefined) return { ok: false, faults: fault(416, "InvalidRange") };
  if (size === 0) return { ok: false, faults: fault(400, "*") };
  if (range.suffix !== undefined) {
    if (range.suffix === 0) return { ok: false, faults: fault(416, "InvalidRange") };
    return { ok: true, first: Math.max(0, size - range.suffix), last: size - 1 };
  }
  if (range.first >= size || (range.last !== undefined && range.last < range.first)) {
    return { ok: false, faults: fault(416, "InvalidRange") };
  }
  return { ok: true, first: range.first, last: Math.min(range.last ?? size - 1, size - 1) };
}

function unquote(etag: string): string {
  const t = etag.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
}

/** Whether an ETag condition's value (a list, maybe `*` or weak `W/"…"` entries) names `etag`. */
function tagMatches(value: string, etag: string): boolean {
  return value.split(",").some((t) => {
    const v = t.trim();
    return v === "*" || unquote(v.startsWith("W/") ? v.slice(2) : v) === etag;
  });
}

/**
 * Evaluates GET conditions against an object's ETag and Last-Modified (seconds): `ok`,
 * `not-modified` (304) or `failed` (412). If-Match wins over If-Unmodified-Since and If-None-Match
 * over If-Modified-Since (objects.md §2); a failed If-Match/If-Unmodified-Since wins over a 304.
 *
 * @param etag The object's ETag (unquoted).
 * @param lastModified Its Last-Modified in seconds.
 * @param conditions The conditions sent.
 * @returns The verdict.
 *
 * @example
 * ```ts
 * import { evaluateConditions } from "./bucket.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(evaluateConditions("e1", 100, [{ kind: "if-none-match", etag: '"e1"' }]), "not-modified");
 * assert.equal(evaluateConditions("e1", 100, [{ kind: "if-unmodified-since", seconds: 99 }]), "failed");
 * assert.equal(evaluateConditions("e1", 100, [{ kind: "if-modified-since", seconds: 99 }]), "ok");
 * assert.equal(evaluateConditions("e1", 100, [{ kind: "if-match", etag: '"e0", "e1"' }]), "ok");
 * assert.equal(evaluateConditions("e1", 100, [{ kind: "if-none-match", etag: 'W/"e1"' }]), "not-modified");
 * ```
 */
export function evaluateConditions(
  etag: string,
  lastModified: number,
  conditions: readonly Condition[],
): "ok" | "not-modified" | "failed" {
  const tag = (kind: string) =>
    (conditions.find((c) => c.kind === kind) as { etag: string } | undefined)?.etag;
  const date = (kind: string) =>
    (conditions.find((c) => c.kind === kind) as { seconds: number } | undefined)?.seconds;
  const im = tag("if-match");
  const ius = date("if-unmodified-since");
  const inm = tag("if-none-match");
  const ims = date("if-modified-since");
  if (im !== undefined) {
    if (!tagMatches(im, etag)) return "failed";
  } else if (ius !== undefined && lastModified > ius) return "failed";
  if (inm !== undefined) {
    if (tagMatches(inm, etag)) return "not-modified";
  } else if (ims !== undefined && lastModified <= ims) return "not-modified";
  return "ok";
}

/**
 * One page of a listing over items with keys, in the algorithm of listing.md §2 (shared by
 * ListObjects and ListMultipartUploads): items above the marker under the prefix, in UTF-8 byte order
 * of their keys (items of one key keep their order), a common prefix counting as one entry.
 */
export interface ItemsPage<T> {
  /** Items and common prefixes, in order. */
  entries: Array<{ item: T; prefix?: undefined } | { prefix: string; item?: undefined }>;
  /** Whether more entries follow. */
  isTruncated: boolean;
  /** The last key consumed, when truncated. */
  nextMarker?: string;
}

/**
 * Lists one page (see {@link ItemsPage}).
 *
 * @param items The items (any order; the sort is stable).
 * @param keyOf Key of an item.
 * @param p prefix, delimiter, marker (exclusive) and maxEntries (default 1000).
 * @returns The page.
 *
 * @example Uploads of one key keep their initiation order
 * ```ts
 * import { paginateItems } from "./bucket.ts";
 * import assert from "node:assert/strict";
 *
 * const page = paginateItems([{ k: "b", n: 1 }, { k: "a", n: 2 }, { k: "b", n: 3 }], (u) => u.k, {});
 * assert.deepEqual(page.entries.map((e) => e.item?.n), [2, 1, 3]);
 * ```
 */
export function paginateItems<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  p: { prefix?: string; delimiter?: string; marker?: string; maxEntries?: number },
): ItemsPage<T> {
  const prefix = p.prefix ?? "";
  const marker = p.marker ?? "";
  const delimiter = p.delimiter ?? "";
  const max = p.maxEntries ?? 1000;
  const sorted = items
    .map((item, i) => ({ item, i, key: keyOf(item) }))
    .filter((x) => x.key.startsWith(prefix) && compareUtf8(x.key, marker) > 0)
    .sort((a, b) => compareUtf8(a.key, b.key) || a.i - b.i);
  const entries: ItemsPage<T>["entries"] = [];
  let lastCP: string | undefined;
  let lastConsumed: string | undefined;
  let truncated = false;
  for (const { item, key } of sorted) {
    const d = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
    if (d >= 0) {
      const cp = key.slice(0, d + delimiter.length);
      if (cp === lastCP || compareUtf8(cp, marker) <= 0) {
        if (cp === lastCP) lastConsumed = key;
        continue;
      }
      if (entries.length >= max) {
        truncated = true;
        break;
      }
      entries.push({ prefix: cp });
      lastCP = cp;
    } else {
      if (entries.length >= max) {
        truncated = true;
        break;
      }
      entries.push({ item });
    }
    lastConsumed = key;
  }
  return { entries, isTruncated: truncated, ...(truncated ? { nextMarker: lastConsumed } : {}) };
}

/**
 * The bucket model. Every write method returns the outcome the endpoint must answer and applies the
 * write when it succeeds; the suite calls it only after the endpoint answered as predicted.
 *
 * @example
 * ```ts
 * import { BucketModel } from "./bucket.ts";
 * import assert from "node:assert/strict";
 *
 * const m = new BucketModel({ minPartSize: 4, maxPartNumber: 10000, maxUserMetadataSize: 2048 });
 * const w = { min: 0, max: 1 };
 * assert.deepEqual(m.appendAt("log", new Uint8Array(1), 0, w), { ok: false, faults: [{ status: 404, code: "NoSuchKey" }] });
 * m.appendCreate("log", new Uint8Array([1]), {}, w);
 * assert.equal(m.appendAt("log", new Uint8Array([2]), 1, w).ok, true);
 * assert.equal(m.objects.get("log")?.content.length, 2);
 * ```
 */
export class BucketModel {
  /** Live objects by key. */
  readonly objects: Map<string, ModelObject> = new Map();
  /** Live uploads in initiation order. */
  readonly uploads: ModelUpload[] = [];
  /** Uploads that were completed or aborted (id and key). */
  readonly deadUploads: Array<{ uploadId: string; key: string }> = [];
  /** The limits. */
  readonly limits: ModelLimits;
  #version = 0;
  #seq = 0;

  /**
   * Creates an empty bucket model.
   *
   * @param limits The limits to apply.
   */
  constructor(limits: ModelLimits) {
    this.limits = limits;
  }

  /** Faults of the headers a creating write sends (storage class, metadata budget). */
  #headerFaults(sent: SentAttributes): Fault[] {
    const out: Fault[] = [];
    if (sent.storageClass !== undefined && !VALID_CLASSES.has(sent.storageClass)) {
      out.push(...fault(400, "InvalidArgument"));
    }
    if (metadataSizeModel(sent.meta ?? []) > this.limits.maxUserMetadataSize) {
      out.push(...fault(400, "MetadataTooLarge"));
    }
    return out;
  }

  #lastModified(key: string, w: Window): Pinned {
    // A new version of a key is not older than the version it replaces.
    const prev = this.objects.get(key)?.lastModified.value;
    return { min: prev === undefined ? w.min : Math.max(w.min, prev), max: w.max };
  }

  #store(o: Omit<ModelObject, "version">): ModelObject {
    const obj = { ...o, version: ++this.#version };
    this.objects.set(o.key, obj);
    return obj;
  }

  /**
   * PutObject.
   *
   * @param key Key.
   * @param content Body.
   * @param sent Headers sent.
   * @param w When it was sent.
   * @param badDigest Whether the request carried a wrong Content-MD5.
   * @returns The outcome.
   */
  put(key: string, content: Uint8Array, sent: SentAttributes, w: Window, badDigest = false): Outcome {
    const faults = [...this.#headerFaults(sent), ...(badDigest ? fault(400, "BadDigest") : [])];
    if (faults.length) return { ok: false, faults };
    this.#store({
      key,
      content,
      kind: "normal",
      attrs: storedAttributes(sent),
      etag: { kind: "md5" },
      objectTypes: ["Normal"],
      contentMd5Required: true,
      lastModified: this.#lastModified(key, w),
    });
    return { ok: true };
  }

  /**
   * AppendObject without an offset: creates (or replaces any object with) an appendable object.
   *
   * @param key Key.
   * @param content Body.
   * @param sent Headers sent.
   * @param w When it was sent.
   * @returns The outcome (ARCHIVE is refused with 400 InvalidArgument).
   */
  appendCreate(key: string, content: Uint8Array, sent: SentAttributes, w: Window): Outcome {
    const faults = this.#headerFaults(sent);
    if (sent.storageClass === "ARCHIVE") faults.push(...fault(400, "InvalidArgument"));
    if (faults.length) return { ok: false, faults };
    this.#store({
      key,
      content,
      kind: "appendable",
      attrs: storedAttributes(sent),
      etag: { kind: "md5" },
      objectTypes: ["Appendable"],
      contentMd5Required: true,
      lastModified: this.#lastModified(key, w),
    });
    return { ok: true };
  }

  /**
   * AppendObject with an offset: the headers of the request are ignored, the bytes are appended.
   *
   * @param key Key.
   * @param content Body.
   * @param offset Offset sent.
   * @param w When it was sent.
   * @returns The outcome.
   */
  appendAt(key: string, content: Uint8Array, offset: number, w: Window): Outcome {
    const o = this.objects.get(key);
    if (!o) return { ok: false, faults: fault(404, "NoSuchKey") };
    if (o.kind !== "appendable") return { ok: false, faults: fault(403, "ObjectUnappendable") };
    if (offset !== o.content.length) return { ok: false, faults: fault(409, "OffsetIncorrect") };
    const joined = new Uint8Array(o.content.length + content.length);
    joined.set(o.content);
    joined.set(content, o.content.length);
    this.#store({ ...o, content: joined, etagSeen: undefined, lastModified: this.#lastModified(key, w) });
    return { ok: true };
  }

  /**
   * CopyObject (also onto itself). `copy` (or no directive) takes the source's headers and metadata,
   * `replace` the request's; the storage class is the request's `x-bce-storage-class`, default
   * STANDARD, under both (objects.md §6). The copy keeps the source's kind; its ETag is the source's
   * (for a multipart source: the source's or the MD5 of the bytes).
   *
   * @param source Source key.
   * @param dest Destination key.
   * @param req Directive, headers sent, conditions, and when it was sent.
   * @returns The outcome.
   */
  copy(
    source: string,
    dest: string,
    req: {
      directive?: "copy" | "replace";
      sent: SentAttributes;
      conditions: readonly Condition[];
      w: Window;
    },
  ): Outcome {
    const faults: Fault[] = [];
    if (req.sent.storageClass !== undefined && !VALID_CLASSES.has(req.sent.storageClass)) {
      faults.push(...fault(400, "InvalidArgument"));
    }
    if (req.directive === "replace") {
      if (metadataSizeModel(req.sent.meta ?? []) > this.limits.maxUserMetadataSize) {
        faults.push(...fault(400, "MetadataTooLarge"));
      }
    }
    const src = this.objects.get(source);
    if (!src) faults.push(...fault(404, "NoSuchKey"));
    else if (req.conditions.length) {
      const etag = src.etagSeen;
      const lm = src.lastModified.value;
      if (etag === undefined || lm === undefined) throw new Error("The copy source must be observed first");
      if (evaluateConditions(etag, lm, req.conditions) !== "ok") {
        faults.push(...fault(412, "PreconditionFailed"));
      }
    }
    if (faults.length || !src) return { ok: false, faults };
    const storageClass = req.sent.storageClass ?? "STANDARD";
    const attrs = req.directive === "replace"
      ? storedAttributes(req.sent, storageClass)
      : { ...src.attrs, storageClass };
    const etag: EtagRule = src.kind === "multipart"
      ? { kind: "opaque", candidates: src.etagSeen === undefined ? [] : [src.etagSeen], md5Allowed: true }
      : { kind: "md5" };
    this.#store({
      key: dest,
      content: src.content,
      kind: src.kind,
      attrs,
      etag,
      etagSeen: undefined,
      objectTypes: src.objectTypeSeen !== undefined ? [src.objectTypeSeen] : src.objectTypes,
      contentMd5Required: false,
      lastModified: this.#lastModified(dest, req.w),
      ...(src.parts ? { parts: src.parts } : {}),
    });
    return { ok: true };
  }

  /**
   * DeleteObject.
   *
   * @param key Key.
   * @returns The outcome.
   */
  delete(key: string): Outcome {
    if (!this.objects.delete(key)) return { ok: false, faults: fault(404, "NoSuchKey") };
    return { ok: true };
  }

  /**
   * DeleteMultipleObjects: deletes what exists, reports the rest.
   *
   * @param keys Keys sent.
   * @returns The keys that must be reported as `NoSuchKey`.
   */
  deleteMultiple(keys: readonly string[]): string[] {
    const missing: string[] = [];
    for (const k of keys) if (!this.objects.delete(k)) missing.push(k);
    return missing;
  }

  /**
   * The live upload with this id.
   *
   * @param uploadId Upload id.
   * @returns The upload, if live.
   */
  upload(uploadId: string): ModelUpload | undefined {
    return this.uploads.find((u) => u.uploadId === uploadId);
  }

  /**
   * The faults of Initiate for these headers (the upload id is only known after the endpoint answered).
   *
   * @param sent Headers sent.
   * @returns The outcome.
   */
  initiateOutcome(sent: SentAttributes): Outcome {
    const faults = this.#headerFaults(sent);
    return faults.length ? { ok: false, faults } : { ok: true };
  }

  /**
   * Records a successful Initiate.
   *
   * @param key Key.
   * @param uploadId The id the endpoint gave.
   * @param sent Headers sent.
   * @param w When it was sent.
   * @returns The upload.
   */
  initiate(key: string, uploadId: string, sent: SentAttributes, w: Window): ModelUpload {
    const u: ModelUpload = {
      uploadId,
      key,
      attrs: storedAttributes(sent),
      metaAtInitiate: (sent.meta ?? []).length > 0,
      initiated: { min: w.min, max: w.max },
      parts: new Map(),
      seq: ++this.#seq,
    };
    this.uploads.push(u);
    return u;
  }

  #partFaults(uploadId: string, partNumber: number): Fault[] {
    const out: Fault[] = [];
    if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > this.limits.maxPartNumber) {
      out.push(...fault(400, "InvalidArgument"));
    }
    if (!this.upload(uploadId)) out.push(...fault(404, "NoSuchUpload"));
    return out;
  }

  /**
   * UploadPart: stores (or replaces) a part.
   *
   * @param uploadId Upload id sent.
   * @param partNumber Part number sent.
   * @param content Body.
   * @param etag The hex MD5 of the body.
   * @param w When it was sent.
   * @returns The outcome.
   */
  uploadPart(uploadId: string, partNumber: number, content: Uint8Array, etag: string, w: Window): Outcome {
    const faults = this.#partFaults(uploadId, partNumber);
    if (faults.length) return { ok: false, faults };
    this.upload(uploadId)!.parts.set(partNumber, { partNumber, content, etag, lastModified: { ...w } });
    return { ok: true };
  }

  /**
   * UploadPartCopy: a part from a range of an existing object (multipart.md §3); a first byte at or
   * past the source's end → 416 InvalidRange.
   *
   * @param uploadId Upload id sent.
   * @param partNumber Part number sent.
   * @param source Source key.
   * @param range `x-bce-copy-source-range`, or the whole source.
   * @param etagOf The hex MD5 of the copied bytes (see {@link BucketModel.copySlice}).
   * @param w When it was sent.
   * @returns The outcome.
   */
  uploadPartCopy(
    uploadId: string,
    partNumber: number,
    source: string,
    range: { first: number; last: number } | undefined,
    etagOf: string,
    w: Window,
  ): Outcome {
    const faults = this.#partFaults(uploadId, partNumber);
    const content = this.copySlice(source, range);
    if (!this.objects.has(source)) faults.push(...fault(404, "NoSuchKey"));
    else if (!content) faults.push(...fault(416, "InvalidRange"));
    if (faults.length || !content) return { ok: false, faults };
    this.upload(uploadId)!.parts.set(partNumber, {
      partNumber,
      content,
      etag: etagOf,
      lastModified: { ...w },
    });
    return { ok: true };
  }

  /**
   * The bytes UploadPartCopy copies: the range (its end clamped to the source's end) or the whole
   * source; `undefined` when the source is missing or the range starts at or past its end.
   *
   * @param source Source key.
   * @param range The range, if any.
   * @returns The bytes.
   */
  copySlice(source: string, range: { first: number; last: number } | undefined): Uint8Array | undefined {
    const src = this.objects.get(source);
    if (!src) return undefined;
    if (!range) return src.content;
    if (range.first >= src.content.length) return undefined;
    return src.content.subarray(range.first, Math.min(range.last, src.content.length - 1) + 1);
  }

  /**
   * CompleteMultipartUpload: part numbers strictly ascending (else InvalidPartOrder), each listed
   * part uploaded with that ETag (else InvalidPart), every non-last listed part at least minPartSize
   * (else EntityTooSmall). The object gets the Initiate headers, the Complete metadata when the
   * request carries some, the Initiate storage class; its ETag is opaque.
   *
   * @param uploadId Upload id sent.
   * @param list The part list sent (ETags unquoted).
   * @param meta User metadata sent with Complete.
   * @param w When it was sent.
   * @returns The outcome.
   */
  complete(
    uploadId: string,
    list: ReadonlyArray<{ partNumber: number; eTag: string }>,
    meta: ReadonlyArray<readonly [string, string]>,
    w: Window,
  ): Outcome {
    const u = this.upload(uploadId);
    if (!u) return { ok: false, faults: fault(404, "NoSuchUpload") };
    const faults: Fault[] = [];
    for (let i = 1; i < list.length; i++) {
      if (list[i].partNumber <= list[i - 1].partNumber) {
        faults.push(...fault(400, "InvalidPartOrder"));
        break;
      }
    }
    const parts = list.map((l) => u.parts.get(l.partNumber));
    if (parts.some((p, i) => !p || p.etag !== list[i].eTag)) faults.push(...fault(400, "InvalidPart"));
    else if (parts.slice(0, -1).some((p) => p!.content.length < this.limits.minPartSize)) {
      faults.push(...fault(400, "EntityTooSmall"));
    }
    if (metadataSizeModel(meta) > this.limits.maxUserMetadataSize) {
      faults.push(...fault(400, "MetadataTooLarge"));
    }
    if (faults.length) return { ok: false, faults };
    const size = parts.reduce((n, p) => n + p!.content.length, 0);
    const content = new Uint8Array(size);
    let at = 0;
    for (const p of parts) {
      content.set(p!.content, at);
      at += p!.content.length;
    }
    const attrs = meta.length > 0 ? { ...u.attrs, meta: expectedMetadata(meta) } : u.attrs;
    this.#store({
      key: u.key,
      content,
      kind: "multipart",
      attrs,
      etag: { kind: "opaque" },
      // The spec does not name the type of an assembled object (multipart.md §4); it is not appendable.
      objectTypes: ["Normal", "MultiPart", "Multipart", null],
      contentMd5Required: false,
      lastModified: this.#lastModified(u.key, w),
      parts: parts.map((p) => p!.content.length),
    });
    this.#retire(uploadId);
    return { ok: true };
  }

  /**
   * AbortMultipartUpload.
   *
   * @param uploadId Upload id sent.
   * @returns The outcome.
   */
  abort(uploadId: string): Outcome {
    if (!this.upload(uploadId)) return { ok: false, faults: fault(404, "NoSuchUpload") };
    this.#retire(uploadId);
    return { ok: true };
  }

  #retire(uploadId: string): void {
    const i = this.uploads.findIndex((u) => u.uploadId === uploadId);
    if (i < 0) return;
    this.deadUploads.push({ uploadId, key: this.uploads[i].key });
    this.uploads.splice(i, 1);
  }

  /**
   * One ListObjects page over the live keys.
   *
   * @param p prefix, delimiter, marker, maxKeys.
   * @returns The page.
   */
  listObjects(
    p: { prefix?: string; delimiter?: string; marker?: string; maxKeys?: number },
  ): ItemsPage<ModelObject> {
    return paginateItems([...this.objects.values()], (o) => o.key, { ...p, maxEntries: p.maxKeys });
  }

  /**
   * One ListMultipartUploads page over the live uploads (keys in byte order, uploads of one key in
   * initiation order).
   *
   * @param p prefix, delimiter, keyMarker, maxUploads.
   * @returns The page.
   */
  listUploads(
    p: { prefix?: string; delimiter?: string; keyMarker?: string; maxUploads?: number },
  ): ItemsPage<ModelUpload> {
    return paginateItems(this.uploads, (u) => u.key, {
      prefix: p.prefix,
      delimiter: p.delimiter,
      marker: p.keyMarker,
      maxEntries: p.maxUploads,
    });
  }

  /**
   * One ListParts page: parts above the marker, ascending, at most maxParts.
   *
   * @param uploadId A live upload.
   * @param marker partNumberMarker.
   * @param maxParts Page size (default 1000).
   * @returns The parts and whether more follow.
   */
  listParts(uploadId: string, marker = 0, maxParts = 1000): { parts: ModelPart[]; isTruncated: boolean } {
    const u = this.upload(uploadId);
    if (!u) return { parts: [], isTruncated: false };
    const all = [...u.parts.values()].filter((p) => p.partNumber > marker).sort((a, b) =>
      a.partNumber - b.partNumber
    );
    return { parts: all.slice(0, maxParts), isTruncated: all.length > maxParts };
  }
}
