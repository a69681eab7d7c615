/**
 * The base of every model-suite command: run the operation against the endpoint and the model, then
 * observe the whole bucket; on a divergence, report the readable list of operations that led to it.
 *
 * @module
 */
import type fc from "fast-check";
import { toHeaderByteString } from "../../protocol/headers.ts";
import { LawViolation } from "../_check.ts";
import { patternBytes } from "../_ops.ts";
import type { BucketModel, SentAttributes } from "../model/bucket.ts";
import type { Real } from "./_model_observe.ts";
import { sweep } from "./_model_sweep.ts";

/** The model side of a run: the bucket model and the pool of keys. */
export interface ModelState {
  /** Namespace of the run (ends with `/`). */
  ns: string;
  /** The bucket model. */
  b: BucketModel;
  /** The pool of keys (full keys), the same as the real side's. */
  keys: string[];
  /** Largest object or part the run writes. */
  maxObjectSize: number;
  /** Ticks (waits for the clock) so far. */
  ticks: number;
}

/** The key a command names by index. */
export function keyAt(keys: readonly string[], i: number): string {
  return keys[i % keys.length];
}

/**
 * How a command picks its key: any key of the pool, or (when one exists) a live object, a key without
 * one, a live object of one kind, or a live key ending in `/` — so that appends meet appendable objects,
 * copies meet existing sources and deletes meet missing and "directory" keys.
 */
export type KeySel = { kind: "any" | "live" | "absent" | "appendable" | "multipart" | "dir"; i: number };

/** The key a selection resolves to in this state (a pool key when nothing of the kind exists). */
export function pickKey(m: Readonly<ModelState>, sel: KeySel | number): string {
  if (typeof sel === "number") return keyAt(m.keys, sel);
  if (sel.kind === "absent") {
    const absent = m.keys.filter((k) => !m.b.objects.has(k));
    if (absent.length) return absent[sel.i % absent.length];
  } else if (sel.kind !== "any") {
    const live = m.keys.filter((k) => {
      const o = m.b.objects.get(k);
      return o !== undefined &&
        (sel.kind === "live" || sel.kind === o.kind || (sel.kind === "dir" && k.endsWith("/")));
    });
    if (live.length) return live[sel.i % live.length];
  }
  return keyAt(m.keys, sel.i);
}

/** A key relative to the namespace, quoted (for messages). */
export function relKey(m: Readonly<ModelState>, key: string): string {
  return JSON.stringify(key.slice(m.ns.length));
}

const bytesCache: Array<{ size: number; seed: number; bytes: Uint8Array }> = [];

/** Deterministic bytes of a size and seed (large ones cached: shrinking replays them many times). */
export function bytesFor(size: number, seed: number): Uint8Array {
  if (size < 256 * 1024) return patternBytes(size, seed);
  const hit = bytesCache.find((c) => c.size === size && c.seed === seed);
  if (hit) return hit.bytes;
  const bytes = patternBytes(size, seed);
  bytesCache.unshift({ size, seed, bytes });
  if (bytesCache.length > 6) bytesCache.pop();
  return bytes;
}

/** The key a command names by index, relative to the namespace and quoted (for messages). */
export function nameAt(m: Readonly<ModelState>, i: number): string {
  return JSON.stringify(keyAt(m.keys, i).slice(m.ns.length));
}

/** A divergence already carrying the list of operations. */
class Reported extends LawViolation {}

/** Adds the step and the operations so far to a divergence. */
export function report(e: unknown, real: Real, where: string): unknown {
  if (!(e instanceof LawViolation) || e instanceof Reported) return e;
  const steps = real.log.map((l, i) => `    ${i + 1}. ${l}`).join("\n");
  return new Reported(
    `${e.message}\n  ${where}\n  keys are relative to ${real.ns}; the pool: ${
      JSON.stringify(real.keys.map((k) => k.slice(real.ns.length)))
    }\n  operations:\n${steps || "    (none)"}`,
    e.exchange,
  );
}

/** A command of the model suite. */
export abstract class Step implements fc.AsyncCommand<ModelState, Real> {
  /** Whether the command applies to this state (fast-check skips it otherwise). */
  check(_m: Readonly<ModelState>): boolean {
    return true;
  }

  /** The operation in words, with the keys and values resolved. */
  abstract describe(m: ModelState): string;

  /** Sends the operation, compares the answer with the model's prediction and updates the model. */
  abstract act(m: ModelState, r: Real): Promise<void>;

  /** The command as fast-check prints it. */
  abstract toString(): string;

  /**
   * Whether the operation changes nothing the sweep observes (a wait), so that the sweep runs while it
   * goes on rather than after it.
   */
  protected readonly passive: boolean = false;

  /** Runs the operation, then observes the whole bucket. */
  async run(m: ModelState, r: Real): Promise<void> {
    r.log.push(this.describe(m));
    try {
      if (this.passive) {
        const [acted, swept] = await Promise.allSettled([this.act(m, r), sweep(r, m.b)]);
        for (const s of [acted, swept]) if (s.status === "rejected") throw s.reason;
        return;
      }
      await this.act(m, r);
      await sweep(r, m.b);
    } catch (e) {
      throw report(e, r, `in step ${r.log.length}: ${r.log.at(-1)}`);
    }
  }
}

/** Request headers for object headers sent (metadata values as UTF-8 header bytes). */
export function attrHeaders(a: SentAttributes): Record<string, string> {
  const h: Record<string, string> = {};
  if (a.contentType !== undefined) h["content-type"] = a.contentType;
  if (a.cacheControl !== undefined) h["cache-control"] = a.cacheControl;
  if (a.contentDisposition !== undefined) h["content-disposition"] = a.contentDisposition;
  if (a.expires !== undefined) h["expires"] = a.expires;
  if (a.contentEncoding !== undefined) h["content-encoding"] = a.contentEncoding;
  if (a.storageClass !== undefined) h["x-bce-storage-class"] = a.storageClass;
  for (const [n, v] of a.meta ?? []) h[`x-bce-meta-${n}`] = toHeaderByteString(v);
  return h;
}

/** Object headers in words. */
export function showAttrs(a: SentAttributes): string {
  const parts: string[] = [];
  if (a.contentType !== undefined) parts.push(`Content-Type ${JSON.stringify(a.contentType)}`);
  if (a.cacheControl !== undefined) parts.push(`Cache-Control ${JSON.stringify(a.cacheControl)}`);
  if (a.contentDisposition !== undefined) {
    parts.push(`Content-Disposition ${JSON.stringify(a.contentDisposition)}`);
  }
  if (a.expires !== undefined) parts.push(`Expires ${JSON.stringify(a.expires)}`);
  if (a.contentEncoding !== undefined) parts.push(`Content-Encoding ${JSON.stringify(a.contentEncoding)}`);
  if (a.storageClass !== undefined) parts.push(`storage class ${a.storageClass}`);
  const short = (v: string) => (v.length > 60 ? `${v.slice(0, 20)}…(${v.length} characters)` : v);
  if (a.meta?.length) {
    parts.push(`meta ${JSON.stringify(Object.fromEntries(a.meta.map(([n, v]) => [n, short(v)])))}`);
  }
  return parts.length ? parts.join(", ") : "no headers";
}

/** Bytes in words. */
export function showSize(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(2)} MiB (${n} bytes)` : `${n} bytes`;
}
