import assert from "node:assert/strict";
import { crcToDecimal, toBase64, toHex } from "../protocol/encoding.ts";
import { hash } from "../protocol/hash.ts";
import { makeProfile } from "../protocol/limits.ts";
import { toHeaderByteString } from "../protocol/headers.ts";
import { bytes, encodeKey, testServer } from "./_test_util.ts";

async function setup(options?: Parameters<typeof testServer>[0]) {
  const s = testServer(options);
  assert.equal((await s.call({ method: "PUT", path: "/bkt" })).status, 200);
  return s;
}

const md5hex = async (d: string | Uint8Array) => toHex(await hash("md5", d));

Deno.test("PutObject stores headers and metadata; HEAD returns every documented header", async () => {
  const s = await setup();
  const r = await s.call({
    method: "PUT",
    path: "/bkt/doc.txt",
    body: "hello world",
    headers: {
      "content-type": "text/plain",
      "cache-control": "no-cache",
      "content-disposition": "attachment",
      "content-encoding": "identity",
      expires: "Wed, 06 Apr 2016 06:34:40 GMT",
      "x-bce-meta-DeMo": "v1",
      "x-bce-meta-empty": "",
      "x-bce-storage-class": "COLD",
    },
  });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get("etag"), await md5hex("hello world"));
  const h = await s.call({ method: "HEAD", path: "/bkt/doc.txt" });
  assert.equal(h.status, 200);
  assert.equal(await h.text(), "");
  assert.equal(h.headers.get("content-length"), "11");
  assert.equal(h.headers.get("content-type"), "text/plain");
  assert.equal(h.headers.get("cache-control"), "no-cache");
  assert.equal(h.headers.get("content-disposition"), "attachment");
  assert.equal(h.headers.get("content-encoding"), "identity");
  assert.equal(h.headers.get("expires"), "Wed, 06 Apr 2016 06:34:40 GMT");
  assert.equal(h.headers.get("content-md5"), toBase64(await hash("md5", "hello world")));
  assert.equal(h.headers.get("x-bce-meta-demo"), "v1");
  assert.equal(h.headers.has("x-bce-meta-empty"), false);
  assert.equal(h.headers.get("x-bce-storage-class"), "COLD");
  assert.equal(h.headers.get("x-bce-object-type"), "Normal");
  assert.equal(h.headers.has("x-bce-next-append-offset"), false);
  assert.ok(!Number.isNaN(Date.parse(h.headers.get("last-modified")!)));
  const d = await s.call({ method: "PUT", path: "/bkt/default", body: "" });
  assert.equal(d.status, 200);
  const hd = await s.call({ method: "HEAD", path: "/bkt/default" });
  assert.equal(hd.headers.get("content-type"), "application/octet-stream");
  assert.equal(hd.headers.get("x-bce-storage-class"), "STANDARD");
  assert.equal(hd.headers.get("etag"), "d41d8cd98f00b204e9800998ecf8427e");
});

Deno.test("metadata is stored byte-for-byte and the 2048-byte budget is exact", async () => {
  const s = await setup();
  const utf8 = toHeaderByteString("张三 ü");
  let r = await s.call({ method: "PUT", path: "/bkt/m", body: "x", headers: { "x-bce-meta-author": utf8 } });
  assert.equal(r.status, 200);
  r = await s.call({ method: "HEAD", path: "/bkt/m" });
  assert.equal(r.headers.get("x-bce-meta-author"), utf8);
  r = await s.call({
    method: "PUT",
    path: "/bkt/m2",
    body: "x",
    headers: { "x-bce-meta-key": "v".repeat(2034) },
  });
  assert.equal(r.status, 200);
  const big = await s.json({
    method: "PUT",
    path: "/bkt/m3",
    body: "x",
    headers: { "x-bce-meta-key": "v".repeat(2035) },
  });
  assert.equal(big.status, 400);
  assert.equal(big.body.code, "MetadataTooLarge");
});

