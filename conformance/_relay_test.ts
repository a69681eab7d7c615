import assert from "node:assert/strict";
import { startRelay } from "./_relay.ts";

/** An echo server: every connection gets back what it sends, then is half-closed after the sender's. */
function echoServer() {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const served = (async () => {
    for await (const conn of listener) {
      (async () => {
        try {
          await conn.readable.pipeTo(conn.writable);
        } catch { /* closed */ }
      })();
    }
  })().catch(() => {});
  return { port: (listener.addr as Deno.NetAddr).port, close: () => (listener.close(), served) };
}

async function readExactly(conn: Deno.Conn, n: number): Promise<Uint8Array> {
  const out = new Uint8Array(n);
  let got = 0;
  while (got < n) {
    const r = await conn.read(out.subarray(got));
    if (r === null) throw new Error(`EOF after ${got} of ${n} bytes`);
    got += r;
  }
  return out;
}

Deno.test("relay: bytes cross both ways intact, in order, each direction delayed, and EOF is passed on", async () => {
  const echo = echoServer();
  const delayMs = 30;
  const relay = startRelay({ targetHost: "127.0.0.1", targetPort: echo.port, delayMs });
  try {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: relay.port });
    const data = crypto.getRandomValues(new Uint8Array(60_000));
    const t0 = performance.now();
    const writing = (async () => {
      for (let i = 0; i < data.length; i += 7000) await conn.write(data.subarray(i, i + 7000));
      await conn.closeWrite();
    })();
    const first = await readExactly(conn, 1);
    const firstByteMs = performance.now() - t0;
    const rest = await readExactly(conn, data.length - 1);
    await writing;
    assert.deepEqual(new Uint8Array([...first, ...rest]), data);
    // A new connection pays a handshake round trip, then the bytes one round trip: ≥ 4 × delay.
    assert(firstByteMs >= 4 * delayMs - 2, `the first byte came back after ${firstByteMs} ms`);
    assert.equal(await conn.read(new Uint8Array(1)), null, "the echo's EOF reaches the client");
    conn.close();

    // A second exchange on a fresh connection without the handshake cost.
    const fast = startRelay({ targetHost: "127.0.0.1", targetPort: echo.port, delayMs, handshake: false });
    const c2 = await Deno.connect({ hostname: "127.0.0.1", port: fast.port });
    const t1 = performance.now();
    await c2.write(new Uint8Array([42]));
    assert.deepEqual(await readExactly(c2, 1), new Uint8Array([42]));
    const rtt = performance.now() - t1;
    assert(rtt >= 2 * delayMs - 2, `one round trip took ${rtt} ms`);
    c2.close();
    await fast.close();
    assert.equal(relay.connections, 1);
  } finally {
    await relay.close();
    await echo.close();
  }
});
