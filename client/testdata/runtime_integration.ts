// Exercises BosClient under another runtime (Node 20, Bun) against a running reference server.
// Usage (after bundling with `deno bundle`): node smoke.mjs http://127.0.0.1:PORT
// Prints one JSON line with what it checked; exits non-zero on the first failure.
import { BosClient, BosError, hash, toHex } from "../../mod.ts";

const endpoint = (globalThis as { process?: { argv: string[] } }).process?.argv[2] ??
  (globalThis as { Deno?: { args: string[] } }).Deno?.args[0];
if (!endpoint) throw new Error("Usage: smoke <endpoint>");
const client = new BosClient({
  endpoint,
  credentials: { accessKeyId: "boskit-local-ak", secretAccessKey: "boskit-local-sk" },
  retry: { baseDelayMs: 5 },
});
const report: Record<string, unknown> = { streamingUploads: client.streamingUploads };
const check = (ok: boolean, what: string) => {
  if (!ok) throw new Error(`Check failed: ${what}`);
};
const bucket = `rt-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
const data = new Uint8Array(12 * 1024 * 1024 + 5);
for (let i = 0; i < data.length; i++) data[i] = (i * 31 + (i >> 8)) & 0xff;
const md5 = async (b: Uint8Array) => toHex(await hash("md5", b));

await client.createBucket(bucket);
await client.putObject(bucket, "hello/世界.txt", "hello", { userMeta: { who: "wörld" }, contentMD5: true });
const head = await client.headObject(bucket, "hello/世界.txt");
check(head.userMeta.who === "wörld" && head.contentLength === 5, "put/head with UTF-8 metadata");
check(await (await client.getObject(bucket, "hello/世界.txt")).text() === "hello", "get text");

// A stream of unknown length through the upload engine, with progress.
let offset = 0;
const stream = new ReadableStream<Uint8Array>({
  pull(c) {
    if (offset >= data.length) return c.close();
    c.enqueue(data.slice(offset, offset + 65536));
    offset += 65536;
  },
});
let events = 0;
let sum = 0;
const up = await client.upload(bucket, "big.bin", stream, {
  partSize: 4 * 1024 * 1024,
  onProgress: (e) => {
    events++;
    sum += e.increment;
  },
});
check(up.multipart && up.partCount === 4, "multipart upload of a stream");
check(sum === data.length, "progress sums to the size");
report.progressEvents = events;
check(
  await md5(await (await client.download(bucket, "big.bin")).bytes()) === await md5(data),
  "download MD5",
);

// A sized stream as one PutObject (streamed where the runtime supports it).
const sized = new Blob([data.subarray(0, 100_000)]).stream();
await client.putObject(bucket, "sized.bin", sized, { contentLength: 100_000 });
check((await client.headObject(bucket, "sized.bin")).contentLength === 100_000, "sized stream put");

// Files through node:fs/promises.
const fs = await import("node:fs/promises");
const os = await import("node:os");
const path = await import("node:path");
const dir = await fs.mkdtemp(path.join(os.tmpdir(), "boskit-"));
const file = path.join(dir, "in.bin");
await fs.writeFile(file, data);
const fromFile = await client.uploadFile(bucket, "file.bin", file, { partSize: 5 * 1024 * 1024 });
check(fromFile.partCount === 3, "uploadFile in parts");
await client.downloadFile(bucket, "file.bin", path.join(dir, "out.bin"));
check(
  await md5(new Uint8Array(await fs.readFile(path.join(dir, "out.bin")))) === await md5(data),
  "downloadFile",
);
await fs.rm(dir, { recursive: true });

// Errors.
try {
  await client.headObject(bucket, "missing");
  check(false, "missing key throws");
} catch (e) {
  check(e instanceof BosError && e.code === "NoSuchKey" && e.status === 404, "NoSuchKey on HEAD");
}
try {
  await client.putObject(bucket, "meta", "x", { userMeta: { key: "v".repeat(2035) } });
  check(false, "oversized metadata throws");
} catch (e) {
  check(
    e instanceof BosError && e.code === "MetadataTooLarge" && e.status === 0,
    "MetadataTooLarge client-side",
  );
}
const keys: string[] = [];
for await (const o of client.listAllObjects(bucket, { maxKeys: 2 })) keys.push(o.key);
check(keys.length === 4, `listing across pages (${keys})`);
const deleted = await client.deleteObjects(bucket, keys);
check(deleted.deleted.length === 4 && deleted.errors.length === 0, "deleteObjects");
await client.deleteBucket(bucket);
report.ok = true;
console.log(JSON.stringify(report));
