import assert from "node:assert/strict";
import { BosClient } from "./client.ts";
import { BosError } from "../protocol/errors.ts";
import { verifyAuthorization } from "../protocol/signing/verify.ts";
import { toHeaderByteString } from "../protocol/headers.ts";
import { toBase64 } from "../protocol/encoding.ts";
import { hash } from "../protocol/hash.ts";
import type { FetchLike } from "./pipeline.ts";
import { countingFetch, LOCAL_CREDENTIALS, startHttpServer, withServer } from "./testdata/harness.ts";

const creds = { accessKeyId: "ak", secretAccessKey: "sk" };

/** Records requests and answers each with `respond` (for request-construction tests, not a server). */
function capture(
  respond: (req: Request) => Response | Promise<Response> = () => new Response(null, { status: 200 }),
) {
  const requests: Request[] = [];
  const f: FetchLike = async (input, init) => {
    const req = new Request(input, init);
    requests.push(req.clone());
    return await respond(req);
  };
  return { fetch: f, requests };
}

const isBos = (code: string, status?: number) => (e: unknown) => {
  assert(e instanceof BosError, `expected BosError, got ${e}`);
  assert.equal(e.code, code, String(e));
  if (status !== undefined) assert.equal(e.status, status, String(e));
  return true;
};

// ------------------------------------------------------------------------------------------------
// Endpoint and URL building (no network)

Deno.test("endpoint: no scheme means https; region endpoints use virtual-host, IPs and other hosts path-style", () => {
  const a = new BosClient({ endpoint: "bj.bcebos.com", credentials: creds });
  assert.deepEqual(a.endpoint, {
    protocol: "https:",
    host: "bj.bcebos.com",
    addressing: "virtual-host",
    region: "bj",
  });
  const b = new BosClient({ endpoint: "http://127.0.0.1:8080", credentials: creds });
  assert.equal(b.endpoint.addressing, "path");
  assert.equal(b.endpoint.protocol, "http:");
  const c = new BosClient({ endpoint: "localhost:9000", credentials: creds });
  assert.equal(c.endpoint.protocol, "https:", "plain http must be written out");
  assert.equal(c.endpoint.addressing, "path");
  const d = new BosClient({ endpoint: "https://gz.bcebos.com", credentials: creds, addressing: "path" });
  assert.equal(d.endpoint.addressing, "path");
  assert.throws(
    () => new BosClient({ endpoint: "ftp://x", credentials: creds }),
    isBos("InvalidArgument", 0),
  );
  assert.throws(() => new BosClient({ endpoint: "https://x/y", credentials: creds }), /must not have a path/);
  assert.throws(
    () => new BosClient({ endpoint: "x", credentials: { accessKeyId: "", secretAccessKey: "s" } }),
    /Credentials/,
  );
});

Deno.test("URL: virtual-host puts the bucket in the host and encodes the key except slashes", async () => {
  const cap = capture();
  const client = new BosClient({ endpoint: "https://bj.bcebos.com", credentials: creds, fetch: cap.fetch });
  await client.headObject("my-bucket", "a b/测试+!*.txt");
  assert.equal(cap.requests[0].url, "https://my-bucket.bj.bcebos.com/a%20b/%E6%B5%8B%E8%AF%95%2B%21%2A.txt");
  await client.listObjects("my-bucket", { prefix: "a/", maxKeys: 5 });
  assert.equal(cap.requests[1].url, "https://my-bucket.bj.bcebos.com/?prefix=a%2F&maxKeys=5");
});

Deno.test("URL: path-style puts the bucket first; bucket-level sub-resources are flags", async () => {
  const cap = capture(() => Response.json({ locationConstraint: "bj" }));
  const client = new BosClient({ endpoint: "http://127.0.0.1:1", credentials: creds, fetch: cap.fetch });
  assert.equal(await client.getBucketLocation("my-bucket"), "bj");
  assert.equal(cap.requests[0].url, "http://127.0.0.1:1/my-bucket?location=");
});

