/**
 * Object commands of the model suite: PutObject, AppendObject (with and without offset, right and
 * wrong), CopyObject (directives, storage class, the four copy-source conditions, self-copy),
 * DeleteObject, DeleteMultipleObjects, reads (ranges, conditions), ListObjects and a clock tick.
 *
 * @module
 */
import { uriEncode } from "../../protocol/encoding.ts";
import { md5Base64 } from "../_ops.ts";
import { type Condition, rangeHeader, type RangeSpec, type SentAttributes } from "../model/bucket.ts";
import {
  type ConditionPick,
  type CopyCondition,
  cut,
  flipCase,
  type ListPick,
  type RangePick,
} from "./_model_arb.ts";
import { walkObjects } from "./_model_listings.ts";
import { boundaryRange, conditionsFor } from "./_model_sweep.ts";
import {
  diverge,
  etagHeader,
  expectEtag,
  expectFault,
  expectStatus,
  isoSeconds,
  jsonBody,
  pin,
  readConditional,
  readMissing,
  readObject,
  type Real,
  rel,
  send,
  windowOf,
} from "./_model_observe.ts";
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

/** How a PutObject is made to fail (or not). */
export type PutFault = "none" | "bad-md5" | "meta-too-large" | "bad-class";

function putSent(m: ModelState, attrs: SentAttributes, f: PutFault): SentAttributes {
  if (f === "bad-class") return { ...attrs, storageClass: "GLACIER" };
  if (f === "meta-too-large") {
    const n = m.b.limits.maxUserMetadataSize + 1 - "x-bce-meta-oversize".length;
    return { ...attrs, meta: [["Oversize", "v".repeat(Math.max(1, n))]] };
  }
  return attrs;
}

/** PutObject. */
export class Put extends Step {
  constructor(
    readonly k: KeySel | number,
    readonly size: number,
    readonly seed: number,
    readonly attrs: SentAttributes,
    readonly fault: PutFault,
  ) {
    super();
  }
  describe(m: ModelState): string {
    const f = this.fault === "none" ? "" : `, ${this.fault}`;
    return `PutObject ${relKey(m, pickKey(m, this.k))} ${showSize(this.size)}, ${
      showAttrs(putSent(m, this.attrs, this.fault))
    }${f}`;
  }
  async act(m: ModelState, r: Real): Promise<void> {
    const key = pickKey(m, this.k);
    const data = bytesFor(this.size, this.seed);
    const sent = putSent(m, this.attrs, this.fault);
    const headers = attrHeaders(sent);
    if (this.fault === "bad-md5") {
      headers["content-md5"] = await md5Base64(bytesFor(this.size + 1, this.seed));
    }
    const what = `PutObject ${rel(r, key)}`;
    const before = r.clock;
    const res = await send(r, { method: "PUT", key, body: data, headers }, what);
    const out = m.b.put(key, data, sent, windowOf(r, before), this.fault === "bad-md5");
    if (!out.ok) return expectFault(res, out.faults, what);
    expectStatus(res, 200, what);
    await expectEtag(m.b.objects.get(key)!, etagHeader(r, res, what), what, res.exchange);
  }
  toString(): string {
    return `put(${JSON.stringify(this.k)},${this.size},${this.seed},${
      JSON.stringify(this.attrs)
    },${this.fault})`;
  }
}

/** PutObject of every key of the pool, in a random order (so listings see every key from the start). */
export class PutAll extends Step {
  constructor(
    readonly order: number[],
    readonly specs: ReadonlyArray<readonly [number, number, SentAttributes]>,
  ) {
    super();
  }
  #puts(m: ModelState): Put[] {
    const n = m.keys.length;
    const ranked = m.keys.map((_, i) => i).sort((a, b) =>
      (this.order[a % this.order.length] ?? a) - (this.order[b % this.order.length] ?? b) || a - b
    );
    return ranked.slice(0, n).map((k, i) => {
      const [size, seed, attrs] = this.specs[i % this.specs.length];
      return new Put(k, size, seed, attrs, "none");
    });
  }
  describe(m: ModelState): string {
    return `PutObject of every key, in the order ${
      JSON.stringify(this.#puts(m).map((p) => pickKey(m, p.k).slice(m.ns.length)))
    } (${this.#puts(m).map((p) => showSize(p.size)).join(", ")})`;
  }
  async act(m: ModelState, r: Real): Promise<void> {
    for (const p of this.#puts(m)) await p.act(m, r);
  }
  toString(): string {
    return `putAll(${JSON.stringify(this.order)},${JSON.stringify(this.specs)})`;
  }
}

