import assert from "node:assert/strict";
import { crcToDecimal, toHex } from "../protocol/encoding.ts";
import { hash } from "../protocol/hash.ts";
import { makeProfile } from "../protocol/limits.ts";
import { createMemoryStore } from "./mod.ts";
import { bytes, testServer } from "./_test_util.ts";
import table from "../fixtures/listing/list-objects-table.json" with { type: "json" };

const md5hex = async (d: string | Uint8Array) => toHex(await hash("md5", d));

async function setup(minPartSize = 10) {
  const s = testServer({ profile: makeProfile({ minPartSize }) });
  await s.call({ method: "PUT", path: "/bkt" });
  return s;
}

async function initiate(s: ReturnType<typeof testServer>, key: string, headers?: Record<string, string>) {
  const r = await s.json({ method: "POST", path: "/bkt/" + key, query: "uploads", headers });
  assert.equal(r.status, 200);
  return r.body.uploadId as string;
}

Deno.test("multipart: initiate, upload parts, list, complete with the JS-test ETag formula", async () => {
  const s = await setup();
  const init = await s.json({
    method: "POST",
    path: "/bkt/big",
    query: "uploads=",
    headers: {
      "content-type": "text/plain",
      "x-bce-storage-class": "COLD",
      "x-bce-meta-a": "init",
      "cache-control": "no-cache",
    },
  });
  assert.equal(init.body.bucket, "bkt");
  assert.equal(init.body.key, "big");
  assert.match(init.body.uploadId, /^[0-9a-f]{32}$/);
  const id = init.body.uploadId;
  const p1 = bytes(12, 1), p2 = bytes(15, 2), p3 = bytes(3, 3);
  for (const [n, d] of [[1, p1], [2, p2], [3, p3]] as const) {
    const r = await s.call({
      method: "PUT",
      path: "/bkt/big",
      query: `partNumber=${n}&uploadId=${id}`,
      body: d,
    });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get("etag"), await md5hex(d));
  }
  assert.equal(
    (await s.call({ method: "HEAD", path: "/bkt/big" })).status,
    404,
    "nothing visible before Complete",
  );
  const lp = await s.json({ path: "/bkt/big", query: `uploadId=${id}&maxParts=2&partNumberMarker=0` });
  assert.equal(lp.body.storageClass, "COLD");
  assert.equal(lp.body.partNumberMarker, 0);
  assert.equal(lp.body.nextPartNumberMarker, 2);
  assert.equal(lp.body.isTruncated, true);
  assert.equal(lp.body.maxParts, 2);
  assert.deepEqual(lp.body.parts.map((p: { partNumber: number; size: number }) => [p.partNumber, p.size]), [[
    1,
    12,
  ], [2, 15]]);
  assert.ok(lp.body.owner.id && lp.body.initiated);
  const lp2 = await s.json({ path: "/bkt/big", query: `uploadId=${id}&partNumberMarker=2` });
  assert.equal(lp2.body.isTruncated, false);
  assert.equal(lp2.body.nextPartNumberMarker, 3);
  const etags = [await md5hex(p1), await md5hex(p2), await md5hex(p3)];
  const body = JSON.stringify({
    parts: etags.map((e, i) => ({ partNumber: i + 1, eTag: `"${e}"`, partSize: 5 })),
    extra: true,
  });
  const c = await s.json({
    method: "POST",
    path: "/bkt/big",
    query: `uploadId=${id}`,
    body,
    headers: { "x-bce-meta-a": "complete", "content-type": "application/json" },
  });
  assert.equal(c.status, 200, JSON.stringify(c.body));
  const expected = "-" + await md5hex(etags.join(""));
  assert.equal(c.body.eTag, expected);
  assert.equal(c.body.bucket, "bkt");
  assert.equal(c.body.key, "big");
  assert.match(c.body.location, /\/bkt\/big$/);
  const h = await s.call({ method: "HEAD", path: "/bkt/big" });
  assert.equal(h.headers.get("etag"), expected);
  assert.equal(h.headers.get("content-type"), "text/plain");
  assert.equal(h.headers.get("x-bce-storage-class"), "COLD");
  assert.equal(h.headers.get("x-bce-object-type"), "Normal");
  assert.equal(h.headers.get("x-bce-meta-a"), "complete");
  assert.equal(h.headers.get("cache-control"), "no-cache");
  assert.equal(h.headers.has("content-md5"), false);
  const all = new Uint8Array(await (await s.call({ path: "/bkt/big" })).arrayBuffer());
  assert.deepEqual(all, new Uint8Array([...p1, ...p2, ...p3]));
  const ranged = new Uint8Array(
    await (await s.call({ path: "/bkt/big", headers: { range: "bytes=10-13" } })).arrayBuffer(),
  );
  assert.deepEqual(ranged, all.subarray(10, 14));
  assert.equal((await s.json({ path: "/bkt/big", query: `uploadId=${id}` })).body.code, "NoSuchUpload");
  const list = await s.json({ path: "/bkt" });
  assert.equal(list.body.contents[0].eTag, expected);
  const app = await s.json({ method: "POST", path: "/bkt/big", query: "append&offset=30", body: "x" });
  assert.equal(app.body.code, "ObjectUnappendable");
});