// ------------------------------------------------------------------------------------------------
// Signing (what is signed is what is sent)

Deno.test("signing: host, x-bce-date, content-length, content-type, content-md5 and every x-bce-* are signed, byte-identical to the wire", async () => {
  const cap = capture(() =>
    new Response(null, { status: 200, headers: { etag: '"5d41402abc4b2a76b9719d911017c592"' } })
  );
  const client = new BosClient({
    endpoint: "http://127.0.0.1:8080",
    credentials: { ...creds, sessionToken: "tok" },
    fetch: cap.fetch,
  });
  await client.putObject("my-bucket", "k", "hello", {
    contentType: "text/plain",
    contentMD5: true,
    userMeta: { Name: "测试 é", plain: "x" },
    storageClass: "COLD",
  });
  const req = cap.requests[0];
  const auth = req.headers.get("authorization")!;
  const signed = auth.split("/")[4].split(";");
  for (
    const h of [
      "host",
      "x-bce-date",
      "content-length",
      "content-type",
      "content-md5",
      "x-bce-meta-name",
      "x-bce-meta-plain",
      "x-bce-storage-class",
      "x-bce-security-token",
    ]
  ) assert(signed.includes(h), `${h} signed (${signed})`);
  assert.equal(req.headers.get("x-bce-meta-name"), toHeaderByteString("测试 é"));
  assert.equal(req.headers.get("content-md5"), toBase64(await hash("md5", "hello")));
  const headers = new Headers(req.headers);
  headers.set("host", "127.0.0.1:8080");
  headers.set("content-length", "5");
  const u = new URL(req.url);
  const v = await verifyAuthorization({
    method: req.method,
    path: u.pathname,
    query: u.search.slice(1),
    headers,
    authorization: auth,
    lookupSecret: (ak) => ak === "ak" ? "sk" : undefined,
  });
  assert.equal(v.ok, true, JSON.stringify(v));
});

Deno.test("signing: every attempt is signed afresh (retries carry a new x-bce-date when time moves)", async () => {
  let t = Date.parse("2026-01-01T00:00:00Z");
  let n = 0;
  const cap = capture(() =>
    n++ === 0 ? Response.json({ code: "InternalError", message: "x" }, { status: 500 }) : new Response(null)
  );
  const client = new BosClient({
    endpoint: "http://127.0.0.1:1",
    credentials: creds,
    fetch: cap.fetch,
    now: () => new Date(t += 2000),
    retry: { baseDelayMs: 1 },
  });
  await client.headBucket("my-bucket");
  assert.equal(cap.requests.length, 2);
  assert.notEqual(cap.requests[0].headers.get("x-bce-date"), cap.requests[1].headers.get("x-bce-date"));
  assert.notEqual(cap.requests[0].headers.get("authorization"), cap.requests[1].headers.get("authorization"));
});

// ------------------------------------------------------------------------------------------------
// Client-side validation: refused before any byte is sent

Deno.test("validation: metadata of 2048 bytes (as BOS counts it) is sent, 2049 is refused with MetadataTooLarge and no request", async () => {
  await withServer(async (s, bucket) => {
    const counter = countingFetch((i, init) => fetch(i, init));
    const client = s.client({ fetch: counter.fetch });
    // "x-bce-meta-key" is 14 bytes: 14 + 2034 = 2048.
    await client.putObject(bucket, "ok", "x", { userMeta: { key: "v".repeat(2034) } });
    assert.equal((await client.headObject(bucket, "ok")).userMeta.key.length, 2034);
    const before = counter.seen.length;
    await assert.rejects(
      client.putObject(bucket, "too-big", "x", { userMeta: { key: "v".repeat(2035) } }),
      (e) => isBos("MetadataTooLarge", 0)(e) && /at most 2048 bytes.*got 2049/.test((e as Error).message),
    );
    await assert.rejects(
      client.upload(bucket, "too-big", "x", { userMeta: { key: "é".repeat(1018) } }),
      isBos("MetadataTooLarge", 0),
    );
    await assert.rejects(
      client.initiateMultipartUpload(bucket, "too-big", { userMeta: { key: "v".repeat(2035) } }),
      isBos("MetadataTooLarge", 0),
    );
    assert.equal(counter.seen.length, before, "no request was sent");
  });
});

