/**
 * Observations of the model suite: every response the suite sees is compared with the bucket model —
 * status, every stored header and its wire form (ETag quoting, RFC 1123 dates), bodies by whole-byte
 * comparison, ranges, conditional reads, listings field by field, and BOS error bodies.
 *
 * @module
 */
import { hash } from "../../protocol/hash.ts";
import { crcToDecimal, toBase64, toHex } from "../../protocol/encoding.ts";
import { type CheckContext, LawViolation } from "../_check.ts";
import type { Exchange, HttpResponse, RawRequest } from "../_http.ts";
import { describeDifference } from "../_ops.ts";
import {
  type BucketModel,
  type Condition,
  evaluateConditions,
  type Fault,
  type ItemsPage,
  type ModelObject,
  type ModelUpload,
  type Pinned,
  rangeOutcome,
  type RangeSpec,
  type Window,
} from "../model/bucket.ts";
import { compareUtf8 } from "../model/listing.ts";

/**
 * Seconds of slack after a write's time window. The window runs from the `Date` of the last response
 * before the write to the `Date` of the write's own response: on one clock, Last-Modified lies inside.
 */
export const SLACK = 1;
/** Objects larger than this are read whole after each write to them and at the end of a run, not after every step. */
export const WHOLE_READ_LIMIT = 1024 * 1024;

/** The real side of a model run: the endpoint, the pool of keys and what was learnt on the way. */
export interface Real {
  /** The check context. */
  ctx: CheckContext;
  /** Namespace of this run (ends with `/`). */
  ns: string;
  /** The pool of keys (full keys). */
  keys: string[];
  /** The latest server second seen in a `Date` header. */
  clock: number;
  /** How ETag headers are written on this endpoint, from the first one seen. */
  etagStyle?: { quoted: boolean; first: string };
  /** Readable operations so far. */
  log: string[];
  /** Whether uploads are observed after every step. */
  multipart: boolean;
  /** The listings walked after every step (the whole namespace each time, page by page). */
  listings: ReadonlyArray<{ delimiter?: string; maxKeys?: number }>;
  /** Whether every key is read after every step (else only keys whose object changed; listings show the rest). */
  readAll: boolean;
  /** Whether every "directory" of the pool is listed with delimiter `/` after every step. */
  listDirs: boolean;
  /** Deterministic random numbers for the probes of each step. */
  rng: () => number;
  /** Object version last read whole, by key. */
  verified: Map<string, number>;
  /** Object version last probed with a range and conditions, by key. */
  probed: Map<string, number>;
}

/** A tiny deterministic PRNG (xorshift32) for probe positions. */
export function prng(seed: number): () => number {
  let x = (seed >>> 0) || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 2 ** 32;
  };
}

/** A key relative to the run's namespace, quoted. */
export function rel(real: Real, key: string): string {
  return JSON.stringify(key.startsWith(real.ns) ? key.slice(real.ns.length) : key);
}

/** Throws the divergence: what was observed, expected against seen. */
export function diverge(what: string, expected: unknown, seen: unknown, exchange?: Exchange): never {
  const show = (
    v: unknown,
  ) => (typeof v === "string" ? JSON.stringify(v) : v === undefined ? "(absent)" : String(v));
  throw new LawViolation(`${what}: expected ${show(expected)}, seen ${show(seen)}`, exchange);
}

function nowSeconds(real: Real): number {
  return Math.floor(real.ctx.http.now().getTime() / 1000);
}

/** Sends a request, advances the clock from `Date`, and requires `x-bce-request-id`. */
export async function send(real: Real, req: RawRequest, what: string): Promise<HttpResponse> {
  const res = await real.ctx.http.send(req);
  const date = Date.parse(res.headers.get("date") ?? "");
  real.clock = Math.max(real.clock, Number.isNaN(date) ? nowSeconds(real) : Math.floor(date / 1000));
  if (!res.headers.get("x-bce-request-id")) {
    diverge(`${what}: x-bce-request-id`, "a request id", undefined, res.exchange);
  }
  return res;
}

/** The time window of a write sent when the clock read `before`. */
export function windowOf(real: Real, before: number): Window {
  return { min: before, max: real.clock + SLACK };
}

interface Digests {
  md5Hex: string;
  md5Base64: string;
  crc32: () => Promise<string>;
}

const digestCache = new WeakMap<Uint8Array, Promise<Digests>>();

