import assert from "node:assert/strict";
import fc from "fast-check";
import { BosError } from "../../protocol/errors.ts";
import type { BosClient } from "../client.ts";
import { crcToDecimal, toHex } from "../../protocol/encoding.ts";
import { hash } from "../../protocol/hash.ts";
import { KiB, makeProfile, MiB } from "../../protocol/limits.ts";
import type { UploadCheckpoint } from "./checkpoint.ts";
import type { FetchLike } from "../pipeline.ts";
import type { ProgressEvent } from "../body.ts";
import {
  countingFetch,
  isUploadPart,
  randomBytes,
  type SeenRequest,
  streamOf,
  withServer,
} from "../testdata/harness.ts";

const md5 = async (b: Uint8Array) => toHex(await hash("md5", b));
const small = makeProfile({ minPartSize: 100 * KiB });

function checkProgress(events: ProgressEvent[], size: number, resumed = 0): void {
  let sum = 0;
  let last = 0;
  let sent = 0;
  for (const e of events) {
    assert(e.increment > 0, "increments are positive");
    sum += e.increment;
    assert.equal(e.transferred, sum, "transferred is the running sum");
    assert.equal(e.transferred, e.sent + e.resumed, "transferred = sent + resumed");
    assert(e.transferred > last, "monotonic");
    assert(e.sent >= sent, "sent is monotonic");
    last = e.transferred;
    sent = e.sent;
  }
  assert.equal(sum, size, "increments sum exactly to the size");
  assert.equal(events.at(-1)?.resumed ?? 0, resumed, "resumed is what was found on the server");
  assert.equal(events.at(-1)?.sent ?? 0, size - resumed, "sent is what this run sent, each byte once");
}

Deno.test("upload: 64 MiB from a stream of unknown length round-trips byte-exact (MD5 after download)", async () => {
  await withServer(async (s, bucket) => {
    const client = s.client();
    const data = randomBytes(64 * MiB, 7);
    const events: ProgressEvent[] = [];
    const r = await client.upload(bucket, "big/64MiB.bin", streamOf(data, 100_000), {
      onProgress: (e) => events.push(e),
      contentType: "application/x-test",
    });
    assert.equal(r.multipart, true);
    assert.equal(r.size, 64 * MiB);
    assert.equal(r.partCount, 8, "8 MiB parts for the first 108 parts");
    assert.equal(events[0].total, undefined, "total unknown for a stream of unknown length");
    checkProgress(events, 64 * MiB);
    const head = await client.headObject(bucket, "big/64MiB.bin");
    assert.equal(head.contentLength, 64 * MiB);
    assert.equal(head.contentType, "application/x-test");
    const got = await (await client.download(bucket, "big/64MiB.bin")).bytes();
    assert.equal(await md5(got), await md5(data));
  });
});

Deno.test("upload: small bodies and short streams go as one PutObject", async () => {
  await withServer(async (s, bucket) => {
    const counter = countingFetch(s.fetch);
    const client = s.client({ fetch: counter.fetch });
    const r1 = await client.upload(bucket, "a", "tiny", { userMeta: { x: "y" } });
    assert.deepEqual([r1.multipart, r1.partCount, r1.etag], [
      false,
      1,
      await md5(new TextEncoder().encode("tiny")),
    ]);
    const r2 = await client.upload(bucket, "b", streamOf(randomBytes(300 * KiB)), { partSize: 1 * MiB });
    assert.equal(r2.multipart, false);
    const r3 = await client.upload(bucket, "c", new Blob([randomBytes(1000)]), { integrity: "crc32c" });
    assert.equal(r3.multipart, false);
    assert.equal(counter.count((r) => r.method === "PUT"), 3);
    assert.equal(counter.count((r) => r.query.has("uploads")), 0);
    assert.deepEqual((await client.headObject(bucket, "a")).userMeta, { x: "y" });
  });
});

Deno.test("upload: a known-size body is split by the part plan; CRC32C integrity; parts and ETag check out", async () => {
  await withServer(async (s, bucket) => {
    const counter = countingFetch(s.fetch);
    const client = s.client({ fetch: counter.fetch, profile: small });
    const data = randomBytes(3 * MiB + 17, 3);
    const r = await client.upload(bucket, "k", data, {
      partSize: 512 * KiB,
      concurrency: 3,
      integrity: "crc32c",
    });
    assert.equal(r.partCount, 7);
    assert.equal(counter.count(isUploadPart), 7);
    assert.equal(await md5(await (await client.getObject(bucket, "k")).bytes()), await md5(data));
    const sized = await client.upload(bucket, "sized", streamOf(data), {
      size: data.length,
      partSize: 1 * MiB,
    });
    assert.equal(sized.partCount, 4);
    await assert.rejects(
      client.upload(bucket, "wrong", streamOf(data), { size: data.length + 5, partSize: 1 * MiB }),
      (e) => e instanceof BosError && /ended after/.test(e.message),
    );
  });
});

