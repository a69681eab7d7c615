import assert from "node:assert/strict";
import { makeProfile } from "../protocol/limits.ts";
import { testServer } from "./_test_util.ts";

Deno.test("PutBucket answers Location with the region and HeadBucket sees the bucket", async () => {
  const s = testServer({ region: "gz" });
  const r = await s.call({ method: "PUT", path: "/photos" });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get("location"), "gz");
  assert.equal(r.headers.get("server"), "BceBos");
  assert.match(r.headers.get("x-bce-request-id")!, /^[0-9a-f-]{36}$/);
  assert.ok(r.headers.get("x-bce-debug-id"));
  assert.ok(Math.abs(Date.parse(r.headers.get("date")!) - Date.now()) < 5000);
  assert.equal((await s.call({ method: "HEAD", path: "/photos" })).status, 200);
  const missing = await s.call({ method: "HEAD", path: "/nothing" });
  assert.equal(missing.status, 404);
  assert.equal(missing.headers.get("x-bce-error-code"), "NoSuchBucket");
  assert.equal(await missing.text(), "");
});

Deno.test("PutBucket refuses invalid names, duplicates and the 101st bucket", async () => {
  const s = testServer({ profile: makeProfile({ maxBuckets: 3 }) });
  for (const bad of ["ab", "Upper", "-lead", "trail-", "under_score", "a".repeat(64)]) {
    const r = await s.json({ method: "PUT", path: "/" + bad });
    assert.equal(r.status, 400, bad);
    assert.equal(r.body.code, "InvalidBucketName");
  }
  assert.equal((await s.call({ method: "PUT", path: "/b01" })).status, 200);
  const dup = await s.json({ method: "PUT", path: "/b01" });
  assert.equal(dup.status, 409);
  assert.equal(dup.body.code, "BucketAlreadyExists");
  assert.equal(typeof dup.body.requestId, "string");
  assert.equal(dup.headers.get("content-type"), "application/json; charset=utf-8");
  assert.equal((await s.call({ method: "PUT", path: "/b02" })).status, 200);
  assert.equal((await s.call({ method: "PUT", path: "/b03", body: '{"enableMultiAz":false}' })).status, 200);
  const many = await s.json({ method: "PUT", path: "/b04" });
  assert.equal(many.status, 400);
  assert.equal(many.body.code, "TooManyBuckets");
  const bad = await s.json({ method: "PUT", path: "/b05", body: "{nope" });
  assert.equal(bad.body.code, "MalformedJSON");
});

Deno.test("ListBuckets lists every bucket by name with location and creationDate", async () => {
  const s = testServer({ now: () => new Date("2016-04-05T10:20:35Z"), clockSkewSeconds: 1e9 });
  const ts = new Date("2016-04-05T10:20:35Z");
  await s.call({ method: "PUT", path: "/zeta", timestamp: ts });
  await s.call({ method: "PUT", path: "/alpha", timestamp: ts });
  const r = await s.json({ path: "/", timestamp: ts });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.buckets.map((b: { name: string }) => b.name), ["alpha", "zeta"]);
  assert.deepEqual(r.body.buckets[0], {
    name: "alpha",
    location: "bj",
    creationDate: "2016-04-05T10:20:35Z",
  });
  assert.ok(r.body.owner.id && r.body.owner.displayName);
  const v1 = await s.json({ path: "/v1", timestamp: ts });
  assert.equal(v1.body.buckets.length, 2);
});

Deno.test("DeleteBucket: 204, BucketNotEmpty with objects or unfinished uploads, NoSuchBucket after", async () => {
  const s = testServer();
  await s.call({ method: "PUT", path: "/bkt" });
  await s.call({ method: "PUT", path: "/bkt/k", body: "x" });
  let r = await s.json({ method: "DELETE", path: "/bkt", headers: { "content-length": "0" } });
  assert.equal(r.status, 409);
  assert.equal(r.body.code, "BucketNotEmpty");
  await s.call({ method: "DELETE", path: "/bkt/k" });
  const init = await s.json({ method: "POST", path: "/bkt/up", query: "uploads" });
  r = await s.json({ method: "DELETE", path: "/bkt" });
  assert.equal(r.body.code, "BucketNotEmpty");
  await s.call({ method: "DELETE", path: "/bkt/up", query: "uploadId=" + init.body.uploadId });
  r = await s.json({ method: "DELETE", path: "/bkt" });
  assert.equal(r.status, 204);
  assert.equal((await s.call({ method: "HEAD", path: "/bkt" })).status, 404);
  r = await s.json({ method: "DELETE", path: "/bkt" });
  assert.equal(r.body.code, "NoSuchBucket");
});

Deno.test("GetBucketLocation answers locationConstraint", async () => {
  const s = testServer({ region: "su" });
  await s.call({ method: "PUT", path: "/bkt" });
  const r = await s.json({ path: "/bkt", query: "location" });
  assert.deepEqual(r.body, { locationConstraint: "su" });
  const missing = await s.json({ path: "/none", query: "location=" });
  assert.equal(missing.body.code, "NoSuchBucket");
});

Deno.test("virtual-host addressing: <bucket>.<region>.bcebos.com and <bucket>.<baseDomain>", async () => {
  const s = testServer({ baseDomain: "localhost" });
  let r = await s.call({ method: "PUT", path: "/", host: "vbucket.localhost:8080" });
  assert.equal(r.status, 200);
  r = await s.call({ method: "PUT", path: "/dir/a.txt", host: "vbucket.localhost:8080", body: "abc" });
  assert.equal(r.status, 200);
  r = await s.call({ path: "/vbucket/dir/a.txt" });
  assert.equal(await r.text(), "abc");
  r = await s.call({ path: "/dir/a.txt", host: "vbucket.bj.bcebos.com" });
  assert.equal(await r.text(), "abc");
  const list = await s.json({ path: "/", host: "vbucket.localhost" });
  assert.equal(list.body.name, "vbucket");
  assert.equal(list.body.contents[0].key, "dir/a.txt");
  // A plain host is path-style; /v1 is the legacy prefix.
  r = await s.call({ path: "/v1/vbucket/dir/a.txt", host: "localhost:8080" });
  assert.equal(await r.text(), "abc");
});

Deno.test("unsupported sub-resources answer 501 NotImplemented, wrong methods 405", async () => {
  const s = testServer();
  await s.call({ method: "PUT", path: "/bkt" });
  let r = await s.json({ path: "/bkt", query: "acl" });
  assert.equal(r.status, 501);
  assert.equal(r.body.code, "NotImplemented");
  r = await s.json({ method: "PATCH", path: "/bkt/k" });
  assert.equal(r.status, 405);
  assert.equal(r.body.code, "MethodNotAllowed");
  r = await s.json({ method: "POST", path: "/bkt/k" });
  assert.equal(r.body.code, "MethodNotAllowed");
  r = await s.json({ method: "DELETE", path: "/" });
  assert.equal(r.body.code, "MethodNotAllowed");
});
