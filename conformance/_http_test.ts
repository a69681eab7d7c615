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