Deno.test("validation: bucket names, key lengths, part numbers and storage classes are checked before sending", async () => {
  const cap = capture();
  const client = new BosClient({ endpoint: "http://127.0.0.1:1", credentials: creds, fetch: cap.fetch });
  await assert.rejects(client.createBucket("Bad_Name"), isBos("InvalidBucketName", 0));
  await assert.rejects(client.headBucket("ab"), isBos("InvalidBucketName", 0));
  await assert.rejects(client.putObject("my-bucket", "", "x"), isBos("InvalidObjectName", 0));
  await assert.rejects(client.putObject("my-bucket", "é".repeat(513), "x"), isBos("InvalidObjectName", 0));
  await client.headObject("my-bucket", "k".repeat(1024));
  await assert.rejects(client.headObject("my-bucket", "k".repeat(1025)), /1-1024 bytes of UTF-8, got 1025/);
  await assert.rejects(
    client.uploadPart("my-bucket", "k", "u", 0, "x"),
    /Part number must be between 1 and 10000, got 0/,
  );
  await assert.rejects(client.uploadPart("my-bucket", "k", "u", 10001, "x"), isBos("InvalidArgument", 0));
  await assert.rejects(
    client.putObject("my-bucket", "k", "x", { storageClass: "cold" as unknown as "COLD" }),
    /Storage class must be one of/,
  );
  await assert.rejects(
    client.putObject("my-bucket", "k", "x", { userMeta: { "bad name": "v" } }),
    /HTTP token/,
  );
  assert.equal(cap.requests.length, 1, "only the valid 1024-byte key went out");
});

// ------------------------------------------------------------------------------------------------
// Error mapping

Deno.test("errors: a JSON error body gives status, code, message and request id", async () => {
  const cap = capture(() =>
    Response.json({ code: "NoSuchBucket", message: "gone", requestId: "r-1" }, {
      status: 404,
      headers: { "x-bce-debug-id": "d-1" },
    })
  );
  const client = new BosClient({ endpoint: "http://127.0.0.1:1", credentials: creds, fetch: cap.fetch });
  await assert.rejects(client.listObjects("my-bucket"), (e) => {
    assert(e instanceof BosError);
    assert.deepEqual([e.status, e.code, e.message, e.requestId, e.debugId], [
      404,
      "NoSuchBucket",
      "gone",
      "r-1",
      "d-1",
    ]);
    return true;
  });
});

Deno.test("errors: HEAD has no body — the code comes from x-bce-error-code, else from the status and operation", async () => {
  let headers: Record<string, string> = {};
  const cap = capture(() => new Response(null, { status: 404, headers }));
  const client = new BosClient({ endpoint: "http://127.0.0.1:1", credentials: creds, fetch: cap.fetch });
  await assert.rejects(client.headObject("my-bucket", "k"), isBos("NoSuchKey", 404));
  await assert.rejects(client.headBucket("my-bucket"), isBos("NoSuchBucket", 404));
  headers = { "x-bce-error-code": "NoSuchBucket", "x-bce-request-id": "r-2" };
  await assert.rejects(
    client.headObject("my-bucket", "k"),
    (e) => isBos("NoSuchBucket", 404)(e) && (e as BosError).requestId === "r-2",
  );
});