Deno.test("upload: abort at ~40% and resume sends only the remaining parts (counted UploadPart requests)", async () => {
  await withServer(async (s, bucket) => {
    const data = randomBytes(5 * MiB, 11);
    const partSize = 256 * KiB; // 20 parts
    const first = countingFetch(s.fetch);
    const client = s.client({ fetch: first.fetch, profile: small });
    const controller = new AbortController();
    let checkpoint: UploadCheckpoint | undefined;
    await assert.rejects(
      client.upload(bucket, "resumable", data, {
        partSize,
        concurrency: 2,
        signal: controller.signal,
        onProgress: (e) => {
          if (e.transferred >= 0.4 * data.length) controller.abort(new Error("stop at 40%"));
        },
        onCheckpoint: (cp) => {
          checkpoint = JSON.parse(JSON.stringify(cp));
        },
      }),
      (e) => e instanceof BosError && e.code === "Aborted",
    );
    assert(checkpoint, "a checkpoint was emitted");
    assert.equal(checkpoint.plan.kind, "fixed");
    const recorded = checkpoint.parts.length;
    assert(recorded >= 8 && recorded < 20, `about 40% recorded, got ${recorded}`);
    // The upload is still there (abort leaves it resumable).
    const uploads = [];
    for await (const u of client.listAllMultipartUploads(bucket)) uploads.push(u.uploadId);
    assert.deepEqual(uploads, [checkpoint.uploadId]);
    const onServer = new Set<number>();
    for await (const p of client.listAllParts(bucket, "resumable", checkpoint.uploadId)) {
      onServer.add(p.partNumber);
    }

    const second = countingFetch(s.fetch);
    const resumed = s.client({ fetch: second.fetch, profile: small });
    const events: ProgressEvent[] = [];
    const r = await resumed.upload(bucket, "resumable", data, {
      partSize,
      resume: checkpoint,
      onProgress: (e) => events.push(e),
    });
    const sent = second.seen.filter(isUploadPart).map((q) => Number(q.query.get("partNumber"))).sort((a, b) =>
      a - b
    );
    const expected = Array.from({ length: 20 }, (_, i) => i + 1).filter((n) => !onServer.has(n));
    assert.deepEqual(sent, expected, "exactly the parts missing on the server were sent");
    assert.equal(r.partsSent, expected.length);
    assert.equal(second.count((q) => q.query.has("uploads")), 0, "no new upload was initiated");
    const alreadyUploaded = (20 - expected.length) * partSize;
    checkProgress(events, data.length, alreadyUploaded);
    // The first event says what the checkpoint recorded as uploaded, as such, and nothing was sent yet.
    // A part that reached the server after the last checkpoint (the abort raced its answer) is found
    // by ListParts, verified against the source and counted as resumed when its turn comes.
    const recordedBytes = checkpoint.parts.reduce((n, p) => n + p.size, 0);
    assert.deepEqual(
      { ...events[0] },
      {
        increment: recordedBytes,
        transferred: recordedBytes,
        sent: 0,
        resumed: recordedBytes,
        total: data.length,
      },
    );
    assert.equal(events.at(-1)!.resumed, alreadyUploaded, "every part found on the server counts as resumed");
    assert.equal(events.at(-1)!.sent, data.length - alreadyUploaded, "the rest was sent in this run");
    assert.equal(await md5(await (await resumed.getObject(bucket, "resumable")).bytes()), await md5(data));
  });
});

