// The node:http transport the client uses on Deno for streamed request bodies: what it sends, how
// it surfaces failures, and the client's upload engine on it against the reference server's faults.
import assert from "node:assert/strict";
import { BosClient, BosError, hash, toHex } from "../mod.ts";
import { LOCAL_CREDENTIALS } from "../server/mod.ts";
import { nodeStreamingFetch } from "./_node_fetch.ts";
import { denoProxyConfigured } from "./_runtime.ts";
import { randomBytes, startHttpServer } from "./testdata/harness.ts";

function streamOf(bytes: Uint8Array, chunk: number): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    pull(c) {
      if (i >= bytes.length) return c.close();
      c.enqueue(bytes.subarray(i, i + chunk));
      i += chunk;
    },
  });
}

Deno.test("node transport: a stream body goes out with the Content-Length given, not chunked", async () => {
  const seen: Record<string, string | null>[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const n = (await req.arrayBuffer()).byteLength;
    seen.push({
      cl: req.headers.get("content-length"),
      te: req.headers.get("transfer-encoding"),
      n: String(n),
    });
    return new Response("done", { status: 201, headers: { "x-bce-request-id": "r1" } });
  });
  try {
    const res = await nodeStreamingFetch(`http://127.0.0.1:${server.addr.port}/b/k`, {
      method: "PUT",
      headers: { "content-length": "300000" },
      body: streamOf(new Uint8Array(300000), 65536),
    });
    assert.equal(res.status, 201);
    assert.equal(res.headers.get("x-bce-request-id"), "r1");
    assert.equal(await res.text(), "done");
    assert.deepEqual(seen, [{ cl: "300000", te: null, n: "300000" }]);
  } finally {
    await server.shutdown();
  }
});

Deno.test("node transport: HEAD, 204 and 304 have no body; a response cut short errors the body stream", async () => {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    const path = new URL(req.url).pathname;
    if (path === "/204") return new Response(null, { status: 204 });
    if (path === "/cut") {
      const body = new ReadableStream({
        start(c) {
          c.enqueue(new Uint8Array(10));
          c.error(new Error("cut"));
        },
      });
      return new Response(body, { headers: { "content-length": "100" } });
    }
    return new Response("abc", { headers: { etag: '"x"' } });
  });
  const base = `http://127.0.0.1:${server.addr.port}`;
  try {
    const head = await nodeStreamingFetch(base + "/k", { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(head.body, null);
    const none = await nodeStreamingFetch(base + "/204", { method: "DELETE" });
    assert.equal(none.status, 204);
    assert.equal(none.body, null);
    const cut = await nodeStreamingFetch(base + "/cut", { method: "GET" });
    await assert.rejects(cut.arrayBuffer(), TypeError);
  } finally {
    await server.shutdown();
  }
});

Deno.test("node transport: an abort rejects with the signal's reason; a refused connection is a TypeError", async () => {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    await req.arrayBuffer();
    return new Response("late");
  });
  try {
    const ac = new AbortController();
    const never = new ReadableStream<Uint8Array>({ pull: () => new Promise(() => {}) });
    const pending = nodeStreamingFetch(`http://127.0.0.1:${server.addr.port}/k`, {
      method: "PUT",
      headers: { "content-length": "10" },
      body: never,
      signal: ac.signal,
    });
    const reason = new Error("stop");
    ac.abort(reason);
    await assert.rejects(pending, (e) => e === reason);
  } finally {
    await server.shutdown();
  }
  await assert.rejects(nodeStreamingFetch(`http://127.0.0.1:1/k`, { method: "GET" }), TypeError);
});

Deno.test({
  name:
    "client on Deno: streamed parts via node:http give byte-level progress; 503, reset and a stalled answer are retried; the object is intact",
  // With a proxy configured the client deliberately keeps to fetch (see the proxy test below).
  ignore: denoProxyConfigured(),
}, async () => {
  const s = await startHttpServer({ faults: true });
  try {
    const client = new BosClient({
      endpoint: s.url,
      credentials: LOCAL_CREDENTIALS,
      timeoutMs: 1500,
      retry: { baseDelayMs: 5, maxDelayMs: 20 },
    });
    assert.equal(client.streamingUploads, true);
    await client.createBucket("node-transport");
    await s.addFaults({ operation: "UploadPart", partNumber: 2 }, ["503", "reset", "stall-after-0"]);
    const data = randomBytes(3 * 1024 * 1024 + 5, 3);
    const events: number[] = [];
    const result = await client.upload("node-transport", "k", data, {
      partSize: 1024 * 1024,
      concurrency: 2,
      onProgress: (e) => events.push(e.transferred),
    });
    assert.equal(result.partCount, 4);
    assert(events.length > 8, `byte-level progress, got ${events.length} events`);
    assert.equal(events.at(-1), data.length);
    assert(events.every((t, i) => i === 0 || t > events[i - 1]), "monotonic");
    const plans = await s.faultPlans();
    assert.deepEqual(plans[0].consumed.map((c) => c.fault), ["503", "reset", "stall-after-0"]);
    const stored = await (await client.getObject("node-transport", "k")).bytes();
    assert.equal(toHex(await hash("md5", stored)), toHex(await hash("md5", data)));

    const ac = new AbortController();
    const aborted = client.upload("node-transport", "k2", randomBytes(4 * 1024 * 1024, 4), {
      partSize: 1024 * 1024,
      signal: ac.signal,
      onProgress: () => ac.abort(new Error("user stop")),
    });
    await assert.rejects(aborted, (e) => e instanceof BosError && e.code === "Aborted");
  } finally {
    await s.close();
  }
});

Deno.test("client on Deno: with an HTTP proxy configured, streamed bodies stay on fetch (node:http ignores proxies)", async () => {
  // In a child process: the environment is process-wide and other tests run in parallel.
  const code = `import { BosClient } from ${JSON.stringify(new URL("../mod.ts", import.meta.url).href)};
    const c = new BosClient({ endpoint: "https://bj.bcebos.com", credentials: { accessKeyId: "a", secretAccessKey: "s" } });
    console.log(JSON.stringify(c.streamingUploads));`;
  const run = async (env: Record<string, string>) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["eval", "--ext=ts", code],
      env,
      clearEnv: true,
      stdout: "piped",
      stderr: "inherit",
    }).output();
    assert(out.success);
    return JSON.parse(new TextDecoder().decode(out.stdout));
  };
  const home = { HOME: Deno.env.get("HOME") ?? "/tmp", PATH: Deno.env.get("PATH") ?? "" };
  assert.equal(await run({ ...home, HTTPS_PROXY: "http://proxy.invalid:3128" }), false);
  assert.equal(await run(home), true);
  assert.equal(typeof denoProxyConfigured(), "boolean");
});