/** MD5 (hex and base64) and CRC32 of bytes, cached per array. */
export function digests(bytes: Uint8Array): Promise<Digests> {
  let d = digestCache.get(bytes);
  if (!d) {
    d = hash("md5", bytes).then((md5) => {
      let crc: Promise<string> | undefined;
      return {
        md5Hex: toHex(md5),
        md5Base64: toBase64(md5),
        crc32: () => (crc ??= hash("crc32", bytes).then(crcToDecimal)),
      };
    });
    digestCache.set(bytes, d);
  }
  return d;
}

/** Whether two byte arrays hold the same bytes (four at a time when aligned). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let i = 0;
  if (a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0) {
    const n = a.length >> 2;
    const x = new Uint32Array(a.buffer, a.byteOffset, n);
    const y = new Uint32Array(b.buffer, b.byteOffset, n);
    for (; i < n; i++) if (x[i] !== y[i]) return false;
    i = n << 2;
  }
  for (; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The ETag header without quotes, requiring one wire form (quoted or bare) throughout the run. */
export function etagHeader(real: Real, res: HttpResponse, what: string): string | undefined {
  const raw = res.headers.get("etag");
  if (raw === null) return undefined;
  const quoted = /^"[^"\s]+"$/.test(raw);
  if (!quoted && !/^[^"\s]+$/.test(raw)) {
    diverge(`${what}: ETag header`, '"<etag>" or <etag>', raw, res.exchange);
  }
  if (!real.etagStyle) real.etagStyle = { quoted, first: `${what} (${raw})` };
  else if (real.etagStyle.quoted !== quoted) {
    diverge(
      `${what}: ETag header wire form (one endpoint writes ETags one way; ${real.etagStyle.first})`,
      real.etagStyle.quoted ? "quoted" : "bare",
      raw,
      res.exchange,
    );
  }
  return quoted ? raw.slice(1, -1) : raw;
}

/** Compares an object's ETag (header or JSON field) with the model, pinning an opaque one. */
export async function expectEtag(o: ModelObject, seen: string | undefined, what: string, ex?: Exchange) {
  const d = await digests(o.content);
  if (o.etag.kind === "md5") {
    if (seen !== d.md5Hex) {
      diverge(`${what}: ETag (hex MD5 of the ${o.content.length} bytes)`, d.md5Hex, seen, ex);
    }
    o.etagSeen = seen;
  } else if (o.etag.kind === "exact") {
    if (seen !== o.etag.value) diverge(`${what}: ETag`, o.etag.value, seen, ex);
    o.etagSeen = seen;
  } else if (o.etagSeen !== undefined) {
    if (seen !== o.etagSeen) diverge(`${what}: ETag (as first seen for this object)`, o.etagSeen, seen, ex);
  } else {
    const allowed = [...(o.etag.candidates ?? []), ...(o.etag.md5Allowed ? [d.md5Hex] : [])];
    if (!seen) diverge(`${what}: ETag`, "a non-empty ETag", seen, ex);
    if (allowed.length && !allowed.includes(seen)) {
      diverge(`${what}: ETag (one of ${allowed.join(", ")})`, allowed[0], seen, ex);
    }
    o.etagSeen = seen;
  }
}

const RFC1123 =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

const fmt = (s: number) => new Date(s * 1000).toISOString().replace(".000", "");

/** Seconds of an HTTP date that must be in RFC 1123 form (`Wed, 06 Apr 2016 06:34:40 GMT`). */
export function httpDateSeconds(raw: string | null, what: string, ex?: Exchange): number {
  if (raw === null || !RFC1123.test(raw) || new Date(raw).toUTCString() !== raw) {
    diverge(
      `${what} (an RFC 1123 date, as BOS sends)`,
      "Wed, 06 Apr 2016 06:34:40 GMT",
      raw ?? undefined,
      ex,
    );
  }
  return Date.parse(raw) / 1000;
}

/** Seconds of a JSON date that must be ISO 8601 UTC seconds (`2016-04-06T06:34:40Z`). */
export function isoSeconds(raw: unknown, what: string, ex?: Exchange): number {
  if (typeof raw !== "string" || !ISO.test(raw) || Number.isNaN(Date.parse(raw))) {
    diverge(`${what} (ISO 8601 UTC seconds, as BOS sends)`, "2016-04-06T06:34:40Z", raw, ex);
  }
  return Date.parse(raw) / 1000;
}

/** Pins a time the first time it is seen (inside the write's window), then requires the same value. */
export function pin(p: Pinned, seconds: number, what: string, ex?: Exchange): void {
  if (p.value === undefined) {
    if (seconds < p.min || seconds > p.max) {
      diverge(
        `${what} (between ${fmt(p.min)} and ${fmt(p.max)}, when it was written)`,
        fmt(p.max),
        fmt(seconds),
        ex,
      );
    }
    p.value = seconds;
  } else if (seconds !== p.value) {
    diverge(`${what} (as first seen)`, fmt(p.value), fmt(seconds), ex);
  }
}

