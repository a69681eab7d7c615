/**
 * Test helpers: building signed requests for the in-process handler.
 *
 * @module
 */
import { uriEncode } from "../protocol/encoding.ts";
import { createAuthorization, formatTimestamp } from "../protocol/signing/sign.ts";
import { type BosHandler, createHandler, LOCAL_CREDENTIALS, type ServerOptions } from "./mod.ts";

/** What a test request is made of. */
export interface TestRequest {
  method?: string;
  /** Raw path as sent, e.g. `/bucket/key` (not encoded here). */
  path?: string;
  /** Raw query string without `?`. */
  query?: string;
  headers?: Record<string, string>;
  body?: Uint8Array | string | ReadableStream<Uint8Array>;
  /** Host header; default `127.0.0.1:8080`. */
  host?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  timestamp?: Date;
  expirationInSeconds?: number;
  headersToSign?: string[];
  /** Sign as a presigned URL (authorization in the query) instead of the header. */
  presign?: boolean;
  /** Do not sign at all. */
  anonymous?: boolean;
  /** Do not add Content-Length for a body. */
  noContentLength?: boolean;
  signal?: AbortSignal;
}

const enc = new TextEncoder();

/** Encodes a key for a path the way SDKs do (UriEncodeExceptSlash). */
export function encodeKey(key: string): string {
  return uriEncode(key, true);
}

/** Builds a signed `Request`. */
export async function signedRequest(t: TestRequest): Promise<Request> {
  const method = (t.method ?? "GET").toUpperCase();
  const path = t.path ?? "/";
  const host = t.host ?? "127.0.0.1:8080";
  const headers = new Headers(t.headers);
  headers.set("host", host);
  const timestamp = t.timestamp ?? new Date();
  if (!headers.has("x-bce-date")) headers.set("x-bce-date", formatTimestamp(timestamp));
  const body = typeof t.body === "string" ? enc.encode(t.body) : t.body;
  if (body instanceof Uint8Array && !t.noContentLength && !headers.has("content-length")) {
    headers.set("content-length", String(body.byteLength));
  }
  let query = t.query ?? "";
  if (!t.anonymous) {
    const authorization = await createAuthorization({
      accessKeyId: t.accessKeyId ?? LOCAL_CREDENTIALS.accessKeyId,
      secretAccessKey: t.secretAccessKey ?? LOCAL_CREDENTIALS.secretAccessKey,
      method,
      path,
      query,
      headers: t.presign ? new Headers({ host }) : headers,
      headersToSign: t.presign ? ["host"] : t.headersToSign,
      timestamp,
      expirationInSeconds: t.expirationInSeconds,
    });
    if (t.presign) query += (query ? "&" : "") + "authorization=" + uriEncode(authorization);
    else headers.set("authorization", authorization);
  }
  return new Request(`http://${host}${path}${query ? "?" + query : ""}`, {
    method,
    headers,
    body: method === "GET" || method === "HEAD" ? undefined : body as BodyInit | undefined,
    signal: t.signal,
  });
}

/** A handler plus a `call` shortcut. */
export interface TestServer {
  handler: BosHandler;
  call(t: TestRequest): Promise<Response>;
  /** Calls and parses a JSON body (or `undefined` for an empty one). */
  // deno-lint-ignore no-explicit-any
  json(t: TestRequest): Promise<{ status: number; headers: Headers; body: any }>;
}

/** Creates an in-process handler for a test. */
export function testServer(options?: ServerOptions): TestServer {
  const handler = createHandler(options);
  const call = async (t: TestRequest) => await handler(await signedRequest(t));
  return {
    handler,
    call,
    async json(t) {
      const res = await call(t);
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
    },
  };
}

/** Random bytes (deterministic pattern for big sizes). */
export function bytes(n: number, seed = 1): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}
