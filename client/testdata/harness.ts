// Test harness: the reference server (server/mod.ts) over real HTTP or in-process, and clients for it.
import { createHandler, LOCAL_CREDENTIALS, serve } from "../../server/mod.ts";
import { BosClient } from "../client.ts";
import type { BosClientOptions, FetchLike } from "../pipeline.ts";

export { LOCAL_CREDENTIALS };

/** One request as a counting fetch saw it. */
export interface SeenRequest {
  method: string;
  url: string;
  query: URLSearchParams;
  /** The request headers the client set. */
  headers: Headers;
}

/** A fetch wrapper that records every request. */
export function countingFetch(
  inner: FetchLike,
): { fetch: FetchLike; seen: SeenRequest[]; count(pred: (r: SeenRequest) => boolean): number } {
  const seen: SeenRequest[] = [];
  return {
    seen,
    fetch: (input, init) => {
      const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
      seen.push({
        method: (init?.method ?? "GET").toUpperCase(),
        url,
        query: new URL(url).searchParams,
        headers: new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined)),
      });
      return inner(input, init);
    },
    count: (pred) => seen.filter(pred).length,
  };
}

export const isUploadPart = (r: SeenRequest): boolean =>
  r.method === "PUT" && r.query.has("partNumber") && r.query.has("uploadId");

export interface TestServer {
  url: string;
  /** The fetch that reaches this server (global fetch, or the handler in-process). */
  fetch: FetchLike;
  /** A client on this server. */
  client(options?: Partial<BosClientOptions>): BosClient;
  /** Raw control-plane call (faults, reset). */
  control(path: string, init?: RequestInit): Promise<Response>;
  /** Registers a fault plan; returns its id. */
  addFaults(match: Record<string, unknown>, faults: string[]): Promise<string>;
  /** The fault plans with their consumption records. */
  faultPlans(): Promise<
    { id: string; match: unknown; faults: string[]; consumed: { fault: string; operation: string }[] }[]
  >;
  close(): Promise<void>;
}

/** Starts the reference server over real HTTP on a free port. */
export async function startHttpServer(options: { faults?: boolean } = {}): Promise<TestServer> {
  const s = await serve({ hostname: "127.0.0.1", port: 0, faults: options.faults ?? true });
  return wrap(s.url.replace(/\/$/, ""), (input, init) => fetch(input, init), () => s.close());
}

/** The reference server in-process: the client's fetch calls the handler directly. */
export function startInProcessServer(options: { faults?: boolean } = {}): TestServer {
  const handler = createHandler({ faults: options.faults ?? true });
  const f: FetchLike = (input, init) => handler(new Request(input, init));
  return wrap("http://127.0.0.1:9", f, async () => await handler.close());
}

function wrap(url: string, f: FetchLike, close: () => Promise<void>): TestServer {
  const control = (path: string, init?: RequestInit) => f(url + path, init);
  return {
    url,
    fetch: f,
    client: (options = {}) =>
      new BosClient({
        endpoint: url,
        credentials: LOCAL_CREDENTIALS,
        fetch: f,
        retry: { baseDelayMs: 5, maxDelayMs: 50 },
        ...options,
      }),
    control,
    async addFaults(match, faults) {
      const res = await control("/_boskit/faults", {
        method: "POST",
        body: JSON.stringify({ match, faults }),
      });
      const j = await res.json();
      if (!res.ok) throw new Error(`fault plan refused: ${JSON.stringify(j)}`);
      return j.id;
    },
    async faultPlans() {
      const res = await control("/_boskit/faults");
      return (await res.json()).plans;
    },
    close,
  };
}

let counter = 0;
/** A fresh, valid bucket name. */
export function bucketName(prefix = "t"): string {
  return `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}-${
    Math.random().toString(36).slice(2, 6)
  }`;
}

/** Deterministic pseudo-random bytes (the server tests' generator). */
export { bytes as randomBytes } from "../../server/_test_util.ts";

/** A stream of `bytes` in chunks of `chunk` with no known length. */
export function streamOf(bytes: Uint8Array, chunk = 64 * 1024): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(c) {
      if (i >= bytes.length) return c.close();
      c.enqueue(bytes.slice(i, i + chunk));
      i += chunk;
    },
  });
}

/** Runs `fn` with a fresh server (HTTP by default) and a fresh bucket, closing the server after. */
export async function withServer(
  fn: (s: TestServer, bucket: string) => Promise<void>,
  options: { inProcess?: boolean; faults?: boolean } = {},
): Promise<void> {
  const s = options.inProcess ? startInProcessServer(options) : await startHttpServer(options);
  try {
    const bucket = bucketName();
    await s.client().createBucket(bucket);
    await fn(s, bucket);
  } finally {
    await s.close();
  }
}
