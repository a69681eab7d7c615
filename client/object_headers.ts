/**
 * An object's headers both ways: the content headers, storage class and user metadata a write sends
 * ({@link ObjectHeaderOptions}, validated before sending), the conditions a read or copy sends, and
 * the typed {@link ObjectMeta} read back from GET and HEAD responses.
 *
 * @module
 */
import { parseHttpDate, unquote } from "../protocol/encoding.ts";
import {
  fromHeaderByteString,
  META_PREFIX,
  toHeaderByteString,
  userMetadataSize,
} from "../protocol/headers.ts";
import { type BosProfile, isStorageClass, type StorageClass } from "../protocol/limits.ts";
import { invalid } from "./_validate.ts";

/**
 * Headers stored with an object (used by put, append, initiate, copy with `replace`).
 */
export interface ObjectHeaderOptions {
  /** `Content-Type`; default `application/octet-stream` for uploads. */
  contentType?: string;
  /** `Content-Disposition` (UTF-8 text allowed). */
  contentDisposition?: string;
  /** `Cache-Control`. */
  cacheControl?: string;
  /** `Content-Encoding`. */
  contentEncoding?: string;
  /** `Expires`: a date or the header text. */
  expires?: Date | string;
  /** User metadata: names (without `x-bce-meta-`, case-insensitive) to UTF-8 text values. */
  userMeta?: Record<string, string>;
  /** Storage class; default the bucket's (STANDARD). */
  storageClass?: StorageClass;
}

/**
 * Conditions on the object for GET / HEAD.
 */
export interface ReadConditions {
  /** `If-Match`: the ETag the object must have. */
  ifMatch?: string;
  /** `If-None-Match`: fail with 304 `NotModified` when the ETag equals. */
  ifNoneMatch?: string;
  /** `If-Modified-Since`. */
  ifModifiedSince?: Date;
  /** `If-Unmodified-Since`. */
  ifUnmodifiedSince?: Date;
}

/**
 * Object metadata from HEAD or GET.
 */