async function expectAppended(
  r: Real,
  m: ModelState,
  key: string,
  res: Parameters<typeof expectStatus>[0],
  what: string,
) {
  expectStatus(res, 200, what);
  const o = m.b.objects.get(key)!;
  const next = res.headers.get("x-bce-next-append-offset") ?? undefined;
  if (next !== String(o.content.length)) {
    diverge(`${what}: x-bce-next-append-offset`, String(o.content.length), next, res.exchange);
  }
  await expectEtag(o, etagHeader(r, res, what), what, res.exchange);
}

/** AppendObject without an offset (creates or replaces with an appendable object). */
export class AppendCreate extends Step {
  constructor(
    readonly k: number,
    readonly size: number,
    readonly seed: number,
    readonly attrs: SentAttributes,
  ) {
    super();
  }
  describe(m: ModelState): string {
    return `AppendObject ${nameAt(m, this.k)} without offset, ${showSize(this.size)}, ${
      showAttrs(this.attrs)
    }`;
  }
  async act(m: ModelState, r: Real): Promise<void> {
    const key = keyAt(m.keys, this.k);
    const data = bytesFor(this.size, this.seed);
    const what = `AppendObject ${rel(r, key)} without offset`;
    const before = r.clock;
    const res = await send(r, {
      method: "POST",
      key,
      query: { append: null },
      body: data,
      headers: attrHeaders(this.attrs),
    }, what);
    const out = m.b.appendCreate(key, data, this.attrs, windowOf(r, before));
    if (!out.ok) return expectFault(res, out.faults, what);
    await expectAppended(r, m, key, res, what);
  }
  toString(): string {
    return `appendCreate(${this.k},${this.size},${this.seed},${JSON.stringify(this.attrs)})`;
  }
}

/** AppendObject at the object's length plus `delta` (0 = the right offset), with headers it must ignore. */
export class AppendAt extends Step {
  constructor(
    readonly k: KeySel,
    readonly size: number,
    readonly seed: number,
    readonly delta: number,
    readonly attrs: SentAttributes,
  ) {
    super();
  }
  #offset(m: ModelState): number {
    return Math.max(0, (m.b.objects.get(pickKey(m, this.k))?.content.length ?? 0) + this.delta);
  }
  /** The body size, so that the object stays within the run's largest size. */
  #size(m: ModelState): number {
    return Math.max(
      0,
      Math.min(this.size, m.maxObjectSize - (m.b.objects.get(pickKey(m, this.k))?.content.length ?? 0)),
    );
  }
  describe(m: ModelState): string {
    return `AppendObject ${relKey(m, pickKey(m, this.k))} at offset ${this.#offset(m)} (length${
      this.delta >= 0 ? "+" : ""
    }${this.delta}), ${showSize(this.#size(m))}, ${showAttrs(this.attrs)} (to be ignored)`;
  }
  async act(m: ModelState, r: Real): Promise<void> {
    const key = pickKey(m, this.k);
    const offset = this.#offset(m);
    const data = bytesFor(this.#size(m), this.seed);
    const what = `AppendObject ${rel(r, key)} at offset ${offset}`;
    const before = r.clock;
    const res = await send(r, {
      method: "POST",
      key,
      query: { append: null, offset },
      body: data,
      headers: attrHeaders(this.attrs),
    }, what);
    const out = m.b.appendAt(key, data, offset, windowOf(r, before));
    if (!out.ok) return expectFault(res, out.faults, what);
    await expectAppended(r, m, key, res, what);
  }
  toString(): string {
    return `appendAt(${JSON.stringify(this.k)},${this.size},${this.seed},${this.delta},${
      JSON.stringify(this.attrs)
    })`;
  }
}