Deno.test("uploadFile: reads a file by path, resumes from a checkpoint, refuses a checkpoint whose file changed", async () => {
  await withServer(async (s, bucket) => {
    const dir = await Deno.makeTempDir();
    const path = `${dir}/data.bin`;
    const data = randomBytes(2 * MiB + 5, 5);
    await Deno.writeFile(path, data);
    const client = s.client({ profile: small });
    const controller = new AbortController();
    let checkpoint: UploadCheckpoint | undefined;
    await assert.rejects(
      client.uploadFile(bucket, "file.bin", path, {
        partSize: 128 * KiB,
        concurrency: 1,
        signal: controller.signal,
        onCheckpoint: (cp) => {
          checkpoint = cp;
          if (cp.parts.length === 5) controller.abort();
        },
      }),
      (e) => e instanceof BosError && e.code === "Aborted",
    );
    assert.equal(checkpoint!.source.kind, "file");
    const counter = countingFetch(s.fetch);
    const resumed = s.client({ profile: small, fetch: counter.fetch });
    const r = await resumed.uploadFile(bucket, "file.bin", path, { partSize: 128 * KiB, resume: checkpoint });
    assert(counter.count(isUploadPart) <= 17 - 5, `sent ${counter.count(isUploadPart)} of 17 parts`);
    assert.equal(r.size, data.length);
    assert.equal(await md5(await (await client.getObject(bucket, "file.bin")).bytes()), await md5(data));

    await Deno.writeFile(path, randomBytes(2 * MiB + 6, 6));
    await assert.rejects(
      resumed.uploadFile(bucket, "file.bin", path, { resume: checkpoint }),
      (e) => e instanceof BosError && e.code === "CheckpointMismatch" && e.status === 0,
    );
    await assert.rejects(
      resumed.upload(bucket, "other-key", data, { resume: checkpoint }),
      (e) => e instanceof BosError && e.code === "CheckpointMismatch",
    );
    await Deno.remove(dir, { recursive: true });
  });
});

Deno.test("upload: injected 503, 500 and connection resets on parts are retried and the object is intact (fault plan accounting)", async () => {
  await withServer(async (s, bucket) => {
    const client = s.client({ profile: small });
    const data = randomBytes(2 * MiB, 9);
    await s.addFaults({ operation: "UploadPart", partNumber: 2 }, ["503", "reset"]);
    await s.addFaults({ operation: "UploadPart", partNumber: 5 }, ["500"]);
    await s.addFaults({ operation: "InitiateMultipartUpload" }, ["503"]);
    const r = await client.upload(bucket, "faulty", data, { partSize: 256 * KiB });
    assert.equal(r.partCount, 8);
    const plans = await s.faultPlans();
    assert.deepEqual(plans.map((p) => p.consumed.map((c) => `${c.operation}:${c.fault}`)), [
      ["UploadPart:503", "UploadPart:reset"],
      ["UploadPart:500"],
      ["InitiateMultipartUpload:503"],
    ]);
    assert.equal(await md5(await (await client.getObject(bucket, "faulty")).bytes()), await md5(data));
  });
});

Deno.test("upload: byte-level progress counts retried bytes once (in-process, streamed part bodies)", async () => {
  await withServer(async (s, bucket) => {
    const client = s.client({ profile: small, streamingUploads: true });
    const data = randomBytes(1 * MiB + 3, 13);
    await s.addFaults({ operation: "UploadPart", partNumber: 1 }, ["reset", "503"]);
    const events: ProgressEvent[] = [];
    await client.upload(bucket, "p", data, { partSize: 256 * KiB, onProgress: (e) => events.push(e) });
    checkProgress(events, data.length);
    assert(events.length > 2 * 5, `byte-level events (${events.length}) outnumber parts (5)`);
    assert.equal(events.at(-1)!.total, data.length);
    assert.equal((await s.faultPlans())[0].consumed.length, 2);
  }, { inProcess: true });
});

for (const integrity of ["crc32", "md5", "crc32c"] as const) {
  Deno.test(`upload: a part corrupted in transit is retried, then fails loudly with BadDigest (${integrity})`, async () => {
    await withServer(async (s, bucket) => {
      let corruptions = 0;
      const corrupting = (times: number): FetchLike => async (input, init) => {
        const url = new URL(String(input));
        if (
          url.searchParams.get("partNumber") === "2" && corruptions < times &&
          init?.body instanceof Uint8Array
        ) {
          corruptions++;
          const body = new Uint8Array(init.body);
          body[0] ^= 0xff;
          return await fetch(input, { ...init, body });
        }
        return await fetch(input, init);
      };
      const data = randomBytes(600 * KiB, 17);
      const ok = s.client({ profile: small, fetch: corrupting(2), streamingUploads: false });
      await ok.upload(bucket, "healed", data, { partSize: 200 * KiB, integrity });
      assert.equal(corruptions, 2);
      assert.equal(await md5(await (await ok.getObject(bucket, "healed")).bytes()), await md5(data));
      corruptions = 0;
      const bad = s.client({ profile: small, fetch: corrupting(100), streamingUploads: false });
      await assert.rejects(
        bad.upload(bucket, "broken", data, {
          partSize: 200 * KiB,
          integrity,
          integrityRetries: 1,
          abortOnFailure: true,
        }),
        (e) => e instanceof BosError && e.code === "BadDigest",
      );
      assert.equal(corruptions, 2, "sent twice, then gave up");
      const left = [];
      for await (const u of bad.listAllMultipartUploads(bucket)) left.push(u);
      assert.equal(left.length, 0, "abortOnFailure removed the upload");
    });
  });
}

