import assert from "node:assert/strict";
import { verifyAuthorization } from "../protocol/signing/verify.ts";
import { encodeQuery, HttpContext, redactUrl } from "./_http.ts";

Deno.test("http layer: URLs are redacted of authorization and security tokens", () => {
  assert.equal(
    redactUrl("http://h/b/k?a=1&authorization=bce-auth-v1%2Fak&x-bce-security-token=tok"),
    "http://h/b/k?a=1&authorization=REDACTED&x-bce-security-token=REDACTED",
  );
  assert.equal(
    encodeQuery({ uploads: null, prefix: "a b/测", skip: undefined }),
    "uploads&prefix=a%20b%2F%E6%B5%8B",
  );
});

Deno.test("http layer: requests are signed verifiably, recorded without secrets, and writes are tracked under the run prefix", async () => {
  const credentials = { accessKeyId: "ak", secretAccessKey: "sk" };
  const seen: Request[] = [];
  const fetcher: typeof fetch = (input, init) => {
    const req = new Request(input as string, init);
    seen.push(req);
    return Promise.resolve(new Response(null, { status: 200, headers: { "x-bce-request-id": "rid" } }));
  };
  const http = new HttpContext({
    endpoint: "http://127.0.0.1:9",
    credentials,
    bucket: "b",
    runPrefix: "run/",
    fetch: fetcher,
  });
  const res = await http.send({
    method: "PUT",
    key: "run/测 x",
    body: "hi",
    headers: { "x-bce-meta-a": "1" },
  });
  assert.equal(res.exchange.requestHeaders.authorization, "REDACTED");
  assert.equal(res.exchange.requestId, "rid");
  assert.equal(res.exchange.url, "http://127.0.0.1:9/b/run/%E6%B5%8B%20x");
  const req = seen[0];
  const headers = new Headers(req.headers);
  headers.set("host", "127.0.0.1:9");
  headers.set("content-length", "2");
  const v = await verifyAuthorization({
    method: "PUT",
    path: "/b/run/%E6%B5%8B%20x",
    headers,
    authorization: req.headers.get("authorization")!,
    lookupSecret: (ak) => (ak === "ak" ? "sk" : undefined),
  });
  assert.equal(v.ok, true);
  assert.deepEqual([...http.created.objects.get("b")!], ["run/测 x"]);
  await http.send({ method: "PUT", key: "elsewhere", body: "x" });
  assert.deepEqual(
    [...http.created.objects.get("b")!],
    ["run/测 x"],
    "keys outside the run prefix are never tracked",
  );
});

Deno.test("http layer: cleanup deletes only tracked keys, and a stopped context refuses new requests", async () => {
  const deleted: string[] = [];
  const fetcher: typeof fetch = (input, init) => {
    if (init?.method === "DELETE") deleted.push(new URL(input as string).pathname);
    return Promise.resolve(new Response(null, { status: init?.method === "DELETE" ? 204 : 200 }));
  };
  const http = new HttpContext({
    endpoint: "http://127.0.0.1:9",
    credentials: { accessKeyId: "a", secretAccessKey: "s" },
    bucket: "b",
    runPrefix: "run/",
    fetch: fetcher,
  });
  await http.send({ method: "PUT", key: "run/one", body: "1" });
  await http.send({ method: "PUT", key: "run/two", body: "2" });
  await http.send({ method: "DELETE", key: "run/two" });
  http.stop();
  await assert.rejects(http.send({ method: "GET", key: "run/one" }), /stopped/);
  assert.deepEqual(await http.cleanup(), []);
  assert.deepEqual(deleted, ["/b/run/two", "/b/run/one"]);
});

Deno.test("http layer: cleanup also removes writes that landed after their delete and uploads whose id never came back, only under the run prefix", async () => {
  const { serve } = await import("../server/mod.ts");
  const { randomCredentials } = await import("./mod.ts");
  const credentials = randomCredentials();
  const server = await serve({ credentials: [credentials] });
  try {
    const http = new HttpContext({
      endpoint: server.url,
      credentials,
      bucket: "sweep-b",
      runPrefix: "run/x/",
    });
    assert.equal((await http.send({ method: "PUT", bucket: "sweep-b" })).status, 200);
    http.created.buckets.add("sweep-b");
    // What a stopped run never heard back about, sent by a second context that tracks nothing of it:
    const late = new HttpContext({
      endpoint: server.url,
      credentials,
      bucket: "sweep-b",
      runPrefix: "elsewhere/",
    });
    for (let i = 0; i < 3; i++) {
      assert.equal((await late.send({ method: "PUT", key: `run/x/late-${i}`, body: "l" })).status, 200);
    }
    assert.equal(
      (await late.send({ method: "POST", key: "run/x/lost-upload", query: { uploads: null } })).status,
      200,
    );
    // Tracked, then deleted by cleanup before a straggling write of the same key lands again:
    assert.equal((await http.send({ method: "PUT", key: "run/x/tracked", body: "t" })).status, 200);
    assert.deepEqual(await http.cleanup(), []);
    assert.equal((await late.send({ method: "HEAD", bucket: "sweep-b" })).status, 404, "the bucket is gone");
    // In a bucket the run did not create, only what lies under the run prefix goes.
    const other = new HttpContext({
      endpoint: server.url,
      credentials,
      bucket: "kept-b",
      runPrefix: "run/y/",
    });
    assert.equal((await other.send({ method: "PUT", bucket: "kept-b" })).status, 200);
    assert.equal(
      (await late.send({ method: "PUT", bucket: "kept-b", key: "theirs", body: "1" })).status,
      200,
    );
    assert.equal(
      (await late.send({ method: "PUT", bucket: "kept-b", key: "run/y/late", body: "2" })).status,
      200,
    );
    assert.equal((await other.send({ method: "PUT", key: "run/y/mine", body: "3" })).status, 200);
    assert.deepEqual(await other.cleanup(), []);
    const listed = (await late.send({ method: "GET", bucket: "kept-b" })).json() as {
      contents: { key: string }[];
    };
    assert.deepEqual(listed.contents.map((c) => c.key), ["theirs"]);
  } finally {
    await server.close();
  }
});
