/**
 * The kit's own request layer: raw, signed requests on `createAuthorization` + `fetch`, so a check
 * can send what a client would refuse (oversized metadata, bad offsets, tampered signatures,
 * hand-made paths). Every exchange is recorded with its secrets removed.
 *
 * @module
 */
import { uriEncode } from "../protocol/encoding.ts";
import { createAuthorization, type Credentials, formatTimestamp } from "../protocol/signing/sign.ts";
import type { Addressing } from "../client/endpoint.ts";

export type { Credentials };

/**
 * How the kit addresses buckets: the client's {@link Addressing} (`path` or `virtual-host`), or
 * `virtual`, the kit's former name for `virtual-host` (deprecated, still accepted).
 */
export type KitAddressing = Addressing | "virtual";

/** The one name of an addressing style (`virtual` → `virtual-host`). */
export function normalizeAddressing(addressing: KitAddressing | undefined): Addressing | undefined {
  return addressing === "virtual" ? "virtual-host" : addressing;
}

/** One request and its response, secrets removed, as it appears in a report. */
export interface Exchange {
  /** HTTP method sent. */
  method: string;
  /** URL sent, with `authorization` and `x-bce-security-token` query values redacted. */
  url: string;
  /** Request headers sent (authorization and security token redacted). */
  requestHeaders: Record<string, string>;
  /** Length of the request body in bytes. */
  requestBodyLength: number;
  /** HTTP status received (0 when the request failed without a response). */
  status: number;
  /** Response headers received. */
  responseHeaders: Record<string, string>;
  /** The first bytes of the response body, as text. */
  bodyExcerpt: string;
  /** `x-bce-request-id` of the response. */
  requestId?: string;
  /** `x-bce-debug-id` of the response. */
  debugId?: string;
  /** Round-trip time in milliseconds. */
  durationMs: number;
}

/** A response together with its full body. */
export interface HttpResponse {
  /** HTTP status. */
  status: number;
  /** Response headers. */
  headers: Headers;
  /** The whole body. */
  body: Uint8Array;
  /** The recorded exchange. */
  exchange: Exchange;
  /** The body as UTF-8 text. */
  text(): string;
  /** The body parsed as JSON, or `undefined` when it is empty or not JSON. */
  json(): unknown;
}

/** The wire form of a request right before it is sent; `mutate` hooks may change any field. */
export interface WireRequest {
  /** HTTP method. */
  method: string;
  /** Path as sent (percent-encoded). */
  path: string;
  /** Raw query as sent, without `?` (may be empty). */
  query: string;
  /** Headers as sent (values are wire byte strings). */
  headers: Headers;
  /** The body. */
  body?: Uint8Array;
}

/** How a request is signed. */
export interface SignOptions {
  /** Credentials; default the context's. */
  credentials?: Credentials;
  /** Signature timestamp; default now (corrected by the measured clock offset). */
  timestamp?: Date;
  /** Validity in seconds; default 1800. */
  expirationInSeconds?: number;
  /**
   * Headers to sign: `"explicit"` (default: host, content-length when a body is sent, content-type,
   * content-md5 and every x-bce-* header, listed explicitly), `"default"` (an empty list, `//`), or
   * a list of names.
   */
  headersToSign?: "explicit" | "default" | string[];
  /** Where the authorization travels: the `Authorization` header (default) or the query. */
  placement?: "header" | "query";
}

/** A request as a check describes it. */
export interface RawRequest {
  /** HTTP method. */
  method: string;
  /** Bucket; default the context's; `null` for a service-level request. */
  bucket?: string | null;
  /** Object key (text); omitted for bucket-level requests. */
  key?: string;
  /** The path exactly as sent, overriding bucket and key. */
  rawPath?: string;
  /** Query: raw wire text (without `?`) or decoded pairs (`null` = bare flag). */
  query?: string | Record<string, string | number | null | undefined>;
  /** Headers, values as wire byte strings. */
  headers?: Record<string, string>;
  /** Body. */
  body?: Uint8Array | string;
  /** Signing options, or `false` for an anonymous request. */
  sign?: SignOptions | false;
  /** Changes the request after signing (tampering). */
  mutate?: (wire: WireRequest) => void;
}

