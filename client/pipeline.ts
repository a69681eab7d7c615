/**
 * The request pipeline every client operation goes through: URL building, signing, the transport
 * (fetch, or a socket of its own for large, streamed or progress-watched bodies), per-attempt timeouts, aborts, retries with backoff and
 * clock-skew correction. An operation describes its request with a {@link RequestSpec} (its method,
 * retry safety and 404 code come from the operation table) and gets the parsed result back.
 *
 * @module
 */
import { BosError } from "../protocol/errors.ts";
import { type BosProfile, DEFAULT_PROFILE } from "../protocol/profile.ts";
import type * as Operations from "../protocol/operations.ts";
import type { OperationName } from "../protocol/operations.ts";
import type { Credentials } from "../protocol/signing/sign.ts";
import { formatTimestamp } from "../protocol/signing/sign.ts";
import type { Signer } from "../protocol/signing/signer.ts";
import { parseHttpDate } from "../protocol/encoding.ts";
import {
  backoffDelay,
  isClockSkewError,
  isRejectedUnprocessed,
  isTransientError,
  type ResolvedRetryOptions,
  resolveRetryOptions,
  type RetryOptions,
} from "./retry.ts";
import { abortError, sleep } from "./_async.ts";
import type { ProgressTracker, RequestBody } from "./body.ts";
import { countingStream, isReplayable } from "./_counting.ts";
import { type Addressing, buildUrl, type Endpoint, parseEndpoint } from "./endpoint.ts";
import {
  denoProxyConfigured,
  detectStreamingUploads,
  hasXhrUploads,
  isDeno,
  isNode,
  readsBypassCache,
} from "./_runtime.ts";
import { invalid } from "./_invalid.ts";

/** A `fetch`-compatible function. */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Options every operation accepts. */
export interface RequestOptions {
  /** Cancels the operation; the promise rejects with a `BosError` of code `Aborted`. */
  signal?: AbortSignal;
}

/** Options of the `BosClient` constructor. */
export interface BosClientOptions {
  /**
   * The service endpoint: `https://bj.bcebos.com`, `bj.bcebos.com` (https is assumed when no scheme
   * is given) or `http://127.0.0.1:8080` (plain http must be written out, even for localhost).
   */
  endpoint: string;
  /** The credentials every request is signed with. */
  credentials: Credentials;
  /** Region code (`bj`, `gz`, …); informational, taken from a `<region>.bcebos.com` endpoint when omitted. */
  region?: string;
  /** URL form; default `virtual-host` for `<region>.bcebos.com` endpoints and `path` for everything else. */
  addressing?: Addressing;
  /** Retry policy for transient failures. */
  retry?: RetryOptions;
  /** Timeout of one attempt (until the response headers, and for buffered responses the whole body), in ms; default 120000. */
  timeoutMs?: number;
  /** The `fetch` to use (for instrumentation or a custom agent); default the global `fetch`. */
  fetch?: FetchLike;
  /** The limits to validate against before sending; default `DEFAULT_PROFILE`. */
  profile?: Readonly<BosProfile>;
  /** The clock used to sign requests; default `() => new Date()`. */
  now?: () => Date;
  /**
   * Whether request bodies may be sent as streams with an explicit `Content-Length` (needed for
   * byte-level upload progress). Default: detected — `true` on Node and Bun; on Deno `true` too,
   * streamed bodies then going straight to a socket of their own because Deno's `fetch` drops
   * `Content-Length` from streamed bodies and sends them chunked — unless a custom `fetch` is given,
   * in which case `false`. Browsers: `false` (their `fetch` streams request bodies only over HTTP/2); bodies with an
   * `onProgress` go through `XMLHttpRequest` there, for byte-level progress.
   */
  streamingUploads?: boolean;
}

/** One request as an operation describes it to the pipeline. */
export interface RequestSpec<T> {
  /** The operation: method, retry safety and the code of a bodyless 404 come from its table row. */
  op: OperationName;
  /** Bucket (absent for service-level requests). */
  bucket?: string;
  /** Object key (absent for bucket-level requests). */
  key?: string;
  /** Query values besides the operation's flags (decoded; `undefined` = omitted). */
  query?: Record<string, string | number | null | undefined>;
  /** Request headers. */
  headers?: Headers;
  /** Request body. */
  body?: RequestBody;
  /** Sent without a signature (the CORS preflight needs none). */
  anonymous?: boolean;
  /** Overrides the table's idempotency (an append with an offset is safe to repeat). */
  idempotent?: boolean;
  /** Cancels the request. */
  signal?: AbortSignal;
  /** Counts the body's bytes as they are sent. */
  progress?: ProgressTracker;
  /** Reads the successful response inside the attempt (under its timeout). */
  parse: (res: Response, release: () => void) => Promise<T>;
  /** The parsed result keeps reading the body after `parse` returns. */
  streaming?: boolean;
}