Deno.test("PutObject verifies Content-MD5, SHA-256 and CRC32 digests", async () => {
  const s = await setup();
  const body = "digest me";
  const good = {
    "content-md5": toBase64(await hash("md5", body)),
    "x-bce-content-sha256": toHex(await hash("sha256", body)),
  };
  assert.equal((await s.call({ method: "PUT", path: "/bkt/d", body, headers: good })).status, 200);
  let r = await s.json({
    method: "PUT",
    path: "/bkt/d2",
    body,
    headers: { "content-md5": toBase64(await hash("md5", "other")) },
  });
  assert.equal(r.body.code, "BadDigest");
  r = await s.json({
    method: "PUT",
    path: "/bkt/d2",
    body,
    headers: { "x-bce-content-sha256": "0".repeat(64) },
  });
  assert.equal(r.body.code, "BadDigest");
  r = await s.json({ method: "PUT", path: "/bkt/d2", body, headers: { "x-bce-content-crc32": "1" } });
  assert.equal(r.body.code, "BadDigest");
  r = await s.json({ method: "PUT", path: "/bkt/d2", body, headers: { "content-md5": "not base64!" } });
  assert.equal(r.body.code, "InvalidDigest");
  assert.equal(
    (await s.call({ method: "HEAD", path: "/bkt/d2" })).status,
    404,
    "no object after a failed digest",
  );
  const crc = await s.call({
    method: "PUT",
    path: "/bkt/crc",
    body: "123456789",
    headers: { "x-bce-content-crc32": "3421780262", "x-bce-content-crc32c-flag": "true" },
  });
  assert.equal(crc.status, 200);
  assert.equal(crc.headers.get("x-bce-content-crc32"), "3421780262");
  assert.equal(crc.headers.get("x-bce-content-crc32c"), "3808858755");
});

Deno.test("PutObject: storage class, size limit, Content-Length rules, key length", async () => {
  const s = await setup({ profile: makeProfile({ maxPutObjectSize: 10 }) });
  let r = await s.json({
    method: "PUT",
    path: "/bkt/k",
    body: "x",
    headers: { "x-bce-storage-class": "GLACIER" },
  });
  assert.equal(r.body.code, "InvalidArgument");
  r = await s.json({ method: "PUT", path: "/bkt/k", body: "x".repeat(11) });
  assert.equal(r.body.code, "EntityTooLarge");
  r = await s.json({
    method: "PUT",
    path: "/bkt/k",
    body: "x".repeat(5),
    headers: { "content-length": "20" },
  });
  assert.equal(r.body.code, "EntityTooLarge");
  r = await s.json({ method: "PUT", path: "/bkt/k" });
  assert.equal(r.status, 411);
  assert.equal(r.body.code, "MissingContentLength");
  r = await s.json({ method: "PUT", path: "/bkt/k", headers: { "content-length": "0" } });
  assert.equal(r.status, 200);
  r = await s.json({ method: "PUT", path: "/bkt/" + encodeKey("k".repeat(1025)), body: "x" });
  assert.equal(r.body.code, "InvalidObjectName");
  r = await s.json({ method: "PUT", path: "/bkt/" + encodeKey("k".repeat(1024)), body: "x" });
  assert.equal(r.status, 200);
  r = await s.json({ method: "PUT", path: "/bkt/a%2F..%2Fb", body: "x" });
  assert.equal(r.body.code, "InvalidURI");
  r = await s.json({ method: "PUT", path: "/nobucket/k", body: "x" });
  assert.equal(r.body.code, "NoSuchBucket");
});

Deno.test("GetObject ranges: closed, open-ended, suffix, clamping, 416 and empty Range", async () => {
  const s = await setup();
  const data = "0123456789abcdefghij0123456789abcdefghij0123"; // 44 bytes
  await s.call({ method: "PUT", path: "/bkt/r", body: data });
  const get = async (range: string) => await s.call({ path: "/bkt/r", headers: { range } });
  let r = await get("bytes=9-19");
  assert.equal(r.status, 206);
  assert.equal(r.headers.get("content-range"), "bytes 9-19/44");
  assert.equal(r.headers.get("content-length"), "11");
  assert.equal(await r.text(), data.slice(9, 20));
  r = await get("bytes=40-");
  assert.equal(await r.text(), data.slice(40));
  r = await get("bytes=-4");
  assert.equal(r.headers.get("content-range"), "bytes 40-43/44");
  assert.equal(await r.text(), data.slice(40));
  r = await get("bytes=30-1000");
  assert.equal(r.headers.get("content-range"), "bytes 30-43/44");
  assert.equal(await r.text(), data.slice(30));
  r = await get("bytes=-100");
  assert.equal(await r.text(), data);
  for (const bad of ["bytes=44-", "bytes=5-2", "bytes=abc", "bytes=-0", "items=1-2", "bytes=1-2,4-5"]) {
    const e = await get(bad);
    assert.equal(e.status, 416, bad);
    assert.equal((await e.json()).code, "InvalidRange");
  }
  r = await get("");
  assert.equal(r.status, 200);
  assert.equal(await r.text(), data);
  await s.call({ method: "PUT", path: "/bkt/empty", body: "" });
  const z = await s.call({ path: "/bkt/empty", headers: { range: "bytes=0-1" } });
  assert.equal(z.status, 400);
  await z.body?.cancel();
  assert.equal((await s.json({ path: "/bkt/missing" })).body.code, "NoSuchKey");
});