Deno.test("multipart: a single part keeps its ETag; parts are replaced on re-upload", async () => {
  const s = await setup();
  const id = await initiate(s, "one");
  await s.call({ method: "PUT", path: "/bkt/one", query: `partNumber=1&uploadId=${id}`, body: "first" });
  await s.call({ method: "PUT", path: "/bkt/one", query: `partNumber=1&uploadId=${id}`, body: "tiny" });
  const e = await md5hex("tiny");
  const bad = await s.json({
    method: "POST",
    path: "/bkt/one",
    query: `uploadId=${id}`,
    body: JSON.stringify({ parts: [{ partNumber: 1, eTag: await md5hex("first") }] }),
  });
  assert.equal(bad.body.code, "InvalidPart");
  const c = await s.json({
    method: "POST",
    path: "/bkt/one",
    query: `uploadId=${id}`,
    body: JSON.stringify({ parts: [{ partNumber: 1, eTag: e }] }),
  });
  assert.equal(c.body.eTag, e);
  assert.equal(await (await s.call({ path: "/bkt/one" })).text(), "tiny");
});

Deno.test("multipart errors: part numbers, order, unknown parts, EntityTooSmall, JSON, NoSuchUpload", async () => {
  const s = await setup(10);
  const id = await initiate(s, "k");
  for (const n of ["0", "10001", "x", "-1"]) {
    const r = await s.json({
      method: "PUT",
      path: "/bkt/k",
      query: `partNumber=${n}&uploadId=${id}`,
      body: "x",
    });
    assert.equal(r.body.code, "InvalidArgument", n);
  }
  assert.equal(
    (await s.call({ method: "PUT", path: "/bkt/k", query: `partNumber=10000&uploadId=${id}`, body: "late" }))
      .status,
    200,
  );
  const small = await md5hex("small");
  const big = bytes(10);
  await s.call({ method: "PUT", path: "/bkt/k", query: `partNumber=1&uploadId=${id}`, body: "small" });
  await s.call({ method: "PUT", path: "/bkt/k", query: `partNumber=2&uploadId=${id}`, body: big });
  const complete = async (body: string) =>
    await s.json({ method: "POST", path: "/bkt/k", query: `uploadId=${id}`, body });
  assert.equal(
    (await complete(
      JSON.stringify({ parts: [{ partNumber: 2, eTag: await md5hex(big) }, { partNumber: 1, eTag: small }] }),
    )).body.code,
    "InvalidPartOrder",
  );
  assert.equal(
    (await complete(
      JSON.stringify({ parts: [{ partNumber: 1, eTag: small }, { partNumber: 1, eTag: small }] }),
    )).body.code,
    "InvalidPartOrder",
  );
  assert.equal(
    (await complete(JSON.stringify({ parts: [{ partNumber: 3, eTag: small }] }))).body.code,
    "InvalidPart",
  );
  assert.equal(
    (await complete(
      JSON.stringify({ parts: [{ partNumber: 1, eTag: small }, { partNumber: 2, eTag: await md5hex(big) }] }),
    )).body.code,
    "EntityTooSmall",
  );
  assert.equal((await complete("{not json")).body.code, "MalformedJSON");
  assert.equal((await complete(JSON.stringify({ parts: [] }))).body.code, "InappropriateJSON");
  assert.equal(
    (await complete(JSON.stringify({ parts: [{ partNumber: "a" }] }))).body.code,
    "InappropriateJSON",
  );
  // The last listed part may be small; gaps are allowed; unlisted parts are discarded.
  const ok = await complete(
    JSON.stringify({
      parts: [{ partNumber: 2, eTag: await md5hex(big) }, { partNumber: 10000, eTag: await md5hex("late") }],
    }),
  );
  assert.equal(ok.status, 200);
  assert.equal(
    (await s.json({ method: "PUT", path: "/bkt/k", query: `partNumber=1&uploadId=${id}`, body: "x" })).body
      .code,
    "NoSuchUpload",
  );
  assert.equal(
    (await s.json({ method: "DELETE", path: "/bkt/k", query: `uploadId=${id}` })).body.code,
    "NoSuchUpload",
  );
  assert.equal(
    (await s.json({ method: "PUT", path: "/nob/k", query: `partNumber=1&uploadId=${id}`, body: "x" })).body
      .code,
    "NoSuchBucket",
  );
  const other = await initiate(s, "k2");
  assert.equal(
    (await s.json({
      method: "PUT",
      path: "/bkt/elsewhere",
      query: `partNumber=1&uploadId=${other}`,
      body: "x",
    })).body.code,
    "NoSuchUpload",
  );
});

