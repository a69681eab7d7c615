/**
 * The observation of the whole bucket after every step of the model suite: which requests are made
 * (listings, HEAD and GET of each key, ranges and a conditional GET or HEAD of each new object version,
 * uploads and their parts) and in which order they are compared. They are sent together
 * (`_model_gather.ts`), so a step costs a few round trips however many keys the pool has.
 *
 * @module
 */
import type { BucketModel, Condition, ModelObject, RangeSpec } from "../model/bucket.ts";
import type { HttpResponse } from "../_http.ts";
import { gather, type Observation } from "./_model_gather.ts";
import { objectsWalk, partsWalk, uploadsWalk } from "./_model_listings.ts";
import {
  conditionalObservation,
  missingObservations,
  objectObservation,
  type Real,
  WHOLE_READ_LIMIT,
} from "./_model_observe.ts";

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
    "suffix",
    "reversed",
    "malformed",
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
    case "suffix":
      // bytes=-N: the last N bytes, N from 1 to a little past the size (the whole object).
      return { first: 0, suffix: 1 + Math.floor(r() * (size + 3)) };
    case "reversed":
      // bytes=a-b with b < a: invalid (416).
      return { first: at + 1, last: at };
    case "malformed": {
      // A bytes range that is not digits-dash-digits (objects.md §2 after the BOS RGW fork: 416).
      const forms = [`bytes=${at}-x`, `bytes=x-${at}`, `bytes=${at}--${at + 1}`, `bytes=${at}.5-`];
      return { first: 0, malformed: forms[Math.floor(r() * forms.length)] };
    }
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

/** How the conditions of a conditional GET are drawn (resolved against the ETag and Last-Modified seen). */
export interface ConditionChoice {
  /** The header or pair of headers. */
  combo: string;
  /** Whether the ETag given is the object's. */
  same: boolean;
  /** Whether the ETag is sent quoted. */
  quoted: boolean;
  /** Seconds added to Last-Modified for the date. */
  delta: number;
  /**
   * How the ETag is written: alone, second in a list after another ETag, weak (`W/"…"`, for
   * If-None-Match, whose comparison is weak) or `*`; and the date's format. Default: alone, RFC 1123.
   */
  form?: "list" | "weak" | "star";
  /** The date's obsolete format, if any. */
  dateFormat?: "rfc850" | "asctime";
}

/** Conditions from a pick, for an object whose ETag and Last-Modified (seconds) are these. */
export function conditionsAt(etagSeen: string, seconds: number, pick: ConditionChoice): Condition[] {
  const other = "0123456789abcdef0123456789abcdef";
  const etag = pick.same ? etagSeen : other;
  const plain = pick.quoted ? `"${etag}"` : etag;
  const tag = (kind: "if-match" | "if-none-match") =>
    pick.form === "star"
      ? "*"
      : pick.form === "list"
      ? `"${other}", ${plain}`
      : pick.form === "weak" && kind === "if-none-match"
      ? `W/"${etag}"`
      : plain;
  const at = { seconds: seconds + pick.delta, ...(pick.dateFormat ? { format: pick.dateFormat } : {}) };
  switch (pick.combo) {
    case "if-match":
    case "if-none-match":
      return [{ kind: pick.combo, etag: tag(pick.combo) }];
    case "if-modified-since":
    case "if-unmodified-since":
      return [{ kind: pick.combo, ...at }];
    case "match+unmodified":
      return [{ kind: "if-match", etag: tag("if-match") }, { kind: "if-unmodified-since", ...at }];
    default:
      return [{ kind: "if-none-match", etag: tag("if-none-match") }, { kind: "if-modified-since", ...at }];
  }
}

/** Conditions for a GET of an observed object (its ETag and Last-Modified pinned) from a pick. */
export function conditionsFor(o: ModelObject, pick: ConditionChoice): Condition[] {
  return conditionsAt(o.etagSeen!, o.lastModified.value!, pick);
}

/**
 * The conditions a pick will resolve to, guessed from a HEAD's answer before it is compared (its ETag
 * and Last-Modified are the ones the comparison pins, when it passes); `undefined` when the answer
 * does not tell.
 */
