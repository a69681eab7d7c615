/**
 * One benchmark scenario in its own process, so its peak RSS is its own. Prints one JSON line:
 * `{ scenario, bytes, ms, peakRssMiB }`.
 *
 * Usage: deno run -A bench/_run.ts <scenario> <sizeMiB> <endpoint> <bucket> <ak> <sk>
 */
import { BosClient } from "../mod.ts";
import { createAuthorization, formatTimestamp, uriEncode } from "../client/signer.ts";

const [scenario, sizeArg, endpoint, bucket, ak, sk] = Deno.args;
const size = Number(sizeArg) * 1024 * 1024;
const CHUNK = 1024 * 1024;
const PART = 8 * 1024 * 1024;
const CONCURRENCY = 4;

const seed = new Uint8Array(CHUNK);
for (let i = 0; i < seed.length; i += 65536) crypto.getRandomValues(seed.subarray(i, i + 65536));

/** A pull-based stream of `total` pseudo-random bytes that never holds more than one chunk. */
function source(total: number): ReadableStream<Uint8Array<ArrayBuffer>> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= total) return controller.close();
      const n = Math.min(CHUNK, total - sent);
      const chunk = seed.slice(0, n);
      chunk[0] = sent / CHUNK; // not all chunks identical
      controller.enqueue(chunk);
      sent += n;
    },
  }, { highWaterMark: 0 });
}

function peakRssMiB(): number {
  try {
    const status = Deno.readTextFileSync("/proc/self/status");
    const m = /VmHWM:\s+(\d+) kB/.exec(status);
    if (m) return Number(m[1]) / 1024;
  } catch { /* not Linux */ }
  return Deno.memoryUsage().rss / 1024 / 1024;
}

const host = new URL(endpoint).host;

async function signedFetch(
  method: string,
  path: string,
  query: string,
  body?: Uint8Array<ArrayBuffer>,
): Promise<Response> {
  const now = new Date();
  const headers: Record<string, string> = { host, "x-bce-date": formatTimestamp(now) };
  if (body) headers["content-length"] = String(body.length);
  const authorization = await createAuthorization({
    accessKeyId: ak,
    secretAccessKey: sk,
    method,
    path,
    query,
    headers,
    timestamp: now,
  });
  const res = await fetch(`${endpoint}${path}${query ? "?" + query : ""}`, {
    method,
    headers: { ...headers, authorization },
    body,
  });
  if (!res.ok) throw new Error(`${method} ${path}?${query}: ${res.status} ${await res.text()}`);
  return res;
}

/** The baseline: the thinnest possible multipart uploader (no hashing, no retries, no progress). */
async function baselineUpload(key: string): Promise<void> {
  const path = `/${bucket}/${uriEncode(key, true)}`;
  const { uploadId } = await (await signedFetch("POST", path, "uploads")).json();
  const reader = source(size).getReader();
  const parts: { partNumber: number; eTag: string }[] = [];
  let next = 1;
  let pending: Uint8Array<ArrayBuffer> = new Uint8Array(0);
  let done = false;
  async function readPart(): Promise<Uint8Array<ArrayBuffer> | undefined> {
    const buf = new Uint8Array(PART);
    let n = 0;
    if (pending.length) {
      buf.set(pending);
      n = pending.length;
      pending = new Uint8Array(0);
    }
    while (n < PART && !done) {
      const r = await reader.read();
      if (r.done) {
        done = true;
        break;
      }
      const take = Math.min(PART - n, r.value.length);
      buf.set(r.value.subarray(0, take), n);
      n += take;
      if (take < r.value.length) pending = r.value.subarray(take);
    }
    return n === 0 ? undefined : buf.subarray(0, n);
  }
  let reading = Promise.resolve();
  async function worker() {
    while (true) {
      let part: Uint8Array<ArrayBuffer> | undefined;
      let number = 0;
      await (reading = reading.then(async () => {
        part = await readPart();
        number = next++;
      }));
      if (!part) return;
      const res = await signedFetch("PUT", path, `partNumber=${number}&uploadId=${uploadId}`, part);
      await res.body?.cancel();
      parts.push({ partNumber: number, eTag: (res.headers.get("etag") ?? "").replaceAll('"', "") });
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  parts.sort((a, b) => a.partNumber - b.partNumber);
  const body = new TextEncoder().encode(JSON.stringify({ parts }));
  await (await signedFetch("POST", path, `uploadId=${uploadId}`, body)).body?.cancel();
}

async function drain(stream: ReadableStream<Uint8Array>): Promise<number> {
  let n = 0;
  for await (const chunk of stream) n += chunk.length;
  return n;
}

const client = new BosClient({ endpoint, credentials: { accessKeyId: ak, secretAccessKey: sk } });
const key = `bench/${scenario}-${sizeArg}`;
const started = performance.now();
let bytes = size;
switch (scenario) {
  case "baseline-upload":
    await baselineUpload(key);
    break;
  case "upload-stream-md5":
  case "upload-stream-crc32c":
    await client.upload(bucket, key, source(size), {
      partSize: PART,
      concurrency: CONCURRENCY,
      integrity: scenario.endsWith("md5") ? "md5" : "crc32c",
    });
    break;
  case "upload-stream-sized":
    // The same stream with its length given: a fixed plan of 8 MiB parts whatever the size.
    await client.upload(bucket, key, source(size), { size, partSize: PART, concurrency: CONCURRENCY });
    break;
  case "baseline-download": {
    const res = await signedFetch("GET", `/${bucket}/bench/baseline-upload-${sizeArg}`, "");
    bytes = await drain(res.body!);
    break;
  }
  case "get-object-stream": {
    const res = await client.getObject(bucket, `bench/baseline-upload-${sizeArg}`);
    bytes = await drain(res.body);
    break;
  }
  default:
    throw new Error(`Unknown scenario ${scenario}`);
}
const ms = performance.now() - started;
console.log(JSON.stringify({ scenario, bytes, ms, peakRssMiB: peakRssMiB() }));