function header(res: HttpResponse, name: string, expected: string | undefined, what: string): void {
  const got = res.headers.get(name) ?? undefined;
  if (got !== expected) diverge(`${what}: ${name}`, expected, got, res.exchange);
}

/** User metadata of a response: lower-case name → value bytes. */
function metadataOf(res: HttpResponse): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  res.headers.forEach((v, k) => {
    if (k.startsWith("x-bce-meta-")) out.set(k.slice(11), Uint8Array.from(v, (c) => c.charCodeAt(0) & 0xff));
  });
  return out;
}

function showMeta(m: ReadonlyMap<string, Uint8Array>): string {
  const dec = new TextDecoder();
  return JSON.stringify(
    Object.fromEntries([...m].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, dec.decode(v)])),
  );
}

function sameMeta(a: ReadonlyMap<string, Uint8Array>, b: ReadonlyMap<string, Uint8Array>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) {
    const w = b.get(k);
    if (!w || !sameBytes(v, w)) return false;
  }
  return true;
}

/** The response headers a GET or HEAD must carry for an object (all but Content-Length and Range). */
export async function expectObjectHeaders(real: Real, res: HttpResponse, o: ModelObject, what: string) {
  const a = o.attrs;
  header(res, "content-type", a.contentType, what);
  header(res, "cache-control", a.cacheControl, what);
  header(res, "content-disposition", a.contentDisposition, what);
  header(res, "expires", a.expires, what);
  await expectEtag(o, etagHeader(real, res, what), what, res.exchange);
  pin(
    o.lastModified,
    httpDateSeconds(res.headers.get("last-modified"), `${what}: Last-Modified`, res.exchange),
    `${what}: Last-Modified`,
    res.exchange,
  );
  const sc = res.headers.get("x-bce-storage-class") ?? "STANDARD";
  if (sc !== a.storageClass) diverge(`${what}: x-bce-storage-class`, a.storageClass, sc, res.exchange);
  const type = res.headers.get("x-bce-object-type");
  if (o.objectTypeSeen !== undefined) {
    if (type !== o.objectTypeSeen) {
      diverge(
        `${what}: x-bce-object-type (as first seen)`,
        o.objectTypeSeen ?? undefined,
        type ?? undefined,
        res.exchange,
      );
    }
  } else if (!o.objectTypes.includes(type)) {
    diverge(
      `${what}: x-bce-object-type (${o.kind} object)`,
      o.objectTypes.find((t) => t !== null) ?? undefined,
      type ?? undefined,
      res.exchange,
    );
  } else o.objectTypeSeen = type;
  header(
    res,
    "x-bce-next-append-offset",
    o.kind === "appendable" ? String(o.content.length) : undefined,
    what,
  );
  const meta = metadataOf(res);
  if (!sameMeta(meta, a.meta)) {
    diverge(`${what}: x-bce-meta-*`, showMeta(a.meta), showMeta(meta), res.exchange);
  }
  const d = await digests(o.content);
  const md5 = res.headers.get("content-md5") ?? undefined;
  if ((md5 !== undefined || o.contentMd5Required) && md5 !== d.md5Base64) {
    diverge(`${what}: Content-MD5 (of the whole object)`, d.md5Base64, md5, res.exchange);
  }
  const crc = res.headers.get("x-bce-content-crc32");
  if (crc !== null && crc !== await d.crc32()) {
    diverge(`${what}: x-bce-content-crc32 (of the whole object)`, await d.crc32(), crc, res.exchange);
  }
}

/** Requires a BOS error: one of the faults' statuses, its code, a JSON body with a matching request id. */
export function expectFault(res: HttpResponse, faults: readonly Fault[], what: string, head = false): void {
  const want = faults.map((f) => `${f.status} ${f.code === "*" ? "(an error)" : f.code}`).join(" or ");
  const match = faults.filter((f) => f.status === res.status);
  const j = head
    ? undefined
    : res.json() as { code?: unknown; message?: unknown; requestId?: unknown } | undefined;
  const code = typeof j?.code === "string" ? j.code : undefined;
  const seenText = `${res.status}${code ? " " + code : ""}${res.status < 300 ? " (success)" : ""}`;
  if (match.length === 0) diverge(what, want, seenText, res.exchange);
  if (head) {
    if (res.body.length) {
      diverge(`${what}: HEAD error body`, "no body", `${res.body.length} bytes`, res.exchange);
    }
    return;
  }
  if (!match.some((f) => f.code === "*" || f.code === code)) diverge(what, want, seenText, res.exchange);
  if (!/^(application|text)\/json/i.test(res.headers.get("content-type") ?? "")) {
    diverge(
      `${what}: error Content-Type`,
      "application/json; charset=utf-8",
      res.headers.get("content-type") ?? undefined,
      res.exchange,
    );
  }
  if (typeof j?.message !== "string" || j.message === "") {
    diverge(`${what}: error body message`, "a message", res.text().slice(0, 200), res.exchange);
  }
  const id = res.headers.get("x-bce-request-id") ?? undefined;
  if (j.requestId !== id) {
    diverge(`${what}: error body requestId (= x-bce-request-id)`, id, j.requestId, res.exchange);
  }
}