Deno.test("GetObject response overrides and conditional requests", async () => {
  const s = await setup();
  await s.call({ method: "PUT", path: "/bkt/c", body: "cond", headers: { "content-type": "text/plain" } });
  const etag = await md5hex("cond");
  const r = await s.call({
    path: "/bkt/c",
    query:
      "responseContentType=application%2Fjson&responseContentDisposition=inline&responseCacheControl=max-age%3D1" +
      "&responseExpires=never&responseContentEncoding=gzip&responseContentLanguage=zh-CN",
  });
  assert.equal(r.headers.get("content-type"), "application/json");
  assert.equal(r.headers.get("content-disposition"), "inline");
  assert.equal(r.headers.get("cache-control"), "max-age=1");
  assert.equal(r.headers.get("expires"), "never");
  assert.equal(r.headers.get("content-encoding"), "gzip");
  assert.equal(r.headers.get("content-language"), "zh-CN");
  await r.body?.cancel();
  const status = async (headers: Record<string, string>, method = "GET") => {
    const res = await s.call({ method, path: "/bkt/c", headers });
    await res.body?.cancel();
    return res.status;
  };
  assert.equal(await status({ "if-match": `"${etag}"` }), 200);
  assert.equal(await status({ "if-match": "nope" }), 412);
  assert.equal(await status({ "if-none-match": etag }), 304);
  assert.equal(await status({ "if-none-match": etag }, "HEAD"), 304);
  assert.equal(await status({ "if-none-match": "other" }), 200);
  const future = new Date(Date.now() + 3600_000).toUTCString();
  const past = new Date(Date.now() - 3600_000).toUTCString();
  assert.equal(await status({ "if-modified-since": future }), 304);
  assert.equal(await status({ "if-modified-since": past }), 200);
  assert.equal(await status({ "if-unmodified-since": past }), 412);
  assert.equal(await status({ "if-unmodified-since": future }), 200);
  // If-Match wins over If-Unmodified-Since; If-None-Match over If-Modified-Since.
  assert.equal(await status({ "if-match": etag, "if-unmodified-since": past }), 200);
  assert.equal(await status({ "if-none-match": "other", "if-modified-since": future }), 200);
  const failed = await s.call({ path: "/bkt/c", headers: { "if-match": "nope" } });
  assert.equal((await failed.json()).code, "PreconditionFailed");
});

