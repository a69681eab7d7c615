/**
 * One benchmark scenario in its own process, so its peak RSS is its own. Written against `node:`
 * modules only, so the same file runs under Deno from source and under Node as a bundle. Prints one
 * JSON line: {@link Outcome}.
 *
 * Usage: `deno run -A bench/_run.ts '<Job as JSON>'` (or `node _run.mjs '<Job as JSON>'`).
 *
 * @module
 */
import { readFile, rm, stat } from "node:fs/promises";
import { createReadStream } from "node:fs";
import { createRequire } from "node:module";
import process from "node:process";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import {
  BosClient,
  createAuthorization,
  DEFAULT_PART_SIZE,
  formatTimestamp,
  growingPartSize,
  growingSchedule,
  uriEncode,
} from "../mod.ts";
import { runConformance } from "../conformance/mod.ts";
import { startRelay } from "../conformance/_relay.ts";
import { Signer } from "../protocol/mod.ts";

/** What the orchestrator asks for. */
export interface Job {
  scenario: string;
  endpoint: string;
  bucket: string;
  key: string;
  ak: string;
  sk: string;
  /** Bytes to upload (generated streams) or the file's size. */
  size: number;
  /** File to upload, for the file scenarios. */
  file?: string;
  /** node_modules holding @baiducloud/sdk, for the SDK scenarios. */
  sdkModules?: string;
  /** Iterations, for the signing scenarios. */
  iterations?: number;
  /** For `upload-stream`: cap the growing part schedule (equal to the part size: fixed parts). */
  maxPartSize?: number;
  /** For `conformance-relay`: latency the relay adds in each direction, in milliseconds. */
  relayMs?: number;
  /** For `conformance-relay`: checks in flight (default the kit's default); for `store-puts`: PUTs in flight. */
  concurrency?: number;
  /** For `conformance-relay`: the checks to run (default all). */
  only?: string[];
  /** For `store-puts`: the data directory of an in-process filesystem store. */
  dir?: string;
  /** For `store-puts`: flush every write to the disk (the default of the store) or not (`--no-fsync`). */
  durable?: boolean;
}

/** What one scenario measured. */
export interface Outcome {
  scenario: string;
  runtime: string;
  bytes: number;
  ms: number;
  peakRssMiB: number;
  /** CPU time (user + system) the process spent in the scenario, in milliseconds. */
  cpuMs: number;
  /** Signatures per second, for the signing scenarios. */
  opsPerSecond?: number;
  /** Anything else worth printing (part size, concurrency, request count…). */
  detail?: Record<string, number | string>;
}

/** The default part size and concurrency of `client.upload`, printed with the memory figures. */
export const UPLOAD_DEFAULTS = { partSize: DEFAULT_PART_SIZE, concurrency: 4 } as const;

const CHUNK = 64 * 1024;

const runtime = "Deno" in globalThis
  ? `Deno ${(globalThis as unknown as { Deno: { version: { deno: string } } }).Deno.version.deno}`
  : "Bun" in globalThis
  ? `Bun ${process.versions.bun}`
  : `Node ${process.versions.node}`;

/**
 * `total` pseudo-random bytes as a byte stream (as file and fetch bodies are): a BYOB read is filled
 * in place, a default read gets a fresh 64 KiB chunk. Never holds more than one chunk itself.
 */
export function generated(total: number): ReadableStream<Uint8Array> {
  const seed = new Uint8Array(CHUNK);
  crypto.getRandomValues(seed);
  let sent = 0;
  return new ReadableStream({
    type: "bytes",
    pull(controller) {
      if (sent >= total) {
        controller.close();
        controller.byobRequest?.respond(0);
        return;
      }
      const request = controller.byobRequest;
      const room = request?.view ? request.view.byteLength : CHUNK;
      const n = Math.min(room, CHUNK, total - sent);
      const from = seed.subarray(0, n);
      if (request?.view) {
        new Uint8Array(request.view.buffer, request.view.byteOffset, n).set(from);
        new DataView(request.view.buffer, request.view.byteOffset).setUint8(0, (sent / CHUNK) & 0xff);
        request.respond(n);
      } else {
        const chunk = from.slice();
        chunk[0] = (sent / CHUNK) & 0xff; // not all chunks identical
        controller.enqueue(chunk);
      }
      sent += n;
    },
  });
}

async function peakRssMiB(): Promise<number> {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(await readFile("/proc/self/status", "utf8"));
    if (m) return Number(m[1]) / 1024;
  } catch { /* not Linux */ }
  return process.memoryUsage().rss / 1024 / 1024;
}