/** Requires a 2xx status. */
export function expectStatus(res: HttpResponse, status: number, what: string): void {
  if (res.status !== status) {
    const code = (res.json() as { code?: string } | undefined)?.code;
    diverge(what, `${status}`, `${res.status}${code ? " " + code : ""}`, res.exchange);
  }
}

/** Parses a JSON object body (200-with-error bodies carrying `code` are failures). */
export function jsonBody(res: HttpResponse, what: string): Record<string, unknown> {
  const j = res.json();
  if (!j || typeof j !== "object" || Array.isArray(j)) {
    diverge(`${what}: body`, "a JSON object", res.text().slice(0, 200), res.exchange);
  }
  const o = j as Record<string, unknown>;
  if (typeof o.code === "string") diverge(`${what}: body`, "no error code", `code ${o.code}`, res.exchange);
  return o;
}

/** GET (whole or ranged) or HEAD of a live object, compared with the model. */
export async function readObject(
  real: Real,
  o: ModelObject,
  method: "GET" | "HEAD",
  range?: RangeSpec,
  what = `${method} ${rel(real, o.key)}`,
): Promise<void> {
  const headers: Record<string, string> = {};
  if (range) headers.range = `bytes=${range.first}-${range.last ?? ""}`;
  const label = range ? `${what} with Range: ${headers.range} (object of ${o.content.length} bytes)` : what;
  const res = await send(real, { method, key: o.key, headers }, label);
  const r = range
    ? rangeOutcome(o.content.length, range)
    : { ok: true as const, first: 0, last: o.content.length - 1 };
  if (!r.ok) return expectFault(res, r.faults, label, method === "HEAD");
  expectStatus(res, range ? 206 : 200, label);
  await expectObjectHeaders(real, res, o, label);
  const length = r.last - r.first + 1;
  header(res, "content-length", String(Math.max(0, length)), label);
  header(res, "content-range", range ? `bytes ${r.first}-${r.last}/${o.content.length}` : undefined, label);
  if (method === "HEAD") {
    if (res.body.length) diverge(`${label}: body`, "none", `${res.body.length} bytes`, res.exchange);
    return;
  }
  const want = o.content.subarray(r.first, r.last + 1);
  if (!sameBytes(res.body, want)) {
    diverge(
      `${label}: body`,
      `the model's ${want.length} bytes`,
      describeDifference(res.body, want),
      res.exchange,
    );
  }
  if (!range) real.verified.set(o.key, o.version);
}

/**
 * GET with conditions (HEAD for objects over {@link WHOLE_READ_LIMIT}), compared with the model: 200
 * with the object, 304 without a body, or 412.
 */
export async function readConditional(real: Real, o: ModelObject, conditions: Condition[]): Promise<void> {
  const headers: Record<string, string> = {};
  for (const c of conditions) {
    headers[c.kind] = "etag" in c ? c.etag : new Date(c.seconds * 1000).toUTCString();
  }
  const method = o.content.length > WHOLE_READ_LIMIT ? "HEAD" : "GET";
  const what = `${method} ${rel(real, o.key)} with ${
    Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join(", ")
  }`;
  const verdict = evaluateConditions(o.etagSeen!, o.lastModified.value!, conditions);
  const res = await send(real, { method, key: o.key, headers }, what);
  if (verdict === "failed") {
    return expectFault(res, [{ status: 412, code: "PreconditionFailed" }], what, method === "HEAD");
  }
  if (verdict === "ok") {
    expectStatus(res, 200, what);
    await expectObjectHeaders(real, res, o, what);
    const want = method === "HEAD" ? new Uint8Array() : o.content;
    if (!sameBytes(res.body, want)) {
      diverge(`${what}: body`, `${want.length} bytes`, describeDifference(res.body, want), res.exchange);
    }
    return;
  }
  expectStatus(res, 304, what);
  if (res.body.length) diverge(`${what}: 304 body`, "none", `${res.body.length} bytes`, res.exchange);
  await expectEtag(o, etagHeader(real, res, what), what, res.exchange);
  const lm = res.headers.get("last-modified");
  if (lm !== null) {
    pin(
      o.lastModified,
      httpDateSeconds(lm, `${what}: Last-Modified`, res.exchange),
      `${what}: Last-Modified`,
      res.exchange,
    );
  }
}

