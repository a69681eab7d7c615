/**
 * Multipart commands of the model suite: Initiate (headers, metadata, storage class), UploadPart in
 * any order and again for the same number, UploadPartCopy with ranges, Complete (the right list, a
 * wrong ETag, an unordered or duplicated list, a missing part, a small non-last part), Abort, ListParts
 * and ListMultipartUploads, each also against completed, aborted and never-issued upload ids.
 *
 * @module
 */
import { uriEncode } from "../../protocol/encoding.ts";
import type { SentAttributes } from "../model/bucket.ts";
import type { ListPick, PartSize } from "./_model_arb.ts";
import { listParams } from "./_model_cmd_objects.ts";
import {
  digests,
  diverge,
  etagHeader,
  expectEtag,
  expectFault,
  expectStatus,
  isoSeconds,
  jsonBody,
  pin,
  type Real,
  rel,
  send,
  windowOf,
} from "./_model_observe.ts";
import { walkParts, walkUploads } from "./_model_listings.ts";
import {
  attrHeaders,
  bytesFor,
  keyAt,
  type KeySel,
  type ModelState,
  nameAt,
  pickKey,
  relKey,
  showAttrs,
  showSize,
  Step,
} from "./_model_step.ts";

/** Which upload a command addresses: a live one, a completed or aborted one, or an id never issued. */
export type UploadSel = { kind: "live" | "dead"; i: number } | { kind: "never" };

const NEVER = "b0551700000000000000000000000000";

function resolve(m: Readonly<ModelState>, sel: UploadSel): { uploadId: string; key: string } | undefined {
  if (sel.kind === "never") return { uploadId: NEVER, key: m.keys[0] };
  const list = sel.kind === "live" ? m.b.uploads : m.b.deadUploads;
  return list.length ? list[sel.i % list.length] : undefined;
}

function showUpload(m: Readonly<ModelState>, sel: UploadSel): string {
  const u = resolve(m, sel);
  if (!u) return "(none)";
  const which = sel.kind === "live"
    ? "upload"
    : sel.kind === "dead"
    ? "finished upload"
    : "never-issued upload";
  return `${which} ${u.uploadId} of ${JSON.stringify(u.key.slice(m.ns.length))}`;
}

/** InitiateMultipartUpload. */
export class Initiate extends Step {
  constructor(readonly k: number, readonly attrs: SentAttributes, readonly badClass: boolean) {
    super();
  }
  #sent(): SentAttributes {
    return this.badClass ? { ...this.attrs, storageClass: "GLACIER" } : this.attrs;
  }
  describe(m: ModelState): string {
    return `InitiateMultipartUpload ${nameAt(m, this.k)}, ${showAttrs(this.#sent())}`;
  }
  async act(m: ModelState, r: Real): Promise<void> {
    const key = keyAt(m.keys, this.k);
    const sent = this.#sent();
    const what = `InitiateMultipartUpload ${rel(r, key)}`;
    const before = r.clock;
    const res = await send(
      r,
      { method: "POST", key, query: { uploads: null }, headers: attrHeaders(sent) },
      what,
    );
    const out = m.b.initiateOutcome(sent);
    if (!out.ok) return expectFault(res, out.faults, what);
    expectStatus(res, 200, what);
    const j = jsonBody(res, what);
    if (typeof j.uploadId !== "string" || j.uploadId === "") {
      diverge(`${what}: uploadId`, "an id", j.uploadId, res.exchange);
    }
    r.ctx.http.trackUpload(r.ctx.http.bucket, key, j.uploadId);
    if (j.bucket !== r.ctx.http.bucket) diverge(`${what}: bucket`, r.ctx.http.bucket, j.bucket, res.exchange);
    if (j.key !== key) diverge(`${what}: key`, key, j.key, res.exchange);
    m.b.initiate(key, j.uploadId, sent, windowOf(r, before));
    r.log[r.log.length - 1] += ` → ${j.uploadId}`;
  }
  toString(): string {
    return `initiate(${this.k},${JSON.stringify(this.attrs)},${this.badClass})`;
  }
}

function partBytes(m: Readonly<ModelState>, sel: UploadSel, n: number, ps: PartSize, min: number): number {
  const want = ps.kind === "tiny"
    ? ps.n
    : ps.kind === "min"
    ? min + ps.plus
    : Math.floor(ps.f * m.maxObjectSize);
  const u = sel.kind === "live" ? resolve(m, sel) : undefined;
  const up = u ? m.b.upload(u.uploadId) : undefined;
  let others = 0;
  for (const p of up?.parts.values() ?? []) if (p.partNumber !== n) others += p.content.length;
  return Math.max(0, Math.min(want, m.maxObjectSize - others));
}