Deno.test("multipart: abort removes the upload; UploadPartCopy copies ranges and refuses appendable sources", async () => {
  const s = await setup(1);
  const id = await initiate(s, "gone");
  await s.call({ method: "PUT", path: "/bkt/gone", query: `partNumber=1&uploadId=${id}`, body: "x" });
  const a = await s.call({ method: "DELETE", path: "/bkt/gone", query: `uploadId=${id}` });
  assert.equal(a.status, 204);
  assert.equal((await s.json({ path: "/bkt", query: "uploads" })).body.uploads.length, 0);
  await s.call({ method: "PUT", path: "/bkt/src", body: "0123456789" });
  const cid = await initiate(s, "copy");
  const r = await s.json({
    method: "PUT",
    path: "/bkt/copy",
    query: `partNumber=1&uploadId=${cid}`,
    headers: { "x-bce-copy-source": "/bkt/src", "x-bce-copy-source-range": "bytes=2-5" },
  });
  assert.equal(r.status, 200);
  assert.equal(r.body.eTag, await md5hex("2345"));
  const r2 = await s.json({
    method: "PUT",
    path: "/bkt/copy",
    query: `partNumber=2&uploadId=${cid}`,
    headers: { "x-bce-copy-source": "/bkt/src" },
  });
  assert.equal(r2.body.eTag, await md5hex("0123456789"));
  const bad = await s.json({
    method: "PUT",
    path: "/bkt/copy",
    query: `partNumber=3&uploadId=${cid}`,
    headers: { "x-bce-copy-source": "/bkt/src", "x-bce-copy-source-range": "bytes=20-30" },
  });
  assert.equal(bad.status, 416);
  const cond = await s.json({
    method: "PUT",
    path: "/bkt/copy",
    query: `partNumber=3&uploadId=${cid}`,
    headers: { "x-bce-copy-source": "/bkt/src", "x-bce-copy-source-if-match": "nope" },
  });
  assert.equal(cond.status, 412);
  await s.call({ method: "POST", path: "/bkt/app", query: "append", body: "abc" });
  const app = await s.json({
    method: "PUT",
    path: "/bkt/copy",
    query: `partNumber=3&uploadId=${cid}`,
    headers: { "x-bce-copy-source": "/bkt/app" },
  });
  assert.equal(app.status, 400);
  const c = await s.json({
    method: "POST",
    path: "/bkt/copy",
    query: `uploadId=${cid}`,
    body: JSON.stringify({
      parts: [{ partNumber: 1, eTag: r.body.eTag }, { partNumber: 2, eTag: r2.body.eTag }],
    }),
  });
  assert.equal(c.status, 200);
  assert.equal(await (await s.call({ path: "/bkt/copy" })).text(), "23450123456789");
});

Deno.test("multipart: Complete checks x-bce-content-crc32 of the whole object, combined from the parts' CRC32s without reading them", async () => {
  const store = createMemoryStore();
  const read = store.read.bind(store);
  let reads = 0;
  store.read = (segments, start, end) => {
    reads++;
    return read(segments, start, end);
  };
  const s = testServer({ profile: makeProfile({ minPartSize: 10 }), store });
  await s.call({ method: "PUT", path: "/bkt" });
  await s.call({ method: "PUT", path: "/bkt/src", body: "0123456789abcdef" });
  const p1 = bytes(12, 1), p3 = bytes(5, 3);
  const whole = new Uint8Array([...p1, ...new TextEncoder().encode("23456789ab"), ...p3]);
  const right = crcToDecimal(await hash("crc32", whole));
  const wrong = String((Number(right) + 1) % 2 ** 32);

  for (const key of ["fast", "older-part-records"]) {
    const id = await initiate(s, key);
    const etags: string[] = [];
    const query = (n: number) => `partNumber=${n}&uploadId=${id}`;
    etags.push(
      (await s.call({ method: "PUT", path: `/bkt/${key}`, query: query(1), body: p1 })).headers.get("etag")!,
    );
    const copied = await s.json({
      method: "PUT",
      path: `/bkt/${key}`,
      query: query(2),
      headers: { "x-bce-copy-source": "/bkt/src", "x-bce-copy-source-range": "bytes=2-11" },
    });
    etags.push(copied.body.eTag);
    etags.push(
      (await s.call({ method: "PUT", path: `/bkt/${key}`, query: query(5), body: p3 })).headers.get("etag")!,
    );
    const body = JSON.stringify({ parts: etags.map((eTag, i) => ({ partNumber: [1, 2, 5][i], eTag })) });
    const complete = (crc: string) =>
      s.json({
        method: "POST",
        path: `/bkt/${key}`,
        query: `uploadId=${id}`,
        body,
        headers: { "x-bce-content-crc32": crc },
      });
    if (key !== "fast") {
      // A part record without a CRC32 (written by an older server) is read to get one.
      delete store.getUpload(id)!.parts.get(1)!.crc32;
    }
    reads = 0;
    const bad = await complete(wrong);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, "BadDigest");
    assert.equal((await complete("12ab")).body.code, "InvalidDigest");
    assert.equal((await s.call({ method: "HEAD", path: `/bkt/${key}` })).status, 404, "nothing stored");
    const ok = await complete(right);
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(reads, key === "fast" ? 0 : 2, "only parts without a recorded CRC32 are read");
    assert.equal(ok.headers.get("x-bce-content-crc32"), right);
    assert.equal(
      (await s.call({ method: "HEAD", path: `/bkt/${key}` })).headers.get("x-bce-content-crc32"),
      right,
    );
    assert.deepEqual(new Uint8Array(await (await s.call({ path: `/bkt/${key}` })).arrayBuffer()), whole);
  }
});