const DEFAULT_TIMEOUT_MS = 120_000;

/**
 * Large, streamed and progress-watched bodies on Deno and Node go straight to a socket
 * (`_socket_fetch.ts`, loaded the first time one is sent); `onSent` counts the body bytes written.
 */
const lazySocketFetch = async (
  input: string | URL | Request,
  init: RequestInit,
  onSent?: (sent: number) => void,
): Promise<Response> => (await import("./_socket_fetch.ts")).socketFetch(input, init, onSent);

/** Byte bodies from this size on take the socket transport even when no progress is watched. */
const SOCKET_BODY_MIN = 1024 * 1024;

/**
 * The shared request context of one client: endpoint, credentials, limits, transport and clock.
 * Every operation of every area is a function over it.
 */
export class Pipeline {
  /** The resolved endpoint. */
  readonly ep: Endpoint;
  /** The limits validated against before sending. */
  readonly profile: Readonly<BosProfile>;
  /** Whether request bodies are streamed with an explicit Content-Length (byte-level progress). */
  readonly streamingUploads: boolean;
  /** Whether large, streamed and progress-watched bodies go through the socket transport. */
  readonly socketTransport: boolean;
  readonly #credentials: Credentials;
  /** Signs every request (the secret compiled once, synchronous); loaded with the first request. */
  #signer: Signer | undefined;
  #signerLoading: Promise<Signer> | undefined;
  readonly #retry: ResolvedRetryOptions;
  readonly #timeoutMs: number;
  readonly #fetch: FetchLike;
  readonly #now: () => Date;
  /** Browsers: GET and HEAD skip the HTTP cache (reads reflect the server). */
  readonly #noStore: boolean;
  /** Browsers: bodies with progress go through XMLHttpRequest (byte-level upload events). */
  readonly #xhr: boolean;
  /** Milliseconds added to the local clock when signing (learned from a clock-skew error). */
  clockOffsetMs = 0;

