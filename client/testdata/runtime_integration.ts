// The cross-runtime integration script: starts the reference server in this runtime with `serve()`
// (node:http, under each runtime), once on the memory store and once on the filesystem store, and
// drives it with BosClient: put, get/head, multipart upload with progress, abort + resume, listing,
// copy, append, retries, files, errors, delete. Prints one JSON line with what it checked and exits
// non-zero on the first failure. client/runtime_test.ts runs it under Deno (from source) and under
// Node and Bun (bundled with `deno bundle`, as Node 20 does not strip types):
//   deno run -A client/testdata/runtime_integration.ts
//   node integration.mjs   |   bun integration.mjs
import {
  BosClient,
  BosError,
  type FetchLike,
  hash,
  type ProgressEvent,
  toHex,
  type UploadCheckpoint,
} from "../../mod.ts";
import { LOCAL_CREDENTIALS, type RunningServer, serve } from "../../server/mod.ts";
import * as fs from "node:fs/promises";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";

// deno-lint-ignore no-explicit-any
const g = globalThis as any;
// serve() runs on node:http under every runtime (the one server that lets the handler answer
// `Expect: 100-continue` itself).
const runtime: { name: string; version: string; server: string } = g.Bun
  ? { name: "bun", version: String(g.Bun.version), server: "node:http" }
  : g.Deno
  ? { name: "deno", version: String(g.Deno.version.deno), server: "node:http" }
  : { name: "node", version: String(g.process.versions.node), server: "node:http" };

const KiB = 1024;
const MiB = 1024 * KiB;
const steps: string[] = [];
const report: Record<string, unknown> = {};
let current = "start";

function check(ok: unknown, what: string): asserts ok {
  if (!ok) throw new Error(`Check failed in ${current}: ${what}`);
}

async function step(name: string, fn: () => Promise<void>): Promise<void> {
  current = name;
  await fn();
  if (!steps.includes(name)) steps.push(name);
}

async function rejectsWith(p: Promise<unknown>, status: number, code: string, what: string): Promise<void> {
  try {
    await p;
  } catch (e) {
    check(
      e instanceof BosError && e.status === status && e.code === code,
      `${what}: expected ${status} ${code}, got ${e instanceof BosError ? `${e.status} ${e.code}` : e}`,
    );
    return;
  }
  check(false, `${what}: expected ${status} ${code}, but it succeeded`);
}

function pattern(size: number, seed: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + (i >> 8) + seed * 7) & 0xff;
  return out;
}

const md5 = async (b: Uint8Array | string) => toHex(await hash("md5", b));
const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** A stream of `data` in 64 KiB chunks, length unknown to the reader. */
function streamOf(data: Uint8Array): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(c) {
      if (offset >= data.length) return c.close();
      c.enqueue(data.slice(offset, offset + 64 * KiB));
      offset += 64 * KiB;
    },
  });
}

/** Progress events must be positive increments, monotonic, and end at `size`. */
function checkProgress(events: ProgressEvent[], size: number, what: string): void {
  let transferred = 0;
  for (const e of events) {
    check(e.increment > 0, `${what}: increments are positive`);
    check(
      e.transferred === transferred + e.increment,
      `${what}: transferred is monotonic and sums increments`,
    );
    transferred = e.transferred;
  }
  check(transferred === size, `${what}: progress ends at the size (${transferred} of ${size})`);
}

/** A fetch that records the UploadPart numbers and InitiateMultipartUpload calls it sends. */
function countingFetch(): { fetch: FetchLike; parts: number[]; initiated(): number } {
  const parts: number[] = [];
  let initiated = 0;
  return {
    parts,
    initiated: () => initiated,
    fetch: (input, init) => {
      const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
      const method = (init?.method ?? "GET").toUpperCase();
      if (method === "PUT" && url.searchParams.has("partNumber")) {
        parts.push(Number(url.searchParams.get("partNumber")));
      }
      if (method === "POST" && url.searchParams.has("uploads")) initiated++;
      return fetch(input, init);
    },
  };
}