/** UploadPart (any number, again for a number already uploaded; 0 and 10001 are refused). */
export class UploadPart extends Step {
  constructor(readonly sel: UploadSel, readonly n: number, readonly ps: PartSize, readonly seed: number) {
    super();
  }
  override check(m: Readonly<ModelState>): boolean {
    return resolve(m, this.sel) !== undefined;
  }
  describe(m: ModelState): string {
    return `UploadPart ${this.n} of ${showUpload(m, this.sel)}, ${
      showSize(partBytes(m, this.sel, this.n, this.ps, m.b.limits.minPartSize))
    }`;
  }
  async act(m: ModelState, r: Real): Promise<void> {
    const u = resolve(m, this.sel)!;
    const data = bytesFor(partBytes(m, this.sel, this.n, this.ps, m.b.limits.minPartSize), this.seed);
    const what = `UploadPart ${this.n} of ${u.uploadId}`;
    const before = r.clock;
    const res = await send(r, {
      method: "PUT",
      key: u.key,
      query: { partNumber: this.n, uploadId: u.uploadId },
      body: data,
    }, what);
    const md5 = (await digests(data)).md5Hex;
    const out = m.b.uploadPart(u.uploadId, this.n, data, md5, windowOf(r, before));
    if (!out.ok) return expectFault(res, out.faults, what);
    expectStatus(res, 200, what);
    const etag = etagHeader(r, res, what);
    if (etag !== md5) diverge(`${what}: ETag (hex MD5 of the part)`, md5, etag, res.exchange);
  }
  toString(): string {
    return `uploadPart(${JSON.stringify(this.sel)},${this.n},${JSON.stringify(this.ps)},${this.seed})`;
  }
}

/** Several UploadPart requests in a row, in the order given (uploads in any order, then one observation). */
export class UploadParts extends Step {
  constructor(readonly sel: UploadSel, readonly parts: ReadonlyArray<readonly [number, PartSize, number]>) {
    super();
  }
  #each(): UploadPart[] {
    return this.parts.map(([n, ps, seed]) => new UploadPart(this.sel, n, ps, seed));
  }
  override check(m: Readonly<ModelState>): boolean {
    return resolve(m, this.sel) !== undefined;
  }
  describe(m: ModelState): string {
    return `UploadPart ${
      this.parts.map(([n, ps]) => `${n} (${showSize(partBytes(m, this.sel, n, ps, m.b.limits.minPartSize))})`)
        .join(", ")
    } of ${showUpload(m, this.sel)}`;
  }
  async act(m: ModelState, r: Real): Promise<void> {
    for (const p of this.#each()) await p.act(m, r);
  }
  toString(): string {
    return `uploadParts(${JSON.stringify(this.sel)},${JSON.stringify(this.parts)})`;
  }
}

/** UploadPartCopy of a range of an object of the pool (or the whole object). */
export class UploadPartCopy extends Step {
  constructor(
    readonly sel: UploadSel,
    readonly n: number,
    readonly src: KeySel,
    readonly range: { at: number; span: number; beyond: boolean } | undefined,
  ) {
    super();
  }
  override check(m: Readonly<ModelState>): boolean {
    const s = m.b.objects.get(pickKey(m, this.src));
    // Appendable sources are refused by UploadPartCopy (multipart.md §3); ARCHIVE ones need a restore.
    return resolve(m, this.sel) !== undefined && s?.kind !== "appendable" &&
      s?.attrs.storageClass !== "ARCHIVE";
  }
  #range(m: Readonly<ModelState>): { first: number; last: number } | undefined {
    const size = m.b.objects.get(pickKey(m, this.src))?.content.length ?? 0;
    if (!this.range) return undefined;
    if (this.range.beyond) return { first: size, last: size + 9 };
    const first = Math.floor(this.range.at * size);
    return {
      first,
      last: Math.max(first, Math.min(size - 1, first + Math.floor(this.range.span * (size - first)))),
    };
  }
  describe(m: ModelState): string {
    const rg = this.#range(m);
    return `UploadPartCopy ${this.n} of ${showUpload(m, this.sel)} from ${relKey(m, pickKey(m, this.src))}${
      rg ? `, x-bce-copy-source-range: bytes=${rg.first}-${rg.last}` : ""
    }`;
  }
  async act(m: ModelState, r: Real): Promise<void> {
    const u = resolve(m, this.sel)!;
    const source = pickKey(m, this.src);
    const rg = this.#range(m);
    const headers: Record<string, string> = {
      "x-bce-copy-source": `/${r.ctx.http.bucket}/${uriEncode(source, true)}`,
    };
    if (rg) headers["x-bce-copy-source-range"] = `bytes=${rg.first}-${rg.last}`;
    const what = `UploadPartCopy ${this.n} of ${u.uploadId} from ${rel(r, source)}${
      rg ? ` bytes=${rg.first}-${rg.last}` : ""
    }`;
    const before = r.clock;
    const res = await send(r, {
      method: "PUT",
      key: u.key,
      query: { partNumber: this.n, uploadId: u.uploadId },
      headers,
    }, what);
    const slice = m.b.copySlice(source, rg);
    const md5 = slice ? (await digests(slice)).md5Hex : "";
    const out = m.b.uploadPartCopy(u.uploadId, this.n, source, rg, md5, windowOf(r, before));
    if (!out.ok) return expectFault(res, out.faults, what);
    expectStatus(res, 200, what);
    const j = jsonBody(res, what);
    if (j.eTag !== md5) diverge(`${what}: eTag (hex MD5 of the copied bytes)`, md5, j.eTag, res.exchange);
    const part = m.b.upload(u.uploadId)!.parts.get(this.n)!;
    pin(
      part.lastModified,
      isoSeconds(j.lastModified, `${what}: lastModified`, res.exchange),
      `${what}: lastModified`,
      res.exchange,
    );
  }
  toString(): string {
    return `uploadPartCopy(${JSON.stringify(this.sel)},${this.n},${JSON.stringify(this.src)},${
      JSON.stringify(this.range)
    })`;
  }
}

