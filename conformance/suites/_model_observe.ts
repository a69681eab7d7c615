/**
 * Observations of the model suite: every response the suite sees is compared with the bucket model —
 * status, every stored header and its wire form (ETag quoting, RFC 1123 dates), bodies by whole-byte
 * comparison, ranges, conditional reads and BOS error bodies (listings: `_model_listings.ts`). Reads are
 * {@link Observation}s, sent together and compared in order (`_model_gather.ts`).
 *
 * @module
 */
import { hash } from "../../protocol/hash.ts";
import { crcToDecimal, toBase64, toHex } from "../../protocol/encoding.ts";
import { type CheckContext, LawViolation } from "../_check.ts";
import type { Exchange, HttpResponse, RawRequest } from "../_http.ts";
import { describeDifference } from "../_ops.ts";
import {
  type Condition,
  evaluateConditions,
  type Fault,
  httpDateIn,
  type ModelObject,
  type Pinned,
  rangeHeader,
  rangeOutcome,
  type RangeSpec,
  type Window,
} from "../model/bucket.ts";
import { gather, type Limiter, type Observation, settle, unwrap } from "./_model_gather.ts";

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
  /** Bounds the requests of the run in flight (observations go out together). */
  limiter: Limiter;
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

/**
 * Sends a request (a bounded number of the run at once: `Real.limiter`), advances the clock from
 * `Date`, and requires `x-bce-request-id`.
 */
export async function send(real: Real, req: RawRequest, what: string): Promise<HttpResponse> {
  const res = await real.limiter.run(() => real.ctx.http.send(req));
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
  header(res, "content-encoding", a.contentEncoding, what);
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
  if (res.status !== 200) return;
  // A header one whole read of the object carries, every other one carries too (GET, HEAD, conditional).
  const presence = (o.presence ??= {});
  for (const name of OPTIONAL_HEADERS) {
    const has = res.headers.has(name);
    if (presence[name] === undefined) presence[name] = has;
    else if (presence[name] !== has) {
      diverge(
        `${what}: ${name} (${presence[name] ? "present" : "absent"} on an earlier read of this object)`,
        presence[name] ? "present" : "absent",
        has ? res.headers.get(name) : "absent",
        res.exchange,
      );
    }
  }
}

/** Headers the model does not require, but which must then be on every whole read of an object or none. */
const OPTIONAL_HEADERS = ["content-md5", "x-bce-content-crc32"];

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

/** A response whose body was compared on arrival and dropped (large bodies wait for their turn without it). */
function withoutBody(res: HttpResponse): HttpResponse {
  const none = new Uint8Array();
  return { ...res, body: none, text: () => "", json: () => undefined };
}

/** Bodies at least this large are compared as they arrive and not kept until their comparison's turn. */
const KEEP_BODY_LIMIT = 64 * 1024;

/**
 * GET (whole or ranged) or HEAD of a live object, compared with the model. `answer`, when given,
 * receives the response as soon as it arrives (a conditional GET planned after it guesses from it).
 */
export function objectObservation(
  real: Real,
  o: ModelObject,
  method: "GET" | "HEAD",
  range?: RangeSpec,
  what = `${method} ${rel(real, o.key)}`,
  answer?: (res: HttpResponse | undefined) => void,
): Observation {
  const headers: Record<string, string> = {};
  if (range) headers.range = rangeHeader(range);
  const label = range ? `${what} with Range: ${headers.range} (object of ${o.content.length} bytes)` : what;
  const r = range
    ? rangeOutcome(o.content.length, range)
    : { ok: true as const, first: 0, last: o.content.length - 1 };
  const want = r.ok ? o.content.subarray(r.first, r.last + 1) : undefined;
  return async () => {
    let res: HttpResponse;
    try {
      res = await send(real, { method, key: o.key, headers }, label);
    } catch (e) {
      answer?.(undefined);
      throw e;
    }
    answer?.(res);
    // The body is compared now (the model does not change until every comparison ran), the verdict kept.
    const sameBody = method === "GET" && want !== undefined && res.status === (range ? 206 : 200)
      ? sameBytes(res.body, want)
      : undefined;
    const difference = sameBody === false ? describeDifference(res.body, want!) : undefined;
    const kept = sameBody !== undefined && res.body.length >= KEEP_BODY_LIMIT ? withoutBody(res) : res;
    const bodyLength = res.body.length;
    return async () => {
      if (!r.ok) return expectFault(kept, r.faults, label, method === "HEAD");
      expectStatus(kept, range ? 206 : 200, label);
      await expectObjectHeaders(real, kept, o, label);
      const length = r.last - r.first + 1;
      header(kept, "content-length", String(Math.max(0, length)), label);
      header(
        kept,
        "content-range",
        range ? `bytes ${r.first}-${r.last}/${o.content.length}` : undefined,
        label,
      );
      if (method === "HEAD") {
        if (bodyLength) diverge(`${label}: body`, "none", `${bodyLength} bytes`, kept.exchange);
        return;
      }
      if (!sameBody) {
        diverge(`${label}: body`, `the model's ${want!.length} bytes`, difference, kept.exchange);
      }
      if (!range) real.verified.set(o.key, o.version);
    };
  };
}

