/**
 * The boskit reference server: a faithful, local BOS-compatible endpoint. One fetch-style handler,
 * `(req: Request) => Promise<Response>`, runs under `Deno.serve`, `Bun.serve`, Node's `node:http`, or
 * in-process.
 *
 * @example In-process, no socket
 * ```ts
 * import { createHandler, LOCAL_CREDENTIALS } from "@boskit/boskit/server";
 * import { createAuthorization } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * const handler = createHandler();
 * const headers = { host: "127.0.0.1", "x-bce-date": new Date().toISOString().replace(/\.\d+Z$/, "Z") };
 * const authorization = await createAuthorization({ ...LOCAL_CREDENTIALS, method: "PUT", path: "/my-bucket", headers, timestamp: new Date() });
 * const res = await handler(new Request("http://127.0.0.1/my-bucket", { method: "PUT", headers: { ...headers, authorization } }));
 * assert.equal(res.status, 200);
 * assert.equal(res.headers.get("location"), "bj");
 * await handler.close();
 * ```
 *
 * @module
 */
import { type BosProfile, DEFAULT_PROFILE } from "../protocol/limits.ts";
import { isWellFormedPercentEncoding } from "../protocol/encoding.ts";
import { authenticate } from "./auth.ts";
import { type CorsRule, parseCorsConfiguration } from "../protocol/cors.ts";
import { corsRulesFor, preflight, withCorsHeaders } from "./_cors.ts";
import type { Credentials } from "../protocol/signing/sign.ts";
import { OPERATION_TABLE } from "../protocol/operations.ts";
import { drainBody, parseJson, readSmallBody } from "./_body.ts";
import { KeyedLock, type OpContext } from "./_context.ts";
import { BosHttpError, emptyResponse, errorResponse, jsonResponse, type ResponseContext } from "./_http.ts";
import {
  faultError,
  FaultRegistry,
  type FaultRegistry as FaultRegistryType,
  limitBody,
  resetBody,
} from "./faults.ts";
import { dispatch } from "./_dispatch.ts";
import { nodeServe } from "./_node_serve.ts";
import { parseQuery, resolveOperation, resolveTarget, splitRawUrl } from "./router.ts";
import { createMemoryStore } from "./store/memory.ts";
import { openFsStore } from "./store/fs.ts";
import { CommittedError } from "./store/_index.ts";
import type { Store } from "./store/types.ts";

export type { AuthRequest, Credential } from "./auth.ts";
export type { Credentials } from "../protocol/signing/sign.ts";
export { authenticate } from "./auth.ts";
export { FaultRegistry, parseFault } from "./faults.ts";
export type { BosProfile } from "../protocol/limits.ts";
export type { ConsumedFault, Fault, FaultMatch, FaultPlan, FaultRequest } from "./faults.ts";
export {
  OPERATIONS,
  parseQuery,
  percentDecode,
  resolveOperation,
  resolveTarget,
  splitRawUrl,
  UNSUPPORTED_SUBRESOURCES,
} from "./router.ts";
export type { Operation, Query, RawTarget, Target } from "./router.ts";
export { createMemoryStore } from "./store/memory.ts";
export { openFsStore } from "./store/fs.ts";
export type { FsStoreOptions } from "./store/fs.ts";
export { NODE_FS_IO } from "./store/_fs_io.ts";
export type { FsFile, FsIo } from "./store/_fs_io.ts";
export type {
  BlobSink,
  BucketRecord,
  ObjectHeaders,
  ObjectRecord,
  PartRecord,
  Segment,
  Store,
  UploadRecord,
} from "./store/types.ts";

/**
 * The documented local test keys, accepted by default.
 *
 * @example
 * ```ts
 * import { LOCAL_CREDENTIALS } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * assert.equal(LOCAL_CREDENTIALS.accessKeyId, "boskit-local-ak");
 * ```
 */
export const LOCAL_CREDENTIALS: Readonly<{ accessKeyId: string; secretAccessKey: string }> = Object.freeze({
  accessKeyId: "boskit-local-ak",
  secretAccessKey: "boskit-local-sk",
});