/** GET and HEAD of a key the model says does not exist. */
export async function readMissing(real: Real, key: string): Promise<void> {
  const what = `GET ${rel(real, key)} (no such object in the model)`;
  expectFault(await send(real, { method: "GET", key }, what), [{ status: 404, code: "NoSuchKey" }], what);
  const h = `HEAD ${rel(real, key)} (no such object in the model)`;
  expectFault(await send(real, { method: "HEAD", key }, h), [{ status: 404, code: "NoSuchKey" }], h, true);
}

function isOwner(v: unknown): boolean {
  return !!v && typeof v === "object" && typeof (v as { id?: unknown }).id === "string";
}

function field(
  j: Record<string, unknown>,
  name: string,
  expected: unknown,
  what: string,
  ex: Exchange,
  optional = false,
) {
  const v = j[name];
  if (optional && (v === undefined || v === null) && expected === undefined) return;
  if (v !== expected) {
    diverge(`${what}: ${name}`, expected, v === undefined ? undefined : JSON.stringify(v), ex);
  }
}

function nextMarkerOk(page: ItemsPage<unknown>, got: unknown): boolean {
  const last = page.entries.at(-1);
  if (typeof got !== "string") return false;
  return last?.prefix !== undefined ? got.startsWith(last.prefix) : got === page.nextMarker;
}

/** One ListObjects page, every field compared with the model; returns the page's nextMarker. */
export async function listObjectsPage(
  real: Real,
  m: BucketModel,
  p: { prefix: string; delimiter?: string; marker?: string; maxKeys?: number },
): Promise<{ truncated: boolean; nextMarker?: string }> {
  const what = `ListObjects ${
    JSON.stringify({
      ...p,
      prefix: rel(real, p.prefix).slice(1, -1),
      ...(p.marker !== undefined ? { marker: rel(real, p.marker).slice(1, -1) } : {}),
    })
  }`;
  const res = await send(real, {
    method: "GET",
    query: { prefix: p.prefix, delimiter: p.delimiter, marker: p.marker, maxKeys: p.maxKeys },
  }, what);
  expectStatus(res, 200, what);
  const j = jsonBody(res, what);
  const ex = res.exchange;
  const page = m.listObjects(p);
  field(j, "name", real.ctx.http.bucket, what, ex);
  field(j, "prefix", p.prefix, what, ex);
  field(j, "marker", p.marker ?? "", what, ex);
  field(j, "maxKeys", p.maxKeys ?? 1000, what, ex);
  field(j, "delimiter", p.delimiter, what, ex, true);
  field(j, "isTruncated", page.isTruncated, what, ex);
  if (
    page.isTruncated ? !nextMarkerOk(page, j.nextMarker) : j.nextMarker !== undefined && j.nextMarker !== null
  ) {
    diverge(`${what}: nextMarker`, page.nextMarker, j.nextMarker, ex);
  }
  const keys = page.entries.flatMap((e) => (e.item ? [e.item] : []));
  const contents = (j.contents ?? []) as Array<Record<string, unknown>>;
  if (!Array.isArray(contents)) diverge(`${what}: contents`, "an array", JSON.stringify(j.contents), ex);
  const names = contents.map((c) => c?.key);
  if (JSON.stringify(names) !== JSON.stringify(keys.map((o) => o.key))) {
    diverge(
      `${what}: keys in contents (UTF-8 byte order)`,
      JSON.stringify(keys.map((o) => o.key)),
      JSON.stringify(names),
      ex,
    );
  }
  for (let i = 0; i < keys.length; i++) {
    const o = keys[i];
    const c = contents[i];
    const w = `${what}: entry ${rel(real, o.key)}`;
    if (typeof c.eTag !== "string" || c.eTag.startsWith('"')) {
      diverge(`${w}: eTag (unquoted in JSON)`, "<etag>", c.eTag, ex);
    }
    await expectEtag(o, c.eTag, w, ex);
    if (c.size !== o.content.length) diverge(`${w}: size`, o.content.length, c.size, ex);
    if (c.storageClass !== o.attrs.storageClass) {
      diverge(`${w}: storageClass`, o.attrs.storageClass, c.storageClass, ex);
    }
    pin(o.lastModified, isoSeconds(c.lastModified, `${w}: lastModified`, ex), `${w}: lastModified`, ex);
    if (!isOwner(c.owner)) diverge(`${w}: owner`, "{id, displayName}", JSON.stringify(c.owner), ex);
  }
  expectPrefixes(j, page, p.delimiter, what, ex);
  return { truncated: page.isTruncated, nextMarker: j.nextMarker as string | undefined };
}

