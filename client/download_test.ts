import assert from "node:assert/strict";
import { BosError } from "../protocol/errors.ts";
import { toHex } from "../protocol/encoding.ts";
import { hash } from "../protocol/hash.ts";
import { KiB } from "../protocol/limits.ts";
import { randomBytes, withServer } from "./testdata/harness.ts";

const md5 = async (b: Uint8Array) => toHex(await hash("md5", b));

Deno.test("download: a truncated body is continued with a ranged GET pinned to the ETag (fault plan accounting)", async () => {
  await withServer(async (s, bucket) => {
    const client = s.client();
    const data = randomBytes(300 * KiB, 31);
    await client.putObject(bucket, "t", data);
    await s.addFaults({ operation: "GetObject", key: "t" }, ["truncate-after-1000", "truncate-after-50000"]);
    const got = await client.download(bucket, "t");
    assert.equal(got.contentLength, data.length);
    assert.equal(await md5(await got.bytes()), await md5(data));
    assert.deepEqual((await s.faultPlans())[0].consumed.map((c) => c.fault), [
      "truncate-after-1000",
      "truncate-after-50000",
    ]);
  });
});

Deno.test("download: plain getObject surfaces a truncated body as an error; download gives up after maxResumes", async () => {
  await withServer(async (s, bucket) => {
    const client = s.client();
    await client.putObject(bucket, "t", randomBytes(100 * KiB));
    await s.addFaults({ operation: "GetObject", key: "t" }, ["truncate-after-100"]);
    const plain = await client.getObject(bucket, "t");
    await assert.rejects(
      plain.bytes(),
      (e) => e instanceof BosError && e.code === "NetworkError" && e.status === 0,
    );
    await s.addFaults({ operation: "GetObject", key: "t" }, [
      "truncate-after-10",
      "truncate-after-10",
      "truncate-after-10",
    ]);
    const d = await client.download(bucket, "t", { maxResumes: 1 });
    await assert.rejects(
      d.bytes(),
      (e) => e instanceof BosError && e.code === "NetworkError" && /after 1 resumes/.test(e.message),
    );
  });
});

Deno.test("download: a stalled body is detected by the idle timeout and resumed; ranges are honoured", async () => {
  await withServer(async (s, bucket) => {
    const client = s.client();
    const data = randomBytes(200 * KiB, 37);
    await client.putObject(bucket, "s", data);
    await s.addFaults({ operation: "GetObject", key: "s" }, ["stall-after-5000"]);
    const got = await client.download(bucket, "s", {
      idleTimeoutMs: 100,
      range: { start: 10, end: 150_000 },
    });
    const bytes = await got.bytes();
    assert.equal(bytes.length, 149_991);
    assert.equal(await md5(bytes), await md5(data.subarray(10, 150_001)));
  });
});

Deno.test("download: connection resets before the body are retried by the request pipeline", async () => {
  await withServer(async (s, bucket) => {
    const client = s.client();
    await client.putObject(bucket, "r", "reset me");
    await s.addFaults({ operation: "GetObject", key: "r" }, ["reset", "503"]);
    assert.equal(await (await client.download(bucket, "r")).text(), "reset me");
    assert.equal((await s.faultPlans())[0].consumed.length, 2);
  });
});

Deno.test("downloadFile: streams into a file, and resume continues a partial file", async () => {
  await withServer(async (s, bucket) => {
    const client = s.client();
    const data = randomBytes(500 * KiB, 41);
    await client.putObject(bucket, "f", data);
    const dir = await Deno.makeTempDir();
    const path = `${dir}/out.bin`;
    await s.addFaults({ operation: "GetObject", key: "f" }, ["truncate-after-70000"]);
    const r = await client.downloadFile(bucket, "f", path);
    assert.equal(r.bytes, data.length);
    assert.equal(await md5(await Deno.readFile(path)), await md5(data));
    await Deno.writeFile(path, data.subarray(0, 123_456));
    const again = await client.downloadFile(bucket, "f", path, { resume: true });
    assert.equal(again.bytes, data.length - 123_456);
    assert.equal(await md5(await Deno.readFile(path)), await md5(data));
    const done = await client.downloadFile(bucket, "f", path, { resume: true });
    assert.equal(done.bytes, 0);
    await Deno.remove(dir, { recursive: true });
  });
});