/** Options of {@link createHandler}. */
export interface ServerOptions {
  /** Accepted credentials (a temporary key pair's requests must carry its `sessionToken`); default `[LOCAL_CREDENTIALS]`. */
  credentials?: Credentials[];
  /** Region of new buckets (`Location`, `locationConstraint`); default `bj`. */
  region?: string;
  /** Store data in this directory (filesystem backend); default in memory. */
  dataDir?: string;
  /**
   * With `dataDir`: make every acknowledged write durable — data, records and directory entries are
   * flushed to the disk (fsync) before the 2xx answer, so it survives a power loss, not only a crash.
   * Default `true`; `false` (`--no-fsync`) is for throwaway test servers.
   */
  durable?: boolean;
  /** Use this store instead (overrides `dataDir`). */
  store?: Store;
  /** Limits; default `DEFAULT_PROFILE`. */
  profile?: BosProfile;
  /** Enable fault injection and the `/_boskit/*` control endpoints; default `false`. */
  faults?: boolean;
  /** The server clock; default `() => new Date()`. */
  now?: () => Date;
  /** Domain for virtual-host addressing: `<bucket>.<baseDomain>` (e.g. `localhost`); `<bucket>.<region>.bcebos.com` always works. */
  baseDomain?: string;
  /** How far ahead of the server clock a request timestamp may be; default `profile.clockSkewSeconds` (900). */
  clockSkewSeconds?: number;
  /** Owner reported by listings; default `{ id: "boskit0000000000000000000000owner", displayName: "boskit" }`. */
  owner?: { id: string; displayName: string };
  /** Called with unexpected errors (answered 500 InternalError); default `console.error`. */
  onInternalError?: (err: unknown, req: Request) => void;
  /**
   * CORS rules for every bucket that has none of its own, and for requests outside any existing
   * bucket (ListBuckets, PutBucket of a new bucket): for local development,
   * `openCorsRules()` (from `@boskit/boskit/protocol`) allows every origin, method and header and
   * exposes every response header. A bucket's own rules (PutBucketCors) take precedence. Default none.
   */
  cors?: readonly CorsRule[];
}

/** The handler: a fetch-style function with a few members. */
export interface BosHandler {
  /**
   * Answers one request. Never rejects. `info.signal`, when given, aborts when the client is gone
   * or the response is delivered (`serve()` derives it from the `node:http` response's `close`
   * event); otherwise `req.signal` is used.
   */
  (req: Request, info?: HandlerInfo): Promise<Response>;
  /** Resolves when the store is open (the filesystem backend loads its records). */
  readonly ready: Promise<void>;
  /** Wipes every bucket, object, upload and fault plan. */
  reset(): Promise<void>;
  /** The fault registry (`undefined` unless `faults: true`). */
  readonly faults: FaultRegistryType | undefined;
  /** Ends stalled responses and closes the store. */
  close(): Promise<void>;
}

const DEFAULT_OWNER = { id: "b05c17000000000000000000000000aa", displayName: "boskit" };
const MAX_HEADER_BYTES = 64 * 1024;
const MAX_CONTROL_BODY = 1024 * 1024;
const CLOSE_GRACE_MS = 3000;

/**
 * Creates the request handler.
 *
 * @param options Credentials, region, storage, limits, faults, clock, addressing.
 * @returns The handler.
 *
 * @example
 * ```ts
 * import { createHandler } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const handler = createHandler({ region: "gz" });
 * const res = await handler(new Request("http://127.0.0.1/"));
 * assert.equal(res.status, 403); // anonymous ListBuckets
 * assert.equal((await res.json()).code, "AccessDenied");
 * await handler.close();
 * ```
 */