Deno.test("upload: a failed upload leaves no multipart upload behind, unless the caller keeps checkpoints or asks to keep it", async () => {
  await withServer(async (s, bucket) => {
    const client = s.client({ profile: small });
    const data = randomBytes(600 * KiB, 19);
    const uploads = async () => {
      const keys = [];
      for await (const u of client.listAllMultipartUploads(bucket)) keys.push(u.key);
      return keys.sort();
    };
    // Fault injection on the server: part 2 is refused (403 is not retried).
    await s.addFaults({ operation: "UploadPart", partNumber: 2 }, ["403"]);
    await assert.rejects(
      client.upload(bucket, "dropped", data, { partSize: 200 * KiB }),
      (e) => e instanceof BosError && e.status === 403,
    );
    assert.deepEqual(await uploads(), [], "the default discards the failed upload");
    await s.addFaults({ operation: "UploadPart", partNumber: 2 }, ["403"]);
    const checkpoints: UploadCheckpoint[] = [];
    await assert.rejects(
      client.upload(bucket, "checkpointed", data, {
        partSize: 200 * KiB,
        onCheckpoint: (cp) => void checkpoints.push(cp),
      }),
    );
    assert.deepEqual(await uploads(), ["checkpointed"], "with checkpoints, it stays resumable");
    await s.addFaults({ operation: "UploadPart", partNumber: 2 }, ["403"]);
    await assert.rejects(client.upload(bucket, "kept", data, { partSize: 200 * KiB, abortOnFailure: false }));
    assert.deepEqual(await uploads(), ["checkpointed", "kept"], "abortOnFailure: false keeps it");
    // Resuming the checkpoint: a failure again keeps it; success completes it.
    await s.addFaults({ operation: "UploadPart", partNumber: 2 }, ["403"]);
    await assert.rejects(
      client.upload(bucket, "checkpointed", data, { partSize: 200 * KiB, resume: checkpoints.at(-1) }),
    );
    assert.deepEqual(await uploads(), ["checkpointed", "kept"]);
    // An abort by the caller discards it too.
    const ac = new AbortController();
    await s.addFaults({ operation: "UploadPart", partNumber: 2 }, ["stall-after-0"]);
    const aborted = client.upload(bucket, "aborted", data, { partSize: 200 * KiB, signal: ac.signal });
    setTimeout(() => ac.abort(), 200);
    await assert.rejects(aborted, (e) => e instanceof BosError && e.code === "Aborted");
    assert.deepEqual(await uploads(), ["checkpointed", "kept"]);
  });
});