Deno.test("errors: a 200 CopyObject / UploadPartCopy / Complete body with a code is thrown as BosError", async () => {
  const cap = capture(() =>
    Response.json({ code: "InternalError", message: "copy broke", requestId: "r-3" })
  );
  const client = new BosClient({
    endpoint: "http://127.0.0.1:1",
    credentials: creds,
    fetch: cap.fetch,
    retry: { maxAttempts: 1 },
  });
  await assert.rejects(
    client.copyObject("src-b", "a", "dst-b", "b"),
    (e) => isBos("InternalError", 200)(e) && (e as BosError).requestId === "r-3",
  );
  await assert.rejects(
    client.uploadPartCopy("src-b", "a", "dst-b", "b", "u", 1),
    isBos("InternalError", 200),
  );
  await assert.rejects(
    client.completeMultipartUpload("dst-b", "b", "u", [{ partNumber: 1, etag: "e" }]),
    isBos("InternalError", 200),
  );
});

Deno.test("errors: network failures keep their cause and are retried; aborts are Aborted; stalls are Timeout", async () => {
  let calls = 0;
  const boom = new TypeError("connection refused");
  const failing: FetchLike = () => {
    calls++;
    return Promise.reject(boom);
  };
  const client = new BosClient({
    endpoint: "http://127.0.0.1:1",
    credentials: creds,
    fetch: failing,
    retry: { maxAttempts: 3, baseDelayMs: 1 },
  });
  await assert.rejects(
    client.headBucket("my-bucket"),
    (e) => isBos("NetworkError", 0)(e) && (e as BosError).cause === boom,
  );
  assert.equal(calls, 3);

  const hanging: FetchLike = (_i, init) =>
    new Promise((_, reject) => init?.signal?.addEventListener("abort", () => reject(init.signal!.reason)));
  const slow = new BosClient({
    endpoint: "http://127.0.0.1:1",
    credentials: creds,
    fetch: hanging,
    timeoutMs: 20,
    retry: { maxAttempts: 2, baseDelayMs: 1 },
  });
  await assert.rejects(slow.headBucket("my-bucket"), isBos("Timeout", 0));
  const c = new AbortController();
  const p = slow.headBucket("my-bucket", { signal: c.signal });
  setTimeout(() => c.abort(new Error("user")), 5);
  await assert.rejects(p, isBos("Aborted", 0));
});

Deno.test("retries: CompleteMultipartUpload and AppendObject without offset are not re-sent after a network error", async () => {
  let calls = 0;
  const failing: FetchLike = () => {
    calls++;
    return Promise.reject(new TypeError("reset"));
  };
  const client = new BosClient({
    endpoint: "http://127.0.0.1:1",
    credentials: creds,
    fetch: failing,
    retry: { baseDelayMs: 1 },
  });
  await assert.rejects(
    client.completeMultipartUpload("my-bucket", "k", "u", [{ partNumber: 1, etag: "e" }]),
    isBos("NetworkError"),
  );
  assert.equal(calls, 1);
  await assert.rejects(client.appendObject("my-bucket", "k", "x"), isBos("NetworkError"));
  assert.equal(calls, 2);
  await assert.rejects(client.appendObject("my-bucket", "k", "x", { offset: 3 }), isBos("NetworkError"));
  assert.equal(calls, 6, "append with an offset is retried (a duplicate would fail the offset check)");
});

// ------------------------------------------------------------------------------------------------
// Against the reference server

Deno.test("buckets: create, head, location, list, delete and their errors", async () => {
  const s = await startHttpServer();
  try {
    const client = s.client();
    const name = `b-${Date.now().toString(36)}`;
    assert.deepEqual(await client.createBucket(name), { location: "bj" });
    await assert.rejects(client.createBucket(name), isBos("BucketAlreadyExists", 409));
    await client.headBucket(name);
    assert.equal(await client.getBucketLocation(name), "bj");
    const list = await client.listBuckets();
    assert(
      list.buckets.some((b) => b.name === name && b.location === "bj" && b.creationDate instanceof Date),
    );
    await client.putObject(name, "k", "v");
    await assert.rejects(client.deleteBucket(name), isBos("BucketNotEmpty", 409));
    await client.deleteObject(name, "k");
    await client.deleteBucket(name);
    await assert.rejects(client.headBucket(name), isBos("NoSuchBucket", 404));
    await assert.rejects(client.getBucketLocation(name), isBos("NoSuchBucket", 404));
    await assert.rejects(client.deleteBucket(name), isBos("NoSuchBucket", 404));
    const wrong = s.client({
      credentials: { accessKeyId: LOCAL_CREDENTIALS.accessKeyId, secretAccessKey: "wrong" },
    });
    await assert.rejects(wrong.listBuckets(), isBos("SignatureDoesNotMatch", 403));
  } finally {
    await s.close();
  }
});