export interface ObjectMeta {
  /** `Content-Length` of the response (the whole object for HEAD and full GETs). */
  contentLength: number;
  /** `Content-Type`. */
  contentType?: string;
  /** ETag without quotes. */
  etag: string;
  /** `Last-Modified`. */
  lastModified?: Date;
  /** `x-bce-storage-class` (STANDARD when absent). */
  storageClass: string;
  /** `x-bce-object-type`: `Normal`, `Appendable`, … */
  objectType?: string;
  /** `x-bce-next-append-offset` of appendable objects. */
  nextAppendOffset?: number;
  /** User metadata: lower-case names (without `x-bce-meta-`) to UTF-8 text. */
  userMeta: Record<string, string>;
  /** `Content-MD5` (base64 of the whole object), when the server knows it. */
  contentMD5?: string;
  /** `Content-Disposition` as UTF-8 text. */
  contentDisposition?: string;
  /** `Content-Encoding`. */
  contentEncoding?: string;
  /** `Cache-Control`. */
  cacheControl?: string;
  /** `Expires` header text. */
  expires?: string;
  /** `x-bce-content-crc32`, decimal. */
  crc32?: string;
  /** `x-bce-content-crc32c`, decimal. */
  crc32c?: string;
  /** `x-bce-version-id`. */
  versionId?: string;
  /** `x-bce-request-id`. */
  requestId?: string;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Sets object headers (content headers, storage class, user metadata) after validating them. */
export function setObjectHeaders(h: Headers, o: ObjectHeaderOptions, profile: Readonly<BosProfile>): void {
  if (o.contentType !== undefined) h.set("content-type", toHeaderByteString(o.contentType));
  if (o.contentDisposition !== undefined) {
    h.set("content-disposition", toHeaderByteString(o.contentDisposition));
  }
  if (o.cacheControl !== undefined) h.set("cache-control", toHeaderByteString(o.cacheControl));
  if (o.contentEncoding !== undefined) h.set("content-encoding", toHeaderByteString(o.contentEncoding));
  if (o.expires !== undefined) {
    h.set("expires", o.expires instanceof Date ? o.expires.toUTCString() : toHeaderByteString(o.expires));
  }
  if (o.storageClass !== undefined) {
    if (!isStorageClass(o.storageClass)) {
      throw invalid(
        `Storage class must be one of STANDARD, STANDARD_IA, COLD, ARCHIVE, MAZ_STANDARD, MAZ_STANDARD_IA, MAZ_COLD, got ${
          JSON.stringify(o.storageClass)
        }`,
      );
    }
    h.set("x-bce-storage-class", o.storageClass);
  }
  if (o.userMeta) setUserMeta(h, o.userMeta, profile);
}

/** Validates user metadata (names, values, the size budget) and sets the `x-bce-meta-*` headers. */
export function setUserMeta(h: Headers, meta: Record<string, string>, profile: Readonly<BosProfile>): void {
  const seen = new Set<string>();
  for (const [name, value] of Object.entries(meta)) {
    if (!TOKEN.test(name)) {
      throw invalid(
        `User metadata name must be a non-empty HTTP token (letters, digits, -_.!#$%&'*+^\`|~), got ${
          JSON.stringify(name)
        }`,
      );
    }
    const lower = name.toLowerCase();
    if (seen.has(lower)) {
      throw invalid(`User metadata name ${JSON.stringify(name)} is given twice (names are case-insensitive)`);
    }
    seen.add(lower);
    if (typeof value !== "string") {
      throw invalid(`User metadata value of ${JSON.stringify(name)} must be a string, got ${typeof value}`);
    }
    // deno-lint-ignore no-control-regex
    if (/[\x00-\x08\x0a-\x1f\x7f]/.test(value)) {
      throw invalid(`User metadata value of ${JSON.stringify(name)} must not contain control characters`);
    }
  }
  const size = userMetadataSize(meta);
  if (size > profile.maxUserMetadataSize) {
    throw invalid(
      `User metadata must be at most ${profile.maxUserMetadataSize} bytes (sum of UTF-8 lengths of "x-bce-meta-" + name and value), got ${size}; shorten or drop entries`,
      undefined,
      "MetadataTooLarge",
    );
  }
  for (const [name, value] of Object.entries(meta)) {
    if (value.trim() === "") continue;
    h.set(META_PREFIX + name.toLowerCase(), toHeaderByteString(value.trim()));
  }
}

/** Sets `If-Match`, `If-None-Match`, `If-Modified-Since` and `If-Unmodified-Since`. */
export function setReadConditions(h: Headers, o: ReadConditions): void {
  if (o.ifMatch !== undefined) h.set("if-match", o.ifMatch);
  if (o.ifNoneMatch !== undefined) h.set("if-none-match", o.ifNoneMatch);
  if (o.ifModifiedSince !== undefined) h.set("if-modified-since", o.ifModifiedSince.toUTCString());
  if (o.ifUnmodifiedSince !== undefined) h.set("if-unmodified-since", o.ifUnmodifiedSince.toUTCString());
}

/** Sets the `x-bce-copy-source-if-*` conditions on the source of a copy. */
export function setCopyConditions(h: Headers, o: ReadConditions): void {
  if (o.ifMatch !== undefined) h.set("x-bce-copy-source-if-match", o.ifMatch);
  if (o.ifNoneMatch !== undefined) h.set("x-bce-copy-source-if-none-match", o.ifNoneMatch);
  if (o.ifModifiedSince !== undefined) {
    h.set("x-bce-copy-source-if-modified-since", o.ifModifiedSince.toUTCString());
  }
  if (o.ifUnmodifiedSince !== undefined) {
    h.set("x-bce-copy-source-if-unmodified-since", o.ifUnmodifiedSince.toUTCString());
  }
}

/** Whether the options give any content header or metadata (a copy then replaces the source's). */
export function replacesHeaders(o: ObjectHeaderOptions): boolean {
  return o.userMeta !== undefined || o.contentType !== undefined || o.contentDisposition !== undefined ||
    o.cacheControl !== undefined || o.contentEncoding !== undefined || o.expires !== undefined;
}

/** Only the object-header fields of a larger options object. */
export function headerOptions(o: ObjectHeaderOptions): ObjectHeaderOptions {
  return {
    contentType: o.contentType,
    contentDisposition: o.contentDisposition,
    cacheControl: o.cacheControl,
    contentEncoding: o.contentEncoding,
    expires: o.expires,
    userMeta: o.userMeta,
    storageClass: o.storageClass,
  };
}

function optional(h: Headers, name: string): string | undefined {
  const v = h.get(name);
  return v === null ? undefined : v;
}

function optionalNumber(h: Headers, name: string): number | undefined {
  const v = h.get(name);
  if (v === null || v.trim() === "") return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** The user metadata of response headers (names without the prefix, values as text). */
export function userMetaFrom(h: Headers): Record<string, string> {
  const meta: Record<string, string> = {};
  h.forEach((value, name) => {
    if (name.startsWith(META_PREFIX)) meta[name.slice(META_PREFIX.length)] = fromHeaderByteString(value);
  });
  return meta;
}

/** The typed metadata of an object from its GET/HEAD response headers. */
export function objectMetaFrom(h: Headers): ObjectMeta {
  const disposition = optional(h, "content-disposition");
  return {
    contentLength: optionalNumber(h, "content-length") ?? 0,
    contentType: optional(h, "content-type"),
    etag: unquote(h.get("etag")),
    lastModified: parseHttpDate(h.get("last-modified")),
    storageClass: optional(h, "x-bce-storage-class") ?? "STANDARD",
    objectType: optional(h, "x-bce-object-type"),
    nextAppendOffset: optionalNumber(h, "x-bce-next-append-offset"),
    userMeta: userMetaFrom(h),
    contentMD5: optional(h, "content-md5"),
    contentDisposition: disposition === undefined ? undefined : fromHeaderByteString(disposition),
    contentEncoding: optional(h, "content-encoding"),
    cacheControl: optional(h, "cache-control"),
    expires: optional(h, "expires"),
    crc32: optional(h, "x-bce-content-crc32"),
    crc32c: optional(h, "x-bce-content-crc32c"),
    versionId: optional(h, "x-bce-version-id"),
    requestId: optional(h, "x-bce-request-id"),
  };
}