async function suite(server: RunningServer): Promise<void> {
  const options = { endpoint: server.url, credentials: LOCAL_CREDENTIALS, retry: { baseDelayMs: 5 } };
  const client = new BosClient(options);
  report.streamingUploads = client.streamingUploads;
  const bucket = `rt-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  const big = pattern(12 * MiB + 5, 1);

  await step("createBucket", async () => {
    await client.createBucket(bucket);
    await client.headBucket(bucket);
    check((await client.listBuckets()).buckets.some((b) => b.name === bucket), "listBuckets shows it");
  });

  await step("putObject", async () => {
    const bytes = pattern(100_000, 2);
    const r1 = await client.putObject(bucket, "put/bytes.bin", bytes, { contentMD5: true });
    check(r1.etag === await md5(bytes), "bytes: ETag is the MD5");
    const r2 = await client.putObject(bucket, "put/世界 +.txt", "hello, wörld", {
      userMeta: { who: "wörld", n: "1" },
      contentType: "text/plain; charset=utf-8",
    });
    check(r2.etag === await md5("hello, wörld"), "string: ETag is the MD5 of the UTF-8");
    const blob = new Blob([bytes.subarray(0, 5000), "tail"]);
    await client.putObject(bucket, "put/blob.bin", blob, { userMeta: { kind: "blob" } });
    const sized = new Blob([big.subarray(0, 300_000)]).stream();
    await client.putObject(bucket, "put/stream.bin", sized, { contentLength: 300_000 });
    check((await client.headObject(bucket, "put/stream.bin")).contentLength === 300_000, "sized stream");
  });

  await step("getObject+headObject", async () => {
    const head = await client.headObject(bucket, "put/世界 +.txt");
    const len = new TextEncoder().encode("hello, wörld").length;
    check(head.contentLength === len, "HEAD content length");
    check(head.userMeta.who === "wörld" && head.userMeta.n === "1", "UTF-8 user metadata round trip");
    check(head.contentType === "text/plain; charset=utf-8", "content type");
    check(await (await client.getObject(bucket, "put/世界 +.txt")).text() === "hello, wörld", "GET text");
    const part = await client.getObject(bucket, "put/bytes.bin", { range: { start: 10, end: 1033 } });
    check(part.status === 206 && part.contentRange?.total === 100_000, "ranged GET is 206 with the total");
    check(same(await part.bytes(), pattern(100_000, 2).subarray(10, 1034)), "ranged GET bytes");
    const blob = await client.headObject(bucket, "put/blob.bin");
    check(blob.contentLength === 5004 && blob.userMeta.kind === "blob", "Blob body and metadata");
    await rejectsWith(client.headObject(bucket, "put/missing"), 404, "NoSuchKey", "HEAD of a missing key");
  });

  await step("putObject over 128 MiB", async () => {
    // Above Bun.serve's default request body limit (128 MiB): the HTTP layer must not cap uploads.
    const size = 130 * MiB;
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent >= size) return c.close();
        c.enqueue(new Uint8Array(MiB).fill(sent / MiB));
        sent += MiB;
      },
    });
    const r = await client.putObject(bucket, "put/large.bin", body, { contentLength: size });
    const head = await client.headObject(bucket, "put/large.bin");
    check(head.contentLength === size && head.etag === r.etag, `a ${size}-byte stream was stored`);
    const tail = await client.getObject(bucket, "put/large.bin", { range: { start: size - 2 } });
    check(same(await tail.bytes(), new Uint8Array([129, 129])), "its last bytes");
    await client.deleteObject(bucket, "put/large.bin");
  });

  await step("upload multipart with progress", async () => {
    // A stream of unknown length: the engine plans parts as it reads.
    let events = 0;
    let sum = 0;
    const up = await client.upload(bucket, "mp/stream.bin", streamOf(big), {
      partSize: 4 * MiB,
      onProgress: (e) => {
        events++;
        sum += e.increment;
      },
    });
    check(up.multipart && up.partCount === 4, `a 12 MiB stream in 4 MiB parts is 4 parts (${up.partCount})`);
    check(sum === big.length, "stream progress sums to the size");
    report.progressEvents = events;
    // Bytes of known size: progress in bytes, with a total, monotonic.
    const data = pattern(11 * MiB, 3);
    const progress: ProgressEvent[] = [];
    const known = await client.upload(bucket, "mp/bytes.bin", data, {
      partSize: 2 * MiB,
      concurrency: 3,
      onProgress: (e) => progress.push(e),
    });
    check(known.partCount === 6 && known.partsSent === 6, "11 MiB in 2 MiB parts is 6 parts");
    check(progress.every((e) => e.total === data.length), "progress carries the total");
    checkProgress(progress, data.length, "multipart bytes");
    check(progress.length > 6, `byte-level progress, not per part (${progress.length} events)`);
    const got = await (await client.download(bucket, "mp/bytes.bin")).bytes();
    check(await md5(got) === await md5(data), "multipart object MD5");
    check(
      await md5(await (await client.download(bucket, "mp/stream.bin")).bytes()) === await md5(big),
      "MD5",
    );
  });

  await step("upload abort + resume", async () => {
    const data = pattern(6 * MiB, 4);
    const partSize = 512 * KiB; // 12 parts
    const controller = new AbortController();
    let checkpoint: UploadCheckpoint | undefined;
    await rejectsWith(
      client.upload(bucket, "mp/resumable.bin", data, {
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
      0,
      "Aborted",
      "an aborted upload",
    );
    check(checkpoint, "a checkpoint was emitted");
    check(checkpoint.parts.length > 0 && checkpoint.parts.length < 12, "the checkpoint holds some parts");
    // A part in flight at the abort may still land on the server: list until the listing is stable.
    const listed = async () => {
      const numbers: number[] = [];
      for await (const p of client.listAllParts(bucket, "mp/resumable.bin", checkpoint!.uploadId)) {
        numbers.push(p.partNumber);
      }
      return numbers.join();
    };
    let before = await listed();
    for (let stable = 0; stable < 3;) {
      await new Promise((resolve) => setTimeout(resolve, 30));
      const now = await listed();
      stable = now === before ? stable + 1 : 0;
      before = now;
    }
    const onServer = new Set(before.split(",").filter(Boolean).map(Number));
    check(checkpoint.parts.every((p) => onServer.has(p.partNumber)), "recorded parts are on the server");
    const counter = countingFetch();
    const resumed = new BosClient({ ...options, fetch: counter.fetch });
    const progress: ProgressEvent[] = [];
    const r = await resumed.upload(bucket, "mp/resumable.bin", data, {
      partSize,
      resume: checkpoint,
      onProgress: (e) => progress.push(e),
    });
    const missing = Array.from({ length: 12 }, (_, i) => i + 1).filter((n) => !onServer.has(n));
    const sent = [...counter.parts].sort((a, b) => a - b);
    check(missing.length > 0, "some parts were missing");
    check(sent.join() === missing.join(), `only the missing parts were sent: ${sent} vs ${missing}`);
    check(r.partsSent === missing.length && counter.initiated() === 0, "no new upload was initiated");
    check(r.uploadId === checkpoint.uploadId, "the same upload was completed");
    checkProgress(progress, data.length, "resumed upload");
    const recorded = checkpoint.parts.reduce((n, p) => n + p.size, 0);
    check(
      progress[0].transferred === recorded && progress[0].resumed === recorded && progress[0].sent === 0,
      "the first event reports the bytes the checkpoint recorded as resumed, none sent",
    );
    const last = progress[progress.length - 1];
    check(last.sent + last.resumed === data.length, "sent + resumed = the object's size");
    const got = await (await client.getObject(bucket, "mp/resumable.bin")).bytes();
    check(await md5(got) === await md5(data), "the resumed object's MD5");
  });

  await step("listObjects pagination", async () => {
    const keys = Array.from({ length: 7 }, (_, i) => `list/${String.fromCharCode(97 + i)}.txt`);
    await Promise.all(keys.map((k) => client.putObject(bucket, k, k)));
    await client.putObject(bucket, "list/sub/x.txt", "x");
    const page = await client.listObjects(bucket, { prefix: "list/", maxKeys: 3 });
    check(page.isTruncated && page.contents.length === 3 && page.nextMarker === keys[2], "first page of 3");
    const next = await client.listObjects(bucket, { prefix: "list/", maxKeys: 3, marker: page.nextMarker });
    check(next.contents[0].key === keys[3], "the marker continues after the last key");
    const all: string[] = [];
    for await (const o of client.listAllObjects(bucket, { prefix: "list/", maxKeys: 2 })) all.push(o.key);
    check(all.join() === [...keys, "list/sub/x.txt"].join(), `listAllObjects across pages (${all})`);
    const prefixes: string[] = [];
    for await (const p of client.listAllPrefixes(bucket, { prefix: "list/", delimiter: "/" })) {
      prefixes.push(p);
    }
    check(prefixes.join() === "list/sub/", `common prefixes (${prefixes})`);
  });

  await step("copyObject with if-match", async () => {
    const src = await client.headObject(bucket, "put/bytes.bin");
    await client.copyObject(bucket, "put/bytes.bin", bucket, "copy/same.bin", { ifMatch: src.etag });
    check((await client.headObject(bucket, "copy/same.bin")).etag === src.etag, "the copy has the ETag");
    await client.copyObject(bucket, "put/世界 +.txt", bucket, "copy/meta.txt", { userMeta: { who: "copy" } });
    check((await client.headObject(bucket, "copy/meta.txt")).userMeta.who === "copy", "replace metadata");
    await rejectsWith(
      client.copyObject(bucket, "put/bytes.bin", bucket, "copy/never.bin", { ifMatch: "0".repeat(32) }),
      412,
      "PreconditionFailed",
      "copy with a wrong if-match",
    );
    await rejectsWith(client.headObject(bucket, "copy/never.bin"), 404, "NoSuchKey", "no copy after 412");
  });

  await step("appendObject + appender", async () => {
    const first = await client.appendObject(bucket, "append/log.txt", "hello ");
    check(first.nextAppendOffset === 6, "offset after the first append");
    const second = await client.appendObject(bucket, "append/log.txt", "world", { offset: 6 });
    check(second.nextAppendOffset === 11, "offset after the second append");
    await rejectsWith(
      client.appendObject(bucket, "append/log.txt", "x", { offset: 3 }),
      409,
      "OffsetIncorrect",
      "append at a wrong offset",
    );
    const head = await client.headObject(bucket, "append/log.txt");
    check(head.objectType === "Appendable" && head.nextAppendOffset === 11, "appendable with its offset");
    check(await (await client.getObject(bucket, "append/log.txt")).text() === "hello world", "appended text");
    const log = client.appender(bucket, "append/app.log", { contentType: "text/plain" });
    await log.append("one\n");
    await Promise.all([log.append("two\n"), log.append("three\n")]);
    check(log.offset === 14, `the appender tracks its offset (${log.offset})`);
    const again = client.appender(bucket, "append/app.log");
    await again.append("four\n");
    const text = await (await client.getObject(bucket, "append/app.log")).text();
    check(text === "one\ntwo\nthree\nfour\n", "an appender on an existing object continues at its end");
  });

  await step("retries after injected faults, abort of a failed upload", async () => {
    const plan = async (match: Record<string, unknown>, faults: string[]) => {
      const res = await fetch(`${server.url}/_boskit/faults`, {
        method: "POST",
        body: JSON.stringify({ match, faults }),
      });
      check(res.ok, `fault plan accepted (${res.status})`);
      return (await res.json()).id as string;
    };
    const data = pattern(1 * MiB, 5);
    const part = await plan({ operation: "UploadPart", partNumber: 2 }, ["503"]);
    const up = await client.upload(bucket, "faults/up.bin", data, { partSize: 256 * KiB });
    check(up.partCount === 4, "four parts");
    const get = await plan({ operation: "GetObject", key: "faults/up.bin" }, ["500"]);
    const got = await (await client.download(bucket, "faults/up.bin")).bytes();
    check(await md5(got) === await md5(data), "the object is intact");
    // A body that breaks off after 1000 bytes (the server drops the connection) is never taken as
    // complete: without retries the read fails; download() continues with a ranged GET.
    const once = new BosClient({ ...options, retry: { maxAttempts: 1 } });
    const cut = await plan({ operation: "GetObject", key: "faults/up.bin" }, ["truncate-after-1000"]);
    const broken = await once.getObject(bucket, "faults/up.bin").then((r) => r.bytes()).then(
      () => false,
      () => true,
    );
    report.truncatedBodyFailsRead = broken;
    check(broken, "a truncated body fails the read");
    const resumed = await plan({ operation: "GetObject", key: "faults/up.bin" }, ["truncate-after-1000"]);
    const whole = await (await client.download(bucket, "faults/up.bin")).bytes();
    check(await md5(whole) === await md5(data), "download() continues a truncated body");
    const plans = (await (await fetch(`${server.url}/_boskit/faults`)).json()).plans as {
      id: string;
      consumed: unknown[];
    }[];
    for (const id of [part, get, cut, resumed]) {
      check(plans.find((p) => p.id === id)?.consumed.length === 1, `fault ${id} was consumed (and retried)`);
    }
    // A managed upload whose part fails for good is aborted: no multipart upload is left behind.
    await plan({ operation: "UploadPart", key: "faults/failed.bin", partNumber: 2 }, ["403"]);
    const failed = await client.upload(bucket, "faults/failed.bin", data, { partSize: 256 * KiB }).then(
      () => "no error",
      (e) => (e instanceof BosError ? `${e.status} ${e.code}` : String(e)),
    );
    check(failed === "403 AccessDenied", `the failed upload reports the part's error (${failed})`);
    const left: string[] = [];
    for await (const u of client.listAllMultipartUploads(bucket, { prefix: "faults/" })) left.push(u.key);
    check(left.length === 0, `no multipart upload is left behind (${left})`);
    await fetch(`${server.url}/_boskit/faults`, { method: "DELETE" }).then((r) => r.body?.cancel());
  });

  await step("uploadFile + downloadFile", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "boskit-rt-"));
    try {
      const file = path.join(dir, "in.bin");
      await fs.writeFile(file, big);
      const up = await client.uploadFile(bucket, "file/in.bin", file, { partSize: 5 * MiB });
      check(up.partCount === 3, "uploadFile in 5 MiB parts");
      // One part at a time: after the first answers (with its CRC32), the parts stream from the file.
      const one = await client.uploadFile(bucket, "file/one.bin", file, {
        partSize: 5 * MiB,
        concurrency: 1,
      });
      check(one.crc32 === up.crc32 && one.partCount === 3, "uploadFile streaming parts from the file");
      const back = await client.getObject(bucket, "file/one.bin");
      check(await md5(await back.bytes()) === await md5(big), "the streamed parts' MD5");
      await client.deleteObject(bucket, "file/one.bin");
      await client.downloadFile(bucket, "file/in.bin", path.join(dir, "out.bin"));
      check(
        await md5(new Uint8Array(await fs.readFile(path.join(dir, "out.bin")))) === await md5(big),
        "MD5",
      );
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  await step("client-side validation", async () => {
    await rejectsWith(
      client.putObject(bucket, "meta", "x", { userMeta: { key: "v".repeat(2035) } }),
      0,
      "MetadataTooLarge",
      "oversized metadata",
    );
  });

  await step("connection failures name the endpoint and the reason", async () => {
    // A port that was just closed, a host that cannot exist, TLS spoken to a plain HTTP port, and a
    // server that drops every connection: on fetch (a GET) and on the streaming transport (a PUT
    // of a sized stream, node:http on Deno and Node).
    const closed = await new Promise<number>((resolve) => {
      const l = net.createServer().listen(0, "127.0.0.1", () => {
        const port = (l.address() as net.AddressInfo).port;
        l.close(() => resolve(port));
      });
    });
    const dropping = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => dropping.listen(0, "127.0.0.1", () => resolve()));
    const dropPort = (dropping.address() as net.AddressInfo).port;
    const plainPort = new URL(server.url).port;
    const cases: Array<[string, string]> = [
      [`http://127.0.0.1:${closed}`, `connection refused to http://127.0.0.1:${closed}`],
      ["http://nohost.invalid", "DNS lookup failed for http://nohost.invalid"],
      [`https://127.0.0.1:${plainPort}`, `TLS handshake failed with https://127.0.0.1:${plainPort}`],
      [`http://127.0.0.1:${dropPort}`, `connection reset by http://127.0.0.1:${dropPort}`],
    ];
    try {
      for (const [endpoint, expected] of cases) {
        const c = new BosClient({ endpoint, credentials: LOCAL_CREDENTIALS, retry: { maxAttempts: 1 } });
        const body = () =>
          new ReadableStream<Uint8Array>({
            pull(ctl) {
              ctl.enqueue(new Uint8Array(4));
              ctl.close();
            },
          });
        for (
          const [how, attempt] of [
            ["fetch", () => c.getObject("bkt", "k")],
            ["streaming", () => c.putObject("bkt", "k", body(), { contentLength: 4 })],
          ] as const
        ) {
          try {
            await attempt();
            check(false, `${how} to ${endpoint} succeeded`);
          } catch (e) {
            check(e instanceof BosError && e.code === "NetworkError", `${how} to ${endpoint}: ${e}`);
            check(
              e.message.includes(expected) && e.cause !== undefined,
              `${how} to ${endpoint}: the message names the endpoint and the reason: ${e.message}`,
            );
          }
        }
      }
    } finally {
      await new Promise((resolve) => dropping.close(resolve));
    }
  });

  await step("deleteObject + deleteObjects + deleteBucket", async () => {
    await client.deleteObject(bucket, "put/bytes.bin");
    await rejectsWith(client.headObject(bucket, "put/bytes.bin"), 404, "NoSuchKey", "HEAD after delete");
    await rejectsWith(client.deleteBucket(bucket), 409, "BucketNotEmpty", "deleting a non-empty bucket");
    const keys: string[] = [];
    for await (const o of client.listAllObjects(bucket)) keys.push(o.key);
    check(keys.length === 20, `objects left (${keys.length})`);
    const res = await client.deleteObjects(bucket, [...keys, "never/existed"]);
    check(res.deleted.length === keys.length, "deleteObjects deleted every key");
    check(res.errors.length === 1 && res.errors[0].code === "NoSuchKey", "a missing key is reported");
    check((await client.listObjects(bucket)).contents.length === 0, "the bucket is empty");
    await client.deleteBucket(bucket);
    await rejectsWith(client.headBucket(bucket), 404, "NoSuchBucket", "HEAD of the deleted bucket");
  });
}

function exit(code: number): never {
  if (g.Deno) g.Deno.exit(code);
  g.process.exit(code);
  throw new Error("unreachable");
}

const started = Date.now();
const stores: string[] = [];
try {
  current = "serve (memory store)";
  let server = await serve({ faults: true });
  try {
    await suite(server);
  } finally {
    await server.close();
  }
  stores.push("memory");
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "boskit-rt-store-"));
  try {
    current = "serve (fs store)";
    server = await serve({ faults: true, dataDir });
    try {
      await suite(server);
    } finally {
      await server.close();
    }
    stores.push("fs");
  } finally {
    await fs.rm(dataDir, { recursive: true, force: true });
  }
} catch (e) {
  console.log(JSON.stringify({ ok: false, runtime, step: current, steps, error: String(e) }));
  console.error(e);
  exit(1);
}
console.log(JSON.stringify({ ok: true, runtime, stores, steps, ...report, ms: Date.now() - started }));
// No exit() here: the process must end by itself, so a socket or timer that close() left behind shows up
// as a run that never ends (client/runtime_test.ts times it out).