Deno.test("objects: put from bytes, text, Blob and a sized stream; headers and UTF-8 metadata round-trip", async () => {
  await withServer(async (s, bucket) => {
    const client = s.client();
    const key = "dir/测试 file (1).txt";
    const put = await client.putObject(bucket, key, "hello world", {
      contentType: "text/plain; charset=utf-8",
      contentDisposition: 'attachment; filename="测试.txt"',
      cacheControl: "max-age=60",
      contentEncoding: "identity",
      expires: new Date("2030-01-01T00:00:00Z"),
      userMeta: { Author: "Zoë 测试", empty: "" },
      storageClass: "STANDARD_IA",
      contentMD5: true,
    });
    assert.equal(put.etag, "5eb63bbbe01eeed093cb22bb8f5acdc3");
    const head = await client.headObject(bucket, key);
    assert.equal(head.contentLength, 11);
    assert.equal(head.contentType, "text/plain; charset=utf-8");
    assert.equal(head.contentDisposition, 'attachment; filename="测试.txt"');
    assert.equal(head.cacheControl, "max-age=60");
    assert.equal(head.contentEncoding, "identity");
    assert.equal(head.expires, "Tue, 01 Jan 2030 00:00:00 GMT");
    assert.deepEqual(head.userMeta, { author: "Zoë 测试" });
    assert.equal(head.storageClass, "STANDARD_IA");
    assert.equal(head.objectType, "Normal");
    assert.equal(head.etag, put.etag);
    assert(head.lastModified instanceof Date);
    assert.equal(head.contentMD5, toBase64(await hash("md5", "hello world")));

    await client.putObject(bucket, "bytes", new Uint8Array([1, 2, 3]));
    assert.deepEqual(await (await client.getObject(bucket, "bytes")).bytes(), new Uint8Array([1, 2, 3]));
    await client.putObject(bucket, "blob", new Blob(["blob!"], { type: "text/x-blob" }));
    const blob = await client.headObject(bucket, "blob");
    assert.equal(blob.contentType, "text/x-blob");
    const stream = new Blob(["streamed body"]).stream();
    await client.putObject(bucket, "stream", stream, { contentLength: 13 });
    assert.equal(await (await client.getObject(bucket, "stream")).text(), "streamed body");
    await client.putObject(bucket, "empty", "");
    assert.equal((await client.headObject(bucket, "empty")).contentLength, 0);
  });
});

Deno.test("objects: ranged GET, response overrides, conditions, delete and NoSuchKey", async () => {
  await withServer(async (s, bucket) => {
    const client = s.client();
    const { etag } = await client.putObject(bucket, "k", "0123456789");
    const r = await client.getObject(bucket, "k", { range: { start: 2, end: 5 } });
    assert.equal(r.status, 206);
    assert.deepEqual(r.contentRange, { start: 2, end: 5, total: 10 });
    assert.equal(await r.text(), "2345");
    assert.equal(await (await client.getObject(bucket, "k", { range: { start: 7 } })).text(), "789");
    const o = await client.getObject(bucket, "k", {
      response: { contentType: "text/csv", contentDisposition: "inline" },
    });
    assert.equal(o.contentType, "text/csv");
    assert.equal(o.contentDisposition, "inline");
    await o.body.cancel();
    await assert.rejects(
      client.getObject(bucket, "k", { ifMatch: '"0000"' }),
      isBos("PreconditionFailed", 412),
    );
    await assert.rejects(client.headObject(bucket, "k", { ifNoneMatch: etag }), isBos("NotModified", 304));
    await assert.rejects(client.getObject(bucket, "k", { range: { start: 50 } }), isBos("InvalidRange", 416));
    await client.deleteObject(bucket, "k");
    await assert.rejects(client.getObject(bucket, "k"), isBos("NoSuchKey", 404));
    await assert.rejects(client.headObject(bucket, "k"), isBos("NoSuchKey", 404));
    await assert.rejects(client.deleteObject(bucket, "k"), isBos("NoSuchKey", 404));
    await assert.rejects(
      client.headObject("no-such-bucket-x", "k"),
      (e) => e instanceof BosError && e.status === 404,
    );
  });
});