Deno.test("DeleteMultipleObjects: empty body when all deleted, errors array otherwise, limits", async () => {
  const s = await setup({ profile: makeProfile({ maxDeleteObjects: 3, maxDeleteBodySize: 200 }) });
  for (const k of ["a", "b", "c"]) await s.call({ method: "PUT", path: "/bkt/" + k, body: k });
  const r = await s.call({
    method: "POST",
    path: "/bkt",
    query: "delete",
    body: JSON.stringify({ objects: [{ key: "a" }, { key: "b" }] }),
  });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get("content-length"), "0");
  assert.equal(await r.text(), "");
  const j = await s.json({
    method: "POST",
    path: "/bkt",
    query: "delete=",
    body: JSON.stringify({ objects: [{ key: "c" }, { key: "zz", versionId: "x" }] }),
  });
  assert.equal(j.status, 200);
  assert.deepEqual(j.body, {
    errors: [{ key: "zz", code: "NoSuchKey", message: "The specified key does not exist." }],
  });
  assert.equal((await s.call({ method: "HEAD", path: "/bkt/c" })).status, 404);
  const e = await s.json({ method: "POST", path: "/bkt", query: "delete", body: "{bad" });
  assert.equal(e.body.code, "MalformedJSON");
  const e2 = await s.json({ method: "POST", path: "/bkt", query: "delete", body: '{"objects": 3}' });
  assert.equal(e2.body.code, "InappropriateJSON");
  const e3 = await s.json({
    method: "POST",
    path: "/bkt",
    query: "delete",
    body: JSON.stringify({ objects: [{ key: "1" }, { key: "2" }, { key: "3" }, { key: "4" }] }),
  });
  assert.equal(e3.body.code, "InvalidArgument");
  const e4 = await s.json({
    method: "POST",
    path: "/bkt",
    query: "delete",
    body: JSON.stringify({ objects: [{ key: "x".repeat(300) }] }),
  });
  assert.equal(e4.body.code, "MaxMessageLengthExceeded");
});

