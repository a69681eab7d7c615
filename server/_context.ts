/**
 * The per-request context the operations receive.
 *
 * @module
 */
import type { BosProfile } from "../protocol/limits.ts";
import type { ResponseContext } from "./_http.ts";
import type { Operation, Query } from "./router.ts";
import type { Store } from "./store/types.ts";

/** Serialises async work per key (object writes that read-modify-write). */
export class KeyedLock {
  #tails = new Map<string, Promise<void>>();

  /** Runs `fn` after every earlier `run` with the same key has finished. */
  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.#tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const next = new Promise<void>((r) => release = r);
    const tail = prev.then(() => next);
    this.#tails.set(key, tail);
    await prev;
    try {
      return await fn();
    } finally {
      release();
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
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
}