function expectPrefixes(
  j: Record<string, unknown>,
  page: ItemsPage<unknown>,
  delimiter: string | undefined,
  what: string,
  ex: Exchange,
) {
  const want = page.entries.flatMap((e) => (e.prefix !== undefined ? [e.prefix] : []));
  const cps = j.commonPrefixes;
  if (delimiter === undefined) {
    if (cps !== undefined && cps !== null) {
      diverge(`${what}: commonPrefixes (no delimiter given)`, undefined, JSON.stringify(cps), ex);
    }
    return;
  }
  const got = ((cps ?? []) as Array<{ prefix?: unknown }>).map((c) => c?.prefix);
  if (JSON.stringify(got) !== JSON.stringify(want)) {
    diverge(`${what}: commonPrefixes (UTF-8 byte order)`, JSON.stringify(want), JSON.stringify(got), ex);
  }
}

/** Walks every page of a listing from its marker, comparing each with the model. */
export async function walkObjects(
  real: Real,
  m: BucketModel,
  p: { prefix: string; delimiter?: string; marker?: string; maxKeys?: number },
): Promise<void> {
  let marker = p.marker;
  for (let i = 0; i <= real.keys.length + 2; i++) {
    const r = await listObjectsPage(real, m, { ...p, marker });
    if (!r.truncated) return;
    marker = r.nextMarker;
  }
  throw new LawViolation(
    `ListObjects ${JSON.stringify(p)}: pagination did not end after ${real.keys.length + 3} pages`,
  );
}

/** One ListMultipartUploads page compared with the model. */
export async function listUploadsPage(
  real: Real,
  m: BucketModel,
  p: { prefix: string; delimiter?: string; keyMarker?: string; maxUploads?: number },
): Promise<{ truncated: boolean; nextKeyMarker?: string }> {
  const what = `ListMultipartUploads ${
    JSON.stringify({
      ...p,
      prefix: rel(real, p.prefix).slice(1, -1),
      ...(p.keyMarker !== undefined ? { keyMarker: rel(real, p.keyMarker).slice(1, -1) } : {}),
    })
  }`;
  const res = await send(real, {
    method: "GET",
    query: {
      uploads: null,
      prefix: p.prefix,
      delimiter: p.delimiter,
      keyMarker: p.keyMarker,
      maxUploads: p.maxUploads,
    },
  }, what);
  expectStatus(res, 200, what);
  const j = jsonBody(res, what);
  const ex = res.exchange;
  const page = m.listUploads(p);
  field(j, "bucket", real.ctx.http.bucket, what, ex);
  field(j, "prefix", p.prefix, what, ex);
  field(j, "keyMarker", p.keyMarker ?? "", what, ex);
  field(j, "maxUploads", p.maxUploads ?? 1000, what, ex);
  field(j, "delimiter", p.delimiter, what, ex, true);
  field(j, "isTruncated", page.isTruncated, what, ex);
  if (page.isTruncated && !nextMarkerOk(page, j.nextKeyMarker)) {
    diverge(`${what}: nextKeyMarker`, page.nextMarker, j.nextKeyMarker, ex);
  }
  const ups = page.entries.flatMap((e) => (e.item ? [e.item] : []));
  const got = (j.uploads ?? []) as Array<Record<string, unknown>>;
  const show = (xs: Array<{ key?: unknown; uploadId?: unknown }>) =>
    JSON.stringify(xs.map((u) => `${u.key} ${u.uploadId}`));
  if (show(got) !== show(ups)) {
    diverge(
      `${what}: uploads (keys in byte order, one key's uploads in initiation order)`,
      show(ups),
      show(got),
      ex,
    );
  }
  for (let i = 0; i < ups.length; i++) {
    const w = `${what}: upload ${ups[i].uploadId} of ${rel(real, ups[i].key)}`;
    if (got[i].storageClass !== ups[i].attrs.storageClass) {
      diverge(`${w}: storageClass`, ups[i].attrs.storageClass, got[i].storageClass, ex);
    }
    pin(ups[i].initiated, isoSeconds(got[i].initiated, `${w}: initiated`, ex), `${w}: initiated`, ex);
    if (!isOwner(got[i].owner)) diverge(`${w}: owner`, "{id, displayName}", JSON.stringify(got[i].owner), ex);
  }
  expectPrefixes(j, page, p.delimiter, what, ex);
  return { truncated: page.isTruncated, nextKeyMarker: j.nextKeyMarker as string | undefined };
}

