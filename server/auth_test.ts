import assert from "node:assert/strict";
import fc from "fast-check";
import { uriEncode } from "../protocol/encoding.ts";
import { createAuthorization, presignUrl } from "../protocol/signing/sign.ts";
import { createHandler, LOCAL_CREDENTIALS } from "./mod.ts";
import { signedRequest, testServer } from "./_test_util.ts";

async function setup(options?: Parameters<typeof testServer>[0]) {
  const s = testServer(options);
  await s.call({ method: "PUT", path: "/bkt" });
  await s.call({ method: "PUT", path: "/bkt/obj", body: "data" });
  return s;
}

Deno.test("no authorization → 403 AccessDenied; malformed → InvalidHTTPAuthHeader", async () => {
  const s = await setup();
  let r = await s.json({ path: "/bkt/obj", anonymous: true });
  assert.equal(r.status, 403);
  assert.equal(r.body.code, "AccessDenied");
  r = await s.json({ path: "/", anonymous: true });
  assert.equal(r.body.code, "AccessDenied");
  r = await s.json({ path: "/bkt/obj", anonymous: true, headers: { authorization: "bce-auth-v1/x" } });
  assert.equal(r.status, 400);
  assert.equal(r.body.code, "InvalidHTTPAuthHeader");
});

Deno.test("authentication before routing (auth.md §5): without valid credentials every request gets the same refusal; with them, the routing error", async () => {
  const s = await setup({ faults: false });
  const cases: [string, string, string, string][] = [
    // method, path, query, the answer to a signed request
    ["GET", "/bkt", "acl", "NotImplemented"],
    ["PUT", "/bkt/obj", "tagging", "NotImplemented"],
    ["DELETE", "/bkt", "lifecycle", "NotImplemented"],
    ["PATCH", "/bkt/obj", "", "MethodNotAllowed"],
    ["POST", "/bkt/obj", "", "MethodNotAllowed"],
    ["OPTIONS", "/bkt/obj", "", "InvalidArgument"], // no preflight headers: signed, OptionsObject refuses it
    ["PUT", "/", "", "MethodNotAllowed"],
    ["GET", "/bkt/a%zz", "", "InvalidURI"],
    ["GET", "/bkt", "prefix=%E6%B5", "InvalidURI"],
    ["GET", "/Bad_Bucket", "", "NoSuchBucket"],
    ["GET", "/nobucket/k", "", "NoSuchBucket"],
    ["GET", "/_boskit/faults", "", "NoSuchBucket"],
    ["GET", "/bkt/missing", "", "NoSuchKey"],
  ];
  for (const [method, path, query, code] of cases) {
    const what = `${method} ${path}?${query}`;
    const anonymous = await s.json({ method, path, query, anonymous: true });
    assert.equal(anonymous.status, 403, what);
    assert.equal(anonymous.body.code, "AccessDenied", what);
    const empty = await s.json({ method, path, query, anonymous: true, headers: { authorization: "" } });
    assert.equal(empty.body.code, "AccessDenied", `${what}, empty Authorization`);
    const forged = await s.json({ method, path, query, secretAccessKey: "wrong" });
    assert.equal(forged.body.code, "SignatureDoesNotMatch", `${what}, bad signature`);
    const signed = await s.json({ method, path, query });
    assert.equal(signed.body.code, code, `${what}, signed`);
  }
  await s.handler.close();
});

Deno.test("wrong secret → 403 SignatureDoesNotMatch; unknown AK → 403 InvalidAccessKeyId", async () => {
  const s = await setup();
  let r = await s.json({ path: "/bkt/obj", secretAccessKey: "wrong" });
  assert.equal(r.status, 403);
  assert.equal(r.body.code, "SignatureDoesNotMatch");
  r = await s.json({ path: "/bkt/obj", accessKeyId: "nobody" });
  assert.equal(r.status, 403);
  assert.equal(r.body.code, "InvalidAccessKeyId");
  // A signed header changed after signing.
  const req = await signedRequest({ path: "/bkt/obj", headers: { "x-bce-meta-a": "1" } });
  const h = new Headers(req.headers);
  h.set("x-bce-meta-a", "2");
  const res = await s.handler(new Request(req.url, { headers: h }));
  assert.equal(res.status, 403);
});

