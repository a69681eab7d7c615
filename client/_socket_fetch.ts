// Private: a fetch-shaped HTTP/1.1 transport straight on a TCP (or TLS) socket — `Deno.connect` /
// `Deno.connectTls` on Deno, `node:net` / `node:tls` on Node — used by the client for request bodies
// that are large, streamed or watched for progress. Deno's `fetch` drops the Content-Length of a
// stream body (denoland/deno#24197) and copies a byte body; `node:http` (on Deno a JavaScript layer
// over the same sockets) spent twice curl's CPU per byte. Here a byte body is written from the caller's
// own memory in writes of up to 1 MiB, each awaited (back-pressure), each counted once it is out (byte-level
// progress); connections are reused only while other requests to the origin are in flight, so no idle
// socket outlives the work.
// The response is read while the body is written, so an early answer (an error before the body is
// all sent) is returned rather than lost. Aborts close the socket; failures reject with a `TypeError`
// (as `fetch` does) whose cause is the system's error, aborts with the signal's reason.

import type { PullBody } from "./body.ts";

/**
 * One connection: writes resolve once the bytes are handed to the system (`onWritten` sees each
 * partial write's count); `read` gives `null` at the end.
 */
interface Socket {
  write(bytes: Uint8Array, onWritten?: (n: number) => void): Promise<void>;
  read(): Promise<Uint8Array | null>;
  close(): void;
  /** Known to be unusable (closed, ended by the peer or failed); an idle one is not reused. */
  readonly dead: boolean;
}

/**
 * Bytes per write of a byte body, at most (an eighth of the body, from 64 KiB): the unit of progress
 * and of back-pressure. Large writes cost the system least per byte (on loopback a 1 MiB write costs
 * half what a 256 KiB one does per byte, a 64 KiB one 2.5×).
 */
const WRITE_CHUNK = 1024 * 1024;
const MIN_WRITE_CHUNK = 64 * 1024;
/** Bytes per read (Deno). */
const READ_CHUNK = 64 * 1024;
/** The most a response head may take before the answer is refused as malformed. */
const MAX_HEAD = 256 * 1024;

const enc = new TextEncoder();
const latin1 = new TextDecoder("latin1");

// ---------------------------------------------------------------------------------------------
// Sockets

interface DenoConn {
  write(p: Uint8Array): Promise<number>;
  read(p: Uint8Array): Promise<number | null>;
  close(): void;
}
interface DenoNet {
  connect(o: { hostname: string; port: number; signal?: AbortSignal }): Promise<DenoConn>;
  connectTls(o: { hostname: string; port: number }): Promise<DenoConn>;
}

