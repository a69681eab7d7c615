/**
 * The per-request context the operations receive.
 *
 * @module
 */
import type { BosProfile } from "../protocol/limits.ts";
import type { ResponseContext } from "./_http.ts";
import type { Operation, Query } from "./router.ts";
import type { Store } from "./store/types.ts";

interface LockState {
  /** Holders now: one exclusive, or any number of shared. */
  holders: number;
  exclusive: boolean;
  /** Waiting, first come first served (a waiting exclusive holder stops later shared ones). */
  queue: Array<{ exclusive: boolean; enter: () => void }>;
}

/**
 * Per-key locks for the operations' check-then-act steps: `run` holds a key exclusively, `shared`
 * alongside other shared holders (bucket-level: commits into a bucket share it, DeleteBucket takes it
 * alone). Waiters are served in arrival order.
 *
 * Lock order, so that no cycle can form: upload → object → bucket; whoever holds a bucket key never
 * waits for another lock.
 */
export class KeyedLock {
  #keys = new Map<string, LockState>();

  /** Runs `fn` holding `key` alone. */
  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.#hold(key, true, fn);
  }

  /** Runs `fn` holding `key` together with other shared holders (never with an exclusive one). */
  shared<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.#hold(key, false, fn);
  }

  async #hold<T>(key: string, exclusive: boolean, fn: () => Promise<T>): Promise<T> {
    let state = this.#keys.get(key);
    if (!state) this.#keys.set(key, state = { holders: 0, exclusive: false, queue: [] });
    if (state.holders === 0 || (!exclusive && !state.exclusive && state.queue.length === 0)) {
      state.holders++;
      state.exclusive = exclusive;
    } else {
      await new Promise<void>((enter) => state.queue.push({ exclusive, enter }));
    }
    try {
      return await fn();
    } finally {
      this.#release(key, state);
    }
  }

  #release(key: string, state: LockState): void {
    state.holders--;
    if (state.holders > 0) return;
    state.exclusive = false;
    while (state.queue.length > 0) {
      const next = state.queue[0];
      if (state.holders > 0 && (next.exclusive || state.exclusive)) break;
      state.queue.shift();
      state.holders++;
      state.exclusive = next.exclusive;
      next.enter();
      if (next.exclusive) break;
    }
    if (state.holders === 0 && state.queue.length === 0) this.#keys.delete(key);
  }
}

/** Everything an operation needs. */
export interface OpContext extends ResponseContext {
  /** The request. */
  req: Request;
  /** Request headers. */
  headers: Headers;
  /** The operation. */
  operation: Operation;
  /** Bucket name as sent (service-level requests have none). */
  bucket?: string;
  /** Object key (empty for bucket-level requests). */
  key: string;
  /** Decoded query parameters. */
  query: Query;
  /** Storage. */
  store: Store;
  /** Limits. */
  profile: BosProfile;
  /** Region of new buckets. */
  region: string;
  /** Object-level write serialisation. */
  lock: KeyedLock;
  /** Owner reported in listings. */
  owner: { id: string; displayName: string };
  /** The request came over a connection (HTTP/1.1 framing: no Content-Length, no Transfer-Encoding, no body). */
  fromSocket: boolean;
}