Deno.test("expired and future timestamps → RequestExpired / RequestTimeTooSkewed; -1 never expires", async () => {
  const s = await setup();
  let r = await s.json({
    path: "/bkt/obj",
    timestamp: new Date(Date.now() - 3600_000),
    expirationInSeconds: 1800,
  });
  assert.equal(r.body.code, "RequestExpired");
  r = await s.json({ path: "/bkt/obj", timestamp: new Date(Date.now() + 3600_000) });
  assert.equal(r.body.code, "RequestTimeTooSkewed");
  const res = await s.call({
    path: "/bkt/obj",
    timestamp: new Date(Date.now() - 1e10),
    expirationInSeconds: -1,
  });
  assert.equal(res.status, 200);
  await res.body?.cancel();
});

Deno.test("presigned URLs: authorization in the query (raw or encoded), /v1 paths, extra params", async () => {
  const s = await setup();
  const url = await presignUrl({
    ...LOCAL_CREDENTIALS,
    url: "http://127.0.0.1:8080/v1/bkt/obj?responseContentType=text%2Fplain",
    timestamp: new Date(),
  });
  let r = await s.handler(new Request(url));
  assert.equal(r.status, 200);
  assert.equal(r.headers.get("content-type"), "text/plain");
  assert.equal(await r.text(), "data");
  // Raw (unencoded) authorization value, as in the documentation's example URL.
  const raw = decodeURIComponent(url.slice(url.indexOf("authorization=") + 14));
  r = await s.handler(new Request(url.slice(0, url.indexOf("authorization=")) + "authorization=" + raw));
  assert.equal(r.status, 200);
  await r.body?.cancel();
  r = await s.call({ path: "/bkt/obj", presign: true });
  assert.equal(r.status, 200);
  await r.body?.cancel();
});

Deno.test("STS: a session credential needs its token (header or query); permanent keys refuse one", async () => {
  const sts = { accessKeyId: "tmp-ak", secretAccessKey: "tmp-sk", sessionToken: "tok/en+1=" };
  const s = await setup({ credentials: [{ ...LOCAL_CREDENTIALS }, sts] });
  let r = await s.call({ path: "/bkt/obj", ...sts, headers: { "x-bce-security-token": sts.sessionToken } });
  assert.equal(r.status, 200);
  await r.body?.cancel();
  let j = await s.json({ path: "/bkt/obj", ...sts });
  assert.equal(j.body.code, "InvalidSessionToken");
  j = await s.json({ path: "/bkt/obj", ...sts, headers: { "x-bce-security-token": "other" } });
  assert.equal(j.body.code, "InvalidSessionToken");
  j = await s.json({ path: "/bkt/obj", headers: { "x-bce-security-token": "x" } });
  assert.equal(j.body.code, "InvalidSessionToken");
  const url = await presignUrl({ ...sts, url: "http://127.0.0.1:8080/bkt/obj", timestamp: new Date() });
  r = await s.handler(new Request(url));
  assert.equal(r.status, 200);
  await r.body?.cancel();
});

