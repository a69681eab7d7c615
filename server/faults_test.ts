import assert from "node:assert/strict";
import { createHandler } from "./mod.ts";
import { parseFault } from "./faults.ts";
import { testServer } from "./_test_util.ts";

async function setup() {
  const s = testServer({ faults: true });
  await s.call({ method: "PUT", path: "/bkt" });
  await s.call({ method: "PUT", path: "/bkt/obj", body: "0123456789" });
  return s;
}

const control = (s: ReturnType<typeof testServer>, method: string, path: string, body?: unknown) =>
  s.handler(
    new Request("http://127.0.0.1:8080" + path, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );

Deno.test("parseFault accepts statuses, reset, truncate-after-N, stall-after-N only", () => {
  assert.deepEqual(parseFault("503"), { kind: "status", status: 503, text: "503" });
  assert.equal(parseFault("reset")?.kind, "reset");
  assert.equal(parseFault("stall-after-0")?.kind, "stall");
  for (const bad of ["200", "600", "reset-now", "truncate-after-", ""]) {
    assert.equal(parseFault(bad), undefined, bad);
  }
});

Deno.test("x-boskit-fault header: status answers a BOS error and the operation is not applied", async () => {
  const s = await setup();
  for (
    const [fault, code] of [["503", "ServiceUnavailable"], ["500", "InternalError"], [
      "429",
      "RequestRateLimitExceeded",
    ], ["408", "RequestTimeout"]]
  ) {
    const r = await s.json({
      method: "PUT",
      path: "/bkt/new",
      body: "x",
      headers: { "x-boskit-fault": fault },
    });
    assert.equal(r.status, Number(fault));
    assert.equal(r.body.code, code);
    assert.ok(r.body.requestId);
  }
  assert.equal((await s.call({ method: "HEAD", path: "/bkt/new" })).status, 404);
});

Deno.test("reset: the body read rejects and the operation is not applied", async () => {
  const s = await setup();
  const r = await s.call({
    method: "PUT",
    path: "/bkt/new",
    body: "x",
    headers: { "x-boskit-fault": "reset" },
  });
  await assert.rejects(() => r.arrayBuffer());
  assert.equal((await s.call({ method: "HEAD", path: "/bkt/new" })).status, 404);
});

Deno.test("truncate-after-N on GET sends N bytes with the full Content-Length, then fails", async () => {
  const s = await setup();
  const r = await s.call({ path: "/bkt/obj", headers: { "x-boskit-fault": "truncate-after-4" } });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get("content-length"), "10");
  const reader = r.body!.getReader();
  const got: number[] = [];
  await assert.rejects(async () => {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      got.push(...value);
    }
  });
  assert.equal(new TextDecoder().decode(new Uint8Array(got)), "0123");
});

Deno.test("stall-after-N sends N bytes then waits for the request's signal", async () => {
  const s = await setup();
  const ac = new AbortController();
  const r = await s.call({
    path: "/bkt/obj",
    headers: { "x-boskit-fault": "stall-after-3" },
    signal: ac.signal,
  });
  const reader = r.body!.getReader();
  const first = await reader.read();
  assert.equal(new TextDecoder().decode(first.value), "012");
  const pending = reader.read();
  let settled = false;
  pending.then(() => settled = true, () => settled = true);
  await new Promise((res) => setTimeout(res, 20));
  assert.equal(settled, false);
  ac.abort();
  await assert.rejects(() => pending);
  // stall-after-0 holds the whole response until abort.
  const ac2 = new AbortController();
  const p = s.call({ path: "/bkt/obj", headers: { "x-boskit-fault": "stall-after-0" }, signal: ac2.signal });
  setTimeout(() => ac2.abort(), 20);
  const late = await p;
  await assert.rejects(() => late.arrayBuffer());
});

Deno.test("fault plans: FIFO per matching request, recorded consumption, listing and clearing", async () => {
  const s = await setup();
  const reg = await control(s, "POST", "/_boskit/faults", {
    match: { method: "PUT", operation: "UploadPart", bucket: "bkt", partNumber: 2 },
    faults: ["503", "reset"],
  });
  assert.equal(reg.status, 200);
  const { id } = await reg.json();
  assert.equal(typeof id, "string");
  const init = await s.json({ method: "POST", path: "/bkt/mp", query: "uploads" });
  const up = (n: number) =>
    s.call({
      method: "PUT",
      path: "/bkt/mp",
      query: `partNumber=${n}&uploadId=${init.body.uploadId}`,
      body: "part",
    });
  assert.equal((await up(1)).status, 200);
  assert.equal((await up(2)).status, 503);
  const reset = await up(2);
  await assert.rejects(() => reset.arrayBuffer());
  assert.equal((await up(2)).status, 200);
  const list = await (await control(s, "GET", "/_boskit/faults")).json();
  assert.equal(list.plans.length, 1);
  const plan = list.plans[0];
  assert.equal(plan.id, id);
  assert.deepEqual(plan.faults, []);
  assert.deepEqual(plan.match, { method: "PUT", operation: "UploadPart", bucket: "bkt", partNumber: 2 });
  assert.deepEqual(plan.consumed.map((c: { fault: string }) => c.fault), ["503", "reset"]);
  assert.equal(plan.consumed[0].operation, "UploadPart");
  assert.equal(plan.consumed[0].method, "PUT");
  assert.equal(plan.consumed[0].path, "/bkt/mp");
  assert.ok(!Number.isNaN(Date.parse(plan.consumed[0].at)));
  const parts = await s.json({ path: "/bkt/mp", query: `uploadId=${init.body.uploadId}` });
  assert.deepEqual(parts.body.parts.map((p: { partNumber: number }) => p.partNumber), [1, 2]);
  assert.equal((await control(s, "DELETE", "/_boskit/faults")).status, 204);
  assert.deepEqual((await (await control(s, "GET", "/_boskit/faults")).json()).plans, []);
  const bad = await control(s, "POST", "/_boskit/faults", { faults: ["explode"] });
  assert.equal(bad.status, 400);
  assert.equal((await bad.json()).code, "InvalidArgument");
  assert.equal((await control(s, "POST", "/_boskit/faults", "{")).status, 400);
});

Deno.test("POST /_boskit/reset wipes buckets, objects, uploads and plans", async () => {
  const s = await setup();
  await control(s, "POST", "/_boskit/faults", { faults: ["500"] });
  assert.equal((await control(s, "POST", "/_boskit/reset")).status, 204);
  assert.deepEqual((await s.json({ path: "/" })).body.buckets, []);
  assert.deepEqual((await (await control(s, "GET", "/_boskit/faults")).json()).plans, []);
});

Deno.test("without faults the control endpoints are unreachable and the header is ignored", async () => {
  const handler = createHandler();
  // Anonymous: like any other path (no sign that the endpoints exist on other servers).
  const r = await handler(new Request("http://127.0.0.1/_boskit/faults", { method: "POST", body: "{}" }));
  assert.equal(r.status, 403);
  assert.equal((await r.json()).code, "AccessDenied");
  await handler.close();
  const s = testServer();
  const signed = await s.json({ path: "/_boskit/faults" });
  assert.equal(signed.status, 404);
  assert.equal(signed.body.code, "NoSuchBucket");
  await s.call({ method: "PUT", path: "/bkt" });
  const put = await s.call({
    method: "PUT",
    path: "/bkt/k",
    body: "x",
    headers: { "x-boskit-fault": "503" },
  });
  assert.equal(put.status, 200);
});