/** Walks every ListMultipartUploads page. */
export async function walkUploads(
  real: Real,
  m: BucketModel,
  p: { prefix: string; delimiter?: string; keyMarker?: string; maxUploads?: number },
): Promise<void> {
  let keyMarker = p.keyMarker;
  for (let i = 0; i <= m.uploads.length + 2; i++) {
    const r = await listUploadsPage(real, m, { ...p, keyMarker });
    if (!r.truncated) return;
    keyMarker = r.nextKeyMarker;
  }
  throw new LawViolation(`ListMultipartUploads ${JSON.stringify(p)}: pagination did not end`);
}

/** Walks every ListParts page of a live upload from `marker`, comparing each with the model. */
export async function walkParts(real: Real, m: BucketModel, u: ModelUpload, marker = 0, maxParts?: number) {
  for (let i = 0; i <= u.parts.size + 2; i++) {
    const what = `ListParts of upload ${u.uploadId} (${rel(real, u.key)}) after part ${marker}${
      maxParts ? `, maxParts ${maxParts}` : ""
    }`;
    const res = await send(real, {
      method: "GET",
      key: u.key,
      query: { uploadId: u.uploadId, partNumberMarker: marker, maxParts },
    }, what);
    expectStatus(res, 200, what);
    const j = jsonBody(res, what);
    const ex = res.exchange;
    const page = m.listParts(u.uploadId, marker, maxParts);
    field(j, "bucket", real.ctx.http.bucket, what, ex);
    field(j, "key", u.key, what, ex);
    field(j, "uploadId", u.uploadId, what, ex);
    field(j, "storageClass", u.attrs.storageClass, what, ex);
    field(j, "partNumberMarker", marker, what, ex);
    field(j, "maxParts", maxParts ?? 1000, what, ex);
    field(j, "isTruncated", page.isTruncated, what, ex);
    pin(u.initiated, isoSeconds(j.initiated, `${what}: initiated`, ex), `${what}: initiated`, ex);
    if (!isOwner(j.owner)) diverge(`${what}: owner`, "{id, displayName}", JSON.stringify(j.owner), ex);
    const parts = (j.parts ?? []) as Array<Record<string, unknown>>;
    const nums = parts.map((p) => p?.partNumber);
    const want = page.parts.map((p) => p.partNumber);
    if (JSON.stringify(nums) !== JSON.stringify(want)) {
      diverge(`${what}: part numbers (ascending)`, JSON.stringify(want), JSON.stringify(nums), ex);
    }
    if (want.length) field(j, "nextPartNumberMarker", want.at(-1), what, ex);
    for (let k = 0; k < want.length; k++) {
      const mp = page.parts[k];
      const w = `${what}: part ${mp.partNumber}`;
      if (parts[k].eTag !== mp.etag) {
        diverge(
          `${w}: eTag (hex MD5 of its ${mp.content.length} bytes, unquoted)`,
          mp.etag,
          parts[k].eTag,
          ex,
        );
      }
      if (parts[k].size !== mp.content.length) diverge(`${w}: size`, mp.content.length, parts[k].size, ex);
      pin(
        mp.lastModified,
        isoSeconds(parts[k].lastModified, `${w}: lastModified`, ex),
        `${w}: lastModified`,
        ex,
      );
    }
    if (!page.isTruncated) return;
    marker = want.at(-1)!;
  }
}

/** Probes of one object version: a Range and conditions drawn from the run's PRNG. */
export function probeRange(real: Real, o: ModelObject): RangeSpec {
  const size = o.content.length;
  const r = real.rng;
  const at = Math.floor(r() * Math.max(1, size));
  const forms = [
    "inside",
    "past-end",
    "open",
    "single",
    "last",
    "beyond",
    ...(o.parts && o.parts.length > 1 ? ["boundary", "boundary"] : []),
  ];
  const form = forms[Math.floor(r() * forms.length)];
  switch (form) {
    case "inside":
      return { first: at, last: Math.max(at, Math.min(size - 1, at + Math.floor(r() * (size - at)))) };
    case "past-end":
      return { first: at, last: size + Math.floor(r() * 1000) };
    case "open":
      return { first: at };
    case "single":
      return { first: at, last: at };
    case "last":
      return { first: Math.max(0, size - 1), last: Math.max(0, size - 1) };
    case "beyond":
      return { first: size + Math.floor(r() * 3), last: size + 10 };
    default: {
      return boundaryRange(o, Math.floor(r() * 1000), Math.floor(r() * 4), Math.floor(r() * 4));
    }
  }
}

