// Parts of a file streamed straight from it (streamed_part.ts), against the reference server behind
// an interceptor that records, corrupts or alters UploadPart exchanges.
import assert from "node:assert/strict";
import { BosError } from "../../protocol/errors.ts";
import { crcToDecimal, toHex } from "../../protocol/encoding.ts";
import { hash } from "../../protocol/hash.ts";
import { KiB, makeProfile } from "../../protocol/limits.ts";
import { createHandler, LOCAL_CREDENTIALS } from "../../server/mod.ts";
import { BosClient } from "../client.ts";
import type { ProgressEvent } from "../body.ts";
import { bucketName, randomBytes } from "../testdata/harness.ts";

const small = makeProfile({ minPartSize: 100 * KiB });
const PART = 128 * KiB;

interface Seen {
  partNumber: number;
  /** The part's CRC32 went ahead of its bytes. */
  crcUpFront: boolean;
}

interface Intercept {
  /** Called with each UploadPart's number and body; returns the body to store (altered to corrupt it). */
  body?: (partNumber: number, bytes: Uint8Array<ArrayBuffer>) => Uint8Array<ArrayBuffer>;
  /** Called with each UploadPart answer (and whether the request carried a CRC32): false drops its `x-bce-content-crc32`. */
  reportCrc?: (partNumber: number, crcUpFront: boolean) => boolean;
  /** Called before each UploadPart is handled. */
  before?: (partNumber: number) => Promise<void> | void;
}

/** The reference server over HTTP behind an interceptor of UploadPart exchanges; a client on the socket transport. */
async function withInterceptedServer(
  intercept: Intercept,
  fn: (client: BosClient, bucket: string, seen: Seen[]) => Promise<void>,
): Promise<void> {
  const handler = createHandler();
  const seen: Seen[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const url = new URL(req.url);
    const part = Number(url.searchParams.get("partNumber"));
    if (req.method !== "PUT" || !url.searchParams.has("uploadId") || !part) return await handler(req);
    seen.push({ partNumber: part, crcUpFront: req.headers.has("x-bce-content-crc32") });
    await intercept.before?.(part);
    let forwarded = req;
    if (intercept.body) {
      const bytes = intercept.body(part, new Uint8Array(await req.arrayBuffer()));
      forwarded = new Request(req.url, {
        method: "PUT",
        headers: req.headers,
        body: bytes as Uint8Array<ArrayBuffer>,
      });
    }
    const res = await handler(forwarded);
    if (intercept.reportCrc?.(part, req.headers.has("x-bce-content-crc32")) === false) {
      const headers = new Headers(res.headers);
      headers.delete("x-bce-content-crc32");
      return new Response(res.body, { status: res.status, headers });
    }
    return res;
  });
  const client = new BosClient({
    endpoint: `http://127.0.0.1:${server.addr.port}`,
    credentials: LOCAL_CREDENTIALS,
    profile: small,
  });
  const bucket = bucketName("sp");
  try {
    await client.createBucket(bucket);
    await fn(client, bucket, seen);
  } finally {
    await server.shutdown();
    await handler.close();
  }
}

async function tempFile(bytes: Uint8Array): Promise<string> {
  const path = await Deno.makeTempFile({ prefix: "boskit-streamed-" });
  await Deno.writeFile(path, bytes);
  return path;
}

const md5 = async (b: Uint8Array) => toHex(await hash("md5", b));
const crc32 = async (b: Uint8Array) => crcToDecimal(await hash("crc32", b));

Deno.test("uploadFile: once the server reports part CRC32s, parts stream from the file without their CRC32 up front; object, CRC32 and progress are exact", async () => {
  await withInterceptedServer({}, async (client, bucket, seen) => {
    const data = randomBytes(10 * PART + 5000, 41);
    const path = await tempFile(data);
    try {
      const events: ProgressEvent[] = [];
      const r = await client.uploadFile(bucket, "f.bin", path, {
        partSize: PART,
        concurrency: 2,
        onProgress: (e) => events.push(e),
      });
      assert.equal(r.crc32, await crc32(data), "the whole object's CRC32, from the parts streamed");
      assert.equal(await md5(await (await client.getObject(bucket, "f.bin")).bytes()), await md5(data));
      assert.equal(seen.length, 11, "each part sent once");
      const upFront = seen.filter((s) => s.crcUpFront).map((s) => s.partNumber);
      // Parts read before the first answer came (one per slot, and the next one, read ahead).
      assert.ok(
        upFront.length >= 1 && upFront.length <= 3,
        `only the parts read before the first answer: ${upFront}`,
      );
      assert.ok(upFront.includes(1));
      assert.equal(events.at(-1)?.transferred, data.length);
      assert.equal(events.reduce((n, e) => n + e.increment, 0), data.length, "each byte counted once");
    } finally {
      await Deno.remove(path);
    }
  });
});