Deno.test("multipart: initiate, uploadPart, uploadPartCopy, listParts, complete, abort and their errors", async () => {
  await withServer(async (s, bucket) => {
    const client = s.client();
    const a = randomBytes(200 * KiB, 1);
    await client.putObject(bucket, "source", randomBytes(300 * KiB, 2));
    const { uploadId } = await client.initiateMultipartUpload(bucket, "mp", {
      contentType: "text/x-mp",
      userMeta: { m: "1" },
    });
    const p1 = await client.uploadPart(bucket, "mp", uploadId, 1, a, { contentMD5: true });
    assert.equal(p1.etag, await md5(a));
    const p2 = await client.uploadPartCopy(bucket, "source", bucket, "mp", uploadId, 2, {
      range: { start: 0, end: 99 },
    });
    const page = await client.listParts(bucket, "mp", uploadId, { maxParts: 1 });
    assert.equal(page.isTruncated, true);
    assert.deepEqual(page.parts.map((p) => [p.partNumber, p.size]), [[1, 200 * KiB]]);
    const parts = [];
    for await (const p of client.listAllParts(bucket, "mp", uploadId, { maxParts: 1 })) {
      parts.push(p.partNumber);
    }
    assert.deepEqual(parts, [1, 2]);
    await assert.rejects(
      client.completeMultipartUpload(bucket, "mp", uploadId, [{ partNumber: 1, etag: "0".repeat(32) }]),
      (e) => e instanceof BosError && e.code === "InvalidPart",
    );
    const done = await client.completeMultipartUpload(bucket, "mp", uploadId, [
      { partNumber: 2, etag: p2.etag },
      { partNumber: 1, etag: p1.etag },
    ]);
    assert(done.etag.length > 0);
    const head = await client.headObject(bucket, "mp");
    assert.equal(head.contentLength, 200 * KiB + 100);
    assert.equal(head.contentType, "text/x-mp");
    await assert.rejects(
      client.uploadPart(bucket, "mp", uploadId, 3, "x"),
      (e) => e instanceof BosError && e.code === "NoSuchUpload",
    );
    const other = await client.initiateMultipartUpload(bucket, "gone");
    await client.abortMultipartUpload(bucket, "gone", other.uploadId);
    await assert.rejects(
      client.abortMultipartUpload(bucket, "gone", other.uploadId),
      (e) => e instanceof BosError && e.code === "NoSuchUpload",
    );
    await assert.rejects(
      client.listParts(bucket, "gone", other.uploadId),
      (e) => e instanceof BosError && e.code === "NoSuchUpload",
    );
    const small = await client.initiateMultipartUpload(bucket, "small");
    const s1 = await client.uploadPart(bucket, "small", small.uploadId, 1, "tiny");
    const s2 = await client.uploadPart(bucket, "small", small.uploadId, 2, "tiny");
    await assert.rejects(
      client.completeMultipartUpload(bucket, "small", small.uploadId, [{ partNumber: 1, etag: s1.etag }, {
        partNumber: 2,
        etag: s2.etag,
      }]),
      (e) => e instanceof BosError && e.code === "EntityTooSmall",
    );
  });
});

Deno.test("listAllParts and listAllMultipartUploads: follow markers past 1000 entries", async () => {
  await withServer(async (s, bucket) => {
    const counter = countingFetch(s.fetch);
    const client = s.client({ fetch: counter.fetch });
    const { uploadId } = await client.initiateMultipartUpload(bucket, "many");
    const n = 1005;
    for (let start = 1; start <= n; start += 64) {
      await Promise.all(
        Array.from(
          { length: Math.min(64, n - start + 1) },
          (_, i) => client.uploadPart(bucket, "many", uploadId, start + i, "x"),
        ),
      );
    }
    let count = 0;
    let lastNumber = 0;
    for await (const p of client.listAllParts(bucket, "many", uploadId)) {
      assert(p.partNumber > lastNumber);
      lastNumber = p.partNumber;
      count++;
    }
    assert.equal(count, n);
    assert.equal(
      counter.count((r) => r.method === "GET" && r.query.has("uploadId")),
      2,
      "two pages of ListParts",
    );
    for (let i = 0; i < 4; i++) await client.initiateMultipartUpload(bucket, `u${i}`);
    const keys = [];
    for await (const u of client.listAllMultipartUploads(bucket, { maxUploads: 2 })) keys.push(u.key);
    assert.deepEqual(keys, ["many", "u0", "u1", "u2", "u3"]);
  }, { inProcess: true });
});

Deno.test("copyLarge: parallel UploadPartCopy above the threshold keeps bytes and metadata; below it one CopyObject", async () => {
  await withServer(async (s, bucket) => {
    const counter = countingFetch(s.fetch);
    const client = s.client({ fetch: counter.fetch, profile: small });
    const data = randomBytes(1 * MiB + 77, 23);
    await client.putObject(bucket, "src", data, { contentType: "video/x-test", userMeta: { origin: "src" } });
    const r = await client.copyLarge(bucket, "src", bucket, "dst", {
      partSize: 256 * KiB,
      multipartThreshold: 512 * KiB,
    });
    assert(r.etag);
    assert.equal(counter.count((q) => q.method === "PUT" && q.query.has("partNumber")), 5);
    const head = await client.headObject(bucket, "dst");
    assert.equal(head.contentType, "video/x-test");
    assert.deepEqual(head.userMeta, { origin: "src" });
    assert.equal(await md5(await (await client.getObject(bucket, "dst")).bytes()), await md5(data));
    await client.copyLarge(bucket, "src", bucket, "dst2");
    assert.equal(
      counter.count((q) => q.method === "PUT" && q.query.has("partNumber")),
      5,
      "no parts for a small copy",
    );
    assert.equal(
      (await client.headObject(bucket, "dst2")).etag,
      (await client.headObject(bucket, "src")).etag,
    );
  });
});

