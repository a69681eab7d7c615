/**
 * A TCP relay that adds latency: every byte is forwarded `delayMs` after it arrived, in each
 * direction, and a new connection costs one extra round trip before its first byte goes through (as
 * a TCP handshake over such a link would). Used by the tests and `deno task bench` to run the kit as
 * a vendor's CI does, far from the endpoint.
 *
 * @module
 */

/** Options of {@link startRelay}. */
export interface RelayOptions {
  /** Host to forward to. */
  targetHost: string;
  /** Port to forward to. */
  targetPort: number;
  /** Latency added in each direction, in milliseconds (a round trip costs twice this). */
  delayMs: number;
  /** Also delay a new connection's first byte by one round trip (default true). */
  handshake?: boolean;
}

/** A running relay. */
export interface Relay {
  /** `http://127.0.0.1:<port>` of the relay. */
  url: string;
  /** The relay's port. */
  port: number;
  /** Connections accepted so far. */
  readonly connections: number;
  /** Stops accepting and closes every open connection. */
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Forwards `from` to `to`, each chunk `delayMs` after it was read; half-closes `to` at the end. */
async function pipe(
  from: Deno.Conn,
  to: Deno.Conn,
  delayMs: number,
  firstDelayMs: number,
): Promise<void> {
  const queue: Array<{ at: number; data: Uint8Array | null }> = [];
  let wake: (() => void) | undefined;
  let first = true;
  const reader = (async () => {
    const buf = new Uint8Array(64 * 1024);
    try {
      for (;;) {
        const n = await from.read(buf);
        const extra = first ? firstDelayMs : 0;
        first = false;
        queue.push({ at: performance.now() + delayMs + extra, data: n === null ? null : buf.slice(0, n) });
        wake?.();
        if (n === null) return;
      }
    } catch {
      queue.push({ at: performance.now(), data: null });
      wake?.();
    }
  })();
  try {
    for (;;) {
      if (queue.length === 0) await new Promise<void>((r) => (wake = r));
      wake = undefined;
      const item = queue.shift()!;
      const wait = item.at - performance.now();
      if (wait > 0.5) await sleep(wait);
      if (item.data === null) break;
      let off = 0;
      while (off < item.data.length) off += await to.write(item.data.subarray(off));
    }
    await to.closeWrite().catch(() => {});
  } catch {
    try {
      to.close();
    } catch { /* already closed */ }
  }
  await reader;
}

/**
 * Starts a latency-adding TCP relay on a loopback port.
 *
 * @param options Target and delay.
 * @returns The relay.
 */
export function startRelay(options: RelayOptions): Relay {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const open = new Set<Deno.Conn>();
  let connections = 0;
  const handshake = options.handshake === false ? 0 : 2 * options.delayMs;
  const serveOne = async (client: Deno.Conn) => {
    connections++;
    open.add(client);
    let server: Deno.Conn | undefined;
    try {
      server = await Deno.connect({ hostname: options.targetHost, port: options.targetPort });
      open.add(server);
      await Promise.all([
        pipe(client, server, options.delayMs, handshake),
        pipe(server, client, options.delayMs, 0),
      ]);
    } catch {
      /* a side went away */
    } finally {
      for (const c of [client, server]) {
        if (!c) continue;
        open.delete(c);
        try {
          c.close();
        } catch { /* already closed */ }
      }
    }
  };
  const accepting = (async () => {
    try {
      for await (const conn of listener) serveOne(conn);
    } catch { /* listener closed */ }
  })();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get connections() {
      return connections;
    },
    async close() {
      try {
        listener.close();
      } catch { /* already closed */ }
      for (const c of open) {
        try {
          c.close();
        } catch { /* already closed */ }
      }
      open.clear();
      await accepting;
    },
  };
}