Deno.test("CopyObject: copy and replace directives, conditions, storage class, encoded source keys", async () => {
  const s = await setup();
  await s.call({ method: "PUT", path: "/bkt2" }).then((r) => r.body?.cancel());
  const key = "src dir/测试+1.txt";
  await s.call({
    method: "PUT",
    path: "/bkt/" + encodeKey(key),
    body: "copy me",
    headers: { "content-type": "text/plain", "x-bce-meta-a": "1", "cache-control": "no-store" },
  });
  const etag = await md5hex("copy me");
  const source = "/bkt/" + encodeKey(key);
  let r = await s.json({
    method: "PUT",
    path: "/bkt2/dst",
    headers: { "x-bce-copy-source": source, "content-type": "application/octet-stream" },
  });
  assert.equal(r.status, 200);
  assert.equal(r.body.eTag, etag);
  assert.match(r.body.lastModified, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  let h = await s.call({ method: "HEAD", path: "/bkt2/dst" });
  assert.equal(h.headers.get("content-type"), "text/plain", "copy ignores the request's Content-Type");
  assert.equal(h.headers.get("x-bce-meta-a"), "1");
  assert.equal(h.headers.get("cache-control"), "no-store");
  r = await s.json({
    method: "PUT",
    path: "/bkt2/dst2",
    headers: {
      "x-bce-copy-source": source,
      "x-bce-metadata-directive": "replace",
      "content-type": "text/html",
      "x-bce-meta-b": "2",
      "x-bce-storage-class": "STANDARD_IA",
    },
  });
  assert.equal(r.status, 200);
  h = await s.call({ method: "HEAD", path: "/bkt2/dst2" });
  assert.equal(h.headers.get("content-type"), "text/html");
  assert.equal(h.headers.get("x-bce-meta-a"), null);
  assert.equal(h.headers.get("x-bce-meta-b"), "2");
  assert.equal(h.headers.get("x-bce-storage-class"), "STANDARD_IA");
  assert.equal(await (await s.call({ path: "/bkt2/dst2" })).text(), "copy me");
  const past = new Date(Date.now() - 3600_000).toUTCString();
  const future = new Date(Date.now() + 3600_000).toUTCString();
  const cond = async (headers: Record<string, string>) =>
    (await s.json({ method: "PUT", path: "/bkt2/c", headers: { "x-bce-copy-source": source, ...headers } }))
      .status;
  assert.equal(await cond({ "x-bce-copy-source-if-match": `"${etag}"` }), 200);
  assert.equal(await cond({ "x-bce-copy-source-if-match": "nope" }), 412);
  assert.equal(await cond({ "x-bce-copy-source-if-none-match": etag }), 412);
  assert.equal(await cond({ "x-bce-copy-source-if-modified-since": future }), 412);
  assert.equal(await cond({ "x-bce-copy-source-if-unmodified-since": past }), 412);
  assert.equal(await cond({ "x-bce-copy-source-if-unmodified-since": future }), 200);
  assert.equal(
    (await s.json({ method: "PUT", path: "/bkt2/c", headers: { "x-bce-copy-source": "/bkt/none" } })).body
      .code,
    "NoSuchKey",
  );
  assert.equal(
    (await s.json({ method: "PUT", path: "/bkt2/c", headers: { "x-bce-copy-source": "/nob/none" } })).body
      .code,
    "NoSuchBucket",
  );
  assert.equal(
    (await s.json({
      method: "PUT",
      path: "/bkt2/c",
      headers: { "x-bce-copy-source": source, "x-bce-metadata-directive": "bogus" },
    })).body.code,
    "InvalidArgument",
  );
  assert.equal(
    (await s.json({ method: "PUT", path: "/bkt2/c", headers: { "x-bce-copy-source": "nokey" } })).body.code,
    "InvalidArgument",
  );
});

Deno.test("AppendObject: create, append, offsets, type rules, metadata at creation only", async () => {
  const s = await setup();
  let r = await s.call({
    method: "POST",
    path: "/bkt/log",
    query: "append",
    body: "hello ",
    headers: { "x-bce-meta-foo": "bar", "content-type": "text/plain" },
  });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get("x-bce-next-append-offset"), "6");
  assert.equal(r.headers.get("etag"), await md5hex("hello "));
  r = await s.call({
    method: "POST",
    path: "/bkt/log",
    query: "append&offset=6",
    body: "world",
    headers: { "x-bce-meta-foo": "bar1" },
  });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get("x-bce-next-append-offset"), "11");
  assert.equal(r.headers.get("etag"), await md5hex("hello world"));
  assert.equal(r.headers.get("content-md5"), toBase64(await hash("md5", "hello world")));
  const h = await s.call({ method: "HEAD", path: "/bkt/log" });
  assert.equal(h.headers.get("x-bce-object-type"), "Appendable");
  assert.equal(h.headers.get("x-bce-next-append-offset"), "11");
  assert.equal(h.headers.get("content-length"), "11");
  assert.equal(h.headers.get("x-bce-meta-foo"), "bar");
  assert.equal(h.headers.get("content-type"), "text/plain");
  assert.equal(await (await s.call({ path: "/bkt/log" })).text(), "hello world");
  let e = await s.json({ method: "POST", path: "/bkt/log", query: "append&offset=5", body: "x" });
  assert.equal(e.status, 409);
  assert.equal(e.body.code, "OffsetIncorrect");
  e = await s.json({ method: "POST", path: "/bkt/none", query: "append&offset=0", body: "x" });
  assert.equal(e.body.code, "NoSuchKey");
  await s.call({ method: "PUT", path: "/bkt/normal", body: "n" });
  e = await s.json({ method: "POST", path: "/bkt/normal", query: "append&offset=1", body: "x" });
  assert.equal(e.status, 403);
  assert.equal(e.body.code, "ObjectUnappendable");
  e = await s.json({
    method: "POST",
    path: "/bkt/log",
    query: "append&offset=11",
    body: "x",
    headers: { "x-bce-content-sha256": "0".repeat(64) },
  });
  assert.equal(e.body.code, "BadDigest");
  assert.equal((await s.call({ method: "HEAD", path: "/bkt/log" })).headers.get("content-length"), "11");
  // Without offset: overwrite any object with a new appendable one.
  r = await s.call({ method: "POST", path: "/bkt/normal", query: "append", body: "" });
  assert.equal(r.headers.get("x-bce-next-append-offset"), "0");
  assert.equal(
    (await s.call({ method: "HEAD", path: "/bkt/normal" })).headers.get("x-bce-object-type"),
    "Appendable",
  );
  // A later PutObject makes it Normal again.
  await s.call({ method: "PUT", path: "/bkt/log", body: "z" });
  assert.equal(
    (await s.call({ method: "HEAD", path: "/bkt/log" })).headers.get("x-bce-object-type"),
    "Normal",
  );
  e = await s.json({
    method: "POST",
    path: "/bkt/x",
    query: "append",
    body: "x",
    headers: { "x-bce-storage-class": "ARCHIVE" },
  });
  assert.equal(e.body.code, "InvalidArgument");
});

