// The official JS SDK (@baiducloud/sdk, npm) against the reference server: the calls the server
// issue promises an existing BOS client can make. Run by server/official_sdk_test.ts under Node:
//   node official_js_sdk.cjs <endpoint> <ak> <sk>   (with NODE_PATH pointing at the SDK's node_modules)
// Prints one line per step and exits 1 at the first wrong answer.
const { BosClient } = require("@baiducloud/sdk");
const assert = require("node:assert/strict");
const crypto = require("node:crypto");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const [endpoint, ak, sk] = process.argv.slice(2);
const client = new BosClient({ endpoint, credentials: { ak, sk } });
const bucket = "sdk-e2e-" + Date.now();
const md5 = (b) => crypto.createHash("md5").update(b).digest("hex");
const step = (name) => console.log("ok", name);

(async () => {
  await client.createBucket(bucket);
  assert.equal(await client.doesBucketExist(bucket), true);
  assert((await client.listBuckets()).body.buckets.some((b) => b.name === bucket));
  step("createBucket, doesBucketExist, listBuckets");

  await client.putObjectFromString(bucket, "a/你好 +.txt", "hello world", {
    "Content-Type": "text/plain",
    "x-bce-meta-author": "me",
  });
  assert.equal((await client.getObject(bucket, "a/你好 +.txt")).body.toString(), "hello world");
  assert.equal((await client.getObject(bucket, "a/你好 +.txt", "0-4")).body.toString(), "hello");
  const meta = await client.getObjectMetadata(bucket, "a/你好 +.txt");
  assert.equal(meta.http_headers["content-length"], "11");
  assert.equal(meta.http_headers["x-bce-meta-author"], "me");
  const etag = meta.http_headers.etag.replace(/"/g, "");
  assert.equal(etag, md5("hello world"));
  step("putObjectFromString, getObject (range), getObjectMetadata");

  const list = await client.listObjects(bucket, { prefix: "a/" });
  assert.deepEqual(list.body.contents.map((c) => c.key), ["a/你好 +.txt"]);
  step("listObjects");

  await client.appendObjectFromString(bucket, "log.txt", "hello ");
  const r2 = await client.appendObjectFromString(bucket, "log.txt", "world", 6);
  assert.equal(r2.http_headers["x-bce-next-append-offset"], "11");
  await assert.rejects(
    client.appendObjectFromString(bucket, "log.txt", "x", 3),
    (e) => e.status_code === 409,
  );
  step("appendObjectFromString with offsets, wrong offset refused");

  const uploadId = (await client.initiateMultipartUpload(bucket, "big.bin")).body.uploadId;
  const p1 = crypto.randomBytes(200 * 1024);
  const p2 = crypto.randomBytes(1000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "boskit-sdk-"));
  fs.writeFileSync(path.join(dir, "p1"), p1);
  fs.writeFileSync(path.join(dir, "p2"), p2);
  const u1 = await client.uploadPartFromFile(
    bucket,
    "big.bin",
    uploadId,
    1,
    p1.length,
    path.join(dir, "p1"),
    0,
  );
  const u2 = await client.uploadPartFromFile(
    bucket,
    "big.bin",
    uploadId,
    2,
    p2.length,
    path.join(dir, "p2"),
    0,
  );
  fs.rmSync(dir, { recursive: true });
  assert.equal((await client.listParts(bucket, "big.bin", uploadId)).body.parts.length, 2);
  assert.equal((await client.listMultipartUploads(bucket)).body.uploads.length, 1);
  await client.completeMultipartUpload(bucket, "big.bin", uploadId, [
    { partNumber: 1, eTag: u1.http_headers.etag },
    { partNumber: 2, eTag: u2.http_headers.etag },
  ]);
  assert.equal(md5((await client.getObject(bucket, "big.bin")).body), md5(Buffer.concat([p1, p2])));
  step("initiate, uploadPartFromFile, listParts, listMultipartUploads, complete");

  await client.copyObject(bucket, "a/你好 +.txt", bucket, "a/copy.txt", { ETag: etag });
  await assert.rejects(
    client.copyObject(bucket, "a/你好 +.txt", bucket, "a/copy2.txt", { ETag: "0".repeat(32) }),
    (e) => e.status_code === 412 && e.code === "PreconditionFailed",
  );
  step("copyObject with if-match, 412 on a wrong ETag");

  const url = client.generatePresignedUrl(bucket, "a/你好 +.txt", 0, 1800, {}, {});
  assert.equal(await (await fetch(url)).text(), "hello world");
  step("generatePresignedUrl (/v1 path) fetched");

  const del = await client.deleteMultipleObjects(bucket, ["a/copy.txt", "missing"]);
  assert.deepEqual(del.body.errors.map((e) => [e.key, e.code]), [["missing", "NoSuchKey"]]);
  for (const k of ["a/你好 +.txt", "log.txt", "big.bin"]) await client.deleteObject(bucket, k);
  await assert.rejects(
    client.getObject(bucket, "log.txt"),
    (e) => e.status_code === 404 && e.code === "NoSuchKey",
  );
  await client.deleteBucket(bucket);
  assert.equal(await client.doesBucketExist(bucket), false);
  step("deleteMultipleObjects, deleteObject, deleteBucket");
})().catch((e) => {
  console.error("FAILED", e);
  process.exit(1);
});
