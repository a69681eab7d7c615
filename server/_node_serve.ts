/**
 * `serve()` under Node (20+): the fetch-style handler behind `node:http`. Converts each incoming
 * request into a web `Request` (raw URL and header byte strings kept, body as a stream, a signal that
 * aborts when the connection closes or the response is delivered) and writes the `Response` back
 * with backpressure.
 *
 * @module
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { BosHttpError, errorResponse, type ResponseContext } from "./_http.ts";

/** What this adapter needs of the server's handler (a `BosHandler` is one; no import of mod.ts, which imports this). */
export interface NodeHandler {
  (req: Request, info?: { signal?: AbortSignal; remoteAddr?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

/** A listening `node:http` server. */
export interface NodeServer {
  /** The port actually bound. */
  port: number;
  /** Stops listening, lets in-flight responses finish (up to a grace period), then closes every connection. */
  close(): Promise<void>;
}

// Above the handler's own 64 KiB limit, so that limit answers with a BOS error rather than Node's 431.
const MAX_HEADER_SIZE = 128 * 1024;
const CLOSE_GRACE_MS = 3000;
const NO_BODY_STATUS = new Set([101, 204, 205, 304]);
/** Request-body bytes buffered ahead of the handler before the socket is paused. */
const BODY_QUEUE_BYTES = 256 * 1024;

/**
 * Starts `handler` on `hostname:port` with `node:http` (what `serve()` does under Node).
 *
 * @param handler The handler (closed by `close()`).
 * @param hostname Interface to listen on.
 * @param port Port; 0 for any free port.
 * @returns The port bound and `close()`.
 *
 * @example
 * ```ts
 * import { nodeServe } from "./_node_serve.ts";
 * import { createHandler } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const server = await nodeServe(createHandler(), "127.0.0.1", 0);
 * const res = await fetch(`http://127.0.0.1:${server.port}/`);
 * assert.equal(res.status, 403); // anonymous ListBuckets
 * assert.equal((await res.json()).code, "AccessDenied");
 * await server.close();
 * ```
 */
export async function nodeServe(handler: NodeHandler, hostname: string, port: number): Promise<NodeServer> {
  const http = await import("node:http");
  const active = new Set<ServerResponse>();
  let settled: (() => void) | undefined;
  const server: Server = http.createServer(
    // No whole-request deadline (Deno.serve has none; Bun runs with idleTimeout 0): large uploads and
    // stall faults must not be cut by Node's 5-minute default.
    { maxHeaderSize: MAX_HEADER_SIZE, requestTimeout: 0 },
    (req, res) => onRequest(req, res, false),
  );
  // `Expect: 100-continue`: Node would answer 100 Continue before the handler runs. Handling the event
  // ourselves lets the handler refuse first (signature, length, …): 100 Continue goes out only when it
  // starts reading the body, so a refused request gets its final status at once, its body never invited.
  server.on("checkContinue", (req, res) => onRequest(req, res, true));
  function onRequest(req: IncomingMessage, res: ServerResponse, expectContinue: boolean): void {
    active.add(res);
    res.once("close", () => {
      active.delete(res);
      if (active.size === 0) settled?.();
    });
    respond(handler, req, res, server, expectContinue).catch(() => res.destroy());
  }
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen({ host: hostname, port }, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (err) {
    await handler.close(); // e.g. EADDRINUSE: do not leave the store open
    throw err;
  }
  const address = server.address();
  const bound = typeof address === "object" && address ? address.port : port;
  return {
    port: bound,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await handler.close();
      if (active.size > 0) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        await new Promise<void>((resolve) => {
          settled = resolve;
          timer = setTimeout(resolve, CLOSE_GRACE_MS);
        });
        clearTimeout(timer);
      }
      server.closeAllConnections();
      await closed;
    },
  };
}

async function respond(
  handler: NodeHandler,
  req: IncomingMessage,
  res: ServerResponse,
  server: Server,
  expectContinue: boolean,
): Promise<void> {
  const method = (req.method ?? "GET").toUpperCase();
  // Aborts when the client goes away or the response has been delivered (like Deno's info.completed).
  const done = new AbortController();
  res.once("close", () => done.abort());
  // Expect: 100-continue — invite the body when the handler first reads it, not before.
  let invited = !expectContinue;
  const invite = () => {
    if (invited) return;
    invited = true;
    if (!res.headersSent && !res.destroyed) res.writeContinue();
  };
  let request: Request;
  try {
    request = toRequest(req, method, server, done.signal, invite);
  } catch (err) {
    if (!expectContinue) req.resume();
    const message = err instanceof Error ? err.message : String(err);
    return await writeResponse(
      res,
      method,
      errorResponse(
        context(method),
        new BosHttpError("InvalidHTTPRequest", `The request is malformed: ${message}`),
      ),
      expectContinue,
    );
  }
  let response: Response;
  try {
    const remoteAddr = { hostname: req.socket.remoteAddress, port: req.socket.remotePort };
    response = await handler(request, { signal: done.signal, remoteAddr });
  } catch {
    // The handler never rejects; if it does anyway, answer rather than crash.
    response = errorResponse(context(method), new BosHttpError("InternalError"));
  }
  // A body that was never invited may still come, or never: either way the connection cannot carry
  // another request (Node closes it by itself; Deno's and Bun's node:http do not).
  const close = !invited && request.body !== null;
  try {
    await writeResponse(res, method, response, close);
  } catch {
    // A header Node refuses, for instance. Answer 500 if nothing went out yet, else drop the connection.
    if (res.headersSent || res.destroyed) return void res.destroy();
    for (const name of res.getHeaderNames()) res.removeHeader(name);
    await writeResponse(
      res,
      method,
      errorResponse(context(method), new BosHttpError("InternalError")),
      close,
    );
  }
}

function context(method: string): ResponseContext {
  return {
    requestId: crypto.randomUUID(),
    debugId: crypto.randomUUID().replaceAll("-", "").slice(0, 20),
    method,
    now: () => new Date(),
  };
}

function toRequest(
  req: IncomingMessage,
  method: string,
  server: Server,
  signal: AbortSignal,
  onFirstRead: () => void,
): Request {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i], raw[i + 1]);
  const target = req.url ?? "/";
  let url: string;
  if (target.startsWith("/")) {
    let host = req.headers.host ?? "";
    if (!host || !URL.canParse(`http://${host}/`)) {
      const a = server.address();
      const p = typeof a === "object" && a ? a.port : 0;
      const h = typeof a === "object" && a ? a.address : "127.0.0.1";
      host = `${h.includes(":") ? `[${h}]` : h}:${p}`;
    }
    url = `http://${host}${target}`;
  } else {
    url = target; // absolute-form (a request sent as to a proxy)
  }
  // HTTP/1.1 framing: without Content-Length or Transfer-Encoding a request has no body. A body-less
  // request gets `body: null`, so an upload without Content-Length is told 411 (in-process requests
  // may stream a body of unknown length; requests from a socket cannot).
  const te = req.headers["transfer-encoding"];
  const cl = req.headers["content-length"];
  const hasBody = method !== "GET" && method !== "HEAD" &&
    (te !== undefined || (cl !== undefined && cl !== "0"));
  // `duplex` is required by Node's fetch for stream bodies and missing from the DOM types.
  const init: RequestInit & { duplex: "half" } = {
    method,
    headers,
    body: hasBody ? bodyStream(req, onFirstRead) : null,
    signal,
    duplex: "half",
  };
  const request = new Request(url, init);
  // Keep the target as it arrived (`Request` would resolve `..` segments and re-encode characters),
  // as Deno.serve does: the path is what the client signed and names the key.
  if (request.url !== url) Object.defineProperty(request, "url", { value: url, enumerable: true });
  if (!hasBody) req.resume();
  return request;
}