Deno.test("upload: a stream of unknown length resumes from a checkpoint; parts whose bytes match are not re-sent", async () => {
  await withServer(async (s, bucket) => {
    const data = randomBytes(3 * MiB + 1000, 43);
    const client = s.client({ profile: small });
    const controller = new AbortController();
    let checkpoint: UploadCheckpoint | undefined;
    await assert.rejects(
      client.upload(bucket, "streamed", streamOf(data), {
        partSize: 256 * KiB,
        concurrency: 1,
        sourceId: "backup-2026-11-24",
        signal: controller.signal,
        onCheckpoint: (cp) => {
          checkpoint = structuredClone(cp);
          if (cp.parts.length === 5) controller.abort();
        },
      }),
      (e) => e instanceof BosError && e.code === "Aborted",
    );
    assert.equal(checkpoint!.plan.kind, "growing");
    assert.equal(checkpoint!.source.kind, "stream");
    const onServer = new Set<number>();
    let bytesOnServer = 0;
    for await (const p of client.listAllParts(bucket, "streamed", checkpoint!.uploadId)) {
      onServer.add(p.partNumber);
      bytesOnServer += p.size;
    }
    const counter = countingFetch(s.fetch);
    const resumed = s.client({ profile: small, fetch: counter.fetch });
    await assert.rejects(
      resumed.upload(bucket, "streamed", streamOf(data), { partSize: 256 * KiB, resume: checkpoint }),
      (e) => e instanceof BosError && e.code === "CheckpointMismatch",
      "a different sourceId is refused",
    );
    const events: ProgressEvent[] = [];
    const r = await resumed.upload(bucket, "streamed", streamOf(data), {
      partSize: 256 * KiB,
      sourceId: "backup-2026-11-24",
      resume: checkpoint,
      onProgress: (e) => events.push(e),
    });
    const sent = counter.seen.filter(isUploadPart).map((q) => Number(q.query.get("partNumber")));
    assert.equal(sent.length, r.partCount - onServer.size);
    // Parts recognised on the server count as resumed, whenever the stream reaches them.
    checkProgress(events, data.length, bytesOnServer);
    assert(sent.every((n) => !onServer.has(n)), "no part already on the server was sent again");
    assert.equal(await md5(await (await resumed.getObject(bucket, "streamed")).bytes()), await md5(data));
  });
});

Deno.test("upload: a lost CompleteMultipartUpload answer is reconciled (the upload still exists) before sending it again", async () => {
  await withServer(async (s, bucket) => {
    const client = s.client({ profile: small });
    const data = randomBytes(700 * KiB, 47);
    await s.addFaults({ operation: "CompleteMultipartUpload" }, ["reset"]);
    const counter = countingFetch(s.fetch);
    const watched = s.client({ profile: small, fetch: counter.fetch });
    const r = await watched.upload(bucket, "c", data, { partSize: 256 * KiB });
    assert.equal(r.size, data.length);
    assert.deepEqual((await s.faultPlans())[0].consumed.map((c) => c.fault), ["reset"]);
    assert.equal(
      counter.count((q) => q.method === "GET" && q.query.has("uploadId")),
      1,
      "checked with ListParts first",
    );
    assert.equal(counter.count((q) => q.method === "POST" && q.query.has("uploadId")), 2);
    assert.equal(await md5(await (await client.getObject(bucket, "c")).bytes()), await md5(data));
  });
});

Deno.test("upload: resuming a checkpoint whose upload was completed or aborted fails with NoSuchUpload and says what to do", async () => {
  await withServer(async (s, bucket) => {
    const client = s.client({ profile: small });
    const data = randomBytes(300 * KiB, 53);
    let checkpoint: UploadCheckpoint | undefined;
    await client.upload(bucket, "done", data, {
      partSize: 100 * KiB,
      onCheckpoint: (cp) => void (checkpoint = cp),
    });
    await assert.rejects(
      client.upload(bucket, "done", data, { partSize: 100 * KiB, resume: checkpoint }),
      (e) =>
        e instanceof BosError && e.code === "NoSuchUpload" &&
        /start a new upload without resume/.test(e.message),
    );
  });
});

const crc32Of = async (data: Uint8Array) => crcToDecimal(await hash("crc32", data));
const isComplete = (q: SeenRequest) => q.method === "POST" && q.query.has("uploadId");