Deno.test("uploadFile: a streamed part corrupted in transit is caught by the CRC32 the server reports and sent again; past integrityRetries it fails with BadDigest", async () => {
  let corrupt = 0;
  const intercept: Intercept = {
    body: (part, bytes) => {
      if (part !== 6 || corrupt === 0) return bytes;
      corrupt--;
      const copy = bytes.slice();
      copy[100] ^= 0x01;
      return copy;
    },
  };
  await withInterceptedServer(intercept, async (client, bucket, seen) => {
    const data = randomBytes(8 * PART, 43);
    const path = await tempFile(data);
    try {
      corrupt = 1;
      await client.uploadFile(bucket, "healed.bin", path, { partSize: PART, concurrency: 1 });
      assert.equal(await md5(await (await client.getObject(bucket, "healed.bin")).bytes()), await md5(data));
      const sixes = seen.filter((s) => s.partNumber === 6);
      assert.equal(sixes.length, 2, "part 6 went twice");
      assert.ok(sixes.every((s) => !s.crcUpFront), "both times streamed");
      seen.length = 0;
      corrupt = 100;
      await assert.rejects(
        client.uploadFile(bucket, "broken.bin", path, {
          partSize: PART,
          concurrency: 1,
          integrityRetries: 2,
        }),
        (e) => e instanceof BosError && e.code === "BadDigest" && /Part 6/.test(e.message),
      );
      assert.equal(seen.filter((s) => s.partNumber === 6).length, 3, "sent three times, then gave up");
      await assert.rejects(
        client.headObject(bucket, "broken.bin"),
        (e) => e instanceof BosError && e.status === 404,
      );
    } finally {
      await Deno.remove(path);
    }
  });
});

Deno.test("uploadFile: against a server that reports no part CRC32, every part carries its CRC32 up front", async () => {
  await withInterceptedServer({ reportCrc: () => false }, async (client, bucket, seen) => {
    const data = randomBytes(6 * PART, 47);
    const path = await tempFile(data);
    try {
      await client.uploadFile(bucket, "plain.bin", path, { partSize: PART, concurrency: 2 });
      assert.equal(await md5(await (await client.getObject(bucket, "plain.bin")).bytes()), await md5(data));
      assert.equal(seen.length, 6);
      assert.ok(seen.every((s) => s.crcUpFront));
    } finally {
      await Deno.remove(path);
    }
  });
});

Deno.test("uploadFile: a streamed part whose answer carries no CRC32 is sent again with its CRC32 up front, and later parts are too", async () => {
  await withInterceptedServer({ reportCrc: (part) => part < 4 }, async (client, bucket, seen) => {
    const data = randomBytes(7 * PART + 1, 53);
    const path = await tempFile(data);
    try {
      const r = await client.uploadFile(bucket, "switch.bin", path, { partSize: PART, concurrency: 1 });
      assert.equal(r.crc32, await crc32(data));
      assert.equal(await md5(await (await client.getObject(bucket, "switch.bin")).bytes()), await md5(data));
      const fours = seen.filter((s) => s.partNumber === 4).map((s) => s.crcUpFront);
      assert.deepEqual(fours, [false, true], "streamed, unchecked, then sent with its CRC32");
      assert.ok(seen.filter((s) => s.partNumber > 4).every((s) => s.crcUpFront));
    } finally {
      await Deno.remove(path);
    }
  });
});

Deno.test("uploadFile: a file that shrinks under a streamed part fails at once with CheckpointMismatch, leaving no object", async () => {
  let path = "";
  const data = randomBytes(8 * PART, 59);
  const intercept: Intercept = {
    // While part 4 is handled (one part at a time), the file loses its tail from the middle of part 5.
    before: async (part) => {
      if (part === 4) await Deno.truncate(path, 4 * PART + 1000);
    },
  };
  await withInterceptedServer(intercept, async (client, bucket) => {
    path = await tempFile(data);
    try {
      const started = Date.now();
      await assert.rejects(
        client.uploadFile(bucket, "shrunk.bin", path, { partSize: PART, concurrency: 1 }),
        (e) => e instanceof BosError && e.code === "CheckpointMismatch" && e.status === 0,
      );
      assert.ok(Date.now() - started < 30_000, "no wait for a body that never comes");
      await assert.rejects(
        client.headObject(bucket, "shrunk.bin"),
        (e) => e instanceof BosError && e.status === 404,
      );
      const left = [];
      for await (const u of client.listAllMultipartUploads(bucket)) left.push(u);
      assert.equal(left.length, 0, "the failed upload is discarded");
    } finally {
      await Deno.remove(path);
    }
  });
});

Deno.test("uploadFile: a server that reports a part's CRC32 only when sent one gets one streamed part, then every part with its CRC32 up front", async () => {
  await withInterceptedServer({ reportCrc: (_part, upFront) => upFront }, async (client, bucket, seen) => {
    const data = randomBytes(9 * PART, 67);
    const path = await tempFile(data);
    try {
      await client.uploadFile(bucket, "echo.bin", path, { partSize: PART, concurrency: 1 });
      assert.equal(await md5(await (await client.getObject(bucket, "echo.bin")).bytes()), await md5(data));
      assert.equal(seen.filter((s) => !s.crcUpFront).length, 1, "one streamed part found the server silent");
      assert.equal(seen.length, 9 + 1, "that part went again; no other part went twice");
    } finally {
      await Deno.remove(path);
    }
  });
});
