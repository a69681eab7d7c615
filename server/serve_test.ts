import assert from "node:assert/strict";
import { createHandler, serve, type ServeOptions } from "./mod.ts";
import { signedRequest } from "./_test_util.ts";

// serve() runs on node:http (here Deno's); the handler also runs when given to Deno.serve directly, with
// Deno's info (remoteAddr; its completed promise turned into the signal). Real Node and Bun run serve()
// in client/runtime_test.ts and server/socket_test.ts.
const BACKENDS: { name: string; start(o: ServeOptions): Promise<{ url: string; close(): Promise<void> }> }[] =
  [
    { name: "serve() (node:http)", start: (o) => serve(o) },
    {
      name: "Deno.serve (the handler given directly)",
      async start(o) {
        const handler = createHandler(o);
        await handler.ready;
        const server = Deno.serve({
          hostname: "127.0.0.1",
          port: 0,
          onListen() {},
          onError: () => new Response(null, { status: 500 }),
        }, (req, info) => {
          const ac = new AbortController();
          info.completed.then(() => ac.abort(), () => ac.abort());
          return handler(req, { signal: ac.signal, remoteAddr: info.remoteAddr });
        });
        return {
          url: `http://127.0.0.1:${server.addr.port}`,
          close: async () => void await Promise.all([server.shutdown(), handler.close()]),
        };
      },
    },
  ];

async function send(base: string, t: Parameters<typeof signedRequest>[0]): Promise<Response> {
  const u = new URL(base);
  const req = await signedRequest({ ...t, host: u.host });
  return await fetch(req);
}

for (const backend of BACKENDS) {
  Deno.test(`serve(): the handler works under a real ${backend.name} socket`, async () => {
    const server = await backend.start({ port: 0 });
    try {
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal((await send(server.url, { method: "PUT", path: "/sock" })).status, 200);
      const body = new Uint8Array(3 * 1024 * 1024).map((_, i) => i % 251);
      const put = await send(server.url, { method: "PUT", path: "/sock/big.bin", body });
      assert.equal(put.status, 200);
      await put.body?.cancel();
      const get = await send(server.url, { path: "/sock/big.bin" });
      assert.deepEqual(new Uint8Array(await get.arrayBuffer()), body);
      const found = await send(server.url, { method: "HEAD", path: "/sock/big.bin" });
      assert.equal(found.headers.get("content-length"), String(body.byteLength));
      assert.equal(found.headers.get("etag")?.length, 32);
      assert.ok(
        !found.headers.get("date")!.includes(",".repeat(2)) &&
          !Number.isNaN(Date.parse(found.headers.get("date")!)),
      );
      const head = await send(server.url, { method: "HEAD", path: "/sock/missing" });
      assert.equal(head.status, 404);
      assert.equal(head.headers.get("x-bce-error-code"), "NoSuchKey");
      const bad = await send(server.url, { path: "/sock/x", secretAccessKey: "nope" });
      assert.equal(bad.status, 403);
      assert.equal((await bad.json()).code, "SignatureDoesNotMatch");
    } finally {
      await server.close();
    }
  });

  Deno.test(`serve(): faults over a ${backend.name} socket — reset and truncate fail the body read, stall lets a client time out`, async () => {
    const server = await backend.start({ port: 0, faults: true });
    try {
      await (await send(server.url, { method: "PUT", path: "/flt" })).body?.cancel();
      await (await send(server.url, { method: "PUT", path: "/flt/obj", body: new Uint8Array(100_000) })).body
        ?.cancel();
      const reset = await send(server.url, {
        method: "PUT",
        path: "/flt/new",
        body: "x",
        headers: { "x-boskit-fault": "reset" },
      });
      await assert.rejects(() => reset.arrayBuffer());
      assert.equal((await send(server.url, { method: "HEAD", path: "/flt/new" })).status, 404);
      const trunc = await send(server.url, {
        path: "/flt/obj",
        headers: { "x-boskit-fault": "truncate-after-1000" },
      });
      assert.equal(trunc.headers.get("content-length"), "100000");
      await assert.rejects(() => trunc.arrayBuffer());
      await assert.rejects(() =>
        send(server.url, {
          path: "/flt/obj",
          headers: { "x-boskit-fault": "stall-after-0" },
          signal: AbortSignal.timeout(100),
        })
      );
      const stall = await send(server.url, {
        path: "/flt/obj",
        headers: { "x-boskit-fault": "stall-after-10" },
      });
      const reader = stall.body!.getReader();
      assert.ok((await reader.read()).value);
      const timer = AbortSignal.timeout(100);
      await assert.rejects(() =>
        Promise.race([
          reader.read(),
          new Promise((_, reject) => timer.addEventListener("abort", () => reject(new Error("timed out")))),
        ])
      );
      await reader.cancel().catch(() => {});
      const plan = await fetch(server.url + "/_boskit/faults", {
        method: "POST",
        body: JSON.stringify({ match: { operation: "GetObject" }, faults: ["503"] }),
      });
      assert.equal(plan.status, 200);
      await plan.body?.cancel();
      const r = await send(server.url, { path: "/flt/obj" });
      assert.equal(r.status, 503);
      assert.equal((await r.json()).code, "ServiceUnavailable");
    } finally {
      await server.close();
    }
  });
}