Deno.test("upload: a multipart upload sends the whole object's CRC32 on Complete and the server checks it", async () => {
  await withServer(async (s, bucket) => {
    const counter = countingFetch(s.fetch);
    const client = s.client({ fetch: counter.fetch, profile: small });
    const data = randomBytes(1 * MiB + 333, 61);
    const whole = await crc32Of(data);
    const cases = [
      { key: "fixed", body: () => data, options: {} },
      { key: "growing", body: () => streamOf(data), options: {} },
      { key: "crc32c", body: () => data, options: { integrity: "crc32c" as const } },
    ];
    for (const c of cases) {
      counter.seen.length = 0;
      const r = await client.upload(bucket, c.key, c.body(), { partSize: 128 * KiB, ...c.options });
      assert.equal(r.multipart, true);
      const completes = counter.seen.filter(isComplete);
      assert.equal(completes.length, 1);
      assert.equal(completes[0].headers.get("x-bce-content-crc32"), whole, `${c.key}: header sent`);
      assert.equal(r.crc32, whole, `${c.key}: surfaced in the result`);
      assert.equal((await client.headObject(bucket, c.key)).crc32, whole, `${c.key}: stored`);
    }
    counter.seen.length = 0;
    const simple = await client.upload(bucket, "simple", "tiny");
    const tiny = await crc32Of(new TextEncoder().encode("tiny"));
    assert.equal(simple.crc32, tiny, "a simple put sends the object's CRC32 with the PutObject");
    assert.equal(counter.seen.at(-1)?.headers.get("x-bce-content-crc32"), tiny);
    await client.upload(bucket, "simple-md5", "tiny", { integrity: "md5" });
    assert.equal(
      counter.seen.at(-1)?.headers.get("x-bce-content-crc32"),
      null,
      "md5 mode sends Content-MD5 only",
    );
    assert(counter.seen.at(-1)?.headers.get("content-md5"));

    // The low-level call sends the option as is; the server refuses a wrong value.
    const { uploadId } = await client.initiateMultipartUpload(bucket, "low-level");
    const part = await client.uploadPart(bucket, "low-level", uploadId, 1, data);
    await assert.rejects(
      client.completeMultipartUpload(bucket, "low-level", uploadId, [{ partNumber: 1, etag: part.etag }], {
        crc32: String((Number(whole) + 1) % 2 ** 32),
      }),
      (e) => e instanceof BosError && e.code === "BadDigest" && e.status === 400,
    );
    await client.completeMultipartUpload(
      bucket,
      "low-level",
      uploadId,
      [{ partNumber: 1, etag: part.etag }],
      {
        crc32: whole,
      },
    );
    assert.equal((await client.headObject(bucket, "low-level")).crc32, whole);
  }, { inProcess: true });
});

/** Starts an upload of `data` in 128 KiB parts and aborts it after 5 parts; returns the checkpoint. */
async function abortedUpload(
  client: BosClient,
  bucket: string,
  key: string,
  data: Uint8Array,
  stream: boolean,
): Promise<UploadCheckpoint> {
  const controller = new AbortController();
  let checkpoint: UploadCheckpoint | undefined;
  await assert.rejects(
    client.upload(bucket, key, stream ? streamOf(data) : data, {
      partSize: 128 * KiB,
      concurrency: 1,
      sourceId: stream ? "s" : undefined,
      signal: controller.signal,
      onCheckpoint: (cp) => {
        checkpoint = JSON.parse(JSON.stringify(cp));
        if (cp.parts.length === 5) controller.abort();
      },
    }),
    (e) => e instanceof BosError && e.code === "Aborted",
  );
  return checkpoint!;
}