const enc = new TextEncoder();
const dec = new TextDecoder();
const EXCERPT = 2000;
const SECRET_HEADERS = new Set(["authorization", "x-bce-security-token"]);

/** Thrown for requests issued after the run was stopped. */
export class RunStoppedError extends Error {
  /** Creates the error. */
  constructor() {
    super("The conformance run was stopped");
    this.name = "RunStoppedError";
  }
}

/** Thrown for requests of a check that ran out of time (`--timeout`). */
export class CheckTimeoutError extends Error {
  /** The time limit in milliseconds. */
  readonly timeoutMs: number;

  /**
   * Creates the error.
   *
   * @param timeoutMs The time limit that passed.
   */
  constructor(timeoutMs: number) {
    super(`The check did not finish within ${timeoutMs / 1000} s (--timeout)`);
    this.name = "CheckTimeoutError";
    this.timeoutMs = timeoutMs;
  }
}

/** What a write created, so that cleanup removes exactly that. */
export interface Created {
  /** Objects: bucket → keys. */
  objects: Map<string, Set<string>>;
  /** Multipart uploads: `bucket\nkey\nuploadId`. */
  uploads: Set<string>;
  /** Buckets the run created. */
  buckets: Set<string>;
}

/** Options of {@link HttpContext}. */
export interface HttpContextOptions {
  /** Base URL of the endpoint (`http://127.0.0.1:8080`). */
  endpoint: string;
  /** Credentials. */
  credentials: Credentials;
  /** The bucket checks work in. */
  bucket: string;
  /** Only keys under this prefix are ever tracked for deletion. */
  runPrefix: string;
  /** `fetch` to use; default the global one. */
  fetch?: typeof fetch;
  /**
   * `path` (`/<bucket>/<key>`) or `virtual-host` (`<bucket>.<host>/<key>`; `virtual` is a deprecated
   * alias); default `virtual-host` for a region endpoint `<region>.bcebos.com` (new BOS buckets refuse
   * path-style there), `path` otherwise.
   */
  addressing?: KitAddressing;
  /** Time limit of each cleanup request in milliseconds (default 30 000): a hung endpoint cannot hang cleanup. */
  cleanupTimeoutMs?: number;
}

/** What the contexts of one run share: what was created, the request count, the clock, the stop. */
interface RunState {
  created: Created;
  requestCount: number;
  clockOffsetMs: number;
  stopped: boolean;
  /** Every request in flight, of every context of the run. */
  inFlight: Set<AbortController>;
}

/** The run state a context made by `forCheck` adopts (set only during that constructor call). */
let handoff: RunState | undefined;

/** A request on its way, for the evidence of a check that timed out. */
interface Pending {
  wire: WireRequest;
  url: string;
  started: number;
}

/**
 * The addressing style to use for an endpoint: virtual-host for `<region>.bcebos.com`, path-style
 * for everything else (IP addresses, localhost, other hosts).
 *
 * @param endpoint The endpoint URL.
 * @returns `virtual-host` or `path`.
 */
export function defaultAddressing(endpoint: string): Addressing {
  return /^[a-z0-9-]+\.bcebos\.com$/i.test(new URL(endpoint).hostname) ? "virtual-host" : "path";
}

/**
 * Sends raw signed requests to one endpoint, records every exchange and tracks everything the run
 * creates. One context is made per run; {@link HttpContext.forCheck} gives each check its own view
 * (its own exchange log, in-flight requests and time limit) onto the same run state, so checks can
 * run concurrently without mixing their evidence.
 */
export class HttpContext {
  /** Base URL without a trailing slash. */
  readonly endpoint: string;
  /** `host[:port]` as signed. */
  readonly host: string;
  /** Credentials. */
  readonly credentials: Credentials;
  /** The bucket checks work in. */
  bucket: string;
  /** Keys the run creates start with this. */
  readonly runPrefix: string;
  /** Exchanges of this context (most recent last; capped). */
  exchanges: Exchange[] = [];
  /** Addressing style. */
  readonly addressing: Addressing;
  #options: HttpContextOptions;
  #fetch: typeof fetch;
  #state: RunState;
  #own = new Set<AbortController>();
  #pending = new Set<Pending>();
  #halt: Error | undefined;

