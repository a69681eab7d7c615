/**
 * How the model suite observes an endpoint far away without waiting a round trip per request: after a
 * command the bucket is quiescent, so every observation of it (HEAD and GET of each object, ranges,
 * conditional GETs, listings, ListParts) is sent at once, a bounded number in flight per check, and the
 * answers are compared with the model afterwards **in the order the observations were planned**, never
 * in the order they arrived. The first divergence reported is therefore the same at any latency and
 * concurrency, and a replay or a shrinking step sees the same message.
 *
 * An observation whose request depends on what an earlier comparison learnt (a conditional GET needs the
 * ETag and Last-Modified first seen; the next page of a listing needs the marker of the one before) is
 * sent early with what the model predicts (or what an earlier answer said), and its comparison checks
 * that prediction against what the sequential order would have sent: when they differ, it sends the
 * request again, then. Speculation saves time, it never changes what is compared.
 *
 * @module
 */

/** A comparison of answers already received with the model; throws the divergence. */
export type Compare = () => void | Promise<void>;

/**
 * One observation: sends its requests (when called) and resolves to its comparison, which runs after
 * the comparisons of every observation planned before it.
 */
export type Observation = () => Promise<Compare>;

/** The outcome of a promise, kept so that a rejection waits for its turn without going unhandled. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** A promise that never rejects: its outcome, to be looked at later. */
export function settle<T>(p: Promise<T>): Promise<Settled<T>> {
  return p.then((value) => ({ ok: true as const, value }), (error) => ({ ok: false as const, error }));
}

/** The value of a settled promise, or its error thrown. */
export function unwrap<T>(s: Settled<T>): T {
  if (!s.ok) throw s.error;
  return s.value;
}

/** Requests of one check in flight at most (the model suite's default). */
export const MODEL_REQUESTS_IN_FLIGHT = 16;

/** At most `n` tasks at once, started in the order they were asked for. */
export class Limiter {
  #free: number;
  #queue: Array<() => void> = [];

  /**
   * Creates the limiter.
   *
   * @param n Most tasks at once (at least 1).
   */
  constructor(n: number) {
    this.#free = Math.max(1, Math.floor(n));
  }

  /**
   * Runs `task` once a slot is free.
   *
   * @param task The work.
   * @returns What it returns.
   */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#queue.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.#queue.shift();
      if (next) next();
      else this.#free++;
    }
  }
}

/**
 * Sends every observation at once and compares them in the order given: the first one that diverges
 * (in that order) is thrown, once every request sent has settled (so nothing is in flight when the
 * next command runs).
 *
 * @param observations The observations, in the order their comparisons run.
 */
export async function gather(observations: readonly Observation[]): Promise<void> {
  const sent = observations.map((o) => settle(Promise.resolve().then(o)));
  try {
    for (const s of sent) await unwrap(await s)();
  } finally {
    await Promise.all(sent);
  }
}

/**
 * Walks a paginated listing with every page the model predicts requested at once: `pages` are the
 * markers of the predicted pages. The comparison walks the pages in order as a client would, each from
 * the marker the previous answer gave; a page asked for early with that marker is used as it is, any
 * other is requested then.
 *
 * @param predicted Markers of the pages the model predicts, first page first.
 * @param fetchPage Sends the request for the page at a marker.
 * @param comparePage Compares a page's answer with the model; returns the marker of the next page, or
 *   `done` when the listing ends.
 * @param maxPages Pages after which the listing counts as endless.
 * @param endless The divergence thrown for an endless listing.
 * @returns The observation.
 */
export function walkObservation<M, R>(
  predicted: readonly M[],
  fetchPage: (marker: M) => Promise<R>,
  comparePage: (marker: M, answer: R) => Promise<{ done: true } | { done: false; next: M }>,
  maxPages: number,
  endless: () => Error,
): Observation {
  return async () => {
    const early = new Map<M, Promise<Settled<R>>>();
    for (const m of predicted) if (!early.has(m)) early.set(m, settle(fetchPage(m)));
    await Promise.all(early.values());
    return async () => {
      let marker = predicted[0];
      for (let i = 0; i < maxPages; i++) {
        const got = early.get(marker);
        early.delete(marker);
        const answer = got ? unwrap(await got) : await fetchPage(marker);
        const r = await comparePage(marker, answer);
        if (r.done) return;
        marker = r.next;
      }
      throw endless();
    };
  };
}