Deno.test("JS SDK habits: JSON content-type on GET/HEAD, Content-Length 0 on DELETE, lower-case hex, uploads=, empty signedHeaders", async () => {
  const s = await setup();
  const jsonType = { "content-type": "application/json; charset=UTF-8" };
  let r = await s.call({ path: "/bkt/obj", headers: jsonType });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get("content-type"), "application/octet-stream");
  await r.body?.cancel();
  r = await s.call({ method: "HEAD", path: "/bkt/obj", headers: jsonType });
  assert.equal(r.status, 200);
  await s.call({ method: "PUT", path: "/bkt/a~b", body: "t" });
  r = await s.call({ path: "/bkt/a%7eb" });
  assert.equal(await r.text(), "t");
  r = await s.call({ path: "/bkt/%61%7Eb" });
  assert.equal(await r.text(), "t");
  const init = await s.json({ method: "POST", path: "/bkt/u", query: "uploads=", headers: jsonType });
  assert.equal(init.status, 200);
  const bare = await s.json({ method: "POST", path: "/bkt/u", query: "uploads" });
  assert.equal(bare.status, 200);
  r = await s.call({ method: "DELETE", path: "/bkt/a~b", headers: { "content-length": "0", ...jsonType } });
  assert.equal(r.status, 204);
  // Empty signedHeaders: the default set (host, content-*, x-bce-*).
  const headers = new Headers({
    host: "127.0.0.1:8080",
    "x-bce-date": new Date().toISOString().replace(/\.\d+Z$/, "Z"),
  });
  const auth = await createAuthorization({
    ...LOCAL_CREDENTIALS,
    method: "GET",
    path: "/bkt/obj",
    headers,
    timestamp: new Date(),
  });
  const parts = auth.split("/");
  parts[4] = "";
  headers.set("authorization", parts.join("/"));
  r = await s.handler(new Request("http://127.0.0.1:8080/bkt/obj", { headers }));
  assert.equal(r.status, 200);
  await r.body?.cancel();
  // signedHeaders in non-alphabetical order.
  const h2 = new Headers({ host: "127.0.0.1:8080", "x-bce-date": headers.get("x-bce-date")! });
  const auth2 = await createAuthorization({
    ...LOCAL_CREDENTIALS,
    method: "GET",
    path: "/bkt/obj",
    headers: h2,
    timestamp: new Date(),
  });
  const p2 = auth2.split("/");
  p2[4] = "x-bce-date;host";
  h2.set("authorization", p2.join("/"));
  r = await s.handler(new Request("http://127.0.0.1:8080/bkt/obj", { headers: h2 }));
  assert.equal(r.status, 200);
  await r.body?.cancel();
});

Deno.test("a request without Host uses the URL authority; keys with spaces and CJK round-trip", async () => {
  const handler = createHandler();
  const key = "测试 dir/a+b=c.txt";
  const path = "/bkt/" + uriEncode(key, true);
  for (const [method, p, body] of [["PUT", "/bkt", undefined], ["PUT", path, "x"]] as const) {
    const headers = new Headers({ "x-bce-date": new Date().toISOString().replace(/\.\d+Z$/, "Z") });
    if (body) headers.set("content-length", "1");
    const auth = await createAuthorization({
      ...LOCAL_CREDENTIALS,
      method,
      path: p,
      headers: new Headers([...headers, ["host", "localhost:9"]]),
      timestamp: new Date(),
    });
    headers.set("authorization", auth);
    const r = await handler(new Request("http://localhost:9" + p, { method, headers, body }));
    assert.equal(r.status, 200);
  }
  const list = await handler(await signedRequest({ path: "/bkt" }));
  assert.equal((await list.json()).contents[0].key, key);
});

Deno.test("law: every authorization the signer writes with any explicit headersToSign list verifies on the server, and covers every x-bce-* header sent", async () => {
  const s = await setup();
  const names = [
    "host",
    "Host",
    "content-type",
    "Content-Length",
    "content-md5",
    "range",
    "x-bce-meta-a",
    "absent",
  ];
  await fc.assert(
    fc.asyncProperty(
      fc.subarray(names, { minLength: 1 }),
      fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/), fc.string({ minLength: 1, maxLength: 12 }), {
        maxKeys: 3,
      }),
      fc.boolean(),
      async (list, meta, withType) => {
        const headers: Record<string, string> = { "x-bce-storage-class": "STANDARD" };
        for (const [k, v] of Object.entries(meta)) headers["x-bce-meta-" + k] = v.trim() || "v";
        if (withType) headers["content-type"] = "text/plain";
        const req = await signedRequest({
          method: "PUT",
          path: "/bkt/law",
          body: "law",
          headers,
          headersToSign: list,
        });
        const signed = req.headers.get("authorization")!.split("/")[4].split(";");
        for (const name of [...req.headers.keys()].filter((n) => n.startsWith("x-bce-"))) {
          assert(signed.includes(name), `${name} is sent but not signed: ${signed.join(";")}`);
        }
        assert(!signed.includes("authorization") && signed.every((n) => n !== ""));
        const res = await s.handler(req);
        assert.equal(res.status, 200, await res.text());
      },
    ),
    { numRuns: 60 },
  );
});