function copyConditions(m: ModelState, source: string, c: CopyCondition | undefined): Condition[] {
  const o = m.b.objects.get(source);
  if (!c || !o || o.etagSeen === undefined || o.lastModified.value === undefined) return [];
  const lm = o.lastModified.value;
  const other = "0123456789abcdef0123456789abcdef";
  const tag = (t: string) => (c.quoted ? `"${t}"` : t);
  const away = c.far ? 86400 : 1;
  switch (c.kind) {
    case "if-match":
      return [{ kind: c.kind, etag: tag(c.holds ? o.etagSeen : other) }];
    case "if-none-match":
      return [{ kind: c.kind, etag: tag(c.holds ? other : o.etagSeen) }];
    case "if-modified-since":
      return [{ kind: c.kind, seconds: c.holds ? lm - away : c.far ? lm + away : lm }];
    default:
      return [{ kind: c.kind, seconds: c.holds ? (c.far ? lm + away : lm) : lm - away }];
  }
}

function conditionHeaders(conditions: Condition[], prefix: string): Record<string, string> {
  const h: Record<string, string> = {};
  for (const c of conditions) {
    h[prefix + c.kind] = "etag" in c ? c.etag : new Date(c.seconds * 1000).toUTCString();
  }
  return h;
}

/** CopyObject (onto another key or itself). */
export class Copy extends Step {
  constructor(
    readonly src: KeySel,
    readonly dst: number,
    readonly directive: "none" | "copy" | "replace",
    readonly attrs: SentAttributes,
    readonly sendHeaders: boolean,
    readonly storageClass: string | undefined,
    readonly cond: CopyCondition | undefined,
  ) {
    super();
  }
  override check(m: Readonly<ModelState>): boolean {
    const source = pickKey(m, this.src);
    const s = m.b.objects.get(source);
    // An ARCHIVE source must be restored before it can be read or copied (not modelled).
    if (s?.attrs.storageClass === "ARCHIVE") return false;
    // Copying an object onto itself without changing anything is not a documented operation.
    return !(source === this.#dest(m) && this.directive !== "replace" && this.storageClass === undefined);
  }
  /** The destination: the pool key `dst`, or the source itself when `dst` is negative. */
  #dest(m: Readonly<ModelState>): string {
    return this.dst < 0 ? pickKey(m, this.src) : keyAt(m.keys, this.dst);
  }
  #sent(): SentAttributes {
    const base = this.directive === "replace" || this.sendHeaders ? { ...this.attrs } : { meta: [] };
    delete base.storageClass;
    return this.storageClass !== undefined ? { ...base, storageClass: this.storageClass } : base;
  }
  describe(m: ModelState): string {
    const source = pickKey(m, this.src);
    const dest = this.#dest(m);
    const conds = copyConditions(m, source, this.cond).map((c) =>
      `x-bce-copy-source-${c.kind}: ${"etag" in c ? c.etag : new Date(c.seconds * 1000).toUTCString()}`
    );
    return `CopyObject ${relKey(m, source)} → ${source === dest ? "itself" : relKey(m, dest)}, directive ${
      this.directive === "none" ? "(none)" : this.directive
    }, ${showAttrs(this.#sent())}${conds.length ? ", " + conds.join(", ") : ""}`;
  }
  async act(m: ModelState, r: Real): Promise<void> {
    const source = pickKey(m, this.src);
    const dest = this.#dest(m);
    const sent = this.#sent();
    const conditions = copyConditions(m, source, this.cond);
    const headers: Record<string, string> = {
      "x-bce-copy-source": `/${r.ctx.http.bucket}/${uriEncode(source, true)}`,
      ...attrHeaders(sent),
      ...conditionHeaders(conditions, "x-bce-copy-source-"),
    };
    if (this.directive !== "none") headers["x-bce-metadata-directive"] = this.directive;
    const what = `CopyObject ${rel(r, source)} → ${rel(r, dest)}`;
    const before = r.clock;
    const res = await send(r, { method: "PUT", key: dest, headers }, what);
    const out = m.b.copy(source, dest, {
      directive: this.directive === "none" ? undefined : this.directive,
      sent,
      conditions,
      w: windowOf(r, before),
    });
    if (!out.ok) return expectFault(res, out.faults, what);
    expectStatus(res, 200, what);
    const j = jsonBody(res, what);
    const o = m.b.objects.get(dest)!;
    if (typeof j.eTag !== "string" || j.eTag.startsWith('"')) {
      diverge(`${what}: eTag (unquoted in JSON)`, "<etag>", j.eTag, res.exchange);
    }
    await expectEtag(o, j.eTag, `${what}: eTag`, res.exchange);
    const h = etagHeader(r, res, what);
    if (h !== undefined) await expectEtag(o, h, what, res.exchange);
    pin(
      o.lastModified,
      isoSeconds(j.lastModified, `${what}: lastModified`, res.exchange),
      `${what}: lastModified`,
      res.exchange,
    );
  }
  toString(): string {
    return `copy(${JSON.stringify(this.src)},${this.dst},${this.directive},${
      JSON.stringify(this.attrs)
    },${this.sendHeaders},${this.storageClass},${JSON.stringify(this.cond)})`;
  }
}