Deno.test("deleteObjects: batches by the profile limit and reports missing keys per key", async () => {
  await withServer(async (s, bucket) => {
    const counter = countingFetch((i, init) => fetch(i, init));
    const client = s.client({
      fetch: counter.fetch,
      profile: { ...s.client().profile, maxDeleteObjects: 10 },
    });
    const keys = Array.from({ length: 23 }, (_, i) => `k${i}`);
    await Promise.all(keys.map((k) => client.putObject(bucket, k, k)));
    const before = counter.seen.length;
    const r = await client.deleteObjects(bucket, [...keys, "missing"]);
    assert.equal(counter.seen.length - before, 3, "24 keys in batches of 10");
    assert.deepEqual(r.deleted.sort(), [...keys].sort());
    assert.deepEqual(r.errors.map((e) => [e.key, e.code]), [["missing", "NoSuchKey"]]);
    assert.equal((await client.listObjects(bucket)).contents.length, 0);
  });
});

Deno.test("copyObject: copies with metadata, replaces with new metadata, and honours the four source conditions", async () => {
  await withServer(async (s, bucket) => {
    const client = s.client();
    const src = await client.putObject(bucket, "src", "payload", {
      contentType: "text/plain",
      userMeta: { a: "1" },
    });
    const c1 = await client.copyObject(bucket, "src", bucket, "copy");
    assert.equal(c1.etag, src.etag);
    assert.deepEqual((await client.headObject(bucket, "copy")).userMeta, { a: "1" });
    await client.copyObject(bucket, "src", bucket, "replaced", {
      userMeta: { b: "2" },
      contentType: "text/x-new",
    });
    const h = await client.headObject(bucket, "replaced");
    assert.deepEqual(h.userMeta, { b: "2" });
    assert.equal(h.contentType, "text/x-new");
    const past = new Date(Date.now() - 3600_000);
    const future = new Date(Date.now() + 3600_000);
    await client.copyObject(bucket, "src", bucket, "c2", { ifMatch: src.etag, ifUnmodifiedSince: future });
    await assert.rejects(
      client.copyObject(bucket, "src", bucket, "c3", { ifMatch: "ffff" }),
      isBos("PreconditionFailed", 412),
    );
    await assert.rejects(
      client.copyObject(bucket, "src", bucket, "c3", { ifNoneMatch: src.etag }),
      isBos("PreconditionFailed", 412),
    );
    await assert.rejects(
      client.copyObject(bucket, "src", bucket, "c3", { ifModifiedSince: future }),
      isBos("PreconditionFailed", 412),
    );
    await assert.rejects(
      client.copyObject(bucket, "src", bucket, "c3", { ifUnmodifiedSince: past }),
      isBos("PreconditionFailed", 412),
    );
    await assert.rejects(client.copyObject(bucket, "nope", bucket, "c3"), isBos("NoSuchKey", 404));
  });
});