  /**
   * Validates the options and resolves the endpoint and transport.
   *
   * @param options The client's options.
   */
  constructor(options: BosClientOptions) {
    if (!options || typeof options !== "object") throw invalid("BosClient options must be an object");
    const c = options.credentials;
    if (
      !c || typeof c.accessKeyId !== "string" || !c.accessKeyId || typeof c.secretAccessKey !== "string" ||
      !c.secretAccessKey
    ) {
      throw invalid("Credentials must have a non-empty accessKeyId and secretAccessKey");
    }
    this.ep = parseEndpoint(options.endpoint, options.addressing, options.region);
    this.#credentials = { ...c };
    this.#retry = resolveRetryOptions(options.retry);
    const t = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!(t > 0)) throw invalid(`Timeout must be a positive number of milliseconds, got ${t}`);
    this.#timeoutMs = t;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#now = options.now ?? (() => new Date());
    this.profile = options.profile ?? DEFAULT_PROFILE;
    // On Deno and Node, large, streamed and progress-watched bodies go to a socket of their own
    // (Deno's fetch cannot send a stream with Content-Length and copies byte bodies; node:http and
    // Node's fetch cost 2-3× curl's CPU per byte), unless the caller brought their own fetch or Deno
    // would use a proxy (the socket transport does not).
    this.socketTransport = options.fetch === undefined && options.streamingUploads !== false &&
      ((isDeno() && !denoProxyConfigured()) || isNode());
    this.streamingUploads = options.streamingUploads ?? (this.socketTransport || detectStreamingUploads());
    this.#noStore = readsBypassCache();
    this.#xhr = options.fetch === undefined && !this.streamingUploads && hasXhrUploads();
  }

  /** The credentials (a copy taken at construction). */
  get credentials(): Readonly<Credentials> {
    return this.#credentials;
  }

  /** Now on the service's clock, as far as the client knows it (local clock + learned offset). */
  signingTime(): Date {
    return new Date(this.#now().getTime() + this.clockOffsetMs);
  }

  /**
   * Sends a request with retries and returns what `spec.parse` made of the successful response.
   *
   * @param spec The request.
   * @returns The parsed result; fails with a `BosError`.
   */
  async send<T>(spec: RequestSpec<T>): Promise<T> {
    if (!this.#signer || !operations) await Promise.all([this.#loadSigner(), loadOperations()]);
    const signer = this.#signer!;
    const row = operations![spec.op];
    const idempotent = spec.idempotent ?? row.idempotent;
    const started = Date.now();
    const deadline = started + this.#retry.deadlineMs;
    let attempt = 0;
    let skewCorrected = false;
    for (;;) {
      if (spec.signal?.aborted) throw abortError(spec.signal);
      attempt++;
      const ac = new AbortController();
      const onAbort = () => ac.abort(spec.signal?.reason);
      spec.signal?.addEventListener("abort", onAbort, { once: true });
      let timedOut = false;
      const budget = Math.max(1, Math.min(this.#timeoutMs, deadline - Date.now()));
      const timer = setTimeout(() => {
        timedOut = true;
        ac.abort(
          new BosError({ status: 0, code: "Timeout", message: `${spec.op} timed out after ${budget} ms` }),
        );
      }, budget);
      let keepLinked = false;
      let error: BosError;
      let serverDate: string | null = null;
      let url = this.ep.protocol + "//" + this.ep.host;
      try {
        const prepared = this.#prepare(spec, row.method, ac.signal, signer);
        url = prepared.url;
        const init = prepared.init;
        const res = await (prepared.transport ?? this.#fetch)(url, init);
        if (res.ok) {
          const out = await spec.parse(res, () => spec.signal?.removeEventListener("abort", onAbort));
          keepLinked = spec.streaming === true;
          return out;
        }
        serverDate = res.headers.get("date");
        // Reading a failed response loads its module on the first failure (it is not needed up front).
        const { errorFromResponse } = await import("./_error_response.ts");
        error = await errorFromResponse(res, { op: spec.op, method: row.method, notFound: row.notFound });
      } catch (e) {
        error = await this.#classify(e, spec, url, timedOut, budget);
      } finally {
        clearTimeout(timer);
        if (!keepLinked) spec.signal?.removeEventListener("abort", onAbort);
      }
      if (error.code === "Aborted") throw error;
      const replayable = isReplayable(spec.body);
      if (isClockSkewError(error) && !skewCorrected && replayable) {
        const serverNow = parseHttpDate(serverDate);
        if (serverNow) {
          skewCorrected = true;
          this.clockOffsetMs = serverNow.getTime() - this.#now().getTime();
          continue;
        }
      }
      const retryable = replayable && (idempotent ? isTransientError(error) : isRejectedUnprocessed(error));
      if (!retryable || attempt >= this.#retry.maxAttempts) throw error;
      const delay = backoffDelay(attempt, this.#retry);
      if (Date.now() + delay >= deadline) throw error;
      await sleep(delay, spec.signal);
    }
  }

  async #classify(
    e: unknown,
    spec: RequestSpec<unknown>,
    url: string,
    timedOut: boolean,
    budget: number,
  ): Promise<BosError> {
    if (spec.signal?.aborted) return abortError(spec.signal);
    if (timedOut) {
      return new BosError({
        status: 0,
        code: "Timeout",
        message: `${spec.op} timed out after ${budget} ms`,
        cause: e,
      });
    }
    if (e instanceof BosError) return e;
    // The body's own source failed (a file that shrank): its error, not a network failure.
    if (e instanceof TypeError && e.cause instanceof BosError && e.cause.status === 0) return e.cause;
    // The words for connection failures are loaded when one happens.
    const { networkFailureMessage } = await import("./_network.ts");
    return new BosError({
      status: 0,
      code: "NetworkError",
      message: `${spec.op} failed: ${networkFailureMessage(e, url)}`,
      cause: e,
    });
  }

  /** The signer module is loaded with the first request: a client that sends nothing does not carry it. */
  #loadSigner(): Promise<Signer> {
    return this.#signerLoading ??= import("../protocol/signing/signer.ts").then(
      (m) => this.#signer = new m.Signer(this.#credentials),
      (e) => {
        this.#signerLoading = undefined; // a chunk that failed to load is asked for again next time
        throw e;
      },
    );
  }

  #prepare(
    spec: RequestSpec<unknown>,
    method: string,
    signal: AbortSignal,
    signer: Signer,
  ): { url: string; init: RequestInit; transport?: FetchLike } {
    const query = { ...flagsOf(spec.op), ...spec.query };
    const { url, host, path } = buildUrl(this.ep, spec.bucket, spec.key, query);
    const headers = new Headers(spec.headers);
    const timestamp = this.signingTime();
    if (!spec.anonymous) {
      headers.set("x-bce-date", formatTimestamp(timestamp));
      if (this.#credentials.sessionToken) headers.set("x-bce-security-token", this.#credentials.sessionToken);
    }
    let body: BodyInit | undefined;
    let duplex = false;
    let transport: FetchLike | undefined;
    const b = spec.body;
    if (b) {
      headers.set("content-length", String(b.length));
      const track = spec.progress;
      if (b.pull && !this.socketTransport) throw new TypeError("A pulled body needs the socket transport");
      if (
        this.socketTransport &&
        (b.stream || b.pull || (b.length > 0 && (track || b.length >= SOCKET_BODY_MIN)))
      ) {
        // Straight to the socket: bytes from their own memory, progress counted as writes complete.
        body = (b.pull ?? b.bytes ?? b.blob ?? b.stream) as BodyInit;
        const onSent = track && ((sent: number) => track.position(sent));
        transport = (u, i) => lazySocketFetch(u, i ?? {}, onSent || undefined);
      } else if (b.bytes) {
        if (track && this.streamingUploads && b.length > 0) {
          body = countingStream(b.bytes, (p) => track.position(p));
          duplex = true;
        } else body = b.bytes as Uint8Array<ArrayBuffer>;
      } else if (b.blob) {
        if (track && this.streamingUploads && b.length > 0) {
          body = countingStream(b.blob.stream(), (p) => track.position(p));
          duplex = true;
        } else body = b.blob;
      } else if (b.stream) {
        body = track ? countingStream(b.stream, (p) => track.position(p)) : b.stream;
        duplex = true;
      }
    } else if (method === "PUT" || method === "POST") {
      headers.set("content-length", "0");
      body = new Uint8Array(0);
    }
    if (!spec.anonymous) {
      const signed = new Headers(headers);
      signed.set("host", host);
      // The decoded query: the signer encodes it exactly as buildUrl did.
      const authorization = signer.authorization({ method, path, query, headers: signed, timestamp });
      headers.set("authorization", authorization);
    }
    const track = spec.progress;
    if (track && this.#xhr && b && b.length > 0 && !duplex && !b.stream) {
      transport = async (u, i) =>
        (await import("./_xhr_fetch.ts")).xhrFetch(String(u), i ?? {}, (loaded) => track.position(loaded));
    }
    const init: RequestInit & { duplex?: "half" } = { method, headers, body, signal, redirect: "manual" };
    if (duplex) init.duplex = "half";
    if (this.#noStore && (method === "GET" || method === "HEAD")) init.cache = "no-store";
    return { url, init, transport };
  }
}

/**
 * The operation table, loaded with the first request together with the signer: it is the largest
 * part of what the pipeline needs, and an app that only constructs a client should not pay for it.
 */
let operations: typeof Operations.OPERATION_TABLE | undefined;
let operationsLoading: Promise<typeof Operations.OPERATION_TABLE> | undefined;

function loadOperations(): Promise<typeof Operations.OPERATION_TABLE> {
  return operationsLoading ??= import("../protocol/operations.ts").then(
    (m) => operations = m.OPERATION_TABLE,
    (e) => {
      operationsLoading = undefined;
      throw e;
    },
  );
}

const FLAGS = new Map<OperationName, Record<string, null>>();

/** The bare sub-resource flags of an operation (`{ uploads: null }`), sent before any other parameter. */
function flagsOf(op: OperationName): Record<string, null> {
  let flags = FLAGS.get(op);
  if (!flags) {
    flags = {};
    for (const [name, role] of Object.entries(operations![op].query)) {
      if (role === "flag") flags[name] = null;
    }
    FLAGS.set(op, flags);
  }
  return flags;
}