  /**
   * Creates a context.
   *
   * @param options Endpoint, credentials, bucket and run prefix.
   */
  constructor(options: HttpContextOptions) {
    const url = new URL(options.endpoint);
    this.#options = options;
    this.endpoint = url.origin;
    this.host = url.host;
    this.credentials = options.credentials;
    this.bucket = options.bucket;
    this.runPrefix = options.runPrefix;
    this.#fetch = options.fetch ?? fetch;
    this.addressing = normalizeAddressing(options.addressing) ?? defaultAddressing(options.endpoint);
    this.#state = handoff ?? {
      created: { objects: new Map(), uploads: new Set(), buckets: new Set() },
      requestCount: 0,
      clockOffsetMs: 0,
      stopped: false,
      inFlight: new Set(),
    };
  }

  /**
   * A view of this run for one check: same endpoint, credentials, bucket, run state and tracking of
   * what was created, but its own exchange log and its own {@link HttpContext.halt}.
   *
   * @returns The check's context.
   */
  forCheck(): HttpContext {
    handoff = this.#state;
    try {
      return new HttpContext({ ...this.#options, bucket: this.bucket });
    } finally {
      handoff = undefined;
    }
  }

  /** Everything created and not yet removed (shared by every context of the run). */
  get created(): Created {
    return this.#state.created;
  }

  /** Number of requests sent by every context of the run. */
  get requestCount(): number {
    return this.#state.requestCount;
  }

  /** Milliseconds to add to the local clock to get the endpoint's clock (shared by the run). */
  get clockOffsetMs(): number {
    return this.#state.clockOffsetMs;
  }

  set clockOffsetMs(ms: number) {
    this.#state.clockOffsetMs = ms;
  }

  /** The origin requests about `bucket` go to (`https://<bucket>.<host>` with virtual-host addressing). */
  originOf(bucket: string | null): string {
    if (this.addressing === "path" || bucket === null) return this.endpoint;
    const url = new URL(this.endpoint);
    return `${url.protocol}//${bucket}.${url.host}`;
  }

  /** The Host header of requests about `bucket`. */
  hostOf(bucket: string | null): string {
    return new URL(this.originOf(bucket)).host;
  }

  /**
   * Stops the whole run: every context refuses further requests (except `cleanup` ones) and the
   * requests in flight are aborted.
   */
  stop(): void {
    this.#state.stopped = true;
    for (const c of this.#state.inFlight) c.abort(new RunStoppedError());
  }

  /** Whether the run was stopped ({@link HttpContext.stop}). */
  get stopped(): boolean {
    return this.#state.stopped;
  }

  /**
   * Stops this context only (a check out of time): its requests in flight are aborted and its
   * further requests throw `reason`; other checks of the run go on.
   *
   * @param reason The error its requests throw from now on.
   */
  halt(reason: Error): void {
    this.#halt ??= reason;
    for (const c of this.#own) c.abort(reason);
  }

  /**
   * The requests of this context still waiting for an answer, as exchanges with status 0 (the
   * evidence of a check that timed out).
   *
   * @returns The pending exchanges, oldest first.
   */
  pendingExchanges(): Exchange[] {
    return [...this.#pending].map((p) => {
      const e = this.#exchangeOf(p.wire, p.url, undefined, new Uint8Array(), p.started);
      e.bodyExcerpt = `(no response after ${Math.round(performance.now() - p.started)} ms)`;
      return e;
    });
  }

  #refusal(): Error | undefined {
    if (this.#state.stopped) return new RunStoppedError();
    return this.#halt;
  }

  /** The path of a bucket or object (relative to {@link originOf}), key encoded with UriEncodeExceptSlash. */
  pathOf(bucket: string | null, key?: string): string {
    if (bucket === null) return "/";
    if (this.addressing === "virtual-host") return key === undefined ? "/" : `/${uriEncode(key, true)}`;
    if (key === undefined) return `/${bucket}`;
    return `/${bucket}/${uriEncode(key, true)}`;
  }

  /**
   * Sends a request and records the exchange.
   *
   * @param request What to send.
   * @param internal Cleanup requests still run after {@link stop}.
   * @returns The response with its whole body.
   */
  async send(request: RawRequest, internal = false): Promise<HttpResponse> {
    const refusal = internal ? undefined : this.#refusal();
    if (refusal) throw refusal;
    const bucket = request.bucket === undefined ? this.bucket : request.bucket;
    const path = request.rawPath ?? this.pathOf(bucket, request.key);
    const query = typeof request.query === "string" ? request.query : encodeQuery(request.query);
    const body = typeof request.body === "string" ? enc.encode(request.body) : request.body;
    const headers = new Headers();
    for (const [k, v] of Object.entries(request.headers ?? {})) headers.set(k, v);
    const sign = request.sign === undefined ? {} : request.sign;
    const wire: WireRequest = { method: request.method, path, query, headers, body };
    if (sign !== false) await this.#sign(wire, sign, this.hostOf(bucket));
    request.mutate?.(wire);
    const tracked = this.#track(request, bucket, wire);
    const url = this.originOf(bucket) + wire.path + (wire.query ? "?" + wire.query : "");
    const controller = new AbortController();
    const started = performance.now();
    const pending: Pending = { wire, url, started };
    this.#state.inFlight.add(controller);
    this.#own.add(controller);
    this.#pending.add(pending);
    const timer = internal
      ? setTimeout(
        () => controller.abort(new Error("No response within the cleanup time limit")),
        this.#options.cleanupTimeoutMs ?? 30_000,
      )
      : undefined;
    const done = () => {
      clearTimeout(timer);
      this.#state.inFlight.delete(controller);
      this.#own.delete(controller);
      this.#pending.delete(pending);
    };
    let res: Response;
    let bytes: Uint8Array;
    try {
      res = await this.#fetch(url, {
        method: wire.method,
        headers: wire.headers,
        body: wire.body && !(wire.method === "GET" || wire.method === "HEAD")
          ? wire.body as Uint8Array<ArrayBuffer>
          : undefined,
        redirect: "manual",
        signal: controller.signal,
      });
      bytes = new Uint8Array(await res.arrayBuffer());
    } catch (e) {
      done();
      const stop = internal ? undefined : this.#refusal();
      if (stop) throw stop;
      const exchange = this.#record(wire, url, undefined, new Uint8Array(), started);
      throw Object.assign(new Error(`Request failed without a response: ${describeFetchError(e)}`), {
        exchange,
        cause: e,
      });
    }
    done();
    const exchange = this.#record(wire, url, res, bytes, started);
    this.#untrack(request, bucket, wire, res.status);
    // A refused write to a key the run had not created yet created nothing.
    if (tracked && res.status >= 400 && bucket !== null) {
      this.created.objects.get(bucket)?.delete(request.key!);
    }
    return {
      status: res.status,
      headers: res.headers,
      body: bytes,
      exchange,
      text: () => dec.decode(bytes),
      json: () => {
        if (bytes.length === 0) return undefined;
        try {
          return JSON.parse(dec.decode(bytes));
        } catch {
          return undefined;
        }
      },
    };
  }

  async #sign(wire: WireRequest, sign: SignOptions, host: string): Promise<void> {
    const credentials = sign.credentials ?? this.credentials;
    const timestamp = sign.timestamp ?? this.now();
    if (!wire.headers.has("x-bce-date")) wire.headers.set("x-bce-date", formatTimestamp(timestamp));
    if (credentials.sessionToken !== undefined && sign.placement !== "query") {
      wire.headers.set("x-bce-security-token", credentials.sessionToken);
    }
    const signed = new Headers(wire.headers);
    signed.set("host", host);
    if (wire.body && wire.body.length > 0) signed.set("content-length", String(wire.body.length));
    let headersToSign: string[] | undefined;
    if (Array.isArray(sign.headersToSign)) headersToSign = sign.headersToSign;
    else if (sign.headersToSign === "default") headersToSign = undefined;
    else {
      headersToSign = [];
      signed.forEach((v, name) => {
        if (v.trim() === "") return;
        if (
          name === "host" || name === "content-length" || name === "content-type" ||
          name === "content-md5" || name.startsWith("x-bce-")
        ) headersToSign!.push(name);
      });
    }
    let query = wire.query;
    if (sign.placement === "query" && credentials.sessionToken !== undefined) {
      query += (query ? "&" : "") + "x-bce-security-token=" + uriEncode(credentials.sessionToken);
      wire.query = query;
    }
    let authorization = await createAuthorization({
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      method: wire.method,
      path: wire.path,
      query,
      headers: signed,
      headersToSign,
      timestamp,
      expirationInSeconds: sign.expirationInSeconds,
    });
    if (sign.headersToSign === "default") {
      // The default set written as an empty signedHeaders field (`//`), as the Java and Python SDKs do.
      const parts = authorization.split("/");
      parts[4] = "";
      authorization = parts.join("/");
    }
    if (sign.placement === "query") {
      wire.query = (query ? query + "&" : "") + "authorization=" + uriEncode(authorization);
    } else {
      wire.headers.set("authorization", authorization);
    }
  }

  /** The endpoint's clock as best known. */
  now(): Date {
    return new Date(Date.now() + this.clockOffsetMs);
  }

  #record(
    wire: WireRequest,
    url: string,
    res: Response | undefined,
    body: Uint8Array,
    started: number,
  ): Exchange {
    const exchange = this.#exchangeOf(wire, url, res, body, started);
    this.#state.requestCount++;
    this.exchanges.push(exchange);
    if (this.exchanges.length > 50) this.exchanges.splice(0, this.exchanges.length - 50);
    return exchange;
  }

  #exchangeOf(
    wire: WireRequest,
    url: string,
    res: Response | undefined,
    body: Uint8Array,
    started: number,
  ): Exchange {
    const requestHeaders: Record<string, string> = {};
    wire.headers.forEach((v, k) => {
      requestHeaders[k] = SECRET_HEADERS.has(k) ? "REDACTED" : v;
    });
    const responseHeaders: Record<string, string> = {};
    res?.headers.forEach((v, k) => {
      responseHeaders[k] = SECRET_HEADERS.has(k) ? "REDACTED" : v;
    });
    const exchange: Exchange = {
      method: wire.method,
      url: redactUrl(url),
      requestHeaders,
      requestBodyLength: wire.body?.length ?? 0,
      status: res?.status ?? 0,
      responseHeaders,
      bodyExcerpt: excerpt(body),
      requestId: res?.headers.get("x-bce-request-id") ?? undefined,
      debugId: res?.headers.get("x-bce-debug-id") ?? undefined,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    };
    return exchange;
  }

  #track(request: RawRequest, bucket: string | null, wire: WireRequest): boolean {
    if (bucket === null) return false;
    const m = wire.method.toUpperCase();
    if (request.key !== undefined && (m === "PUT" || m === "POST")) {
      if (!request.key.startsWith(this.runPrefix)) return false;
      const q = typeof request.query === "string" ? request.query : encodeQuery(request.query);
      // Initiating an upload creates no object yet; everything else may.
      if (/(^|&)uploads(=|&|$)/.test(q)) return false;
      let set = this.created.objects.get(bucket);
      if (!set) this.created.objects.set(bucket, set = new Set());
      if (set.has(request.key)) return false;
      set.add(request.key);
      return true;
    }
    return false;
  }

  #untrack(request: RawRequest, bucket: string | null, wire: WireRequest, status: number): void {
    if (bucket === null || request.key === undefined) return;
    if (wire.method.toUpperCase() === "DELETE" && !/uploadId=/.test(wire.query)) {
      if (status === 204 || status === 200 || status === 404) {
        this.created.objects.get(bucket)?.delete(request.key);
      }
    }
  }

  /** Records a multipart upload the run started. */
  trackUpload(bucket: string, key: string, uploadId: string): void {
    this.created.uploads.add(`${bucket}\n${key}\n${uploadId}`);
  }

  /** Forgets a multipart upload that was completed or aborted. */
  untrackUpload(bucket: string, key: string, uploadId: string): void {
    this.created.uploads.delete(`${bucket}\n${key}\n${uploadId}`);
  }

  /** Forgets an object. */
  untrackObject(bucket: string, key: string): void {
    this.created.objects.get(bucket)?.delete(key);
  }

  /**
   * What the run created and has not removed: buckets, objects (by bucket) and multipart uploads.
   *
   * @returns Sentences, one per bucket, upload or object; empty when nothing is left.
   */
  leftBehind(): string[] {
    const out: string[] = [];
    for (const [bucket, keys] of this.created.objects) {
      for (const key of keys) out.push(`object ${JSON.stringify(key)} in bucket ${bucket}`);
    }
    for (const entry of this.created.uploads) {
      const [bucket, key, uploadId] = entry.split("\n");
      out.push(`multipart upload ${uploadId} of ${JSON.stringify(key)} in bucket ${bucket}`);
    }
    for (const bucket of this.created.buckets) out.push(`bucket ${bucket}`);
    return out;
  }

  /**
   * Removes everything the run created and is still tracked: aborts uploads, deletes objects (only
   * keys under the run prefix), then deletes buckets the run created. Requests go 16 at a time, each
   * with a time limit; once the endpoint stops answering, the rest is left and reported.
   *
   * @returns What could not be removed, as sentences.
   */
  async cleanup(): Promise<string[]> {
    const problems: string[] = [];
    let unreachable: string | undefined;
    const attempt = async (what: string, request: RawRequest, ok: (status: number) => boolean) => {
      if (unreachable) return false;
      try {
        const r = await this.send(request, true);
        if (ok(r.status)) return true;
        problems.push(`${what} answered ${r.status}`);
      } catch (e) {
        unreachable ??= `${what} failed: ${e instanceof Error ? e.message : String(e)}`;
      }
      return false;
    };
    await pool([...this.created.uploads], 16, async (entry) => {
      const [bucket, key, uploadId] = entry.split("\n");
      const done = await attempt(
        `Abort of upload ${uploadId} on ${key}`,
        { method: "DELETE", bucket, key, query: { uploadId } },
        (s) => s < 300 || s === 404,
      );
      if (done) this.created.uploads.delete(entry);
    });
    for (const [bucket, keys] of this.created.objects) {
      const list = [...keys].filter((k) => k.startsWith(this.runPrefix));
      await pool(list, 16, async (key) => {
        await attempt(`Delete of ${key}`, { method: "DELETE", bucket, key }, (s) => s < 300 || s === 404);
      });
    }
    // A write the run gave up on (stopped, timed out) may still land after its key was deleted, and an
    // initiate whose answer never came leaves an upload nobody knows the id of: so every bucket the run
    // wrote to is swept for what remains under the run's own prefix (nothing else is touched), and a
    // bucket the run created is swept again while its delete answers 409.
    const touched = new Set([
      ...this.created.buckets,
      ...this.created.objects.keys(),
      ...[...this.created.uploads].map((u) => u.split("\n")[0]),
    ]);
    for (const bucket of touched) {
      if (!unreachable) await this.#sweep(bucket, attempt);
    }
    for (const bucket of [...this.created.buckets]) {
      for (let round = 0;; round++) {
        const what = `Delete of bucket ${bucket}`;
        const done = await attempt(what, { method: "DELETE", bucket }, (s) => s < 300 || s === 404);
        if (done) {
          this.created.buckets.delete(bucket);
          break;
        }
        const last = problems.at(-1);
        if (unreachable || round === 3 || last !== `${what} answered 409`) break;
        problems.pop();
        await new Promise((r) => setTimeout(r, 100 * 2 ** round));
        await this.#sweep(bucket, attempt);
      }
    }
    if (unreachable) {
      problems.push(`${unreachable}; cleanup stopped, left behind: ${this.leftBehind().join("; ")}`);
    }
    return problems;
  }

  /**
   * Deletes the objects and aborts the multipart uploads under the run prefix in `bucket`, found by
   * listing it (a page of 1000 at a time, at most 20 pages of each).
   */
  async #sweep(
    bucket: string,
    attempt: (what: string, request: RawRequest, ok: (status: number) => boolean) => Promise<boolean>,
  ): Promise<void> {
    const ok = (s: number) => s < 300 || s === 404;
    const list = async (query: Record<string, string | null>) => {
      try {
        const r = await this.send({ method: "GET", bucket, query }, true);
        return r.status === 200 ? r.json() as Record<string, unknown> | undefined : undefined;
      } catch {
        return undefined;
      }
    };
    let marker = "";
    for (let page = 0; page < 20; page++) {
      const body = await list({ prefix: this.runPrefix, maxKeys: "1000", ...(marker ? { marker } : {}) });
      const keys = (Array.isArray(body?.contents) ? body.contents : [])
        .map((c: { key?: unknown }) => c?.key)
        .filter((k): k is string => typeof k === "string" && k.startsWith(this.runPrefix));
      await pool(keys, 16, async (key) => {
        if (await attempt(`Delete of ${key}`, { method: "DELETE", bucket, key }, ok)) {
          this.created.objects.get(bucket)?.delete(key);
        }
      });
      if (body?.isTruncated !== true || typeof body.nextMarker !== "string" || keys.length === 0) break;
      marker = body.nextMarker;
    }
    let keyMarker = "";
    for (let page = 0; page < 20; page++) {
      const body = await list({
        uploads: null,
        prefix: this.runPrefix,
        maxUploads: "1000",
        ...(keyMarker ? { keyMarker } : {}),
      });
      const uploads = (Array.isArray(body?.uploads) ? body.uploads : [])
        .filter((u: { key?: unknown; uploadId?: unknown }) =>
          typeof u?.key === "string" && u.key.startsWith(this.runPrefix) && typeof u.uploadId === "string"
        ) as Array<{ key: string; uploadId: string }>;
      await pool(uploads, 16, async ({ key, uploadId }) => {
        const what = `Abort of upload ${uploadId} on ${key}`;
        if (await attempt(what, { method: "DELETE", bucket, key, query: { uploadId } }, ok)) {
          this.created.uploads.delete(`${bucket}\n${key}\n${uploadId}`);
        }
      });
      if (body?.isTruncated !== true || typeof body.nextKeyMarker !== "string" || uploads.length === 0) break;
      keyMarker = body.nextKeyMarker;
    }
  }
}