Deno.test("upload: a resumed upload sends the right whole-object CRC32 (or none when an older checkpoint lacks part CRC32s)", async () => {
  await withServer(async (s, bucket) => {
    const client = s.client({ profile: small });
    const data = randomBytes(1 * MiB + 777, 67);
    const whole = await crc32Of(data);
    const resume = async (key: string, checkpoint: UploadCheckpoint, stream: boolean) => {
      const counter = countingFetch(s.fetch);
      const resumed = s.client({ profile: small, fetch: counter.fetch });
      const r = await resumed.upload(bucket, key, stream ? streamOf(data) : data, {
        partSize: 128 * KiB,
        sourceId: stream ? "s" : undefined,
        resume: checkpoint,
      });
      assert(r.partsSent < r.partCount, `${key}: parts on the server were not sent again`);
      assert.equal(await md5(await (await resumed.getObject(bucket, key)).bytes()), await md5(data));
      return { r, sent: counter.seen.find(isComplete)!.headers.get("x-bce-content-crc32") };
    };

    // The checkpoint records each part's CRC32.
    const cp = await abortedUpload(client, bucket, "bytes", data, false);
    assert.equal(cp.parts.length, 5);
    for (const p of cp.parts) {
      assert.equal(
        p.crc32,
        await crc32Of(data.subarray((p.partNumber - 1) * 128 * KiB, p.partNumber * 128 * KiB)),
      );
    }
    let got = await resume("bytes", cp, false);
    assert.deepEqual([got.sent, got.r.crc32], [whole, whole]);

    // A part on the server that the checkpoint does not describe is read (to verify it) and its CRC32 learnt.
    const missing = await abortedUpload(client, bucket, "unrecorded", data, false);
    missing.parts.pop();
    got = await resume("unrecorded", missing, false);
    assert.deepEqual([got.sent, got.r.crc32], [whole, whole]);

    // An older checkpoint without part CRC32s: recorded parts of a file or bytes are not read again, so
    // the whole CRC32 is unknown and not sent.
    const old = await abortedUpload(client, bucket, "old", data, false);
    for (const p of old.parts) delete p.crc32;
    got = await resume("old", old, false);
    assert.deepEqual([got.sent, got.r.crc32], [null, undefined]);

    // A stream is read in full on resume anyway, so the CRC32s an older checkpoint lacks are learnt.
    const oldStream = await abortedUpload(client, bucket, "old-stream", data, true);
    for (const p of oldStream.parts) delete p.crc32;
    got = await resume("old-stream", oldStream, true);
    assert.deepEqual([got.sent, got.r.crc32], [whole, whole]);
  }, { inProcess: true });
});

Deno.test("upload: maxPartSize = partSize keeps a long stream's parts fixed; past 10000 parts it fails with EntityTooLarge", async () => {
  await withServer(async (s, bucket) => {
    const counter = countingFetch(s.fetch);
    const profile = makeProfile({ minPartSize: 100 * KiB, maxPartNumber: 4 });
    const client = s.client({ fetch: counter.fetch, profile });
    const data = randomBytes(4 * 100 * KiB, 5);
    await client.upload(bucket, "fixed", streamOf(data), { partSize: 100 * KiB, maxPartSize: 100 * KiB });
    const sizes = counter.seen.filter((r) => r.query.has("partNumber")).map((r) =>
      r.headers.get("content-length")
    );
    assert.deepEqual(sizes, Array(4).fill(String(100 * KiB)));
    await assert.rejects(
      client.upload(bucket, "too-long", streamOf(randomBytes(4 * 100 * KiB + 1, 6)), {
        partSize: 100 * KiB,
        maxPartSize: 100 * KiB,
        abortOnFailure: true,
      }),
      (e) => e instanceof BosError && e.code === "EntityTooLarge",
    );
    assert.equal(
      (await client.headObject(bucket, "too-long").catch((e) => e)).status,
      404,
      "nothing visible",
    );
  });
});

/** A byte stream (as file and fetch bodies are) serving `data` in chunks of at most `chunk` bytes. */
function byteStreamOf(data: Uint8Array, chunk: number): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    type: "bytes",
    pull(controller) {
      if (at >= data.length) {
        controller.close();
        controller.byobRequest?.respond(0);
        return;
      }
      const req = controller.byobRequest;
      const n = Math.min(chunk, data.length - at, req?.view?.byteLength ?? Infinity);
      if (req?.view) {
        new Uint8Array(req.view.buffer, req.view.byteOffset, n).set(data.subarray(at, at + n));
        req.respond(n);
      } else controller.enqueue(data.slice(at, at + n));
      at += n;
    },
  });
}

Deno.test("law: a byte stream of any length and chunking uploads byte-exact (read in place, BYOB)", async () => {
  await withServer(async (s, bucket) => {
    const client = s.client({ profile: small });
    let i = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 700 * KiB }),
        fc.integer({ min: 1, max: 300 * KiB }),
        async (size, chunk) => {
          const data = randomBytes(size, size);
          const key = `byob-${i++}`;
          const r = await client.upload(bucket, key, byteStreamOf(data, chunk), {
            partSize: 100 * KiB,
            maxPartSize: 100 * KiB,
            concurrency: 2,
          });
          assert.equal(r.size, size);
          assert.equal(r.multipart, size > 100 * KiB);
          assert.equal(await md5(await (await client.getObject(bucket, key)).bytes()), await md5(data));
        },
      ),
      { numRuns: 25 },
    );
  });
});
