import assert from "node:assert/strict";
import { BosError } from "../protocol/errors.ts";
import { countingFetch, withServer } from "./testdata/harness.ts";
import { BosClient } from "./client.ts";
import { createHandler, LOCAL_CREDENTIALS } from "../server/mod.ts";

Deno.test("cors: put, get and delete the rules of a bucket through the client (round trip, then NoSuchCORSConfiguration)", async () => {
  await withServer(async (s, bucket) => {
    const client = s.client();
    const rules = [
      { allowedOrigins: ["https://app.example.com"], allowedMethods: ["GET" as const, "PUT" as const] },
      {
        allowedOrigins: ["*"],
        allowedMethods: ["HEAD" as const],
        allowedExposeHeaders: ["ETag"],
        maxAgeSeconds: 60,
      },
    ];
    await assert.rejects(client.getBucketCors(bucket), { code: "NoSuchCORSConfiguration", status: 404 });
    await client.putBucketCors(bucket, rules);
    assert.deepEqual(await client.getBucketCors(bucket), rules);
    await client.deleteBucketCors(bucket);
    await client.deleteBucketCors(bucket);
    await assert.rejects(client.getBucketCors(bucket), { code: "NoSuchCORSConfiguration" });
    await assert.rejects(client.deleteBucketCors("no-such-bucket-x"), { code: "NoSuchBucket", status: 404 });
  }, { inProcess: true });
});

Deno.test("cors: a rule BOS would refuse is refused before sending (same rules as the server), nothing is sent", async () => {
  await withServer(async (s, bucket) => {
    const counting = countingFetch(s.fetch);
    const client = s.client({ fetch: counting.fetch });
    const bad = [
      [],
      [{ allowedOrigins: [], allowedMethods: ["GET"] }],
      [{ allowedOrigins: ["*"], allowedMethods: ["get"] }],
      [{ allowedOrigins: ["a*b*"], allowedMethods: ["GET"] }],
      [{ allowedOrigins: ["*"], allowedMethods: ["GET"], maxAgeSeconds: -1 }],
    ];
    for (const rules of bad) {
      // deno-lint-ignore no-explicit-any
      const e = await client.putBucketCors(bucket, rules as any).catch((e) => e);
      assert(e instanceof BosError, JSON.stringify(rules));
      assert.equal(e.status, 0);
      assert.equal(e.code, "InvalidArgument");
    }
    assert.equal(counting.seen.length, 0);
    await assert.rejects(
      client.putBucketCors("Bad_Name", [{ allowedOrigins: ["*"], allowedMethods: ["GET"] }]),
      {
        code: "InvalidBucketName",
      },
    );
  }, { inProcess: true });
});

Deno.test("keys: the client refuses the keys the server refuses, with the same code (. and .. segments, lone surrogates)", async () => {
  await withServer(async (s, bucket) => {
    const counting = countingFetch(s.fetch);
    const client = s.client({ fetch: counting.fetch });
    await assert.rejects(client.putObject(bucket, "a/../b", "x"), { code: "InvalidURI", status: 0 });
    await assert.rejects(client.getObject(bucket, "./x"), { code: "InvalidURI", status: 0 });
    await assert.rejects(client.headObject(bucket, "a\ud800"), { code: "InvalidObjectName", status: 0 });
    assert.equal(counting.seen.length, 0);
    await client.putObject(bucket, "v1", "the legacy prefix is not a key rule");
    assert.equal(await (await client.getObject(bucket, "v1")).text(), "the legacy prefix is not a key rule");
  }, { inProcess: true });
});

Deno.test("optionsObject: sends an unsigned preflight and reads what the rule grants; a refusal is 403 AccessDenied", async () => {
  const seen: Request[] = [];
  const handler = createHandler();
  const client = new BosClient({
    endpoint: "http://127.0.0.1:8080",
    credentials: LOCAL_CREDENTIALS,
    fetch: (input, init) => {
      const req = new Request(input, init);
      seen.push(req);
      return handler(req);
    },
  });
  await client.createBucket("bkt");
  await client.putBucketCors("bkt", [{
    allowedOrigins: ["https://*.example.com"],
    allowedMethods: ["GET", "PUT"],
    allowedHeaders: ["x-bce-*"],
    allowedExposeHeaders: ["ETag"],
    maxAgeSeconds: 60,
  }]);
  const r = await client.optionsObject("bkt", "a/b.txt", {
    origin: "https://app.example.com",
    method: "PUT",
    headers: ["x-bce-date", "x-bce-meta-a"],
  });
  assert.deepEqual(r, {
    allowOrigin: "https://app.example.com",
    allowMethods: ["GET", "PUT"],
    allowHeaders: ["x-bce-date", "x-bce-meta-a"],
    exposeHeaders: ["ETag"],
    maxAgeSeconds: 60,
    allowCredentials: true,
  });
  const sent = seen.at(-1)!;
  assert.equal(sent.method, "OPTIONS");
  assert.equal(sent.headers.get("authorization"), null, "a preflight is not signed");
  assert.equal(sent.headers.get("access-control-request-method"), "PUT");
  await assert.rejects(
    client.optionsObject("bkt", "a/b.txt", { origin: "https://app.example.com", method: "DELETE" }),
    (e) => e instanceof BosError && e.status === 403 && e.code === "AccessDenied",
  );
  await assert.rejects(
    client.optionsObject("bkt", "k", { origin: "", method: "GET" }),
    (e) => e instanceof BosError && e.status === 0 && e.code === "InvalidArgument",
  );
  await handler.close();
});