/** DeleteObject. */
export class Delete extends Step {
  constructor(readonly k: KeySel) {
    super();
  }
  describe(m: ModelState): string {
    return `DeleteObject ${relKey(m, pickKey(m, this.k))}`;
  }
  async act(m: ModelState, r: Real): Promise<void> {
    const key = pickKey(m, this.k);
    const what = `DeleteObject ${rel(r, key)}`;
    const res = await send(r, { method: "DELETE", key }, what);
    const out = m.b.delete(key);
    if (!out.ok) return expectFault(res, out.faults, what);
    expectStatus(res, 204, what);
  }
  toString(): string {
    return `delete(${JSON.stringify(this.k)})`;
  }
}

/** DeleteMultipleObjects of some keys of the pool (present and missing). */
export class DeleteMany extends Step {
  constructor(readonly ks: number[]) {
    super();
  }
  #keys(m: ModelState): string[] {
    return [...new Set(this.ks.map((k) => keyAt(m.keys, k)))];
  }
  describe(m: ModelState): string {
    return `DeleteMultipleObjects ${JSON.stringify(this.#keys(m).map((k) => k.slice(m.ns.length)))}`;
  }
  async act(m: ModelState, r: Real): Promise<void> {
    const keys = this.#keys(m);
    const what = `DeleteMultipleObjects ${JSON.stringify(keys.map((k) => k.slice(r.ns.length)))}`;
    const res = await send(r, {
      method: "POST",
      query: { delete: null },
      headers: { "content-type": "application/json; charset=utf-8" },
      body: JSON.stringify({ objects: keys.map((key) => ({ key })) }),
    }, what);
    const missing = m.b.deleteMultiple(keys);
    expectStatus(res, 200, what);
    const errors = res.body.length === 0
      ? []
      : (jsonBody(res, what).errors ?? []) as Array<Record<string, unknown>>;
    const got = Array.isArray(errors) ? errors.map((e) => e?.key as string).sort() : [];
    if (JSON.stringify(got) !== JSON.stringify([...missing].sort())) {
      diverge(
        `${what}: keys reported in errors (exactly the missing ones)`,
        JSON.stringify([...missing].sort()),
        JSON.stringify(got),
        res.exchange,
      );
    }
    for (const e of errors) {
      if (e.code !== "NoSuchKey" || typeof e.message !== "string") {
        diverge(
          `${what}: error entry for ${JSON.stringify(e.key)}`,
          "code NoSuchKey with a message",
          JSON.stringify(e),
          res.exchange,
        );
      }
    }
    for (const k of keys) if (!missing.includes(k)) r.ctx.http.untrackObject(r.ctx.http.bucket, k);
  }
  toString(): string {
    return `deleteMany(${JSON.stringify(this.ks)})`;
  }
}