export function createHandler(options: ServerOptions = {}): BosHandler {
  const credentials = options.credentials ?? [{ ...LOCAL_CREDENTIALS }];
  const region = options.region ?? "bj";
  const profile = options.profile ?? DEFAULT_PROFILE;
  const now = options.now ?? (() => new Date());
  const skew = options.clockSkewSeconds ?? profile.clockSkewSeconds;
  const owner = options.owner ?? DEFAULT_OWNER;
  const registry = options.faults ? new FaultRegistry() : undefined;
  const lock = new KeyedLock();
  const closing = new AbortController();
  const onInternalError = options.onInternalError ??
    ((err: unknown) => console.error("boskit server: internal error", err));
  let corsDefaults: readonly CorsRule[] = [];
  if (options.cors !== undefined) {
    const parsed = parseCorsConfiguration({ corsConfiguration: options.cors });
    if ("problem" in parsed) throw new TypeError(`The cors option is not valid: ${parsed.problem.message}`);
    corsDefaults = parsed.rules;
  }
  const storePromise: Promise<Store> = options.store
    ? Promise.resolve(options.store)
    : options.dataDir
    ? openFsStore(options.dataDir, { durable: options.durable ?? true })
    : Promise.resolve(createMemoryStore());
  storePromise.catch(() => {});

  let inflight = 0;
  let idle: (() => void) | undefined;

  async function handle(req: Request, info?: HandlerInfo): Promise<Response> {
    inflight++;
    try {
      const res = await handleRequest(req, info?.signal, info?.remoteAddr !== undefined);
      const origin = req.headers.get("origin");
      if (origin === null || req.method.toUpperCase() === "OPTIONS") return res;
      return withCorsHeaders(res, origin, req.method.toUpperCase(), await actualRules(req));
    } finally {
      if (--inflight === 0) idle?.();
    }
  }

  /** The CORS rules of the bucket an actual request addresses (none when the URL does not parse). */
  async function actualRules(req: Request): Promise<readonly CorsRule[]> {
    try {
      const raw = splitRawUrl(req.url);
      if (raw.path === "/_boskit" || raw.path.startsWith("/_boskit/")) return [];
      const target = resolveTarget(req.headers.get("host") ?? raw.host, raw.path, options.baseDomain);
      return corsRulesFor(await storePromise, target.bucket, corsDefaults);
    } catch {
      return [];
    }
  }

  async function handleRequest(
    req: Request,
    connSignal: AbortSignal | undefined,
    fromSocket: boolean,
  ): Promise<Response> {
    const rctx: ResponseContext = {
      requestId: crypto.randomUUID(),
      debugId: crypto.randomUUID().replaceAll("-", "").slice(0, 20),
      method: req.method.toUpperCase(),
      now,
    };
    try {
      const raw = splitRawUrl(req.url);
      // The test-only control endpoints, present only with `faults: true`, take no signature.
      if (registry && (raw.path === "/_boskit" || raw.path.startsWith("/_boskit/"))) {
        return await control(req, rctx, raw.path);
      }
      let headers = req.headers;
      if (!headers.has("host")) {
        headers = new Headers(headers);
        headers.set("host", raw.host);
      }
      let headerBytes = 0;
      headers.forEach((v, k) => headerBytes += k.length + v.length + 4);
      if (headerBytes > MAX_HEADER_BYTES) {
        throw new BosHttpError(
          "InvalidHTTPRequest",
          `The request headers are ${headerBytes} bytes, more than the limit of ${MAX_HEADER_BYTES}`,
        );
      }
      if (
        rctx.method === "OPTIONS" && headers.has("origin") && headers.has("access-control-request-method")
      ) {
        // A CORS preflight, at any level and whatever the query, takes no signature (buckets.md §9). It
        // learns only whether a rule admits it: a path that does not resolve, a missing bucket and a
        // bucket without a matching rule all get the same 403 (unless the server's own `cors` defaults
        // admit it, which apply wherever a bucket has no rules of its own).
        let bucket: string | undefined;
        try {
          bucket = isWellFormedPercentEncoding(raw.path)
            ? resolveTarget(headers.get("host") ?? "", raw.path, options.baseDomain).bucket
            : undefined;
        } catch {
          bucket = undefined;
        }
        await drainBody(req);
        return preflight(rctx, headers, corsRulesFor(await storePromise, bucket, corsDefaults));
      }
      // Authentication comes before everything that depends on the path, the query, the method or the
      // stored data (auth.md §5): an anonymous or badly signed request is refused with the same answer
      // whatever it asks for, so it learns nothing about which buckets, keys or features exist. (An
      // OPTIONS without Origin and Access-Control-Request-Method is no preflight: it is refused here.)
      await authenticate(
        { method: rctx.method, path: raw.path, query: raw.query, headers },
        credentials,
        now(),
        skew,
      );
      if (!isWellFormedPercentEncoding(raw.path)) {
        throw new BosHttpError(
          "InvalidURI",
          "The request path contains a % that does not start a %XY escape",
        );
      }
      const query = parseQuery(raw.query);
      const target = resolveTarget(headers.get("host") ?? "", raw.path, options.baseDomain);
      const operation = resolveOperation(rctx.method, target, query, headers);
      const store = await storePromise;
      const ctx: OpContext = {
        ...rctx,
        req,
        headers,
        operation,
        bucket: target.bucket,
        key: target.key ?? "",
        query,
        store,
        profile,
        region,
        lock,
        owner,
        fromSocket,
      };
      const fault = registry?.take({
        method: rctx.method,
        operation,
        bucket: target.bucket,
        key: target.key || undefined,
        partNumber: query.has("partNumber") ? Number(query.get("partNumber")) : undefined,
        path: raw.path,
      }, headers.get("x-boskit-fault"));
      if (!fault) return await dispatch(ctx);
      // Truncating and stalling faults are applied to the body of a GET operation's answer.
      const applied = (fault.kind === "truncate" || fault.kind === "stall") &&
        OPERATION_TABLE[operation].method === "GET";
      if (!applied) await drainBody(req, Number.MAX_SAFE_INTEGER);
      if (fault.kind === "status") return errorResponse(rctx, faultError(fault.status));
      if (fault.kind === "reset") return faultResponse(rctx, resetBody());
      // Touch req.signal only when needed: under Deno.serve, reading it makes Deno print a notice.
      if (fault.kind === "stall" && fault.after === 0) {
        const signal = AbortSignal.any([req.signal, closing.signal]);
        await new Promise<void>((resolve) => {
          if (signal.aborted) resolve();
          else signal.addEventListener("abort", () => resolve(), { once: true });
        });
        return faultResponse(rctx, resetBody());
      }
      if (!applied && fault.kind === "truncate") return faultResponse(rctx, resetBody());
      const res = applied ? await dispatch(ctx) : errorResponse(rctx, faultError(500));
      const signal = AbortSignal.any([connSignal ?? req.signal, closing.signal]);
      const body = limitBody(res.body, fault.after, fault.kind, signal);
      return new Response(body, { status: res.status, headers: res.headers });
    } catch (err) {
      if (err instanceof BosHttpError) {
        await drainRefusedBody(req);
        return errorResponse(rctx, err);
      }
      try {
        onInternalError(err, req);
      } catch { /* ignore */ }
      await drainRefusedBody(req);
      return errorResponse(rctx, internalError(err));
    }
  }

  async function control(req: Request, rctx: ResponseContext, path: string): Promise<Response> {
    const method = rctx.method;
    if (path === "/_boskit/faults") {
      if (method === "POST") {
        const body = await readSmallBody(req, MAX_CONTROL_BODY, () => {
          throw new BosHttpError(
            "MaxMessageLengthExceeded",
            `A fault plan must be at most ${MAX_CONTROL_BODY} bytes`,
          );
        });
        const id = registry!.register(parseJson(body));
        return jsonResponse(rctx, { id });
      }
      if (method === "GET") return jsonResponse(rctx, { plans: registry!.list() });
      if (method === "DELETE") {
        registry!.clear();
        return emptyResponse(rctx, 204);
      }
    } else if (path === "/_boskit/reset") {
      if (method === "POST") {
        await handler.reset();
        return emptyResponse(rctx, 204);
      }
    } else {
      throw new BosHttpError(
        "NoSuchKey",
        `Unknown control endpoint ${
          JSON.stringify(path.slice(0, 100))
        }; use /_boskit/faults or /_boskit/reset`,
      );
    }
    throw new BosHttpError("MethodNotAllowed", `The method ${method} is not allowed on ${path}`);
  }

  const handler = Object.assign(handle, {
    ready: storePromise.then(() => {}),
    faults: registry,
    async reset() {
      registry?.clear();
      await (await storePromise).reset();
    },
    async close() {
      closing.abort();
      if (inflight > 0) {
        // Requests still reading a body the client never finishes must not hold close() forever.
        let timer: ReturnType<typeof setTimeout> | undefined;
        await new Promise<void>((resolve) => {
          idle = resolve;
          timer = setTimeout(resolve, CLOSE_GRACE_MS);
        });
        clearTimeout(timer);
      }
      await (await storePromise.catch(() => undefined))?.close();
    },
  });
  return handler;
}

