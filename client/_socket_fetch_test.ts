// The socket transport the client uses on Deno and Node for large, streamed and progress-watched
// request bodies: what it sends, how it reads answers, how it surfaces failures, TLS, and the client's
// upload engine on it against the reference server's faults. (These cases were those of the node:http
// transport it replaced, with the same assertions, and more.)
import assert from "node:assert/strict";
import { BosClient, BosError, hash, toHex } from "../mod.ts";
import { LOCAL_CREDENTIALS } from "../server/mod.ts";
import { socketFetch } from "./_socket_fetch.ts";
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

Deno.test("socket transport: a stream body goes out with the Content-Length given, not chunked", async () => {
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
    const res = await socketFetch(`http://127.0.0.1:${server.addr.port}/b/k`, {
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

Deno.test("socket transport: HEAD, 204 and 304 have no body; a response cut short errors the body stream", async () => {
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
    const head = await socketFetch(base + "/k", { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(head.body, null);
    const none = await socketFetch(base + "/204", { method: "DELETE" });
    assert.equal(none.status, 204);
    assert.equal(none.body, null);
    const cut = await socketFetch(base + "/cut", { method: "GET" });
    await assert.rejects(cut.arrayBuffer(), TypeError);
  } finally {
    await server.shutdown();
  }
});

Deno.test("socket transport: an abort rejects with the signal's reason; a refused connection is a TypeError", async () => {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    await req.arrayBuffer();
    return new Response("late");
  });
  try {
    const ac = new AbortController();
    const never = new ReadableStream<Uint8Array>({ pull: () => new Promise(() => {}) });
    const pending = socketFetch(`http://127.0.0.1:${server.addr.port}/k`, {
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
  await assert.rejects(socketFetch(`http://127.0.0.1:1/k`, { method: "GET" }), TypeError);
});

Deno.test({
  name:
    "client on Deno: parts via the socket transport give byte-level progress; 503, reset and a stalled answer are retried; the object is intact",
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

Deno.test("client on Deno: with an HTTP proxy configured, streamed bodies stay on fetch (the socket transport ignores proxies)", async () => {
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

/** A one-connection TCP server that reads the request head and answers with `respond(head, conn)`. */
function rawServer(
  respond: (head: string, conn: Deno.Conn, rest: Uint8Array) => Promise<void>,
): { url: string; done: Promise<void> } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const done = (async () => {
    const conn = await listener.accept();
    listener.close();
    try {
      let seen = new Uint8Array(0);
      let end = -1;
      while (end < 0) {
        const buf = new Uint8Array(65536);
        const n = await conn.read(buf);
        if (n === null) return;
        const next = new Uint8Array(seen.length + n);
        next.set(seen);
        next.set(buf.subarray(0, n), seen.length);
        seen = next;
        end = new TextDecoder("latin1").decode(seen).indexOf("\r\n\r\n");
      }
      await respond(new TextDecoder("latin1").decode(seen.subarray(0, end)), conn, seen.subarray(end + 4));
    } finally {
      try {
        conn.close();
      } catch { /* closed by the client */ }
    }
  })();
  return { url: `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`, done };
}

const text = (s: string) => new TextEncoder().encode(s);

Deno.test("socket transport: interim 100 answers are skipped; chunked and close-delimited bodies are read whole", async () => {
  const chunked = rawServer(async (_head, conn) => {
    await conn.write(text("HTTP/1.1 100 Continue\r\n\r\n"));
    await conn.write(text("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Bce-Request-Id: r2\r\n\r\n"));
    await conn.write(text("5\r\nhello\r\n"));
    await conn.write(text("6\r\n world\r\n0\r\nx-trailer: t\r\n\r\n"));
  });
  const res = await socketFetch(chunked.url + "/k");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("x-bce-request-id"), "r2");
  assert.equal(await res.text(), "hello world");
  await chunked.done;

  const closeDelimited = rawServer(async (_head, conn) => {
    await conn.write(text('HTTP/1.0 404 Not Found\r\nContent-Type: application/json\r\n\r\n{"code":'));
    await conn.write(text('"NoSuchKey"}'));
  });
  const missing = await socketFetch(closeDelimited.url + "/k");
  assert.equal(missing.status, 404);
  assert.deepEqual(await missing.json(), { code: "NoSuchKey" });
  await closeDelimited.done;
});

Deno.test("socket transport: an answer before the whole body is sent is returned, not lost", async () => {
  const early = rawServer(async (head, conn) => {
    assert.match(head, /^PUT \/b\/k\?partNumber=1 HTTP\/1\.1\r\n/);
    assert.match(head, /\r\ncontent-length: 33554432\r\n/);
    assert.match(head, /\r\nhost: 127\.0\.0\.1:\d+(\r\n|$)/);
    const body = '{"code":"AccessDenied","message":"no"}';
    await conn.write(text(`HTTP/1.1 403 Forbidden\r\nContent-Length: ${body.length}\r\n\r\n${body}`));
  });
  const res = await socketFetch(early.url + "/b/k?partNumber=1", {
    method: "PUT",
    headers: { "content-length": String(32 * 1024 * 1024) },
    body: new Uint8Array(32 * 1024 * 1024),
  });
  assert.equal(res.status, 403);
  assert.equal((await res.json()).code, "AccessDenied");
  await early.done;
});

Deno.test("socket transport: a byte body goes out in writes of at most 1 MiB, each counted once out; a stream without a length goes chunked", async () => {
  const seen: { cl: string | null; te: string | null; n: number }[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const n = (await req.arrayBuffer()).byteLength;
    seen.push({ cl: req.headers.get("content-length"), te: req.headers.get("transfer-encoding"), n });
    return new Response(null, { status: 200, headers: { etag: '"e"' } });
  });
  try {
    const url = `http://127.0.0.1:${server.addr.port}/b/k`;
    const body = randomBytes(5 * 1024 * 1024 + 3, 9);
    const sent: number[] = [];
    const res = await socketFetch(url, { method: "PUT", body }, (n) => sent.push(n));
    assert.equal(res.status, 200);
    assert.equal(sent.at(-1), body.length);
    assert(
      sent.every((n, i) => n > (sent[i - 1] ?? 0) && n - (sent[i - 1] ?? 0) <= 1024 * 1024),
      "monotonic, ≤ 1 MiB",
    );
    assert(sent.length >= 6, `byte-level progress, got ${sent.length} events`);
    const small: number[] = [];
    await socketFetch(url, { method: "PUT", body: new Uint8Array(1024 * 1024) }, (n) => small.push(n));
    assert(small.length >= 8, `a 1 MiB body reports at least 8 steps, got ${small.length}`);
    await socketFetch(url, { method: "PUT", body: streamOf(new Uint8Array(70000), 30000) });
    await socketFetch(url, { method: "PUT", body: new Blob([new Uint8Array(1000)]) });
    assert.deepEqual(seen, [
      { cl: String(body.length), te: null, n: body.length },
      { cl: String(1024 * 1024), te: null, n: 1024 * 1024 },
      { cl: null, te: "chunked", n: 70000 },
      { cl: "1000", te: null, n: 1000 },
    ]);
  } finally {
    await server.shutdown();
  }
});

Deno.test("socket transport: an abort while the response body streams errors it with the signal's reason", async () => {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () => {
    const body = new ReadableStream({
      start(c) {
        c.enqueue(new Uint8Array(1000));
      },
    });
    return new Response(body, { headers: { "content-length": "100000" } });
  });
  try {
    const ac = new AbortController();
    const res = await socketFetch(`http://127.0.0.1:${server.addr.port}/k`, { signal: ac.signal });
    const reader = res.body!.getReader();
    assert.equal((await reader.read()).value?.length, 1000);
    const reason = new Error("user stop");
    const pending = reader.read();
    ac.abort(reason);
    await assert.rejects(pending, (e) => e === reason);
  } finally {
    await server.shutdown();
  }
});

Deno.test({
  name: "socket transport: https (TLS) to a server whose certificate the runtime trusts (DENO_CERT)",
  ignore: !(await hasOpenssl()),
}, async () => {
  const dir = await Deno.makeTempDir();
  try {
    const run = (args: string[]) =>
      new Deno.Command("openssl", { args, cwd: dir, stdout: "null", stderr: "null" }).output();
    await run([
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      "ca.key",
      "-out",
      "ca.pem",
      "-days",
      "2",
      "-subj",
      "/CN=boskit test CA",
    ]);
    await Deno.writeTextFile(`${dir}/ext.cnf`, "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
    await run([
      "req",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      "key.pem",
      "-out",
      "req.csr",
      "-subj",
      "/CN=localhost",
    ]);
    await run([
      "x509",
      "-req",
      "-in",
      "req.csr",
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-out",
      "cert.pem",
      "-days",
      "2",
      "-extfile",
      "ext.cnf",
    ]);
    // In a child process: trust comes from DENO_CERT, which is read at start-up.
    const code = `import { socketFetch } from ${
      JSON.stringify(new URL("./_socket_fetch.ts", import.meta.url).href)
    };
      const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {},
        cert: Deno.readTextFileSync("cert.pem"), key: Deno.readTextFileSync("key.pem") },
        async (req) => new Response(String((await req.arrayBuffer()).byteLength)));
      const sent = [];
      const res = await socketFetch("https://localhost:" + server.addr.port + "/k",
        { method: "PUT", body: new Uint8Array(3 * 1024 * 1024) }, (n) => sent.push(n));
      console.log(JSON.stringify({ status: res.status, text: await res.text(), last: sent.at(-1) }));
      await server.shutdown();`;
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["eval", "--ext=ts", code],
      cwd: dir,
      env: { DENO_CERT: `${dir}/ca.pem` },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert(out.success, new TextDecoder().decode(out.stderr));
    assert.deepEqual(JSON.parse(new TextDecoder().decode(out.stdout)), {
      status: 200,
      text: String(3 * 1024 * 1024),
      last: 3 * 1024 * 1024,
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

async function hasOpenssl(): Promise<boolean> {
  try {
    return (await new Deno.Command("openssl", { args: ["version"], stdout: "null", stderr: "null" }).output())
      .success;
  } catch {
    return false;
  }
}

Deno.test("socket transport: concurrent requests reuse each other's connections; none stays open after the last", async () => {
  const ports = new Set<number>();
  let requests = 0;
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req, info) => {
    await req.arrayBuffer();
    if (new URL(req.url).pathname === "/b/held") {
      await held;
      return new Response(null, { status: 204 });
    }
    ports.add(info.remoteAddr.port);
    requests++;
    return new Response(null, { headers: { etag: '"e"' } });
  });
  try {
    const url = `http://127.0.0.1:${server.addr.port}/b/k`;
    // One request stays in flight throughout, so that connections are kept for reuse whatever the
    // scheduling between the three sequences (a connection is pooled only while others are in flight).
    const hold = socketFetch(`http://127.0.0.1:${server.addr.port}/b/held`, { method: "PUT", body: "h" });
    const body = new Uint8Array(2 * 1024 * 1024);
    await Promise.all(Array.from({ length: 3 }, async () => {
      for (let i = 0; i < 6; i++) {
        const res = await socketFetch(url, { method: "PUT", body });
        assert.equal(res.status, 200);
        await res.body?.cancel();
      }
    }));
    release();
    assert.equal((await hold).status, 204);
    assert.equal(requests, 18);
    // Three sequences in flight need three connections; 18 requests went over far fewer than 18.
    assert(ports.size <= 6, `connections were reused: ${ports.size} for 18 requests`);
  } finally {
    release();
    await server.shutdown();
  }
  // The resource sanitizer checks that no connection is left open after the last request.
});

Deno.test("socket transport: a reused connection the server has closed is replaced, the request sent again", async () => {
  // Every connection carries one exchange, then the server closes it without saying so.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  let accepted = 0;
  const serving = (async () => {
    const open: Promise<void>[] = [];
    for await (const conn of listener) {
      accepted++;
      open.push((async () => {
        let seen = "";
        const buf = new Uint8Array(1 << 20);
        let bodyLeft = -1;
        while (bodyLeft !== 0) {
          const n = await conn.read(buf);
          if (n === null) break;
          if (bodyLeft < 0) {
            seen += new TextDecoder("latin1").decode(buf.subarray(0, n));
            const end = seen.indexOf("\r\n\r\n");
            if (end < 0) continue;
            bodyLeft = Number(/content-length: (\d+)/i.exec(seen)![1]) - (seen.length - end - 4);
          } else bodyLeft -= n;
        }
        await conn.write(text("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")).catch(() => {});
        conn.close();
      })());
    }
    await Promise.all(open);
  })();
  try {
    const url = `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}/b/k`;
    const body = new Uint8Array(256 * 1024);
    const texts = await Promise.all(Array.from({ length: 2 }, async () => {
      const out: string[] = [];
      for (let i = 0; i < 4; i++) out.push(await (await socketFetch(url, { method: "PUT", body })).text());
      return out;
    }));
    assert.deepEqual(texts.flat(), Array(8).fill("ok"));
    assert(accepted >= 8);
  } finally {
    listener.close();
    await serving;
  }
});

Deno.test("socket transport: an abort while the TLS handshake hangs rejects at once with the signal's reason", async () => {
  // A server that accepts and never answers the TLS hello.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const conn of listener) held.push(conn);
  })();
  try {
    const ac = new AbortController();
    const reason = new Error("timed out");
    const pending = socketFetch(`https://127.0.0.1:${(listener.addr as Deno.NetAddr).port}/k`, {
      method: "PUT",
      body: new Uint8Array(10),
      signal: ac.signal,
    });
    setTimeout(() => ac.abort(reason), 50);
    const started = Date.now();
    await assert.rejects(pending, (e) => e === reason);
    assert(Date.now() - started < 2000, "the abort ended the wait");
  } finally {
    listener.close();
    await accepting.catch(() => {});
    for (const c of held) c.close();
  }
});

/** A pulled body of `bytes` given through one reused buffer of `chunk` bytes; `fail` makes pass `fail.pass` reject after `fail.after` bytes. */
function pulledBody(bytes: Uint8Array, chunk: number, fail?: { pass: number; after: number }) {
  const buffer = new Uint8Array(chunk);
  let passes = 0;
  return {
    length: bytes.length,
    get passes() {
      return passes;
    },
    openPass() {
      const pass = ++passes;
      let at = 0;
      return {
        next(): Promise<Uint8Array | null> {
          if (fail && pass === fail.pass && at >= fail.after) {
            return Promise.reject(new Error("the source broke"));
          }
          if (at >= bytes.length) return Promise.resolve(null);
          const n = Math.min(chunk, bytes.length - at);
          buffer.set(bytes.subarray(at, at + n));
          at += n;
          return Promise.resolve(buffer.subarray(0, n));
        },
      };
    },
  };
}

Deno.test("socket transport: a pulled body goes out whole through one reused buffer, with its length and byte progress; a failing pass closes the connection at once", async () => {
  const received: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    try {
      const body = new Uint8Array(await req.arrayBuffer());
      received.push(`${req.headers.get("content-length")} ${toHex(await hash("md5", body))}`);
      return new Response("ok");
    } catch {
      received.push("cut");
      return new Response("cut", { status: 400 });
    }
  });
  const url = `http://127.0.0.1:${server.addr.port}/b/k`;
  try {
    const data = randomBytes(700_000, 61);
    const body = pulledBody(data, 64 * 1024);
    const sent: number[] = [];
    const res = await socketFetch(
      url,
      { method: "PUT", body: body as unknown as BodyInit },
      (n) => sent.push(n),
    );
    assert.equal(await res.text(), "ok");
    assert.deepEqual(
      received,
      [`700000 ${toHex(await hash("md5", data))}`],
      "every byte, in order, though every chunk shared one buffer",
    );
    assert.equal(sent.at(-1), data.length);
    assert.ok(sent.length >= 11, "progress as each chunk went out");
    assert.equal(body.passes, 1);

    const failing = pulledBody(data, 64 * 1024, { pass: 1, after: 200_000 });
    const started = Date.now();
    await assert.rejects(
      socketFetch(url, { method: "PUT", body: failing as unknown as BodyInit }),
      (e) => e instanceof TypeError && e.cause instanceof Error && e.cause.message === "the source broke",
    );
    assert.ok(Date.now() - started < 10_000, "no wait for the rest of the body");
    assert.equal(failing.passes, 1, "a failed body is not sent again");
  } finally {
    await server.shutdown();
  }
});