/** Resolves a range pick against an object. */
export function rangeOf(size: number, parts: readonly number[] | undefined, p: RangePick): RangeSpec {
  const at = Math.floor(p.at * size);
  switch (p.form) {
    case "inside":
      return { first: at, last: Math.max(at, Math.min(size - 1, at + Math.floor(p.span * (size - at)))) };
    case "past-end":
      return { first: at, last: size + p.delta + Math.floor(p.span * 100) };
    case "open":
      return { first: at };
    case "single":
      return { first: at, last: at };
    case "last-byte":
      return { first: Math.max(0, size - 1), last: Math.max(0, size - 1) };
    case "first-byte":
      return { first: 0, last: 0 };
    case "beyond":
      return { first: size + p.delta, last: size + p.delta + 5 };
    case "suffix":
      return { first: 0, suffix: Math.max(1, Math.floor(p.span * size) + p.delta) };
    case "reversed":
      return { first: at + 1 + p.delta, last: at };
    default:
      return parts && parts.length > 1
        ? boundaryRange(
          { parts, content: { length: size } } as never,
          Math.floor(p.span * 1000),
          p.delta,
          p.delta,
        )
        : { first: at, last: size + p.delta };
  }
}

/** A ranged or conditional GET of one key. */
export class Read extends Step {
  constructor(readonly k: KeySel, readonly pick: { range: RangePick } | { cond: ConditionPick }) {
    super();
  }
  describe(m: ModelState): string {
    const key = pickKey(m, this.k);
    const o = m.b.objects.get(key);
    if (!o) return `GetObject ${relKey(m, key)} (absent)`;
    if ("range" in this.pick) {
      const r = rangeOf(o.content.length, o.parts, this.pick.range);
      return `GetObject ${relKey(m, key)} Range: ${rangeHeader(r)}`;
    }
    return `GetObject ${relKey(m, key)} with ${JSON.stringify(conditionsFor(o, this.pick.cond))}`;
  }
  async act(m: ModelState, r: Real): Promise<void> {
    const key = pickKey(m, this.k);
    const o = m.b.objects.get(key);
    if (!o) return await readMissing(r, key);
    if ("range" in this.pick) {
      return await readObject(r, o, "GET", rangeOf(o.content.length, o.parts, this.pick.range));
    }
    await readConditional(r, o, conditionsFor(o, this.pick.cond));
  }
  toString(): string {
    return `read(${JSON.stringify(this.k)},${JSON.stringify(this.pick)})`;
  }
}

/** Resolves list parameters against the pool. */
export function listParams(m: ModelState, ns: string, p: ListPick) {
  const suffix = (i: number) => keyAt(m.keys, i).slice(ns.length);
  const prefix = p.prefix ? cut(suffix(p.prefix.i), p.prefix.cut) : "";
  return {
    prefix: ns + (p.prefix?.flip ? flipCase(prefix) : prefix),
    ...(p.delimiter !== undefined ? { delimiter: p.delimiter } : {}),
    ...(p.marker ? { marker: ns + cut(suffix(p.marker.i), p.marker.cut || 99) } : {}),
    ...(p.max !== undefined ? { max: p.max } : {}),
  };
}

/** ListObjects with prefix, delimiter, marker and maxKeys near the pool's keys, every page compared. */
export class List extends Step {
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
    return `ListObjects ${JSON.stringify(relative)}, every page`;
  }
  async act(m: ModelState, r: Real): Promise<void> {
    const p = listParams(m, r.ns, this.pick);
    await walkObjects(r, m.b, { prefix: p.prefix, delimiter: p.delimiter, marker: p.marker, maxKeys: p.max });
  }
  toString(): string {
    return `list(${JSON.stringify(this.pick)})`;
  }
}

/**
 * Waits until the endpoint's clock (its `Date` header, polled with HeadBucket) shows a later second
 * than any response so far, so that a stale Last-Modified shows.
 */
export class Tick extends Step {
  /** The wait changes nothing: the bucket is observed while the clock runs. */
  protected override readonly passive = true;
  override check(m: Readonly<ModelState>): boolean {
    return m.ticks < 1 && m.b.objects.size > 0;
  }
  describe(): string {
    return "wait for the endpoint's clock to pass a second";
  }
  async act(m: ModelState, r: Real): Promise<void> {
    m.ticks++;
    const target = r.clock + 1;
    for (let i = 0; i < 60 && r.clock < target; i++) {
      await new Promise((resolve) => setTimeout(resolve, 40));
      await send(r, { method: "HEAD" }, "HeadBucket");
    }
  }
  toString(): string {
    return "tick()";
  }
}
