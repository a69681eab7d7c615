// A fetch-shaped transport on `node:http` / `node:https`, used by the client on Deno for request
// bodies that are streams: Deno's `fetch` sends a stream body chunked and drops the Content-Length
// that BOS requires and that is signed (denoland/deno#24197), while its `node:http` streams a body
// with the Content-Length given, with write backpressure (so progress is counted as bytes go out).
import type { FetchLike } from "./pipeline.ts";

// The small part of node:http this file uses.
interface IncomingMessage {
  statusCode?: number;
  headers: Record<string, string | string[] | undefined>;
  on(event: "data", listener: (chunk: Uint8Array) => void): unknown;
  on(event: "end" | "close" | "aborted", listener: () => void): unknown;
  on(event: "error", listener: (err: Error) => void): unknown;
  pause(): unknown;
  resume(): unknown;
  destroy(err?: unknown): unknown;
}

interface ClientRequest {
  destroyed: boolean;
  write(chunk: Uint8Array): boolean;
  end(chunk?: Uint8Array): unknown;
  destroy(err?: unknown): unknown;
  on(event: "drain" | "close", listener: () => void): unknown;
  on(event: "error", listener: (err: Error) => void): unknown;
  off(event: "drain" | "close", listener: () => void): unknown;
}

interface HttpModule {
  request(
    url: URL,
    options: { method: string; headers: Record<string, string> },
    callback: (res: IncomingMessage) => void,
  ): ClientRequest;
}

let modules: Promise<{ http: HttpModule; https: HttpModule }> | undefined;

function load(): Promise<{ http: HttpModule; https: HttpModule }> {
  modules ??= Promise.all([import("node:http"), import("node:https")]).then(([http, https]) => ({
    http: http as unknown as HttpModule,
    https: https as unknown as HttpModule,
  }));
  return modules;
}

async function writeBody(req: ClientRequest, body: BodyInit | null | undefined): Promise<void> {
  if (body === null || body === undefined) return void req.end();
  if (typeof body === "string") return void req.end(new TextEncoder().encode(body));
  if (body instanceof Uint8Array) return void req.end(body);
  const stream = body instanceof Blob ? body.stream() : body instanceof ReadableStream ? body : undefined;
  if (!stream) throw new TypeError("The node:http transport sends Uint8Array, string, Blob or stream bodies");
  for await (const chunk of stream as ReadableStream<Uint8Array>) {
    if (req.destroyed) return;
    if (!req.write(chunk)) {
      await new Promise<void>((resolve) => {
        const go = () => {
          req.off("drain", go);
          req.off("close", go);
          resolve();
        };
        req.on("drain", go);
        req.on("close", go);
      });
    }
  }
  if (!req.destroyed) req.end();
}

/**
 * `fetch` on node:http: the request streams with the headers given (Content-Length included); the
 * response body is a `ReadableStream` with backpressure; an abort destroys the connection. Network
 * failures reject with a `TypeError` (as `fetch` does), aborts with the signal's reason.
 */
export const nodeStreamingFetch: FetchLike = async (input, init = {}) => {
  const { http, https } = await load();
  const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
  const signal = init.signal ?? undefined;
  signal?.throwIfAborted();
  const headers: Record<string, string> = {};
  new Headers(init.headers).forEach((value, name) => (headers[name] = value));
  const method = (init.method ?? "GET").toUpperCase();
  const mod = url.protocol === "https:" ? https : http;
  return await new Promise<Response>((resolve, reject) => {
    let settled = false;
    let res: IncomingMessage | undefined;
    const onAbort = () => {
      const reason = signal?.reason;
      req.destroy(reason);
      res?.destroy(reason);
      if (!settled) {
        settled = true;
        reject(reason);
      }
    };
    const done = () => signal?.removeEventListener("abort", onAbort);
    const req = mod.request(url, { method, headers }, (incoming) => {
      res = incoming;
      const status = incoming.statusCode ?? 0;
      const h = new Headers();
      for (const [name, value] of Object.entries(incoming.headers)) {
        if (value === undefined) continue;
        if (Array.isArray(value)) { for (const v of value) h.append(name, v); }
        else h.set(name, value);
      }
      let body: ReadableStream<Uint8Array> | null = null;
      if (method === "HEAD" || status === 204 || status === 304) {
        incoming.on("end", done);
        incoming.resume();
      } else {
        let open = true; // until the stream is closed, errored or cancelled
        body = new ReadableStream<Uint8Array>({
          start(controller) {
            incoming.on("data", (chunk) => {
              if (!open) return;
              controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
              if ((controller.desiredSize ?? 1) <= 0) incoming.pause();
            });
            incoming.on("end", () => {
              done();
              if (!open) return;
              open = false;
              controller.close();
            });
            const fail = (err: unknown) => {
              done();
              if (!open) return;
              open = false;
              controller.error(
                signal?.aborted ? signal.reason : new TypeError(
                  "The connection closed before the response body was complete",
                  { cause: err },
                ),
              );
            };
            incoming.on("error", fail);
            incoming.on("aborted", () => fail(undefined));
          },
          pull() {
            incoming.resume();
          },
          cancel(reason) {
            open = false;
            done();
            incoming.destroy(reason);
          },
        }, { highWaterMark: 4 });
      }
      settled = true;
      resolve(new Response(body, { status, headers: h }));
    });
    req.on("error", (err) => {
      done();
      if (settled) return;
      settled = true;
      reject(
        signal?.aborted
          ? signal.reason
          : new TypeError(`Request to ${url.host} failed: ${err.message}`, { cause: err }),
      );
    });
    signal?.addEventListener("abort", onAbort, { once: true });
    writeBody(req, init.body).catch((err) => req.destroy(err));
  });
};