Deno.test("ListMultipartUploads reproduces the Java live-test observations", async () => {
  const s = await setup();
  const keys = table.uploadKeys;
  for (const k of keys) await initiate(s, k);
  const list = async (query: string) =>
    (await s.json({ path: "/bkt", query: "uploads" + (query ? "&" + query : "") })).body;
  let b = await list("");
  assert.deepEqual(b.uploads.map((u: { key: string }) => u.key), keys);
  assert.equal(b.keyMarker, "");
  assert.equal(b.prefix, "");
  assert.equal(b.maxUploads, 1000);
  assert.equal(b.isTruncated, false);
  assert.equal(b.delimiter, undefined);
  assert.equal(b.commonPrefixes, undefined);
  assert.equal(b.nextKeyMarker, undefined);
  b = await list("prefix=d");
  assert.equal(b.uploads.length, 8);
  b = await list("keyMarker=dir1");
  assert.equal(b.uploads[0].key, "dir1/dir2/key1");
  b = await list("prefix=dir0/&delimiter=/&maxUploads=2");
  assert.deepEqual(b.uploads.map((u: { key: string }) => u.key), ["dir0/key0"]);
  assert.deepEqual(b.commonPrefixes, [{ prefix: "dir0/dir1/" }]);
  assert.equal(b.isTruncated, true);
  b = await list("maxUploads=3");
  assert.equal(b.uploads.length, 3);
  assert.equal(b.isTruncated, true);
  assert.equal(b.nextKeyMarker, "dir0/key1");
  b = await list("prefix=d&keyMarker=dir1&maxUploads=3");
  assert.deepEqual(b.uploads.map((u: { key: string }) => u.key), [
    "dir1/dir2/key1",
    "dir1/dir2/key2",
    "dir1/key0",
  ]);
  assert.equal(b.isTruncated, true);
  const neg = await s.json({ path: "/bkt", query: "uploads&maxUploads=-1" });
  assert.equal(neg.body.code, "InvalidArgument");
});

for (const backend of ["memory", "fs"] as const) {
  Deno.test(`an upload aborted while a part streams in never yields a 500 (${backend})`, async () => {
    const dir = backend === "fs" ? await Deno.makeTempDir({ prefix: "boskit-race-" }) : undefined;
    const s = testServer({ dataDir: dir });
    try {
      await s.call({ method: "PUT", path: "/bkt" });
      const id = await initiate(s, "race");
      let release!: () => void;
      const gate = new Promise<void>((r) => release = r);
      const body = new ReadableStream<Uint8Array>({
        async start(c) {
          c.enqueue(bytes(1000));
          await gate;
          c.enqueue(bytes(1000));
          c.close();
        },
      });
      const part = s.call({
        method: "PUT",
        path: "/bkt/race",
        query: `partNumber=1&uploadId=${id}`,
        body,
        headers: { "content-length": "2000" },
      });
      await new Promise((r) => setTimeout(r, 10));
      assert.equal(
        (await s.call({ method: "DELETE", path: "/bkt/race", query: `uploadId=${id}` })).status,
        204,
      );
      release();
      const res = await part;
      assert.ok(res.status === 404 || res.status === 200, `status ${res.status}`);
      await res.body?.cancel();
      assert.equal((await s.json({ path: "/bkt", query: "uploads" })).body.uploads.length, 0);
    } finally {
      await s.handler.close();
      if (dir) await Deno.remove(dir, { recursive: true });
    }
  });
}