/** How the Complete part list is built from the uploaded parts. */
export type CompleteList = "valid" | "all" | "subset" | "wrong-etag" | "swap" | "duplicate" | "missing";

/** CompleteMultipartUpload. */
export class Complete extends Step {
  constructor(
    readonly sel: UploadSel,
    readonly list: CompleteList,
    readonly pick: number,
    readonly meta: ReadonlyArray<readonly [string, string]>,
  ) {
    super();
  }
  override check(m: Readonly<ModelState>): boolean {
    const u = resolve(m, this.sel);
    return u !== undefined && (this.sel.kind !== "live" || m.b.upload(u.uploadId)!.parts.size > 0);
  }
  #parts(m: Readonly<ModelState>): Array<{ partNumber: number; eTag: string }> {
    const u = resolve(m, this.sel)!;
    const up = m.b.upload(u.uploadId);
    const all = [...(up?.parts.values() ?? [])].sort((a, b) => a.partNumber - b.partNumber).map((p) => ({
      partNumber: p.partNumber,
      eTag: p.etag,
    }));
    if (all.length === 0) return [{ partNumber: 1, eTag: "0123456789abcdef0123456789abcdef" }];
    const i = this.pick % all.length;
    const min = m.b.limits.minPartSize;
    const sizes = new Map([...(up?.parts.values() ?? [])].map((p) => [p.partNumber, p.content.length]));
    switch (this.list) {
      case "valid": {
        // The parts that may stand before others (at least the minimum size), then the highest one.
        const big = all.slice(0, -1).filter((p) => sizes.get(p.partNumber)! >= min);
        return [...big, all.at(-1)!];
      }
      case "subset": {
        const kept = all.filter((_, j) => ((this.pick >> j) & 1) === 0);
        return kept.length ? kept : [all[i]];
      }
      case "wrong-etag":
        return all.map((
          p,
          j,
        ) => (j === i ? { ...p, eTag: p.eTag.replace(/.$/, (c) => (c === "0" ? "1" : "0")) } : p));
      case "swap":
        return all.length < 2
          ? all
          : all.map((_p, j) => all[j === i ? (i + 1) % all.length : j === (i + 1) % all.length ? i : j]);
      case "duplicate":
        return [...all.slice(0, i + 1), all[i], ...all.slice(i + 1)];
      case "missing":
        return [...all, { partNumber: all.at(-1)!.partNumber + 1, eTag: "0123456789abcdef0123456789abcdef" }];
      default:
        return all;
    }
  }
  #meta(m: Readonly<ModelState>): ReadonlyArray<readonly [string, string]> {
    // Metadata is given at Initiate or at Complete, not both: how the two merge is not specified.
    const u = resolve(m, this.sel);
    return u && m.b.upload(u.uploadId)?.metaAtInitiate ? [] : this.meta;
  }
  describe(m: ModelState): string {
    const meta = this.#meta(m);
    return `CompleteMultipartUpload of ${showUpload(m, this.sel)} with parts ${
      JSON.stringify(this.#parts(m).map((p) => p.partNumber))
    } (${this.list})${meta.length ? `, meta ${JSON.stringify(Object.fromEntries(meta))}` : ""}`;
  }
  async act(m: ModelState, r: Real): Promise<void> {
    const u = resolve(m, this.sel)!;
    const parts = this.#parts(m);
    const meta = this.#meta(m);
    const what = `CompleteMultipartUpload of ${u.uploadId} (${rel(r, u.key)})`;
    const before = r.clock;
    const res = await send(r, {
      method: "POST",
      key: u.key,
      query: { uploadId: u.uploadId },
      headers: { "content-type": "application/json", ...attrHeaders({ meta }) },
      body: JSON.stringify({ parts }),
    }, what);
    const out = m.b.complete(u.uploadId, parts, meta, windowOf(r, before));
    if (!out.ok) return expectFault(res, out.faults, what);
    expectStatus(res, 200, what);
    r.ctx.http.untrackUpload(r.ctx.http.bucket, u.key, u.uploadId);
    const j = jsonBody(res, what);
    if (j.bucket !== r.ctx.http.bucket) diverge(`${what}: bucket`, r.ctx.http.bucket, j.bucket, res.exchange);
    if (j.key !== u.key) diverge(`${what}: key`, u.key, j.key, res.exchange);
    const o = m.b.objects.get(u.key)!;
    if (typeof j.eTag !== "string" || j.eTag === "" || j.eTag.startsWith('"')) {
      diverge(`${what}: eTag (non-empty, unquoted)`, "<etag>", j.eTag, res.exchange);
    }
    await expectEtag(o, j.eTag, `${what}: eTag`, res.exchange);
    const h = etagHeader(r, res, what);
    if (h !== undefined) await expectEtag(o, h, what, res.exchange);
  }
  toString(): string {
    return `complete(${JSON.stringify(this.sel)},${this.list},${this.pick},${JSON.stringify(this.meta)})`;
  }
}

