/**
 * The appender: log-style writes to an appendable object that track the offset and recover from
 * `OffsetIncorrect` (a write that landed although its answer was lost is recognised, not repeated).
 *
 * @module
 */
import type { ObjectHeaderOptions, ObjectMeta } from "../object_headers.ts";
import type {
  AppendObjectOptions,
  AppendObjectResult,
  GetObjectOptions,
  GetObjectResult,
  HeadObjectOptions,
} from "../objects.ts";
import type { RequestOptions } from "../pipeline.ts";

/**
 * Options of `client.appender`.
 */
export interface AppenderOptions extends ObjectHeaderOptions {
  /** The current length of the object, when known (skips the first HEAD). */
  offset?: number;
}

/** What an {@link Appender} needs of a client (a `BosClient` has all of it). */
export interface AppenderClient {
  /** HeadObject. */
  headObject(bucket: string, key: string, options?: HeadObjectOptions): Promise<ObjectMeta>;
  /** AppendObject. */
  appendObject(
    bucket: string,
    key: string,
    body: Uint8Array | string | Blob,
    options?: AppendObjectOptions,
  ): Promise<AppendObjectResult>;
  /** GetObject. */
  getObject(bucket: string, key: string, options?: GetObjectOptions): Promise<GetObjectResult>;
}

/**
 * Log-style writes to an appendable object: tracks the offset, creates the object on the first
 * write when it does not exist, serialises concurrent `append` calls, and recovers from
 * `OffsetIncorrect`: it reads the current length with HEAD, recognises its own earlier write that
 * landed although the answer was lost (by reading those bytes back), and otherwise appends after
 * whatever another writer added.
 *
 * @example
 * ```ts
 * import { BosClient } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve();
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * const log = client.appender("my-bucket", "app.log", { contentType: "text/plain" });
 * await log.append("started\n");
 * await log.append("ready\n");
 * assert.equal(log.offset, 14);
 * assert.equal(await (await client.getObject("my-bucket", "app.log")).text(), "started\nready\n");
 * await server.close();
 * ```
 */
export class Appender {
  #offset: number | undefined;
  #chain: Promise<unknown> = Promise.resolve();

  /**
   * Creates an appender (no request is sent until the first append).
   *
   * @param client The client (any {@link AppenderClient}; a `BosClient` is one).
   * @param bucket Bucket name.
   * @param key Object key.
   * @param options Headers for creation and the known offset.
   */
  constructor(
    readonly client: AppenderClient,
    readonly bucket: string,
    readonly key: string,
    readonly options: AppenderOptions = {},
  ) {
    this.#offset = options.offset;
  }

  /**
   * The offset of the next append (the object length), once known: from the last answer's
   * `x-bce-next-append-offset`, else learnt with HEAD before the next append.
   *
   * @example Unknown until the first append (or a given starting offset)
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import assert from "node:assert/strict";
   *
   * const client = new BosClient({ endpoint: "http://127.0.0.1:8080", credentials: { accessKeyId: "ak", secretAccessKey: "sk" } });
   * assert.equal(client.appender("my-bucket", "a.log").offset, undefined);
   * assert.equal(client.appender("my-bucket", "a.log", { offset: 42 }).offset, 42);
   * ```
   */
  get offset(): number | undefined {
    return this.#offset;
  }

  /**
   * Appends bytes (text is UTF-8).
   *
   * @param data The bytes.
   * @param options Signal.
   * @returns ETag and next offset.
   *
   * @example
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const server = await serve();
   * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
   * await client.createBucket("my-bucket");
   * const log = client.appender("my-bucket", "app.log");
   * const r = await log.append("line\n");
   * assert.equal(r.nextAppendOffset, log.offset);
   * assert.equal(log.offset, 5);
   * await server.close();
   * ```
   */
  append(data: Uint8Array | string, options: RequestOptions = {}): Promise<AppendObjectResult> {
    const run = this.#chain.then(() =>
      this.#append(typeof data === "string" ? new TextEncoder().encode(data) : data, options)
    );
    this.#chain = run.catch(() => {});
    return run;
  }

  async #append(bytes: Uint8Array, options: RequestOptions): Promise<AppendObjectResult> {
    // The recovery logic loads on first use (it is most of the appender's code).
    const { appendTracked } = await import("./_append.ts");
    const { result, offset } = await appendTracked(this, this.#offset, bytes, options);
    this.#offset = offset;
    return result;
  }
}