Deno.test("AppendObject size limits come from the profile", async () => {
  const s = await setup({ profile: makeProfile({ maxAppendSize: 4, maxAppendableObjectSize: 6 }) });
  assert.equal(
    (await s.json({ method: "POST", path: "/bkt/a", query: "append", body: "12345" })).body.code,
    "EntityTooLarge",
  );
  assert.equal((await s.call({ method: "POST", path: "/bkt/a", query: "append", body: "1234" })).status, 200);
  assert.equal(
    (await s.json({ method: "POST", path: "/bkt/a", query: "append&offset=4", body: "567" })).body.code,
    "EntityTooLarge",
  );
});

Deno.test("a concurrent reader never sees a partial object", async () => {
  const s = await setup();
  const big = bytes(1 << 20);
  let release!: () => void;
  const gate = new Promise<void>((r) => release = r);
  const body = new ReadableStream<Uint8Array>({
    async start(c) {
      c.enqueue(big.subarray(0, 1000));
      await gate;
      c.enqueue(big.subarray(1000));
      c.close();
    },
  });
  const put = s.call({
    method: "PUT",
    path: "/bkt/slow",
    body,
    headers: { "content-length": String(big.byteLength) },
  });
  await new Promise((r) => setTimeout(r, 10));
  assert.equal((await s.call({ method: "HEAD", path: "/bkt/slow" })).status, 404);
  release();
  assert.equal((await put).status, 200);
  const got = new Uint8Array(await (await s.call({ path: "/bkt/slow" })).arrayBuffer());
  assert.deepEqual(got, big);
});

Deno.test("concurrent appends at the same offset: one wins, the other gets OffsetIncorrect", async () => {
  const s = await setup();
  await s.call({ method: "POST", path: "/bkt/race", query: "append", body: "start" });
  const results = await Promise.all(
    ["a", "b", "c"].map((x) =>
      s.json({ method: "POST", path: "/bkt/race", query: "append&offset=5", body: x })
    ),
  );
  assert.deepEqual(results.map((r) => r.status).sort(), [200, 409, 409]);
  assert.equal((await s.call({ method: "HEAD", path: "/bkt/race" })).headers.get("content-length"), "6");
});

Deno.test("AppendObject: each append hashes only its own bytes; ETag and CRC32 stay those of the whole object, also after a cache miss", async () => {
  const { createMemoryStore } = await import("./store/memory.ts");
  const inner = createMemoryStore();
  let bytesRead = 0;
  // A view of the store that counts the bytes read through it.
  const counting = (): typeof inner => {
    const view: typeof inner = Object.create(inner);
    view.read = (segments, start, end) =>
      inner.read(segments, start, end).pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, c) {
            bytesRead += chunk.length;
            c.enqueue(chunk);
          },
        }),
      );
    return view;
  };
  const s = await setup({ store: counting() });
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (let i = 0; i < 40; i++) {
    const chunk = bytes(10_000 + i, i + 1);
    chunks.push(chunk);
    const r = await s.call({
      method: "POST",
      path: "/bkt/log",
      query: i === 0 ? "append" : `append&offset=${offset}`,
      body: chunk,
    });
    assert.equal(r.status, 200);
    offset += chunk.length;
  }
  assert.equal(bytesRead, 0, "no append re-read the object");
  const whole = new Uint8Array(offset);
  let o = 0;
  for (const c of chunks) {
    whole.set(c, o);
    o += c.length;
  }
  const head = await s.call({ method: "HEAD", path: "/bkt/log" });
  assert.equal(head.headers.get("etag")?.replaceAll('"', ""), await md5hex(whole));
  assert.equal(head.headers.get("content-md5"), toBase64(await hash("md5", whole)));

  // A restarted server (another store object over the same data) has no running hashes: it reads
  // the object once, then goes on.
  const { createHandler } = await import("./mod.ts");
  const { signedRequest } = await import("./_test_util.ts");
  const fresh = createHandler({ store: counting() });
  const tail = bytes(777, 99);
  const r = await fresh(
    await signedRequest({ method: "POST", path: "/bkt/log", query: `append&offset=${offset}`, body: tail }),
  );
  assert.equal(r.status, 200);
  assert.equal(bytesRead, offset, "the object was read exactly once to rebuild the running hash");
  const all = new Uint8Array([...whole, ...tail]);
  assert.equal(r.headers.get("etag")?.replaceAll('"', ""), await md5hex(all));
  assert.equal(r.headers.get("x-bce-content-crc32"), crcToDecimal(await hash("crc32", all)));
});