/** AbortMultipartUpload. */
export class Abort extends Step {
  constructor(readonly sel: UploadSel) {
    super();
  }
  override check(m: Readonly<ModelState>): boolean {
    return resolve(m, this.sel) !== undefined;
  }
  describe(m: ModelState): string {
    return `AbortMultipartUpload of ${showUpload(m, this.sel)}`;
  }
  async act(m: ModelState, r: Real): Promise<void> {
    const u = resolve(m, this.sel)!;
    const what = `AbortMultipartUpload of ${u.uploadId}`;
    const res = await send(r, { method: "DELETE", key: u.key, query: { uploadId: u.uploadId } }, what);
    const out = m.b.abort(u.uploadId);
    if (!out.ok) return expectFault(res, out.faults, what);
    expectStatus(res, 204, what);
    r.ctx.http.untrackUpload(r.ctx.http.bucket, u.key, u.uploadId);
  }
  toString(): string {
    return `abort(${JSON.stringify(this.sel)})`;
  }
}

/** ListParts from a marker with a page size, every page compared (a finished upload: NoSuchUpload). */
export class ListParts extends Step {
  constructor(readonly sel: UploadSel, readonly marker: number, readonly maxParts: number | undefined) {
    super();
  }
  override check(m: Readonly<ModelState>): boolean {
    return resolve(m, this.sel) !== undefined;
  }
  describe(m: ModelState): string {
    return `ListParts of ${showUpload(m, this.sel)} after part ${this.marker}${
      this.maxParts ? `, maxParts ${this.maxParts}` : ""
    }, every page`;
  }
  async act(m: ModelState, r: Real): Promise<void> {
    const u = resolve(m, this.sel)!;
    const live = m.b.upload(u.uploadId);
    if (live) return await walkParts(r, m.b, live, this.marker, this.maxParts);
    const what = `ListParts of ${u.uploadId}`;
    const res = await send(r, { method: "GET", key: u.key, query: { uploadId: u.uploadId } }, what);
    expectFault(res, [{ status: 404, code: "NoSuchUpload" }], what);
  }
  toString(): string {
    return `listParts(${JSON.stringify(this.sel)},${this.marker},${this.maxParts})`;
  }
}

/** ListMultipartUploads with prefix, delimiter, keyMarker and maxUploads near the pool, every page. */
export class ListUploads extends Step {
  constructor(readonly pick: ListPick) {
    super();
  }
  describe(m: ModelState): string {
    const p = listParams(m, m.ns, this.pick);
    const relative = {
      ...p,
      prefix: p.prefix.slice(m.ns.length),
      ...(p.marker ? { marker: p.marker.slice(m.ns.length) } : {}),
    };
    return `ListMultipartUploads ${JSON.stringify(relative)}, every page`;
  }
  async act(m: ModelState, r: Real): Promise<void> {
    const p = listParams(m, r.ns, this.pick);
    await walkUploads(r, m.b, {
      prefix: p.prefix,
      delimiter: p.delimiter,
      keyMarker: p.marker,
      maxUploads: p.max,
    });
  }
  toString(): string {
    return `listUploads(${JSON.stringify(this.pick)})`;
  }
}
