import assert from "node:assert/strict";
import { createHandler, openFsStore } from "./mod.ts";
import { openCorsRules } from "../protocol/cors.ts";
import { testServer } from "./_test_util.ts";

const RULE = {
  allowedOrigins: ["https://app.example.com", "http://*.example.com"],
  allowedMethods: ["GET", "PUT", "HEAD"],
  allowedHeaders: ["*"],
  allowedExposeHeaders: ["ETag", "x-bce-request-id"],
  maxAgeSeconds: 3600,
};

Deno.test("CORS: PutBucketCors replaces the rules, GetBucketCors returns them, DeleteBucketCors removes them (204, also twice)", async () => {
  const s = testServer();
  await s.call({ method: "PUT", path: "/bkt" });
  const none = await s.json({ path: "/bkt", query: "cors" });
  assert.equal(none.status, 404);
  assert.equal(none.body.code, "NoSuchCORSConfiguration");
  assert.equal(typeof none.body.requestId, "string");
  const put = await s.call({
    method: "PUT",
    path: "/bkt",
    query: "cors",
    headers: { "content-type": "application/json; charset=utf-8" },
    body: JSON.stringify({ corsConfiguration: [RULE] }),
  });
  assert.equal(put.status, 200);
  let got = await s.json({ path: "/bkt", query: "cors" });
  assert.equal(got.status, 200);
  assert.deepEqual(got.body, { corsConfiguration: [RULE] });
  // A second PUT replaces the whole configuration; unknown fields are not kept.
  const second = { allowedOrigins: ["*"], allowedMethods: ["GET"], unknownField: 1 };
  assert.equal(
    (await s.call({
      method: "PUT",
      path: "/bkt",
      query: "cors",
      body: JSON.stringify({ corsConfiguration: [second] }),
    })).status,
    200,
  );
  got = await s.json({ path: "/bkt", query: "cors" });
  assert.deepEqual(got.body, { corsConfiguration: [{ allowedOrigins: ["*"], allowedMethods: ["GET"] }] });
  // The rules are not objects: ListObjects still answers on the same bucket.
  assert.equal((await s.json({ path: "/bkt" })).body.contents.length, 0);
  for (let i = 0; i < 2; i++) {
    const del = await s.call({ method: "DELETE", path: "/bkt", query: "cors" });
    assert.equal(del.status, 204);
  }
  assert.equal((await s.json({ path: "/bkt", query: "cors" })).body.code, "NoSuchCORSConfiguration");
  // The bucket itself is still there and can be deleted (CORS rules are not content).
  assert.equal((await s.call({ method: "DELETE", path: "/bkt" })).status, 204);
});

Deno.test("CORS: a missing bucket is NoSuchBucket for all three operations", async () => {
  const s = testServer();
  for (const method of ["PUT", "GET", "DELETE"]) {
    const r = await s.json({
      method,
      path: "/no-such",
      query: "cors",
      body: method === "PUT" ? "{}" : undefined,
    });
    assert.equal(r.status, 404, method);
    assert.equal(r.body.code, "NoSuchBucket", method);
  }
});