/** GET (whole or ranged) or HEAD of a live object, compared with the model. */
export async function readObject(
  real: Real,
  o: ModelObject,
  method: "GET" | "HEAD",
  range?: RangeSpec,
  what?: string,
): Promise<void> {
  await gather([objectObservation(real, o, method, range, what)]);
}

function conditionHeaders(conditions: readonly Condition[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const c of conditions) {
    headers[c.kind] = "etag" in c ? c.etag : httpDateIn(c.seconds, c.format);
  }
  return headers;
}

/**
 * GET with conditions (HEAD when `head`, or for objects over {@link WHOLE_READ_LIMIT}), compared with the model: 200
 * with the object, 304 without a body, or 412. The conditions are those `conditions()` gives when the
 * comparison's turn comes (they may depend on the ETag and Last-Modified earlier comparisons pinned);
 * `guess` may resolve to them earlier, so that the request goes out with the others. A guess that
 * turns out different is not used: the request is sent again with the right conditions.
 */
export function conditionalObservation(
  real: Real,
  o: ModelObject,
  conditions: () => Condition[],
  guess?: Promise<Condition[] | undefined>,
  head = false,
): Observation {
  const method = head || o.content.length > WHOLE_READ_LIMIT ? "HEAD" : "GET";
  const request = (cs: readonly Condition[]) => {
    const headers = conditionHeaders(cs);
    // Dates are shown in RFC 1123 whatever form they were sent in (the form named after it).
    const what = `${method} ${rel(real, o.key)} with ${
      cs.map((c) =>
        "etag" in c
          ? `${c.kind}: ${c.etag}`
          : `${c.kind}: ${httpDateIn(c.seconds)}${c.format ? ` (sent in the ${c.format} form)` : ""}`
      ).join(", ")
    }`;
    return { what, res: settle(send(real, { method, key: o.key, headers }, what)) };
  };
  return async () => {
    const guessed = await guess;
    const early = guessed ? request(guessed) : undefined;
    await early?.res;
    return async () => {
      const cs = conditions();
      const { what, res: answer } = early && JSON.stringify(guessed) === JSON.stringify(cs)
        ? early
        : request(cs);
      const res = unwrap(await answer);
      const verdict = evaluateConditions(o.etagSeen!, o.lastModified.value!, cs);
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
    };
  };
}

/** A conditional GET of an object with the conditions given, compared with the model. */
export async function readConditional(real: Real, o: ModelObject, conditions: Condition[]): Promise<void> {
  await gather([conditionalObservation(real, o, () => conditions, Promise.resolve(conditions))]);
}

/** GET and HEAD of a key the model says does not exist (both 404 NoSuchKey, HEAD without a body). */
export function missingObservations(real: Real, key: string): Observation[] {
  const what = `GET ${rel(real, key)} (no such object in the model)`;
  const h = `HEAD ${rel(real, key)} (no such object in the model)`;
  const fault = [{ status: 404, code: "NoSuchKey" }];
  return [
    async () => {
      const res = await send(real, { method: "GET", key }, what);
      return () => expectFault(res, fault, what);
    },
    async () => {
      const res = await send(real, { method: "HEAD", key }, h);
      return () => {
        expectFault(res, fault, h, true);
        real.verified.set(key, -1);
      };
    },
  ];
}

/** GET and HEAD of a key the model says does not exist. */
export async function readMissing(real: Real, key: string): Promise<void> {
  await gather(missingObservations(real, key));
}