/**
 * The request body as a web stream, pausing the socket while more than {@link BODY_QUEUE_BYTES} wait
 * unread. The stream's high-water mark is 0, so nothing is pulled before the consumer's first read:
 * that read calls `onFirstRead` (which sends 100 Continue to a client that asked for it).
 */
function bodyStream(req: IncomingMessage, onFirstRead: () => void): ReadableStream<Uint8Array> {
  let finished = false;
  let read = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.on("data", (chunk: Uint8Array) => {
        if (finished) return;
        // A plain Uint8Array view (a Buffer's `slice` would not copy).
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= -BODY_QUEUE_BYTES) req.pause();
      });
      req.once("end", () => {
        if (finished) return; // cancelled: the rest was discarded
        finished = true;
        controller.close();
      });
      const fail = (err?: Error) => {
        if (finished) return;
        finished = true;
        controller.error(err ?? new Error("The client closed the connection before the body was complete"));
      };
      req.once("error", fail);
      req.once("close", () => fail());
      req.pause();
    },
    pull() {
      // Called when a read finds the queue empty (never ahead of the consumer: high-water mark 0).
      if (!read) {
        read = true;
        onFirstRead();
      }
      req.resume();
    },
    cancel() {
      finished = true;
      req.removeAllListeners("data");
      req.resume(); // discard the rest, keeping the connection usable
    },
  }, { highWaterMark: 0, size: (chunk) => chunk.byteLength });
}

async function writeResponse(
  res: ServerResponse,
  method: string,
  response: Response,
  close = false,
): Promise<void> {
  res.statusCode = response.status;
  if (response.statusText) res.statusMessage = response.statusText;
  const names = new Set<string>();
  response.headers.forEach((value, name) => {
    if (names.has(name)) return;
    names.add(name);
    res.setHeader(name, name === "set-cookie" ? response.headers.getSetCookie() : value);
  });
  if (close) res.setHeader("connection", "close");
  const body = response.body;
  if (!body || method === "HEAD" || NO_BODY_STATUS.has(response.status)) {
    await body?.cancel().catch(() => {});
    res.end();
    return;
  }
  const reader = body.getReader();
  let wrote = false;
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      if (res.destroyed) {
        await reader.cancel().catch(() => {});
        return;
      }
      wrote = true;
      if (!res.write(value)) await drainOrClose(res);
    }
    res.end();
  } catch {
    // The body failed after the handler decided the status: send the head (so the client sees the
    // status), then drop the connection so the client sees a truncated body, as Deno.serve does.
    reader.cancel().catch(() => {});
    const socket = res.socket;
    if (!socket || socket.destroyed) return;
    if (!wrote) res.flushHeaders();
    // Node corks the socket until the next tick: end it (flushing what was written), then close it.
    socket.once("finish", () => socket.destroy());
    socket.end();
  }
}

function drainOrClose(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}