Deno.test("CORS: bad configurations are refused with MalformedJSON or InvalidArgument and change nothing", async () => {
  const s = testServer();
  await s.call({ method: "PUT", path: "/bkt" });
  const put = (body: unknown) =>
    s.json({
      method: "PUT",
      path: "/bkt",
      query: "cors",
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  assert.equal((await put({ corsConfiguration: [RULE] })).status, 200);
  assert.equal((await put("{nope")).body.code, "MalformedJSON");
  assert.equal((await put("")).body.code, "MalformedJSON");
  const cases: [string, unknown][] = [
    ["not an object", [RULE]],
    ["no corsConfiguration", { rules: [RULE] }],
    ["no rules", { corsConfiguration: [] }],
    ["101 rules", { corsConfiguration: Array.from({ length: 101 }, () => RULE) }],
    ["rule not an object", { corsConfiguration: ["*"] }],
    ["no origins", { corsConfiguration: [{ allowedMethods: ["GET"] }] }],
    ["two stars", { corsConfiguration: [{ allowedOrigins: ["http://*.*.com"], allowedMethods: ["GET"] }] }],
    ["no methods", { corsConfiguration: [{ allowedOrigins: ["*"], allowedMethods: [] }] }],
    ["lower-case method", { corsConfiguration: [{ allowedOrigins: ["*"], allowedMethods: ["get"] }] }],
    ["unknown method", { corsConfiguration: [{ allowedOrigins: ["*"], allowedMethods: ["PATCH"] }] }],
    ["headers not strings", { corsConfiguration: [{ ...RULE, allowedHeaders: [1] }] }],
    ["negative max age", { corsConfiguration: [{ ...RULE, maxAgeSeconds: -1 }] }],
    ["fractional max age", { corsConfiguration: [{ ...RULE, maxAgeSeconds: 1.5 }] }],
  ];
  for (const [name, body] of cases) {
    const r = await put(body);
    assert.equal(r.status, 400, name);
    assert.equal(r.body.code, "InvalidArgument", name);
    assert.match(r.body.message, /[a-z]/, name);
  }
  const big = await put({ corsConfiguration: [{ ...RULE, allowedHeaders: ["x".repeat(70 * 1024)] }] });
  assert.equal(big.body.code, "MaxMessageLengthExceeded");
  assert.deepEqual((await s.json({ path: "/bkt", query: "cors" })).body, { corsConfiguration: [RULE] });
});

Deno.test("CORS: cors is no longer an unsupported sub-resource; acl still is (501)", async () => {
  const s = testServer();
  await s.call({ method: "PUT", path: "/bkt" });
  assert.equal((await s.json({ path: "/bkt", query: "acl" })).status, 501);
  assert.equal((await s.json({ path: "/bkt", query: "cors" })).status, 404);
  // CORS rules belong to buckets: on an object (or the service) ?cors stays 501, as before.
  assert.equal((await s.json({ method: "PUT", path: "/bkt/k", query: "cors", body: "x" })).status, 501);
  assert.equal((await s.json({ path: "/", query: "cors" })).status, 501);
  assert.equal((await s.json({ path: "/bkt/k" })).body.code, "NoSuchKey");
});

Deno.test("CORS: the filesystem store keeps the rules across a restart", async () => {
  const dir = await Deno.makeTempDir({ prefix: "boskit-cors-" });
  try {
    let s = testServer({ store: await openFsStore(dir) });
    await s.call({ method: "PUT", path: "/bkt" });
    await s.call({
      method: "PUT",
      path: "/bkt",
      query: "cors",
      body: JSON.stringify({ corsConfiguration: [RULE] }),
    });
    await s.handler.close();
    s = testServer({ store: await openFsStore(dir) });
    assert.deepEqual((await s.json({ path: "/bkt", query: "cors" })).body, { corsConfiguration: [RULE] });
    assert.equal((await s.call({ method: "DELETE", path: "/bkt", query: "cors" })).status, 204);
    await s.handler.close();
    s = testServer({ store: await openFsStore(dir) });
    assert.equal((await s.json({ path: "/bkt", query: "cors" })).body.code, "NoSuchCORSConfiguration");
    await s.handler.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** The names of a response's Access-Control-* headers. */
function acHeaders(res: Response): string[] {
  const names: string[] = [];
  res.headers.forEach((_v, k) => k.startsWith("access-control-") && names.push(k));
  return names.sort();
}

async function withRules(rules: unknown[], options: Parameters<typeof testServer>[0] = {}) {
  const s = testServer(options);
  await s.call({ method: "PUT", path: "/bkt" });
  await s.call({
    method: "PUT",
    path: "/bkt",
    query: "cors",
    body: JSON.stringify({ corsConfiguration: rules }),
  });
  return s;
}

Deno.test("preflight: a matching rule answers 200 without authentication; any mismatch is 403 without Access-Control-* headers", async () => {
  const s = await withRules([RULE]);
  const options = (headers: Record<string, string>, path = "/bkt/some/key") =>
    s.call({ method: "OPTIONS", path, headers, anonymous: true });
  const ok = await options({
    origin: "http://www.example.com",
    "access-control-request-method": "PUT",
    "access-control-request-headers": "Authorization, X-Bce-Date",
  });
  assert.equal(ok.status, 200);
  assert.equal(ok.headers.get("access-control-allow-origin"), "http://www.example.com");
  assert.equal(ok.headers.get("access-control-allow-methods"), "GET, PUT, HEAD");
  assert.equal(ok.headers.get("access-control-allow-headers"), "Authorization, X-Bce-Date");
  assert.equal(ok.headers.get("access-control-expose-headers"), "ETag, x-bce-request-id");
  assert.equal(ok.headers.get("access-control-max-age"), "3600");
  assert.match(ok.headers.get("vary") ?? "", /Origin/);
  // The bucket level too (a browser preflights ListObjects there), whatever the query.
  const bucketLevel = await s.call({
    method: "OPTIONS",
    path: "/bkt",
    query: "prefix=a&maxKeys=2",
    headers: { origin: "https://app.example.com", "access-control-request-method": "GET" },
    anonymous: true,
  });
  assert.equal(bucketLevel.status, 200);
  for (
    const [what, headers] of [
      ["another origin", { origin: "https://evil.example", "access-control-request-method": "GET" }],
      ["origin in another case", {
        origin: "https://App.example.com",
        "access-control-request-method": "GET",
      }],
      ["a method not allowed", {
        origin: "https://app.example.com",
        "access-control-request-method": "DELETE",
      }],
      ["a lower-case method", { origin: "https://app.example.com", "access-control-request-method": "get" }],
    ] as const
  ) {
    const r = await options(headers);
    assert.equal(r.status, 403, what);
    assert.deepEqual(acHeaders(r), [], what);
    assert.equal((await r.json()).code, "AccessDenied", what);
  }
  // Without Origin it is no preflight: an unsigned request, refused like any other (authentication first).
  const noOrigin = await options({ "access-control-request-method": "GET" });
  assert.equal(noOrigin.status, 403);
  assert.equal((await noOrigin.json()).code, "AccessDenied");
  // No bucket and a bucket without rules answer exactly like a mismatch (nothing to learn).
  const messages = new Set<string>();
  for (const path of ["/no-such-bucket/k", "/bkt/k"]) {
    if (path === "/bkt/k") await s.call({ method: "DELETE", path: "/bkt", query: "cors" });
    const r = await options(
      { origin: "https://app.example.com", "access-control-request-method": "GET" },
      path,
    );
    assert.equal(r.status, 403, path);
    assert.deepEqual(acHeaders(r), [], path);
    messages.add((await r.json()).message);
  }
  assert.equal(messages.size, 1);
});

Deno.test("preflight: every requested header must be allowed (names case-insensitive, x-bce-* patterns); the first matching rule wins", async () => {
  const s = await withRules([
    {
      allowedOrigins: ["https://a.example"],
      allowedMethods: ["GET"],
      allowedHeaders: ["x-bce-*"],
      maxAgeSeconds: 1,
    },
    { allowedOrigins: ["*"], allowedMethods: ["GET", "PUT"], allowedHeaders: ["*"], maxAgeSeconds: 2 },
  ]);
  const pre = (origin: string, method: string, headers: string) =>
    s.call({
      method: "OPTIONS",
      path: "/bkt/k",
      headers: { origin, "access-control-request-method": method, "access-control-request-headers": headers },
      anonymous: true,
    });
  assert.equal(
    (await pre("https://a.example", "GET", "X-BCE-DATE")).headers.get("access-control-max-age"),
    "1",
  );
  // authorization is not under x-bce-*: the first rule does not match, the second does.
  assert.equal(
    (await pre("https://a.example", "GET", "x-bce-date,authorization")).headers.get("access-control-max-age"),
    "2",
  );
  assert.equal(
    (await pre("https://a.example", "PUT", "x-bce-date")).headers.get("access-control-max-age"),
    "2",
  );
});

Deno.test("CORS headers on actual requests: success and error (even a refused signature) carry Allow-Origin and the exposed headers; Vary: Origin", async () => {
  const s = await withRules([{ ...RULE, allowedExposeHeaders: ["ETag", "x-bce-meta-*"] }]);
  const origin = "https://app.example.com";
  await s.call({ method: "PUT", path: "/bkt/k", body: "x", headers: { "x-bce-meta-author": "me" } });
  const get = await s.call({ path: "/bkt/k", headers: { origin } });
  assert.equal(get.status, 200);
  assert.equal(get.headers.get("access-control-allow-origin"), origin);
  assert.equal(get.headers.get("access-control-expose-headers"), "ETag, x-bce-meta-author");
  assert.match(get.headers.get("vary") ?? "", /Origin/);
  const missing = await s.call({ path: "/bkt/nope", headers: { origin } });
  assert.equal(missing.status, 404);
  assert.equal(missing.headers.get("access-control-allow-origin"), origin);
  const badSig = await s.call({ path: "/bkt/k", headers: { origin }, secretAccessKey: "wrong" });
  assert.equal(badSig.status, 403);
  assert.equal(
    badSig.headers.get("access-control-allow-origin"),
    origin,
    "a page can read why it was refused",
  );
  const other = await s.call({ path: "/bkt/k", headers: { origin: "https://evil.example" } });
  assert.deepEqual(acHeaders(other), []);
  assert.match(other.headers.get("vary") ?? "", /Origin/);
  const none = await s.call({ path: "/bkt/k" });
  assert.deepEqual(acHeaders(none), [], "no Origin, no CORS headers");
});

Deno.test("cors option: the server's rules open buckets without rules of their own (and PutBucket of a new one); a bucket's rules take precedence; bad rules are refused", async () => {
  const s = testServer({ cors: openCorsRules(["http://localhost:5173"]) });
  const origin = "http://localhost:5173";
  const pre = (path: string, headers: string) =>
    s.call({
      method: "OPTIONS",
      path,
      headers: { origin, "access-control-request-method": "PUT", "access-control-request-headers": headers },
      anonymous: true,
    });
  assert.equal(
    (await pre("/new-bucket", "authorization,x-bce-date")).status,
    200,
    "PutBucket of a new bucket",
  );
  const created = await s.call({ method: "PUT", path: "/new-bucket", headers: { origin } });
  assert.equal(created.headers.get("access-control-allow-origin"), origin);
  assert.match(created.headers.get("access-control-expose-headers") ?? "", /x-bce-request-id/);
  await s.call({
    method: "PUT",
    path: "/new-bucket",
    query: "cors",
    body: JSON.stringify({ corsConfiguration: [{ allowedOrigins: [origin], allowedMethods: ["GET"] }] }),
  });
  assert.equal(
    (await pre("/new-bucket/k", "authorization")).status,
    403,
    "the bucket's own rules govern now",
  );
  assert.equal((await pre("/other-bucket/k", "authorization")).status, 200);
  assert.throws(
    () => createHandler({ cors: [{ allowedOrigins: ["*"], allowedMethods: ["get" as "GET"] }] }),
    /cors option/,
  );
  await s.handler.close();
});
