import assert from "node:assert/strict";
import * as net from "node:net";
import { BosClient } from "./client.ts";
import { BosError } from "../protocol/errors.ts";
import { LOCAL_CREDENTIALS } from "./testdata/harness.ts";
import { describeNetworkFailure } from "./_network.ts";

function client(endpoint: string): BosClient {
  return new BosClient({ endpoint, credentials: LOCAL_CREDENTIALS, retry: { maxAttempts: 1 } });
}

async function failure(p: Promise<unknown>): Promise<BosError> {
  try {
    await p;
  } catch (e) {
    assert(e instanceof BosError, `expected a BosError, got ${e}`);
    assert.equal(e.code, "NetworkError");
    assert.equal(e.status, 0);
    assert(e.cause !== undefined, "the transport's error is kept as the cause");
    return e;
  }
  throw new Error("expected a failure");
}

const sized = () =>
  new ReadableStream<Uint8Array>({
    pull(c) {
      c.enqueue(new Uint8Array(3));
      c.close();
    },
  });

Deno.test("network errors: a refused connection names the endpoint and the system's reason on fetch and on node:http", async () => {
  const port = await new Promise<number>((resolve) => {
    const l = net.createServer().listen(0, "127.0.0.1", () => {
      const p = (l.address() as net.AddressInfo).port;
      l.close(() => resolve(p));
    });
  });
  const c = client(`http://127.0.0.1:${port}`);
  const viaFetch = await failure(c.getObject("bkt", "k", { range: { start: 0, end: 1 } }));
  assert.match(
    viaFetch.message,
    new RegExp(
      `^GetObject failed: connection refused to http://127\\.0\\.0\\.1:${port} \\(.*refused.*\\); check`,
      "i",
    ),
  );
  const viaNodeHttp = await failure(c.putObject("bkt", "k", sized(), { contentLength: 3 }));
  assert.match(
    viaNodeHttp.message,
    new RegExp(`^PutObject failed: connection refused to http://127\\.0\\.0\\.1:${port}`),
  );
  assert.match(viaNodeHttp.message, /ECONNREFUSED/);
  // Port 9 (discard): fetch refuses it itself (a blocked port); node:http tries it.
  const nine = client("http://127.0.0.1:9");
  assert.match(
    (await failure(nine.headObject("bkt", "k"))).message,
    /the runtime's fetch refuses the port of http:\/\/127\.0\.0\.1:9 \(a blocked port\)/,
  );
  assert.match(
    (await failure(nine.putObject("bkt", "k", sized(), { contentLength: 3 }))).message,
    /^PutObject failed: connection refused to http:\/\/127\.0\.0\.1:9 \(connect ECONNREFUSED 127\.0\.0\.1:9\); check/,
  );
});

Deno.test("network errors: an unknown host is a DNS failure, TLS to a plain port a TLS failure, a dropped connection a reset", async () => {
  const dns = client("http://no-such-host.invalid");
  const e = await failure(dns.getObject("bkt", "k", { response: { contentType: "text/plain" } }));
  assert.match(
    e.message,
    /^GetObject failed: DNS lookup failed for http:\/\/no-such-host\.invalid \(.+\); check the endpoint's host name$/,
  );
  assert(!e.message.includes("responseContentType"), "no query string in the message");
  assert.match(
    (await failure(dns.putObject("bkt", "k", sized(), { contentLength: 3 }))).message,
    /ENOTFOUND/,
  );

  // Answers plain HTTP to a TLS hello, then closes (a TLS client leaves its side open otherwise).
  const plain = net.createServer((s) =>
    s.end("HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n", () => s.destroy())
  );
  const dropping = net.createServer((s) => s.destroy());
  await Promise.all([plain, dropping].map((srv) => new Promise<void>((r) => srv.listen(0, "127.0.0.1", r))));
  const portOf = (srv: net.Server) => (srv.address() as net.AddressInfo).port;
  try {
    const tls = client(`https://127.0.0.1:${portOf(plain)}`);
    for (
      const attempt of [
        () => tls.headObject("bkt", "k"),
        () => tls.putObject("bkt", "k", sized(), { contentLength: 3 }),
      ]
    ) {
      assert.match(
        (await failure(attempt())).message,
        /TLS handshake failed with https:\/\/127\.0\.0\.1:\d+ \(.+\); check the scheme/,
      );
    }
    const reset = client(`http://127.0.0.1:${portOf(dropping)}`);
    for (
      const attempt of [
        () => reset.headObject("bkt", "k"),
        () => reset.putObject("bkt", "k", sized(), { contentLength: 3 }),
      ]
    ) {
      assert.match(
        (await failure(attempt())).message,
        /connection reset by http:\/\/127\.0\.0\.1:\d+ before a complete response \(.+\)/,
      );
    }
  } finally {
    await Promise.all([plain, dropping].map((srv) => new Promise((r) => srv.close(r))));
  }
});

Deno.test("describeNetworkFailure: the innermost reason and its code, however the runtime nests them", () => {
  // The shapes Node's fetch (undici) and Bun's fetch throw, as observed on this machine.
  const nodeFetch = new TypeError("fetch failed", {
    cause: Object.assign(new Error("getaddrinfo ENOTFOUND x.invalid"), { code: "ENOTFOUND" }),
  });
  assert.deepEqual(describeNetworkFailure(nodeFetch), {
    kind: "dns",
    detail: "getaddrinfo ENOTFOUND x.invalid",
  });
  const bun = Object.assign(
    new TypeError("ECONNREFUSED: Unable to connect. Is the computer able to access the url?"),
    {
      code: "ECONNREFUSED",
    },
  );
  assert.equal(describeNetworkFailure(bun).kind, "refused");
  const undiciReset = new TypeError("fetch failed", {
    cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }),
  });
  assert.equal(describeNetworkFailure(undiciReset).kind, "reset");
  assert.equal(describeNetworkFailure(new Error("something else")).kind, "other");
});
