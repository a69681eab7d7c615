/**
 * Listings of the model suite: ListObjects, ListMultipartUploads and ListParts pages compared with the
 * bucket model field by field, and walks over every page of a listing. A walk is one
 * {@link Observation}: the pages the model predicts are requested at once, then compared in order, each
 * page being the one at the marker the previous answer gave (`walkObservation`).
 *
 * @module
 */
import { LawViolation } from "../_check.ts";
import type { Exchange, HttpResponse } from "../_http.ts";
import type { BucketModel, ItemsPage, ModelUpload } from "../model/bucket.ts";
import { gather, type Observation, walkObservation } from "./_model_gather.ts";
import {
  diverge,
  expectEtag,
  expectStatus,
  isoSeconds,
  jsonBody,
  pin,
  type Real,
  rel,
  send,
} from "./_model_observe.ts";

/** ListObjects parameters. */
export interface ObjectsParams {
  /** Prefix (the run's namespace or longer). */
  prefix: string;
  /** Delimiter. */
  delimiter?: string;
  /** Marker (exclusive). */
  marker?: string;
  /** Page size. */
  maxKeys?: number;
}

/** ListMultipartUploads parameters. */
export interface UploadsParams {
  /** Prefix (the run's namespace or longer). */
  prefix: string;
  /** Delimiter. */
  delimiter?: string;
  /** Key marker (exclusive). */
  keyMarker?: string;
  /** Page size. */
  maxUploads?: number;
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

function objectsWhat(real: Real, p: ObjectsParams): string {
  return `ListObjects ${
    JSON.stringify({
      ...p,
      prefix: rel(real, p.prefix).slice(1, -1),
      ...(p.marker !== undefined ? { marker: rel(real, p.marker).slice(1, -1) } : {}),
    })
  }`;
}

function sendObjectsPage(real: Real, p: ObjectsParams): Promise<HttpResponse> {
  return send(real, {
    method: "GET",
    query: { prefix: p.prefix, delimiter: p.delimiter, marker: p.marker, maxKeys: p.maxKeys },
  }, objectsWhat(real, p));
}

/** One ListObjects page's answer, every field compared with the model; returns the page's nextMarker. */
export async function compareObjectsPage(
  real: Real,
  m: BucketModel,
  p: ObjectsParams,
  res: HttpResponse,
): Promise<{ truncated: boolean; nextMarker?: string }> {
  const what = objectsWhat(real, p);
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

/** Markers of the pages a walk from `start` goes through, as the model predicts them. */
function predictedMarkers<P>(
  start: string | undefined,
  page: (marker: string | undefined) => ItemsPage<P>,
  max: number,
): Array<string | undefined> {
  const out = [start];
  for (let next = page(start); next.isTruncated && out.length < max; next = page(next.nextMarker)) {
    out.push(next.nextMarker);
  }
  return out;
}

/** Every page of a listing from its marker, each compared with the model (one observation). */
export function objectsWalk(real: Real, m: BucketModel, p: ObjectsParams): Observation {
  const max = real.keys.length + 3;
  return walkObservation(
    predictedMarkers(p.marker, (marker) => m.listObjects({ ...p, marker }), max),
    (marker) => sendObjectsPage(real, { ...p, marker }),
    async (marker, res) => {
      const r = await compareObjectsPage(real, m, { ...p, marker }, res);
      return r.truncated ? { done: false, next: r.nextMarker } : { done: true };
    },
    max,
    () => new LawViolation(`ListObjects ${JSON.stringify(p)}: pagination did not end after ${max} pages`),
  );
}

/** Walks every page of a listing from its marker, comparing each with the model. */
export async function walkObjects(real: Real, m: BucketModel, p: ObjectsParams): Promise<void> {
  await gather([objectsWalk(real, m, p)]);
}

function uploadsWhat(real: Real, p: UploadsParams): string {
  return `ListMultipartUploads ${
    JSON.stringify({
      ...p,
      prefix: rel(real, p.prefix).slice(1, -1),
      ...(p.keyMarker !== undefined ? { keyMarker: rel(real, p.keyMarker).slice(1, -1) } : {}),
    })
  }`;
}

function sendUploadsPage(real: Real, p: UploadsParams): Promise<HttpResponse> {
  return send(real, {
    method: "GET",
    query: {
      uploads: null,
      prefix: p.prefix,
      delimiter: p.delimiter,
      keyMarker: p.keyMarker,
      maxUploads: p.maxUploads,
    },
  }, uploadsWhat(real, p));
}

/** One ListMultipartUploads page's answer compared with the model; returns its nextKeyMarker. */
export function compareUploadsPage(
  real: Real,
  m: BucketModel,
  p: UploadsParams,
  res: HttpResponse,
): { truncated: boolean; nextKeyMarker?: string } {
  const what = uploadsWhat(real, p);
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

/** Every ListMultipartUploads page from its key marker, each compared with the model (one observation). */
export function uploadsWalk(real: Real, m: BucketModel, p: UploadsParams): Observation {
  const max = m.uploads.length + 3;
  return walkObservation(
    predictedMarkers(p.keyMarker, (keyMarker) => m.listUploads({ ...p, keyMarker }), max),
    (keyMarker) => sendUploadsPage(real, { ...p, keyMarker }),
    (keyMarker, res) => {
      const r = compareUploadsPage(real, m, { ...p, keyMarker }, res);
      return Promise.resolve(r.truncated ? { done: false, next: r.nextKeyMarker } : { done: true });
    },
    max,
    () => new LawViolation(`ListMultipartUploads ${JSON.stringify(p)}: pagination did not end`),
  );
}

/** Walks every ListMultipartUploads page. */
export async function walkUploads(real: Real, m: BucketModel, p: UploadsParams): Promise<void> {
  await gather([uploadsWalk(real, m, p)]);
}

function partsWhat(real: Real, u: ModelUpload, marker: number, maxParts?: number): string {
  return `ListParts of upload ${u.uploadId} (${rel(real, u.key)}) after part ${marker}${
    maxParts ? `, maxParts ${maxParts}` : ""
  }`;
}

/** One ListParts page's answer compared with the model; returns whether more pages follow. */
function comparePartsPage(
  real: Real,
  m: BucketModel,
  u: ModelUpload,
  marker: number,
  maxParts: number | undefined,
  res: HttpResponse,
): { truncated: boolean; next: number } {
  const what = partsWhat(real, u, marker, maxParts);
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
  return { truncated: page.isTruncated, next: want.at(-1) ?? marker };
}

/**
 * Every ListParts page of a live upload from `marker`, each compared with the model (one observation;
 * the next page starts after the last part the model lists, so every page is known in advance).
 */
export function partsWalk(
  real: Real,
  m: BucketModel,
  u: ModelUpload,
  marker = 0,
  maxParts?: number,
): Observation {
  const max = u.parts.size + 3;
  const markers = [marker];
  for (let page = m.listParts(u.uploadId, marker, maxParts); page.isTruncated && markers.length < max;) {
    markers.push(page.parts.at(-1)!.partNumber);
    page = m.listParts(u.uploadId, markers.at(-1), maxParts);
  }
  return walkObservation(
    markers,
    (at) =>
      send(real, {
        method: "GET",
        key: u.key,
        query: { uploadId: u.uploadId, partNumberMarker: at, maxParts },
      }, partsWhat(real, u, at, maxParts)),
    (at, res) => {
      const r = comparePartsPage(real, m, u, at, maxParts, res);
      return Promise.resolve(r.truncated ? { done: false, next: r.next } : { done: true });
    },
    max,
    () => new LawViolation(`ListParts of upload ${u.uploadId}: pagination did not end`),
  );
}

/** Walks every ListParts page of a live upload from `marker`, comparing each with the model. */
export async function walkParts(
  real: Real,
  m: BucketModel,
  u: ModelUpload,
  marker = 0,
  maxParts?: number,
): Promise<void> {
  await gather([partsWalk(real, m, u, marker, maxParts)]);
}