/**
 * Before an error answer, reads what is left of the body (up to 8 MiB) so that a client still sending
 * sees the answer rather than a broken pipe — except when the client asked `Expect: 100-continue` and
 * the body was never read: it is waiting for an invitation that will not come, so there is nothing to
 * read (and reading would invite it).
 */
async function drainRefusedBody(req: Request): Promise<void> {
  if (!req.bodyUsed && /100-continue/i.test(req.headers.get("expect") ?? "")) return;
  await drainBody(req);
}

/** 500 InternalError; a full disk (ENOSPC, EDQUOT) says so, and whether the change was made. */
function internalError(err: unknown): BosHttpError {
  const committed = err instanceof CommittedError;
  const code = ((committed ? err.cause : err) as { code?: unknown } | null)?.code;
  if (code !== "ENOSPC" && code !== "EDQUOT") return new BosHttpError("InternalError");
  return new BosHttpError(
    "InternalError",
    committed
      ? `The server has no space left on its disk (${code}): the change was made but may not survive a power loss. Retry later`
      : `The server has no space left to store the request (${code}); nothing was stored. Retry later`,
  );
}

function faultResponse(rctx: ResponseContext, body: ReadableStream<Uint8Array>): Response {
  // Status 500 and a declared length: a client that reads the body sees the connection drop; one
  // that ignores bodies still sees a retryable failure.
  const res = errorResponse(rctx, new BosHttpError("InternalError", "Injected fault: connection reset"));
  res.headers.set("content-length", "1024");
  res.headers.set("x-boskit-fault", "reset");
  return new Response(body, { status: res.status, headers: res.headers });
}