/** `connecting`, or its rejection with the signal's reason as soon as the signal aborts (a connection made after that is closed). */
function untilAborted<T extends { close(): void }>(connecting: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return connecting;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      reject(signal.reason);
      connecting.then((c) => c.close(), () => {});
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    connecting.then(
      (c) => {
        signal.removeEventListener("abort", onAbort);
        if (signal.aborted) c.close();
        else resolve(c);
      },
      (e) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

function denoSocket(conn: DenoConn): Socket {
  let closed = false;
  return {
    get dead() {
      return closed;
    },
    async write(bytes, onWritten) {
      let off = 0;
      while (off < bytes.length) {
        const n = await conn.write(bytes.subarray(off));
        off += n;
        onWritten?.(n);
      }
    },
    async read() {
      const buf = new Uint8Array(READ_CHUNK);
      const n = await conn.read(buf);
      return n === null ? null : buf.subarray(0, n);
    },
    close() {
      if (closed) return;
      closed = true;
      try {
        conn.close();
      } catch { /* already closed */ }
    },
  };
}

// The small part of node:net / node:tls used here.
interface NodeSocket {
  write(chunk: Uint8Array, callback: (err?: Error | null) => void): boolean;
  destroy(): void;
  pause(): void;
  resume(): void;
  setNoDelay(noDelay: boolean): void;
  on(event: "data", fn: (chunk: Uint8Array) => void): unknown;
  on(event: "end" | "close", fn: () => void): unknown;
  on(event: "error", fn: (e: Error) => void): unknown;
  once(event: "connect" | "secureConnect", fn: () => void): unknown;
  once(event: "error", fn: (e: Error) => void): unknown;
  off(event: "error", fn: (e: Error) => void): unknown;
}
interface NodeNet {
  connect(o: Record<string, unknown>): NodeSocket;
}

/** A node:net socket as a {@link Socket}: received chunks queue up (the socket pauses past four). */
function nodeSocket(sock: NodeSocket): Socket {
  const queue: Uint8Array[] = [];
  let ended = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  sock.on("data", (chunk) => {
    queue.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    if (queue.length >= 4) sock.pause();
    notify();
  });
  sock.on("end", () => {
    ended = true;
    notify();
  });
  sock.on("close", () => {
    ended = true;
    notify();
  });
  sock.on("error", (e) => {
    failure ??= e;
    notify();
  });
  return {
    get dead() {
      return ended || failure !== undefined;
    },
    write: (bytes, onWritten) =>
      new Promise<void>((resolve, reject) => {
        if (failure) return reject(failure);
        sock.write(bytes, (err) => {
          if (err) return reject(err);
          onWritten?.(bytes.length);
          resolve();
        });
      }),
    async read() {
      for (;;) {
        const chunk = queue.shift();
        if (chunk) {
          if (queue.length < 2) sock.resume();
          return chunk;
        }
        if (failure) throw failure;
        if (ended) return null;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
    close() {
      ended = true;
      sock.destroy();
    },
  };
}

let nodeModules: Promise<{ net: NodeNet; tls: NodeNet }> | undefined;

function loadNode(): Promise<{ net: NodeNet; tls: NodeNet }> {
  nodeModules ??= Promise.all([import("node:net"), import("node:tls")]).then(([net, tls]) => ({
    net: net as unknown as NodeNet,
    tls: tls as unknown as NodeNet,
  }));
  return nodeModules;
}

/**
 * A failed `Deno.connect` in the words (and with the `code`) Node's `net.connect` uses for the same
 * failure (`connect ECONNREFUSED 127.0.0.1:9`, `getaddrinfo ENOTFOUND host`), so a connection failure
 * reads alike on every runtime; other errors as they are.
 */
function connectError(e: unknown, hostname: string, port: number): unknown {
  const message = e instanceof Error ? e.message : String(e);
  const code = (e as { code?: unknown })?.code;
  const as = (text: string, code: string, syscall: string) =>
    Object.assign(new Error(text), { code, syscall, address: hostname, port });
  if (code === "ECONNREFUSED" || /connection refused/i.test(message)) {
    return as(`connect ECONNREFUSED ${hostname}:${port}`, "ECONNREFUSED", "connect");
  }
  if (/failed to lookup address|name or service not known|nodename nor servname/i.test(message)) {
    return as(`getaddrinfo ENOTFOUND ${hostname}`, "ENOTFOUND", "getaddrinfo");
  }
  if (code === "ETIMEDOUT" || /timed out/i.test(message)) {
    return as(`connect ETIMEDOUT ${hostname}:${port}`, "ETIMEDOUT", "connect");
  }
  return e;
}

/** Opens a connection to the URL's host and port (TLS for https); an abort stops the connecting. */
async function connect(url: URL, signal?: AbortSignal): Promise<Socket> {
  const tls = url.protocol === "https:";
  const hostname = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const port = url.port ? Number(url.port) : tls ? 443 : 80;
  const deno = (globalThis as { Deno?: DenoNet }).Deno;
  if (deno) {
    try {
      const connecting = tls ? deno.connectTls({ hostname, port }) : deno.connect({ hostname, port, signal });
      return denoSocket(await untilAborted(connecting, signal));
    } catch (e) {
      throw signal?.aborted ? signal.reason : connectError(e, hostname, port);
    }
  }
  const { net, tls: nodeTls } = await loadNode();
  const ip = /^[\d.]+$|:/.test(hostname);
  const sock = tls
    ? nodeTls.connect({ host: hostname, port, ...(ip ? {} : { servername: hostname }) })
    : net.connect({ host: hostname, port });
  await new Promise<void>((resolve, reject) => {
    const onAbort = () => fail(signal!.reason);
    const fail = (e: Error) => {
      signal?.removeEventListener("abort", onAbort);
      sock.destroy();
      reject(e);
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    sock.once("error", fail);
    sock.once(tls ? "secureConnect" : "connect", () => {
      signal?.removeEventListener("abort", onAbort);
      sock.off("error", fail);
      resolve();
    });
  });
  sock.setNoDelay(true);
  return nodeSocket(sock);
}

// ---------------------------------------------------------------------------------------------
// Reading a response

/** Buffered reads over a socket: what is left of the last read, then the socket. */
class ByteReader {
  #rest: Uint8Array = new Uint8Array(0);
  /** Whether any byte of an answer has arrived (until then a failure on a reused connection may be retried). */
  received = false;
  constructor(readonly socket: Socket) {}

  /** Whether bytes beyond the ones consumed have arrived. */
  get pending(): boolean {
    return this.#rest.length > 0;
  }

  /** Up to `max` bytes (at least one), or `null` at the end of the connection. */
  async next(max = Infinity): Promise<Uint8Array | null> {
    if (this.#rest.length === 0) {
      const chunk = await this.socket.read();
      if (chunk === null) return null;
      this.received = true;
      this.#rest = chunk;
    }
    const out = this.#rest.length <= max ? this.#rest : this.#rest.subarray(0, max);
    this.#rest = this.#rest.subarray(out.length);
    return out;
  }

  /** Bytes up to and including the first `\r\n\r\n` (`lines` = 2) or `\r\n` (`lines` = 1), as text. */
  async until(lines: 1 | 2, limit: number): Promise<string> {
    const parts: Uint8Array[] = [];
    let total = 0;
    let tail = ""; // the last bytes seen, to find a terminator split across reads
    const end = lines === 2 ? "\r\n\r\n" : "\r\n";
    for (;;) {
      const chunk = await this.next();
      if (chunk === null) throw new Error("The connection closed before the response head was complete");
      const text = tail + latin1.decode(chunk);
      const at = text.indexOf(end);
      if (at >= 0) {
        const used = at + end.length - tail.length; // bytes of this chunk that belong to the head
        parts.push(chunk.subarray(0, used));
        this.#rest = chunk.subarray(used); // next() handed over all it had, so nothing else is left
        return latin1.decode(concat(...parts));
      }
      parts.push(chunk);
      total += chunk.length;
      if (total > limit) throw new Error(`The response head is longer than ${limit} bytes`);
      tail = text.slice(-(end.length - 1));
    }
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

interface Head {
  status: number;
  statusText: string;
  headers: Headers;
}

/** Reads a response head, skipping interim (1xx) answers. */
async function readHead(reader: ByteReader): Promise<Head> {
  for (;;) {
    const text = await reader.until(2, MAX_HEAD);
    const lines = text.split("\r\n");
    const m = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(lines[0]);
    if (!m) throw new Error(`The server answered with a malformed status line: ${JSON.stringify(lines[0])}`);
    const status = Number(m[1]);
    if (status >= 100 && status < 200) continue;
    const headers = new Headers();
    for (const line of lines.slice(1)) {
      if (!line) continue;
      const colon = line.indexOf(":");
      if (colon <= 0) throw new Error(`The server sent a malformed header line: ${JSON.stringify(line)}`);
      headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
    }
    return { status, statusText: m[2] ?? "", headers };
  }
}

/** Whether a body is framed by its length or chunked (so the connection can carry another exchange). */
function delimited(headers: Headers): boolean {
  return /\bchunked\b/i.test(headers.get("transfer-encoding") ?? "") || headers.has("content-length");
}

/** The body's bytes, framed as the head says: by length, chunked, or until the connection closes. */
async function* bodyChunks(reader: ByteReader, headers: Headers): AsyncGenerator<Uint8Array> {
  const cut = () => new Error("The connection closed before the response body was complete");
  if (/\bchunked\b/i.test(headers.get("transfer-encoding") ?? "")) {
    for (;;) {
      const line = await reader.until(1, 4096);
      const size = parseInt(line, 16);
      if (!Number.isFinite(size) || size < 0) throw new Error(`Malformed chunk size ${JSON.stringify(line)}`);
      if (size === 0) {
        // Trailers, up to the empty line.
        while ((await reader.until(1, MAX_HEAD)) !== "\r\n") { /* skip */ }
        return;
      }
      for (let left = size; left > 0;) {
        const chunk = await reader.next(left);
        if (chunk === null) throw cut();
        left -= chunk.length;
        yield chunk;
      }
      if ((await reader.until(1, 2)) !== "\r\n") throw new Error("Malformed chunk end");
    }
  }
  const length = headers.get("content-length");
  if (length !== null) {
    let left = Number(length);
    if (!Number.isSafeInteger(left) || left < 0) throw new Error(`Malformed Content-Length ${length}`);
    while (left > 0) {
      const chunk = await reader.next(left);
      if (chunk === null) throw cut();
      left -= chunk.length;
      yield chunk;
    }
    return;
  }
  for (;;) {
    const chunk = await reader.next();
    if (chunk === null) return;
    yield chunk;
  }
}

// ---------------------------------------------------------------------------------------------
// Writing a request

type Body = Uint8Array | ReadableStream<Uint8Array> | PullBody | null;

/** A body given as a {@link PullBody} (passed where `fetch` takes its `BodyInit`). */
function isPullBody(body: unknown): body is PullBody {
  return typeof body === "object" && body !== null && typeof (body as PullBody).openPass === "function";
}

/** The body could not be produced (its stream or source failed): not the connection's fault. */
class BodyError extends Error {
  constructor(readonly reason: unknown) {
    super("The request body failed", { cause: reason });
  }
}

function normaliseBody(body: BodyInit | PullBody | null | undefined): Body {
  if (body === null || body === undefined) return null;
  if (isPullBody(body)) return body;
  if (typeof body === "string") return enc.encode(body);
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (typeof Blob !== "undefined" && body instanceof Blob) return body.stream();
  if (body instanceof ReadableStream) return body as ReadableStream<Uint8Array>;
  throw new TypeError("The socket transport sends Uint8Array, ArrayBuffer, string, Blob or stream bodies");
}

function requestHead(method: string, url: URL, init: RequestInit, body: Body, blobSize?: number): {
  head: Uint8Array;
  chunked: boolean;
} {
  const headers = new Headers(init.headers);
  if (!headers.has("host")) headers.set("host", url.host);
  let chunked = false;
  if (!headers.has("content-length")) {
    if (body instanceof Uint8Array || isPullBody(body)) headers.set("content-length", String(body.length));
    else if (blobSize !== undefined) headers.set("content-length", String(blobSize));
    else if (body) {
      headers.set("transfer-encoding", "chunked");
      chunked = true;
    } else if (method === "PUT" || method === "POST") headers.set("content-length", "0");
  }
  headers.delete("connection");
  let text = `${method} ${url.pathname}${url.search} HTTP/1.1\r\n`;
  headers.forEach((value, name) => (text += `${name}: ${value}\r\n`));
  return { head: enc.encode(text + "\r\n"), chunked };
}

/** Writes the head and the body, reporting the body bytes out so far; stops early once `answered()` (resolving `false`). */
async function writeRequest(
  socket: Socket,
  head: Uint8Array,
  body: Body,
  chunked: boolean,
  onSent: ((sent: number) => void) | undefined,
  answered: () => boolean,
): Promise<boolean> {
  if (body instanceof Uint8Array) {
    let sent = 0;
    const count = onSent && ((n: number) => onSent(sent += n));
    const chunk = Math.min(WRITE_CHUNK, Math.max(MIN_WRITE_CHUNK, Math.ceil(body.length / 8)));
    // A small body goes out with the head in one write.
    if (body.length <= MIN_WRITE_CHUNK) {
      await socket.write(concat(head, body));
      if (body.length > 0) onSent?.(body.length);
      return true;
    }
    await socket.write(head);
    for (let off = 0; off < body.length; off += chunk) {
      if (answered()) return false;
      await socket.write(body.subarray(off, Math.min(body.length, off + chunk)), count || undefined);
    }
    return true;
  }
  await socket.write(head);
  if (!body) return true;
  if (isPullBody(body)) {
    const pass = body.openPass();
    let sent = 0;
    const count = onSent && ((n: number) => onSent(sent += n));
    for (;;) {
      if (answered()) return false;
      let chunk: Uint8Array | null;
      try {
        chunk = await pass.next();
      } catch (e) {
        throw new BodyError(e);
      }
      if (chunk === null) break;
      if (sent + chunk.length > body.length) {
        throw new BodyError(new Error(`The body gave more than its ${body.length} bytes`));
      }
      const before = sent;
      await socket.write(chunk, count || undefined);
      if (!count) sent = before + chunk.length;
    }
    if (sent !== body.length) {
      throw new BodyError(new Error(`The body gave ${sent} of its ${body.length} bytes`));
    }
    return true;
  }
  const reader = body.getReader();
  let sent = 0;
  try {
    for (;;) {
      if (answered()) {
        await reader.cancel().catch(() => {});
        return false;
      }
      let r: ReadableStreamReadResult<Uint8Array>;
      try {
        r = await reader.read();
      } catch (e) {
        throw new BodyError(e);
      }
      const { done, value } = r;
      if (done) break;
      if (!value.length) continue;
      if (chunked) await socket.write(concat(enc.encode(value.length.toString(16) + "\r\n"), value, CRLF));
      else await socket.write(value);
      sent += value.length;
      onSent?.(sent);
    }
    if (chunked) await socket.write(enc.encode("0\r\n\r\n"));
    return true;
  } finally {
    reader.releaseLock();
  }
}

const CRLF = enc.encode("\r\n");

// ---------------------------------------------------------------------------------------------
// Connection reuse

/**
 * Idle connections of one origin, kept only while another request to it is in flight: concurrent
 * parts reuse each other's connections (no new TCP and TLS handshake per part), and once the last
 * request ends every idle connection is closed, so none outlives the work (no socket left open when
 * a program or a test is done, no timer).
 */
interface Pool {
  idle: { socket: Socket; since: number }[];
  active: number;
}

const pools = new Map<string, Pool>();
/** An idle connection older than this is not reused (servers close idle ones after a few seconds). */
const IDLE_MS = 2_000;
const MAX_IDLE = 16;

function poolOf(origin: string): Pool {
  let pool = pools.get(origin);
  if (!pool) pools.set(origin, pool = { idle: [], active: 0 });
  return pool;
}

/** An idle connection of the pool, or `undefined`. */
function takeIdle(pool: Pool): Socket | undefined {
  for (let p = pool.idle.pop(); p; p = pool.idle.pop()) {
    if (!p.socket.dead && Date.now() - p.since < IDLE_MS) return p.socket;
    p.socket.close();
  }
  return undefined;
}

/** Ends one request's use of `socket`: back to the pool if it can carry another exchange and others are in flight. */
function release(pool: Pool, socket: Socket, reusable: boolean): void {
  pool.active--;
  if (reusable && !socket.dead && pool.active > 0 && pool.idle.length < MAX_IDLE) {
    pool.idle.push({ socket, since: Date.now() });
  } else socket.close();
  if (pool.active === 0) {
    for (const p of pool.idle.splice(0)) p.socket.close();
  }
}

// ---------------------------------------------------------------------------------------------
// The transport

/** One exchange on a connection: the answer's head, its reader, and whether the body went out whole. */
interface Exchange {
  res: Head;
  reader: ByteReader;
  sentWhole: boolean;
}

/**
 * `fetch` on a socket: the request goes out with the headers given (Content-Length included; `Host`
 * added), a byte body in writes of up to 1 MiB from its own memory, `onSent(bytes)` after each write
 * of the body; the response body is a `ReadableStream` read from the socket as it is pulled. A
 * connection is reused while other requests to the origin are in flight (a request that fails on a
 * reused connection before any answer is sent again on a new one, unless its body is a stream).
 * Network failures reject with a `TypeError` (its cause the system's error), an abort with the
 * signal's reason, and the body stream errors the same way.
 *
 * @param input The URL.
 * @param init Method, headers, body and signal (other members are ignored).
 * @param onSent Receives the request-body bytes written so far.
 * @returns The response.
 */
export async function socketFetch(
  input: string | URL | Request,
  init: RequestInit = {},
  onSent?: (sent: number) => void,
): Promise<Response> {
  const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError(`The socket transport speaks http and https, not ${url.protocol}`);
  }
  const signal = init.signal ?? undefined;
  signal?.throwIfAborted();
  const method = (init.method ?? "GET").toUpperCase();
  const blobSize = typeof Blob !== "undefined" && init.body instanceof Blob ? init.body.size : undefined;
  const body = normaliseBody(init.body);
  const { head, chunked } = requestHead(method, url, init, body, blobSize);
  const failed = (e: unknown) =>
    signal?.aborted
      ? signal.reason
      : new TypeError(`Request to ${url.host} failed: ${e instanceof Error ? e.message : e}`, { cause: e });

  const pool = poolOf(url.origin);
  pool.active++;
  let socket: Socket | undefined;
  let finished = false;
  const onAbort = () => socket?.close();
  signal?.addEventListener("abort", onAbort, { once: true });
  /** Ends the request (once): the connection goes back to the pool or is closed. */
  const finish = (reusable: boolean) => {
    if (finished) return;
    finished = true;
    signal?.removeEventListener("abort", onAbort);
    if (socket) release(pool, socket, reusable && !signal?.aborted);
    else pool.active--;
  };

  let exchange: Exchange;
  try {
    for (;;) {
      const reused = body instanceof ReadableStream ? undefined : takeIdle(pool);
      socket = reused ?? await connect(url, signal);
      if (signal?.aborted) socket.close(); // aborted while connecting
      signal?.throwIfAborted();
      const reader = new ByteReader(socket);
      try {
        exchange = await exchangeOn(socket, reader, head, body, chunked, onSent);
        break;
      } catch (e) {
        if (e instanceof BodyError) throw e.reason;
        // A reused connection the server had closed: the request never reached it; send it again.
        if (reused && !signal?.aborted && !reader.received) {
          socket.close();
          continue;
        }
        throw e;
      }
    }
  } catch (e) {
    finish(false);
    if (body instanceof ReadableStream) await body.cancel().catch(() => {});
    throw failed(e);
  }
  const { res: { status, statusText, headers }, reader, sentWhole } = exchange;
  const reusable = sentWhole && !/\bclose\b/i.test(headers.get("connection") ?? "");
  if (method === "HEAD" || status === 204 || status === 304) {
    finish(reusable && !reader.pending);
    return new Response(null, { status, statusText, headers });
  }
  if (headers.get("content-length") === "0") {
    finish(reusable && !reader.pending);
    return new Response(new Uint8Array(0), { status, statusText, headers });
  }
  const framed = delimited(headers);
  const chunks = bodyChunks(reader, headers);
  let open = true;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const r = await chunks.next();
        if (!open) return;
        if (r.done) {
          open = false;
          finish(reusable && framed && !reader.pending);
          controller.close();
        } else controller.enqueue(r.value);
      } catch (e) {
        open = false;
        finish(false);
        controller.error(
          signal?.aborted
            ? signal.reason
            : new TypeError("The connection closed before the response body was complete", { cause: e }),
        );
      }
    },
    cancel() {
      open = false;
      finish(false);
    },
  }, { highWaterMark: 0 });
  return new Response(stream, { status, statusText, headers });
}

/** Sends the request on `socket` while reading the answer's head with `reader`. */
async function exchangeOn(
  socket: Socket,
  reader: ByteReader,
  head: Uint8Array,
  body: Body,
  chunked: boolean,
  onSent: ((sent: number) => void) | undefined,
): Promise<Exchange> {
  let answered = false;
  const headPromise = readHead(reader).then((h) => {
    answered = true;
    return h;
  });
  headPromise.catch(() => {}); // observed below
  let sentWhole = false;
  try {
    sentWhole = await writeRequest(socket, head, body, chunked, onSent, () => answered);
  } catch (e) {
    // The body failed: the server would wait for the rest of it, so the connection is closed and the
    // body's own failure is the answer.
    if (e instanceof BodyError) {
      socket.close();
      throw e;
    }
    // The server may have answered (an error) and closed before taking the whole body: that answer
    // counts; otherwise the write's failure does.
    try {
      return { res: await headPromise, reader, sentWhole: false };
    } catch {
      throw e;
    }
  }
  return { res: await headPromise, reader, sentWhole };
}