/** A range around a part boundary of an assembled object. */
export function boundaryRange(o: ModelObject, pick: number, before: number, after: number): RangeSpec {
  const bounds: number[] = [];
  let at = 0;
  for (const s of (o.parts ?? []).slice(0, -1)) bounds.push(at += s);
  if (bounds.length === 0) return { first: 0 };
  const b = bounds[pick % bounds.length];
  return { first: Math.max(0, b - 1 - before), last: Math.min(o.content.length - 1, b + after) };
}

/** Conditions for a GET of an observed object from a pick. */
export function conditionsFor(
  o: ModelObject,
  pick: { combo: string; same: boolean; quoted: boolean; delta: number },
): Condition[] {
  const etag = pick.same ? o.etagSeen! : "0123456789abcdef0123456789abcdef";
  const tag = pick.quoted ? `"${etag}"` : etag;
  const seconds = o.lastModified.value! + pick.delta;
  switch (pick.combo) {
    case "if-match":
    case "if-none-match":
      return [{ kind: pick.combo, etag: tag }];
    case "if-modified-since":
    case "if-unmodified-since":
      return [{ kind: pick.combo, seconds }];
    case "match+unmodified":
      return [{ kind: "if-match", etag: tag }, { kind: "if-unmodified-since", seconds }];
    default:
      return [{ kind: "if-none-match", etag: tag }, { kind: "if-modified-since", seconds }];
  }
}

const COMBOS = [
  "if-match",
  "if-none-match",
  "if-modified-since",
  "if-unmodified-since",
  "match+unmodified",
  "none-match+modified",
];
const DELTAS = [-86400, -1, 0, 0, 1, 86400];

/**
 * Observes the whole bucket after a step: the namespace listings (whole, and page by page with a
 * delimiter); for every live object a HEAD and a whole GET (objects over {@link WHOLE_READ_LIMIT} are
 * read whole once per version, ranged otherwise); for a key whose object is gone, a GET and a HEAD that
 * must answer 404; Range reads and a conditional GET of every object version not probed yet; and with uploads, the upload listing and
 * every upload's parts.
 */
export async function sweep(real: Real, m: BucketModel): Promise<void> {
  for (const l of real.listings) await walkObjects(real, m, { prefix: real.ns, ...l });
  if (real.listDirs) {
    const dirs = new Set<string>();
    for (const k of real.keys) {
      for (let i = k.indexOf("/", real.ns.length); i >= 0; i = k.indexOf("/", i + 1)) {
        dirs.add(k.slice(0, i + 1));
      }
    }
    for (const prefix of dirs) await walkObjects(real, m, { prefix, delimiter: "/" });
  }
  for (const key of real.keys) {
    const o = m.objects.get(key);
    const was = real.verified.get(key);
    // A key without an object is read when it becomes so (and at the end); listings show it after.
    if ((!o || !real.readAll) && was === (o?.version ?? -1)) continue;
    if (!o) {
      await readMissing(real, key);
      real.verified.set(key, -1);
      continue;
    }
    await readObject(real, o, "HEAD");
    if (o.content.length <= WHOLE_READ_LIMIT || real.verified.get(key) !== o.version) {
      await readObject(real, o, "GET");
    } else {
      await readObject(real, o, "GET", { first: Math.max(0, o.content.length - 4096) });
    }
    if (real.probed.get(key) !== o.version) {
      real.probed.set(key, o.version);
      // Three ranges of each new version (one of a large object), at random positions and forms.
      for (let i = o.content.length > WHOLE_READ_LIMIT ? 2 : 0; i < 3; i++) {
        await readObject(real, o, "GET", probeRange(real, o));
      }
      const r = real.rng;
      await readConditional(
        real,
        o,
        conditionsFor(o, {
          combo: COMBOS[Math.floor(r() * COMBOS.length)],
          same: r() < 0.5,
          quoted: r() < 0.5,
          delta: DELTAS[Math.floor(r() * DELTAS.length)],
        }),
      );
    }
  }
  if (real.multipart) {
    await walkUploads(real, m, { prefix: real.ns });
    await walkUploads(real, m, { prefix: real.ns, maxUploads: 1 });
    await walkUploads(real, m, { prefix: real.ns, delimiter: "/", maxUploads: 2 });
    for (const u of m.uploads) {
      await walkParts(real, m, u);
      if (u.parts.size > 2) await walkParts(real, m, u, 0, 2);
    }
  }
}

/** Sorts keys in UTF-8 byte order (for messages). */
export function byteOrder(keys: string[]): string[] {
  return [...keys].sort(compareUtf8);
}