Deno.test("appendObject: create, append at the offset, OffsetIncorrect, ObjectUnappendable, next offset", async () => {
  await withServer(async (s, bucket) => {
    const client = s.client();
    const a = await client.appendObject(bucket, "log", "hello ", {
      contentType: "text/plain",
      userMeta: { foo: "bar" },
    });
    assert.equal(a.nextAppendOffset, 6);
    const b = await client.appendObject(bucket, "log", "world", { offset: 6, contentMD5: true });
    assert.equal(b.nextAppendOffset, 11);
    await assert.rejects(
      client.appendObject(bucket, "log", "x", { offset: 3 }),
      isBos("OffsetIncorrect", 409),
    );
    const head = await client.headObject(bucket, "log");
    assert.equal(head.objectType, "Appendable");
    assert.equal(head.nextAppendOffset, 11);
    assert.deepEqual(head.userMeta, { foo: "bar" });
    assert.equal(await (await client.getObject(bucket, "log")).text(), "hello world");
    await client.putObject(bucket, "normal", "x");
    await assert.rejects(
      client.appendObject(bucket, "normal", "y", { offset: 1 }),
      isBos("ObjectUnappendable", 403),
    );
    await assert.rejects(client.appendObject(bucket, "missing", "y", { offset: 0 }), isBos("NoSuchKey", 404));
  });
});

Deno.test("appender: tracks the offset, creates on first write, and recovers from a concurrent writer via HEAD", async () => {
  await withServer(async (s, bucket) => {
    const client = s.client();
    const log = client.appender(bucket, "app.log", { contentType: "text/plain" });
    await Promise.all([log.append("one\n"), log.append("two\n"), log.append("three\n")]);
    assert.equal(log.offset, 14);
    await client.appendObject(bucket, "app.log", "other\n", { offset: 14 });
    const r = await log.append("four\n");
    assert.equal(r.nextAppendOffset, 25);
    assert.equal(await (await client.getObject(bucket, "app.log")).text(), "one\ntwo\nthree\nother\nfour\n");
    const late = client.appender(bucket, "app.log");
    await late.append("five\n");
    assert.equal(late.offset, 30);
  });
});

Deno.test("appendObject: without x-bce-next-append-offset in the answer the next offset is unknown, never offset + length; the appender asks with HEAD", async () => {
  await withServer(async (s, bucket) => {
    // As a browser sees BOS when the bucket's CORS rules do not expose the header.
    const heads: string[] = [];
    const hiding: FetchLike = async (input, init) => {
      const res = await fetch(input, init);
      if (init?.method === "HEAD") heads.push(String(input));
      const headers = new Headers(res.headers);
      headers.delete("x-bce-next-append-offset");
      return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
    };
    const client = s.client({ fetch: hiding });
    const plain = s.client();
    await plain.appendObject(bucket, "log", "0123456789");
    // Without an offset BOS creates the object anew; an endpoint that appends at the end instead would
    // make it 14 bytes: the client cannot know, so it does not say.
    const r = await client.appendObject(bucket, "log", "abcd");
    assert.equal(r.nextAppendOffset, undefined);
    const withOffset = await client.appendObject(bucket, "log", "ef", { offset: 4 });
    assert.equal(withOffset.nextAppendOffset, undefined);
    const log = client.appender(bucket, "log");
    await log.append("gh");
    assert.equal(log.offset, undefined);
    await log.append("ij");
    assert.equal(heads.length, 2, "each append after an unknown offset learns it with HEAD");
    assert.equal(await (await plain.getObject(bucket, "log")).text(), "abcdefghij");
  });
});

Deno.test("presignUrl: a presigned GET works without any other credentials", async () => {
  await withServer(async (s, bucket) => {
    const client = s.client();
    await client.putObject(bucket, "shared/文件.txt", "shared!");
    const url = await client.presignUrl(bucket, "shared/文件.txt", { expirationInSeconds: 60 });
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), "shared!");
  });
});