async function signedHeaders(job: Job, method: string, path: string, query: string, length?: number) {
  const now = new Date();
  const headers: Record<string, string> = {
    host: new URL(job.endpoint).host,
    "x-bce-date": formatTimestamp(now),
  };
  if (length !== undefined) headers["content-length"] = String(length);
  const authorization = await createAuthorization({
    accessKeyId: job.ak,
    secretAccessKey: job.sk,
    method,
    path,
    query,
    headers,
    timestamp: now,
  });
  return { ...headers, authorization };
}

async function drain(stream: ReadableStream<Uint8Array>): Promise<number> {
  let n = 0;
  for await (const chunk of stream) n += chunk.length;
  return n;
}

/** The inputs every signer is timed on: an UploadPart request with the usual signed headers. */
const SIGN_INPUT = {
  method: "PUT",
  path: "/v1/bench-bucket/photos/2026/holiday%20picture.jpg", // as on the wire (the SDK signs it as given)
  query: { partNumber: "7", uploadId: "a7f3c2e1b0d94c5e8f6a2b3c4d5e6f70" },
  headers: {
    host: "bj.bcebos.com",
    "content-type": "image/jpeg",
    "content-length": "8388608",
    "content-md5": "1B2M2Y8AsgTpgAmY7PhCfg==",
    "x-bce-date": "2026-11-24T08:00:00Z",
    "x-bce-meta-camera": "X100V",
  },
  headersToSign: ["host", "content-type", "content-length", "content-md5", "x-bce-date", "x-bce-meta-camera"],
};
const SIGN_EPOCH = Date.UTC(2026, 10, 24, 8, 0, 0);

interface SdkAuth {
  generateAuthorization(
    method: string,
    resource: string,
    params: Record<string, string>,
    headers: Record<string, string>,
    timestamp: number,
    expirationInSeconds: number,
    headersToSign: string[],
  ): string;
}

function sdkRequire(job: Job): ReturnType<typeof createRequire> {
  if (!job.sdkModules) {
    throw new Error("This scenario needs sdkModules (a node_modules with @baiducloud/sdk)");
  }
  return createRequire(job.sdkModules + "/");
}

/**
 * Times `n` signatures per round with each signer in turn, a few rounds, and keeps each one's best
 * round (the JIT settles first; alternating keeps a noisy machine from favouring one of them).
 */
async function timeSigning(
  n: number,
  signers: Array<(i: number) => Promise<string> | string>,
): Promise<number[]> {
  const best = signers.map(() => 0);
  for (let round = 0; round < 6; round++) {
    for (let k = 0; k < signers.length; k++) {
      const sign = signers[k];
      const t = performance.now();
      for (let i = 0; i < n; i++) await sign(i);
      best[k] = Math.max(best[k], n / ((performance.now() - t) / 1000));
    }
  }
  return best;
}

