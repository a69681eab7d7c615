/**
 * TLS for private endpoints: `fetch` trusting extra CA certificates (`--ca`), or one that does not
 * verify certificates at all (`--insecure`). Deno's fetch has no switch for the latter short of the
 * process-wide `--unsafely-ignore-certificate-errors`, so the insecure transport tunnels fetch's own
 * plain HTTP/1.1 through `node:tls` with `rejectUnauthorized: false`, scoped to the kit's requests.
 *
 * @module
 */

/** A `fetch` and how to release what it holds. */
export interface Transport {
  /** The fetch to send with. */
  fetch: typeof fetch;
  /** Closes its connections. */
  close(): void;
}

/**
 * `fetch` that also trusts `caCerts` (PEM), on a `Deno.HttpClient` of its own.
 *
 * @param caCerts PEM certificates (one or more per string).
 * @returns The transport.
 */
export function caTransport(caCerts: string[]): Transport {
  const client = Deno.createHttpClient({ caCerts });
  return {
    fetch: (input, init) => fetch(input, { ...init, client }),
    close: () => client.close(),
  };
}

// The small part of node:tls used here.
interface TlsSocket {
  write(chunk: Uint8Array): boolean;
  end(): void;
  destroy(): void;
  pause(): void;
  resume(): void;
  on(event: "data", fn: (chunk: Uint8Array) => void): unknown;
  on(event: "end" | "close" | "drain", fn: () => void): unknown;
  on(event: "error", fn: (e: Error) => void): unknown;
  once(event: "drain", fn: () => void): unknown;
}
interface NodeTls {
  connect(options: Record<string, unknown>): TlsSocket;
}

/** Pipes one local connection through a TLS connection that does not verify the peer. */
function tunnel(conn: Deno.Conn, tls: NodeTls, host: string, port: number, open: Set<() => void>): void {
  const ip = /^[\d.]+$|:/.test(host);
  const sock = tls.connect({ host, port, rejectUnauthorized: false, ...(ip ? {} : { servername: host }) });
  const writer = conn.writable.getWriter();
  const close = () => {
    open.delete(close);
    sock.destroy();
    try {
      conn.close();
    } catch { /* already closed */ }
  };
  open.add(close);
  sock.on("data", (chunk) => {
    writer.write(chunk).catch(close);
    if ((writer.desiredSize ?? 1) <= 0) {
      sock.pause();
      writer.ready.then(() => sock.resume(), close);
    }
  });
  sock.on("end", () => writer.close().catch(() => {}));
  sock.on("error", close);
  sock.on("close", () => open.delete(close));
  (async () => {
    try {
      for await (const chunk of conn.readable) {
        if (!sock.write(chunk)) await new Promise<void>((r) => sock.once("drain", r));
      }
      sock.end();
    } catch {
      close();
    }
  })();
}

/**
 * `fetch` that does not verify TLS certificates (`--insecure`). Deno's fetch cannot be told so per
 * client, and `node:https` does not send header bytes as fetch does (UTF-8 metadata arrives
 * re-encoded), so the bytes stay fetch's own: each `https://host:port` URL is sent as
 * `http://host:port` (same Host header, same signature) over a `Deno.HttpClient` whose only
 * transport is a loopback tunnel, and the tunnel wraps that plain connection in TLS to the real
 * endpoint with `node:tls` and `rejectUnauthorized: false`. Plain `http:` URLs use the global fetch.
 *
 * @returns The transport.
 */
export async function insecureTransport(): Promise<Transport> {
  const tls = (await import("node:tls")) as unknown as NodeTls;
  const routes = new Map<string, { client: Deno.HttpClient; listener: Deno.Listener }>();
  const open = new Set<() => void>();
  const route = (url: URL) => {
    const port = Number(url.port || 443);
    const key = `${url.hostname}:${port}`;
    let r = routes.get(key);
    if (!r) {
      const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
      const host = url.hostname.replace(/^\[|\]$/g, "");
      (async () => {
        try {
          for await (const conn of listener) tunnel(conn, tls, host, port, open);
        } catch { /* closed */ }
      })();
      const client = Deno.createHttpClient({
        proxy: { transport: "tcp", hostname: "127.0.0.1", port: (listener.addr as Deno.NetAddr).port },
      });
      routes.set(key, r = { client, listener });
    }
    return r;
  };
  const insecureFetch = (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.protocol !== "https:") return fetch(input, init);
    const { client } = route(url);
    // The same Host header as the https URL (whose default port is implicit): the signature holds.
    return fetch(`http://${url.host}${url.pathname}${url.search}`, { ...init, client });
  };
  return {
    fetch: insecureFetch as typeof fetch,
    close: () => {
      for (const { client, listener } of routes.values()) {
        client.close();
        try {
          listener.close();
        } catch { /* already closed */ }
      }
      for (const close of [...open]) close();
      routes.clear();
    },
  };
}