/**
 * Encodes decoded query pairs for the wire: `UriEncode(key)=UriEncode(value)`, a `null` value as a
 * bare key, `undefined` omitted.
 *
 * @param query Decoded pairs.
 * @returns The raw query without `?`.
 */
export function encodeQuery(query?: Record<string, string | number | null | undefined>): string {
  if (!query) return "";
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    parts.push(v === null ? uriEncode(k) : `${uriEncode(k)}=${uriEncode(String(v))}`);
  }
  return parts.join("&");
}

/**
 * Redacts the `authorization` and `x-bce-security-token` query values of a URL.
 *
 * @param url A URL as sent.
 * @returns The URL with those values replaced by `REDACTED`.
 */
export function redactUrl(url: string): string {
  return url.replace(/([?&](?:authorization|x-bce-security-token)=)[^&#]*/gi, "$1REDACTED");
}

/**
 * The system's reason a request failed, from an error `fetch` threw: the innermost cause
 * (`Connection refused`, `dns error: …`, `invalid peer certificate: UnknownIssuer`) when there is one.
 *
 * @param e What fetch threw.
 * @returns One line.
 */
export function describeFetchError(e: unknown): string {
  const messages: string[] = [];
  let cur: unknown = e;
  for (let i = 0; i < 6 && cur !== undefined && cur !== null; i++) {
    const m = cur instanceof Error ? cur.message : String(cur);
    if (m && !messages.includes(m)) messages.push(m);
    cur = cur instanceof Error ? cur.cause : undefined;
  }
  const generic = /^(fetch failed|TypeError: fetch failed)$/i;
  const useful = messages.filter((m) => !generic.test(m));
  return (useful.at(-1) ?? messages[0] ?? "unknown error")
    .replace(/error sending request for url \([^)]*\):\s*/i, "")
    .replace(/client error \(\w+\):\s*/i, "")
    .replace(/\s+/g, " ");
}

function excerpt(body: Uint8Array): string {
  const text = dec.decode(body.subarray(0, EXCERPT));
  return body.length > EXCERPT ? text + `… (${body.length} bytes)` : text;
}

/**
 * Runs `fn` over `items` with at most `limit` in flight.
 *
 * @param items Inputs.
 * @param limit Concurrency.
 * @param fn Work per item.
 */
export async function pool<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]);
    }
  });
  await Promise.all(workers);
}