async function run(job: Job): Promise<Outcome> {
  const client = new BosClient({
    endpoint: job.endpoint,
    credentials: { accessKeyId: job.ak, secretAccessKey: job.sk },
  });
  const path = `/${job.bucket}/${uriEncode(job.key, true)}`;
  const out: Outcome = { scenario: job.scenario, runtime, bytes: job.size, ms: 0, peakRssMiB: 0, cpuMs: 0 };
  const cpu = process.cpuUsage();
  let started = performance.now();
  switch (job.scenario) {
    case "put-fetch-file": {
      // The practical ceiling: one signed streaming PUT, no hashing, no parts. Deno's fetch drops a
      // Content-Length it is given for a stream body (and BOS needs one), so this runs under Bun
      // (fetch streams a Bun.file with sendfile) or Node (fetch of a file stream with duplex).
      if ("Deno" in globalThis) throw new Error("put-fetch-file needs Bun's or Node's fetch");
      const size = (await stat(job.file!)).size;
      const bun = (globalThis as unknown as { Bun?: { file(path: string): Blob } }).Bun;
      const body = bun
        ? bun.file(job.file!)
        : Readable.toWeb(createReadStream(job.file!, { highWaterMark: CHUNK })) as ReadableStream;
      const res = await fetch(job.endpoint + path, {
        method: "PUT",
        headers: await signedHeaders(job, "PUT", path, "", size),
        body,
        duplex: "half",
      } as RequestInit);
      if (!res.ok) throw new Error(`PUT answered ${res.status}: ${await res.text()}`);
      await res.body?.cancel();
      out.bytes = size;
      break;
    }
    case "upload-file": {
      const r = await client.uploadFile(job.bucket, job.key, job.file!);
      out.bytes = (await stat(job.file!)).size;
      out.detail = { partSize: UPLOAD_DEFAULTS.partSize, concurrency: UPLOAD_DEFAULTS.concurrency };
      if (!r.etag) throw new Error("No ETag");
      break;
    }
    case "sdk-upload-file": {
      // The official SDK's own large-file path, with the same part size and concurrency as ours.
      const { BosClient: SdkClient } = sdkRequire(job)("@baiducloud/sdk");
      const sdk = new SdkClient({ endpoint: job.endpoint, credentials: { ak: job.ak, sk: job.sk } });
      await new Promise<void>((resolve, reject) => {
        const task = sdk.putSuperObject({
          bucketName: job.bucket,
          objectName: job.key,
          data: job.file,
          chunkSize: UPLOAD_DEFAULTS.partSize,
          partConcurrency: UPLOAD_DEFAULTS.concurrency,
          onStateChange(state: string, info: { message: string }) {
            if (state === "completed") resolve();
            else if (state === "failed" || state === "cancelled") reject(new Error(info.message));
          },
        });
        task.start().catch(reject);
      });
      out.bytes = (await stat(job.file!)).size;
      out.detail = { partSize: UPLOAD_DEFAULTS.partSize, concurrency: UPLOAD_DEFAULTS.concurrency };
      break;
    }
    case "upload-stream": {
      // A ReadableStream of unknown length: the engine must buffer parts, never the object.
      const options = { ...UPLOAD_DEFAULTS, maxPartSize: job.maxPartSize };
      const r = await client.upload(job.bucket, job.key, generated(job.size), options);
      const largest = growingPartSize(growingSchedule(options), r.partCount);
      out.detail = {
        partSize: UPLOAD_DEFAULTS.partSize,
        largestPart: largest,
        concurrency: UPLOAD_DEFAULTS.concurrency,
        parts: r.partCount,
      };
      break;
    }
    case "get-presigned-fetch": {
      const url = await client.presignUrl(job.bucket, job.key, { expirationInSeconds: 600 });
      const res = await fetch(url);
      if (!res.ok) throw new Error(`GET answered ${res.status}`);
      out.bytes = await drain(res.body!);
      break;
    }
    case "get-ab": {
      // fetch of a presigned URL and client.getObject, alternating in one process (the same server
      // and runtime state for both, so the comparison is not at the mercy of process start-up): the
      // fastest of each, the least CPU of each.
      const url = await client.presignUrl(job.bucket, job.key, { expirationInSeconds: 600 });
      const best = { fetchMs: Infinity, fetchCpuMs: Infinity, clientMs: Infinity, clientCpuMs: Infinity };
      for (let round = 0; round < (job.iterations ?? 2); round++) {
        // Which goes first alternates, so neither always runs on the other's warm-up.
        for (const which of round % 2 ? ["client", "fetch"] as const : ["fetch", "client"] as const) {
          const t = performance.now();
          const c = process.cpuUsage();
          const body = which === "fetch"
            ? (await fetch(url)).body!
            : (await client.getObject(job.bucket, job.key)).body;
          out.bytes = await drain(body);
          const used = process.cpuUsage(c);
          best[`${which}Ms`] = Math.min(best[`${which}Ms`], performance.now() - t);
          best[`${which}CpuMs`] = Math.min(best[`${which}CpuMs`], (used.user + used.system) / 1000);
        }
      }
      out.detail = best;
      break;
    }
    case "get-client": {
      const res = await client.getObject(job.bucket, job.key);
      out.bytes = await drain(res.body);
      break;
    }
    case "sign-client":
    case "sign-client-same-second": {
      // The fast form (a Signer per credential, synchronous) and createAuthorization (async, the
      // credentials looked up per call), on the same inputs as the SDK.
      const n = job.iterations ?? 20000;
      const same = job.scenario.endsWith("same-second");
      const timestamp = (i: number) => new Date(SIGN_EPOCH + (same ? 0 : i * 1000));
      const signer = new Signer({ accessKeyId: job.ak, secretAccessKey: job.sk });
      // Let node:crypto (for the second HMAC on Node and Bun) finish loading.
      await new Promise((resolve) => setTimeout(resolve, 20));
      const fast = (i: number) => signer.authorization({ ...SIGN_INPUT, timestamp: timestamp(i) });
      const api = (i: number) =>
        createAuthorization({
          ...SIGN_INPUT,
          accessKeyId: job.ak,
          secretAccessKey: job.sk,
          timestamp: timestamp(i),
        });
      const [fastOps, apiOps] = await timeSigning(n, [fast, api]);
      out.opsPerSecond = fastOps;
      out.detail = {
        sample: fast(1),
        createAuthorizationSample: await api(1),
        createAuthorizationOps: apiOps,
      };
      break;
    }
    case "sign-sdk":
    case "sign-sdk-same-second": {
      const n = job.iterations ?? 20000;
      const same = job.scenario.endsWith("same-second");
      const Auth = sdkRequire(job)("@baiducloud/sdk/src/auth.js");
      const auth: SdkAuth = new Auth(job.ak, job.sk);
      // The SDK signs the path as given (its client encodes it first), and takes Unix seconds.
      const sign = (i: number) =>
        auth.generateAuthorization(
          SIGN_INPUT.method,
          SIGN_INPUT.path,
          SIGN_INPUT.query,
          SIGN_INPUT.headers,
          SIGN_EPOCH / 1000 + (same ? 0 : i),
          1800,
          SIGN_INPUT.headersToSign,
        );
      [out.opsPerSecond] = await timeSigning(n, [sign]);
      out.detail = { sample: sign(1) };
      break;
    }
    case "store-puts": {
      // The filesystem store in this process (no HTTP: the figure is the store's cost), on `job.dir`:
      // `iterations` PUTs of `size` bytes, `concurrency` at a time, durable or not.
      const { createHandler } = await import("../server/mod.ts");
      const dataDir = `${job.dir}/${Date.now()}-${Math.random().toString(36).slice(2)}`;
      const handler = createHandler({
        dataDir,
        durable: job.durable,
        credentials: [{ accessKeyId: job.ak, secretAccessKey: job.sk }],
      });
      const local = new BosClient({
        endpoint: "http://127.0.0.1",
        credentials: { accessKeyId: job.ak, secretAccessKey: job.sk },
        fetch: (input, init) => handler(new Request(input, init)),
        streamingUploads: true,
      });
      await local.createBucket(job.bucket);
      const count = job.iterations ?? 1;
      const lanes = Math.min(job.concurrency ?? 1, count);
      started = performance.now();
      let next = 0;
      await Promise.all(Array.from({ length: lanes }, async () => {
        while (next < count) {
          const i = next++;
          await local.putObject(job.bucket, `${job.key}-${i}`, generated(job.size), {
            contentLength: job.size,
          });
        }
      }));
      out.bytes = job.size * count;
      out.opsPerSecond = count / ((performance.now() - started) / 1000);
      out.detail = { puts: count, concurrency: lanes, durable: String(job.durable) };
      out.ms = performance.now() - started;
      await handler.close();
      await rm(dataDir, { recursive: true, force: true });
      break;
    }
    case "conformance": {
      // The default suite against its embedded reference server, as `deno task conformance` runs it.
      const report = await runConformance();
      if (report.summary.fail > 0) throw new Error(`${report.summary.fail} conformance checks failed`);
      out.detail = { requests: report.requestCount, checks: report.summary.total };
      break;
    }
    case "conformance-relay": {
      // The default suite against the bench's server through a TCP relay adding `relayMs` each way,
      // as a vendor's CI far from its endpoint runs it.
      const url = new URL(job.endpoint);
      const relay = startRelay({
        targetHost: url.hostname,
        targetPort: Number(url.port),
        delayMs: job.relayMs ?? 10,
      });
      try {
        const report = await runConformance({
          endpoint: relay.url,
          credentials: { accessKeyId: job.ak, secretAccessKey: job.sk },
          concurrency: job.concurrency,
          only: job.only,
          seed: 20261125,
        });
        if (report.status !== "passed") {
          throw new Error(
            `conformance through the relay: ${report.status}, ${report.summary.fail} failed ${
              report.error ?? ""
            }`,
          );
        }
        out.detail = {
          requests: report.requestCount,
          checks: report.summary.total,
          concurrency: report.concurrency,
          connections: relay.connections,
        };
      } finally {
        await relay.close();
      }
      break;
    }
    case "request-loop": {
      // The bare cost of a signed request on loopback: `size` sequential HEADs of one object.
      const put = await client.putObject(job.bucket, job.key, "x");
      for (let i = 0; i < job.size; i++) {
        const res = await fetch(job.endpoint + path, {
          method: "HEAD",
          headers: await signedHeaders(job, "HEAD", path, ""),
        });
        if (res.headers.get("etag") !== put.etag && res.headers.get("etag") !== `"${put.etag}"`) {
          throw new Error(`HEAD answered ${res.status}`);
        }
        await res.body?.cancel();
      }
      out.bytes = 0;
      out.detail = { requests: job.size };
      break;
    }
    default:
      throw new Error(`Unknown scenario ${job.scenario}`);
  }
  if (job.scenario !== "store-puts") out.ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  out.cpuMs = (used.user + used.system) / 1000;
  if (job.scenario === "get-ab") {
    out.ms = Number(out.detail!.clientMs);
    out.cpuMs = Number(out.detail!.clientCpuMs);
  }
  out.peakRssMiB = await peakRssMiB();
  return out;
}

// Only when run as a program (the orchestrator imports the types and helpers).
if (import.meta.main ?? (process.argv[1] === fileURLToPath(import.meta.url))) {
  const job: Job = JSON.parse(process.argv[2]);
  const outcome = await run(job);
  console.log(JSON.stringify(outcome));
  // Undici keeps idle sockets open; end the process rather than wait for them.
  process.exit(0);
}
