import assert from "node:assert/strict";
import { openFsStore } from "./mod.ts";
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