function guessConditions(o: ModelObject, res: HttpResponse | undefined, pick: ConditionChoice) {
  const raw = res?.headers.get("etag") ?? undefined;
  const etag = o.etagSeen ?? (raw && /^"[^"]*"$/.test(raw) ? raw.slice(1, -1) : raw);
  const lm = Date.parse(res?.headers.get("last-modified") ?? "");
  const seconds = o.lastModified.value ?? (Number.isNaN(lm) ? undefined : lm / 1000);
  return etag !== undefined && seconds !== undefined ? conditionsAt(etag, seconds, pick) : undefined;
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
const FORMS = [undefined, undefined, undefined, "list", "weak", "star"] as const;
const DATE_FORMATS = [undefined, undefined, undefined, undefined, "rfc850", "asctime"] as const;

/**
 * The observations of the whole bucket after a step, in the order they are compared: the namespace
 * listings (whole, and page by page with a delimiter; with `listDirs` every directory of the pool);
 * for every live object a HEAD and a whole GET (objects over {@link WHOLE_READ_LIMIT} are read whole
 * once per version, ranged otherwise), then for a version not probed yet three Range reads and a
 * conditional GET or HEAD; for a key whose object is gone, a GET and a HEAD that must answer 404; and with
 * uploads, the upload listing (whole, one per page, with a delimiter) and every upload's parts. Probe
 * positions come from the run's PRNG, drawn in this order.
 */
export function sweepObservations(real: Real, m: BucketModel): Observation[] {
  const out: Observation[] = [];
  for (const l of real.listings) out.push(objectsWalk(real, m, { prefix: real.ns, ...l }));
  if (real.listDirs) {
    const dirs = new Set<string>();
    for (const k of real.keys) {
      for (let i = k.indexOf("/", real.ns.length); i >= 0; i = k.indexOf("/", i + 1)) {
        dirs.add(k.slice(0, i + 1));
      }
    }
    for (const prefix of dirs) out.push(objectsWalk(real, m, { prefix, delimiter: "/" }));
  }
  for (const key of real.keys) {
    const o = m.objects.get(key);
    const was = real.verified.get(key);
    // A key without an object is read when it becomes so (and at the end); listings show it after.
    if ((!o || !real.readAll) && was === (o?.version ?? -1)) continue;
    if (!o) {
      out.push(...missingObservations(real, key));
      continue;
    }
    let headAnswer!: (res: HttpResponse | undefined) => void;
    const head = new Promise<HttpResponse | undefined>((resolve) => (headAnswer = resolve));
    out.push(objectObservation(real, o, "HEAD", undefined, undefined, headAnswer));
    if (o.content.length <= WHOLE_READ_LIMIT || was !== o.version) {
      out.push(objectObservation(real, o, "GET"));
    } else {
      out.push(objectObservation(real, o, "GET", { first: Math.max(0, o.content.length - 4096) }));
    }
    if (real.probed.get(key) !== o.version) {
      real.probed.set(key, o.version);
      // Three ranges of each new version (one of a large object), at random positions and forms.
      for (let i = o.content.length > WHOLE_READ_LIMIT ? 2 : 0; i < 3; i++) {
        out.push(objectObservation(real, o, "GET", probeRange(real, o)));
      }
      const r = real.rng;
      const pick: ConditionChoice = {
        combo: COMBOS[Math.floor(r() * COMBOS.length)],
        same: r() < 0.5,
        quoted: r() < 0.5,
        delta: DELTAS[Math.floor(r() * DELTAS.length)],
      };
      const form = FORMS[Math.floor(r() * FORMS.length)];
      const dateFormat = DATE_FORMATS[Math.floor(r() * DATE_FORMATS.length)];
      if (form) pick.form = form;
      if (dateFormat) pick.dateFormat = dateFormat;
      // HEAD takes the same conditions as GET (objects.md §3): a third of the probes go through it.
      const viaHead = r() < 1 / 3;
      // Sent as soon as the HEAD has answered; compared (and sent again if the guess was wrong) in turn.
      out.push(
        conditionalObservation(
          real,
          o,
          () => conditionsFor(o, pick),
          head.then((res) => guessConditions(o, res, pick)),
          viaHead,
        ),
      );
    }
  }
  if (real.multipart) {
    out.push(uploadsWalk(real, m, { prefix: real.ns }));
    out.push(uploadsWalk(real, m, { prefix: real.ns, maxUploads: 1 }));
    out.push(uploadsWalk(real, m, { prefix: real.ns, delimiter: "/", maxUploads: 2 }));
    for (const u of m.uploads) {
      out.push(partsWalk(real, m, u));
      if (u.parts.size > 2) out.push(partsWalk(real, m, u, 0, 2));
    }
  }
  return out;
}

/** Observes the whole bucket after a step ({@link sweepObservations}), every request sent at once. */
export async function sweep(real: Real, m: BucketModel): Promise<void> {
  await gather(sweepObservations(real, m));
}