Deno.test("listing: one page, then iterators over every page of objects, prefixes and entries", async () => {
  await withServer(async (s, bucket) => {
    const client = s.client();
    const keys = [
      "dir0/dir1/key0",
      "dir0/key0",
      "dir0/key1",
      "dir1/dir2/key1",
      "dir1/key0",
      "dir3/key0",
      "key",
      "测试",
    ];
    for (const k of keys) await client.putObject(bucket, k, k);
    const page = await client.listObjects(bucket, { maxKeys: 3 });
    assert.equal(page.isTruncated, true);
    assert.equal(page.contents.length, 3);
    const all: string[] = [];
    for await (const o of client.listAllObjects(bucket, { maxKeys: 2 })) all.push(o.key);
    assert.deepEqual(all, keys);
    const prefixes: string[] = [];
    for await (const p of client.listAllPrefixes(bucket, { maxKeys: 1 })) prefixes.push(p);
    assert.deepEqual(prefixes, ["dir0/", "dir1/", "dir3/"]);
    const entries: string[] = [];
    for await (const e of client.listAllEntries(bucket, { delimiter: "/", maxKeys: 2 })) {
      entries.push(e.kind === "prefix" ? `P:${e.prefix}` : `O:${e.key}`);
    }
    assert.deepEqual(entries, ["P:dir0/", "P:dir1/", "P:dir3/", "O:key", "O:测试"]);
    const under: string[] = [];
    for await (const o of client.listAllObjects(bucket, { prefix: "dir0/", delimiter: "/" })) {
      under.push(o.key);
    }
    assert.deepEqual(under, ["dir0/key0", "dir0/key1"]);
  });
});

Deno.test("clock skew: a RequestTimeTooSkewed answer is corrected once from the server Date header", async () => {
  await withServer(async (s, bucket) => {
    const skewed = s.client({ now: () => new Date(Date.now() - 3 * 3600_000) });
    await skewed.putObject(bucket, "k", "v");
    assert(Math.abs(skewed.clockOffsetMs - 3 * 3600_000) < 5000, `offset ${skewed.clockOffsetMs}`);
    assert.equal(await (await skewed.getObject(bucket, "k")).text(), "v");
  });
});

Deno.test("faults: 503 and connection resets are retried (proved by the fault plan accounting)", async () => {
  await withServer(async (s, bucket) => {
    const client = s.client();
    await s.addFaults({ operation: "PutObject", key: "f" }, ["503", "reset"]);
    await client.putObject(bucket, "f", "survived");
    await s.addFaults({ operation: "GetObject", key: "f" }, ["500", "429"]);
    assert.equal(await (await client.getObject(bucket, "f")).text(), "survived");
    const plans = await s.faultPlans();
    assert.deepEqual(plans.map((p) => p.consumed.map((c) => c.fault)), [["503", "reset"], ["500", "429"]]);
    await s.addFaults({ operation: "HeadObject", key: "f" }, ["503", "503", "503", "503"]);
    await assert.rejects(client.headObject(bucket, "f"), isBos("ServiceUnavailable", 503));
  });
});

Deno.test({
  name: "metadata: UTF-8 values whose last byte is 0xA0 (e.g. 张) round-trip byte-exact",
  fn: async () => {
    await withServer(async (s, bucket) => {
      const client = s.client();
      await client.putObject(bucket, "k", "x", { userMeta: { name: "张" } });
      assert.equal((await client.headObject(bucket, "k")).userMeta.name, "张");
    });
  },
});

Deno.test("errors: a write answered without the ETag it needs fails with MissingHeader naming Access-Control-Expose-Headers", async () => {
  const client = new BosClient({
    endpoint: "http://127.0.0.1:8080",
    credentials: creds,
    fetch: capture(() => new Response(null, { status: 200, headers: { "x-bce-request-id": "rid-1" } })).fetch,
  });
  const err = await client.putObject("my-bucket", "k", "hello").catch((e) => e);
  assert(isBos("MissingHeader", 200)(err));
  assert.match(err.message, /PutObject answered without the etag header.*Access-Control-Expose-Headers/);
  assert.equal(err.requestId, "rid-1");
  const part = await client.uploadPart("my-bucket", "k", "u", 1, "x").catch((e) => e);
  assert(isBos("MissingHeader", 200)(part));
});