/** Per-request information a host may pass to the handler. */
export interface HandlerInfo {
  /** Aborts when the client disconnects or the response has been delivered. */
  signal?: AbortSignal;
  /**
   * The peer, when the request came over a connection (`Deno.serve` passes its handler info, which
   * has it). Such a request follows HTTP/1.1 framing: an upload without Content-Length (and without
   * Transfer-Encoding) has no body, so it is refused with 411 `MissingContentLength` even though
   * `Deno.serve` gives it an empty body stream; in-process requests may stream a body of unknown length.
   */
  remoteAddr?: unknown;
}

/** Options of {@link serve}. */
export interface ServeOptions extends ServerOptions {
  /** Interface to listen on; default `127.0.0.1`. */
  hostname?: string;
  /** Port; default 0 (any free port). */
  port?: number;
}

/** A server listening on a socket. */
export interface RunningServer {
  /** `http://hostname:port`. */
  url: string;
  /** The interface. */
  hostname: string;
  /** The port actually bound. */
  port: number;
  /** Stops listening, ends stalled responses and closes the store. */
  close(): Promise<void>;
  /** The handler behind the socket. */
  handler: BosHandler;
}

/**
 * Starts the handler on a socket with `node:http`, under Deno, Node (20+) and Bun alike.
 *
 * @param options Handler options plus hostname and port.
 * @returns The running server.
 *
 * @example A server on a free port, used by the client
 * ```ts
 * import { BosClient } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve({ port: 0 });
 * assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * assert.deepEqual((await client.listBuckets()).buckets.map((b) => b.name), ["my-bucket"]);
 * await server.close();
 * ```
 */
export async function serve(options: ServeOptions = {}): Promise<RunningServer> {
  // node:http on every runtime (Deno and Bun implement it): it is the one server that lets the handler
  // answer `Expect: 100-continue` itself. Deno.serve and Bun.serve send 100 Continue before any
  // JavaScript runs, which invites the body of a request that is about to be refused.
  const handler = createHandler(options);
  await handler.ready;
  const hostname = options.hostname ?? "127.0.0.1";
  const host = hostname.includes(":") ? `[${hostname}]` : hostname;
  const server = await nodeServe(handler, hostname, options.port ?? 0);
  return {
    url: `http://${host}:${server.port}`,
    hostname,
    port: server.port,
    handler,
    close: () => server.close(),
  };
}
