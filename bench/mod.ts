/**
 * `deno task bench`: the nine figures a user would compare boskit on, each measured in this run as a
 * ratio to a baseline also measured in this run (these machines are noisy; absolute figures are
 * printed for context only and never gated on).
 *
 * 1. Upload: `client.uploadFile` of a file (multipart, defaults) on Deno, Node and Bun vs one signed
 *    streaming PUT of the same file with plain `fetch` (under Bun or Node: Deno's fetch drops the
 *    Content-Length of a stream) for throughput, and vs `curl -T` of the same file to a presigned PUT
 *    URL for the client's CPU per GiB (user + sys of the uploading process), runs alternating.
 * 2. Versus the official SDK: `@baiducloud/sdk` `putSuperObject` with equal part size and concurrency.
 * 3. Memory: peak RSS uploading a `ReadableStream` of unknown length of S and of 4·S bytes (generated,
 *    never stored) against part size × (concurrency + 1) + 100 MiB.
 * 4. Signing: authorizations per second vs the official SDK's signer (on Node) on the same inputs,
 *    with a new timestamp per signature and all in one second, on Deno and on Node.
 * 5. Download: `client.getObject` streamed vs plain `fetch` of a presigned URL, and vs `curl -o
 *    /dev/null` of it, runs alternating.
 * 6. Conformance: wall time of the default suite vs the bare cost of as many signed requests.
 * 7. Conformance far from the endpoint: the default suite through a TCP relay adding 10 ms each way
 *    (20 ms round trip), at the kit's default concurrency vs at concurrency 1.
 * 8. Durability: the filesystem store on a real disk (not tmpfs), every acknowledged write flushed to
 *    the disk (the default) vs `--no-fsync`: small PUTs one at a time and 8 in flight, one large PUT.
 * 9. Browser bundle: what an app that imports `BosClient` loads up front, minified and gzipped
 *    (`client/testdata/bundle_size.ts` says how), next to aws4fetch and s3-lite-client measured the
 *    same way (installed from npm at pinned versions into `.ci/.tools/peers`, for the bench only).
 *
 * The reference server runs in its own process on loopback (filesystem store, so objects are not held
 * in memory); every scenario runs in a fresh process, so its peak RSS is its own.
 *
 * Flags: `--size MiB` (default 1024), `--runs N` (default 2, at least 4 for figures 1 and 5; the best
 * run counts — the least CPU for CPU figures —, the highest peak RSS counts), `--json FILE` (write every figure and raw outcome), `--sdk DIR` (a node_modules holding
 * `@baiducloud/sdk`; default `$BOS_JS_SDK_NODE_MODULES` or `.ci/.tools/sdk/node_modules`),
 * `--relay-ms N` (figure 7's latency each way, default 10), `--relay-only a,b` (figure 7's checks,
 * default all).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { BosClient } from "../mod.ts";
import type { Job, Outcome } from "./_run.ts";
import { UPLOAD_DEFAULTS } from "./_run.ts";
import { BOSKIT_APP, measureBundle } from "../client/testdata/bundle_size.ts";

const { values } = parseArgs({
  options: {
    size: { type: "string", default: "1024" },
    runs: { type: "string", default: "2" },
    json: { type: "string" },
    sdk: { type: "string" },
    only: { type: "string" },
    "relay-ms": { type: "string", default: "10" },
    "relay-only": { type: "string" },
  },
});
/** `--only 1,3`: run just those figures (for profiling one of them). */
const only = new Set((values.only ?? "1,2,3,4,5,6,7,8,9").split(",").map(Number));
const relayMs = Number(values["relay-ms"]);
const relayOnly = values["relay-only"]?.split(",").filter(Boolean);
const sizeMiB = Number(values.size);
const runs = Number(values.runs);
if (!Number.isInteger(sizeMiB) || sizeMiB < 1 || !Number.isInteger(runs) || runs < 1 || !(relayMs >= 0)) {
  console.error("--size (MiB) and --runs must be positive integers, --relay-ms a number ≥ 0");
  Deno.exit(2);
}
const MiB = 1024 * 1024;
const size = sizeMiB * MiB;

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

async function commandWorks(cmd: string): Promise<string | undefined> {
  try {
    const out = await new Deno.Command(cmd, { args: ["--version"], stdout: "piped", stderr: "null" })
      .output();
    return out.success ? new TextDecoder().decode(out.stdout).trim().split("\n")[0] : undefined;
  } catch {
    return undefined;
  }
}

const here = (p: string) => new URL(p, import.meta.url).pathname;
const nodeVersion = await commandWorks("node");
/** curl, for the wire-level baselines of figures 1 and 5 (`curl -T`, `curl -o /dev/null`), and bash for its CPU. */
const curlVersion = (await commandWorks("curl"))?.split(" ").slice(0, 2).join(" ");
const hasBash = (await commandWorks("bash")) !== undefined;
const bunCandidates = [Deno.env.get("BUN"), here("../.ci/.tools/bun/node_modules/.bin/bun"), "bun"];
let bunPath: string | undefined;
for (const c of bunCandidates) {
  if (c && await commandWorks(c)) {
    bunPath = c;
    break;
  }
}
const sdkCandidates = [
  values.sdk,
  Deno.env.get("BOS_JS_SDK_NODE_MODULES"),
  here("../.ci/.tools/sdk/node_modules"),
];
let sdkModules: string | undefined;
for (const c of sdkCandidates) {
  if (c && await exists(`${c}/@baiducloud/sdk/package.json`)) {
    sdkModules = c;
    break;
  }
}

// On tmpfs when there is one: the server's store then measures the protocol, not this machine's disk
// (whose write-back throttling made runs differ by 3×).
const shm = await exists("/dev/shm") ? "/dev/shm" : undefined;
const work = await Deno.makeTempDir({ prefix: "boskit-bench-", dir: shm });
const dataDir = `${work}/data`;
await Deno.mkdir(dataDir);
const ak = "bench-ak";
const sk = "bench-sk-" + crypto.randomUUID();

// The reference server in its own process, so the client and the server each have an event loop.
const server = new Deno.Command(Deno.execPath(), {
  args: ["run", "-A", here("../server/cli.ts"), "--port", "0", "--data-dir", dataDir, "--ak", ak, "--sk", sk],
  stdout: "piped",
  stderr: "inherit",
}).spawn();
const lines = server.stdout.pipeThrough(new TextDecoderStream()).getReader();
let endpoint = "";
let buffered = "";
while (!endpoint) {
  const { value, done } = await lines.read();
  if (done) throw new Error("The reference server exited before listening");
  buffered += value;
  endpoint = /listening on (http:\/\/\S+)/.exec(buffered)?.[1] ?? "";
}
(async () => {
  while (!(await lines.read()).done) { /* drain, so the server never blocks on stdout */ }
})();

const bucket = "bench-" + Date.now();
const client = new BosClient({ endpoint, credentials: { accessKeyId: ak, secretAccessKey: sk } });
await client.createBucket(bucket);

/** A file of `bytes` pseudo-random bytes, written 1 MiB at a time. */
async function makeFile(path: string, bytes: number): Promise<void> {
  const chunk = new Uint8Array(MiB);
  for (let i = 0; i < chunk.length; i += 65536) crypto.getRandomValues(chunk.subarray(i, i + 65536));
  const f = await Deno.open(path, { write: true, create: true, truncate: true });
  try {
    for (let written = 0; written < bytes; written += MiB) {
      chunk[0] = written / MiB;
      await f.write(chunk.subarray(0, Math.min(MiB, bytes - written)));
    }
  } finally {
    f.close();
  }
}

let nodeBundle: string | undefined;
async function bundleForNode(): Promise<string> {
  if (nodeBundle) return nodeBundle;
  const out = `${work}/_run.mjs`;
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["bundle", "--platform", "node", "-o", out, here("./_run.ts")],
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!r.success) throw new Error(`deno bundle failed: ${new TextDecoder().decode(r.stderr)}`);
  return nodeBundle = out;
}

type Runtime = "deno" | "node" | "bun";

async function once(runtime: Runtime, job: Job): Promise<Outcome> {
  const [cmd, args] = runtime === "deno"
    ? [Deno.execPath(), ["run", "-A", here("./_run.ts"), JSON.stringify(job)]]
    : [runtime === "bun" ? bunPath! : "node", [await bundleForNode(), JSON.stringify(job)]];
  const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  const stdout = new TextDecoder().decode(out.stdout).trim();
  if (!out.success) {
    throw new Error(
      `${job.scenario} under ${runtime} failed:\n${stdout}\n${new TextDecoder().decode(out.stderr)}`,
    );
  }
  return JSON.parse(stdout.split("\n").at(-1)!);
}

/** Runs a scenario `runs` times: the fastest run counts, with the highest peak RSS of all runs. */
async function measure(runtime: Runtime, scenario: string, extra: Partial<Job> = {}): Promise<Outcome> {
  let best: Outcome | undefined;
  let peak = 0;
  for (let i = 0; i < runs; i++) {
    const key = `bench/${scenario}-${runtime}-${i}`;
    const o = await once(runtime, { scenario, endpoint, bucket, key, ak, sk, size, sdkModules, ...extra });
    peak = Math.max(peak, o.peakRssMiB);
    const better = o.opsPerSecond !== undefined
      ? !best || o.opsPerSecond > best.opsPerSecond!
      : !best || o.ms < best.ms;
    if (better) best = o;
    // Free the disk between runs (the download scenarios read a fixed object instead).
    if (!scenario.startsWith("get-") && !scenario.startsWith("sign") && !scenario.startsWith("conformance")) {
      await client.deleteObject(bucket, key).catch(() => {});
    }
  }
  return { ...best!, peakRssMiB: peak };
}

/** One entry of {@link measureRounds}: a scenario under a runtime, or a curl transfer. */
type Entry = { runtime: Runtime; scenario: string; extra?: Partial<Job> } | {
  curl: "put" | "get";
  key: string;
};

/**
 * Runs every entry once per round, `rounds` rounds, alternating, so that all of them see the same
 * machine (these machines are noisy; a baseline measured minutes apart is not a baseline). For each
 * entry the fastest run counts for time, the least CPU of all runs for CPU (each is a lower bound of
 * what the entry needs), the highest peak RSS for memory; every run's CPU is kept in `detail`, every
 * run in `all` (one list per entry) when given.
 */
async function measureRounds(entries: Entry[], rounds: number, all: Outcome[][] = []): Promise<Outcome[]> {
  all.push(...entries.map(() => []));
  for (let i = 0; i < rounds; i++) {
    for (const [n, e] of entries.entries()) {
      const key = "curl" in e ? e.key : `bench/${e.scenario}-${e.runtime}-${i}`;
      const o = "curl" in e ? await curlOnce(e.curl, key) : await once(e.runtime, {
        scenario: e.scenario,
        endpoint,
        bucket,
        key,
        ak,
        sk,
        size,
        sdkModules,
        ...e.extra,
      });
      all[n].push(o);
      // Free the memory of the server's tmpfs store between runs (downloads read a fixed object).
      const download = "curl" in e ? e.curl === "get" : e.scenario.startsWith("get-");
      if (!download) await client.deleteObject(bucket, key).catch(() => {});
    }
  }
  return all.map((runsOf) => {
    const best = runsOf.reduce((a, b) => (b.ms < a.ms ? b : a));
    return {
      ...best,
      cpuMs: Math.min(...runsOf.map((o) => o.cpuMs)),
      peakRssMiB: Math.max(...runsOf.map((o) => o.peakRssMiB)),
      detail: { ...best.detail, cpuMsRuns: runsOf.map((o) => o.cpuMs.toFixed(0)).join(" ") },
    };
  });
}

/**
 * One curl transfer of the bench file: `put` uploads it with `curl -T` to a presigned PUT URL of
 * `key`, `get` downloads `key` from a presigned URL to /dev/null. Its CPU (user + sys, the whole curl
 * process) comes from bash's `times`, its time from curl's own `time_total`.
 */
async function curlOnce(kind: "put" | "get", key: string): Promise<Outcome> {
  const url = await client.presignUrl(bucket, key, {
    method: kind === "put" ? "PUT" : "GET",
    expirationInSeconds: 3600,
  });
  const args = kind === "put" ? `-T ${JSON.stringify(benchFile)}` : "-o /dev/null";
  const script = `curl -s -S ${args} -w '%{http_code} %{size_upload} %{size_download} %{time_total}\n' ` +
    `${JSON.stringify(url)}; status=$?; times; exit $status`;
  const out = await new Deno.Command("bash", { args: ["-c", script], stdout: "piped", stderr: "piped" })
    .output();
  const text = new TextDecoder().decode(out.stdout).trim().split("\n");
  const [code, up, down, total] = text[0].split(" ");
  if (!out.success || code !== "200") {
    throw new Error(`curl ${kind} failed: ${text.join(" ")} ${new TextDecoder().decode(out.stderr)}`);
  }
  // times: the shell's user and sys, then its children's (curl): "0m0.012s 0m0.250s".
  const [user, sys] = text.at(-1)!.split(" ").map((t) => {
    const m = /^(\d+)m([\d.]+)s$/.exec(t);
    return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
  });
  return {
    scenario: `curl-${kind}`,
    runtime: curlVersion ?? "curl",
    bytes: Number(kind === "put" ? up : down),
    ms: Number(total) * 1000,
    cpuMs: (user + sys) * 1000,
    peakRssMiB: 0,
  };
}

interface Figure {
  figure: string;
  measured: string;
  baseline: string;
  ratio: number | null;
  target: string;
  met: boolean | null;
  note: string;
}

/** A fresh directory on a real disk: the temp dir unless it is tmpfs, else beside the repository. */
async function realDiskDir(): Promise<{ dir: string; fs: string }> {
  const bases = [Deno.env.get("TMPDIR") ?? "/tmp", here("../")];
  for (const base of bases) {
    const fs = await fsTypeOf(base);
    if (fs === "tmpfs" || fs === "ramfs") continue;
    return { dir: await Deno.makeTempDir({ dir: base, prefix: "boskit-bench-disk-" }), fs };
  }
  const fs = await fsTypeOf(bases[1]);
  return { dir: await Deno.makeTempDir({ dir: bases[1], prefix: "boskit-bench-disk-" }), fs };
}

/** The file system type of the mount holding `path` (from /proc/mounts), or `unknown`. */
async function fsTypeOf(path: string): Promise<string> {
  try {
    const real = await Deno.realPath(path);
    let best = { at: "", type: "unknown" };
    for (const line of (await Deno.readTextFile("/proc/mounts")).split("\n")) {
      const [, at, type] = line.split(" ");
      if (
        at && (real === at || real.startsWith(at.endsWith("/") ? at : at + "/")) &&
        at.length >= best.at.length
      ) {
        best = { at, type };
      }
    }
    return best.type;
  } catch {
    return "unknown";
  }
}

const figures: Figure[] = [];
const outcomes: Outcome[] = [];
/** What curl measured (CPU and time; no peak RSS), kept apart from the outcomes of the bench's own processes. */
const curlOutcomes: Outcome[] = [];
/** Figure 7's measurements, by library. */
const bundles: Record<string, unknown> = {};
const mibps = (o: Outcome) => o.bytes / MiB / (o.ms / 1000);
const fmtRate = (o: Outcome) => `${mibps(o).toFixed(0)} MiB/s (${o.runtime})`;
const opsText = (o: Outcome) => `${o.opsPerSecond!.toFixed(0)} PUT/s`;
const skipped = (figure: string, why: string) =>
  figures.push({ figure, measured: "—", baseline: "—", ratio: null, target: "", met: null, note: why });
function progress(text: string) {
  console.error(`… ${text}`);
}

/** The peers of figure 7, pinned. */
const PEERS = { aws4fetch: "1.0.20", s3lite: "1.0.0" };

/** Installs the peers of figure 7 once into .ci/.tools/peers; their node_modules, or undefined. */
async function installPeers(): Promise<string | undefined> {
  const prefix = here("../.ci/.tools/peers");
  const modules = `${prefix}/node_modules`;
  if (
    await exists(`${modules}/aws4fetch/package.json`) &&
    await exists(`${modules}/@bradenmacdonald/s3-lite-client/package.json`)
  ) return modules;
  try {
    const out = await new Deno.Command("npm", {
      args: [
        "install",
        "--silent",
        "--no-save",
        "--no-audit",
        "--no-fund",
        "--prefix",
        prefix,
        `aws4fetch@${PEERS.aws4fetch}`,
        `@bradenmacdonald/s3-lite-client@${PEERS.s3lite}`,
      ],
      stdout: "null",
      stderr: "null",
    }).output();
    return out.success ? modules : undefined;
  } catch {
    return undefined;
  }
}

/** The file every upload figure sends (and figure 5 downloads). */
const benchFile = `${work}/upload.bin`;
/** Rounds of the interleaved upload and download figures: at least 4 (their CPU figures are noisy). */
const transferRounds = Math.max(runs, 4);

let status = 0;
try {
  const file = benchFile;
  progress(`writing a ${sizeMiB} MiB file`);
  await makeFile(file, size);

  // 1. Upload: throughput vs one streaming PUT with plain fetch; client CPU per GiB vs curl -T.
  const cpuS = (o: Outcome) => o.cpuMs / 1000 / (o.bytes / 1024 / MiB);
  const cpuPerGiB = (o: Outcome) => `${cpuS(o).toFixed(2)} CPU-s/GiB`;
  let clientNode: Outcome | undefined;
  let clientDeno: Outcome | undefined;
  if (!only.has(1) && !only.has(2)) { /* not asked for */ }
  else if (nodeVersion || bunPath) {
    // Bun's fetch streams a Bun.file with sendfile: the fastest plain-fetch PUT on this machine.
    const baseRuntime: Runtime = bunPath ? "bun" : "node";
    const withCurl = curlVersion !== undefined && hasBash;
    progress(
      `1. upload, ${transferRounds} rounds: one signed streaming PUT with fetch (${baseRuntime})` +
        `${withCurl ? ", curl -T" : ""}, client.uploadFile (Deno${nodeVersion ? ", Node" : ""}${
          bunPath ? ", Bun" : ""
        })`,
    );
    const entries: Entry[] = [{ runtime: baseRuntime, scenario: "put-fetch-file", extra: { file } }];
    if (withCurl) entries.push({ curl: "put", key: "bench/curl-put" });
    entries.push({ runtime: "deno", scenario: "upload-file", extra: { file } });
    if (nodeVersion) entries.push({ runtime: "node", scenario: "upload-file", extra: { file } });
    if (bunPath) entries.push({ runtime: "bun", scenario: "upload-file", extra: { file } });
    const measured = await measureRounds(entries, transferRounds);
    const base = measured[0];
    const curlPut = withCurl ? measured[1] : undefined;
    const clients = measured.slice(withCurl ? 2 : 1);
    clientDeno = clients[0];
    clientNode = nodeVersion ? clients[1] : undefined;
    outcomes.push(...measured.filter((o) => o !== curlPut));
    if (curlPut) curlOutcomes.push(curlPut);
    const defaults =
      `${UPLOAD_DEFAULTS.partSize / MiB} MiB parts, ${UPLOAD_DEFAULTS.concurrency} in flight, ` +
      `CRC32 checked per part and for the whole object`;
    for (const o of clients) {
      const ratio = mibps(o) / mibps(base);
      figures.push({
        figure: `1. upload ${sizeMiB} MiB file`,
        measured: fmtRate(o),
        baseline: fmtRate(base),
        ratio,
        target: "≥ 0.90",
        met: ratio >= 0.9,
        note: `client.uploadFile, defaults (${defaults}) vs one PUT with no checksum; client ${
          cpuPerGiB(o)
        }, fetch PUT ${cpuPerGiB(base)}`,
      });
    }
    if (curlPut) {
      for (const o of clients) {
        const ratio = cpuS(o) / cpuS(curlPut);
        const gated = o === clientDeno;
        figures.push({
          figure: `1. upload CPU vs curl -T`,
          measured: `${cpuPerGiB(o)} (${o.runtime})`,
          baseline: `${cpuPerGiB(curlPut)} (${curlPut.runtime}, ${mibps(curlPut).toFixed(0)} MiB/s)`,
          ratio,
          target: gated ? "≤ 1.60" : "",
          met: gated ? ratio <= 1.6 : null,
          note: `CPU (user + sys) of the uploading process per GiB, least of ${transferRounds} runs each, ` +
            `alternating: uploadFile with defaults (${defaults}) at ${mibps(o).toFixed(0)} MiB/s vs ` +
            `one curl -T of the same file to a presigned PUT URL (no checksum); runs ${o.detail?.cpuMsRuns} ms ` +
            `vs ${curlPut.detail?.cpuMsRuns} ms`,
        });
      }
    } else skipped("1. upload CPU vs curl -T", "needs curl and bash");
  } else skipped("1. upload", "needs bun or node: Deno's fetch cannot stream a body with its Content-Length");

  // 2. Versus the official SDK.
  if (!only.has(2)) { /* not asked for */ }
  else if (nodeVersion && sdkModules && clientNode) {
    progress("2. the official SDK's putSuperObject (Node)");
    const sdk = await measure("node", "sdk-upload-file", { file });
    outcomes.push(sdk);
    for (const o of [clientNode, clientDeno!]) {
      const ratio = mibps(o) / mibps(sdk);
      figures.push({
        figure: `2. vs @baiducloud/sdk`,
        measured: fmtRate(o),
        baseline: fmtRate(sdk),
        ratio,
        target: "≥ 1.50",
        met: ratio >= 1.5,
        note: `same file, part size and concurrency; SDK putSuperObject sends no checksum. ` +
          `CPU ${cpuPerGiB(o)} vs ${cpuPerGiB(sdk)}; peak RSS ${o.peakRssMiB.toFixed(0)} vs ` +
          `${sdk.peakRssMiB.toFixed(0)} MiB`,
      });
    }
  } else {
    skipped("2. vs @baiducloud/sdk", "needs node and @baiducloud/sdk (npm install it; pass --sdk DIR)");
  }

  // 3. Memory: unknown-length streams of S and 4·S.
  if (only.has(3)) {
    progress(`3. memory: unknown-length streams of ${sizeMiB} and ${sizeMiB * 4} MiB (Deno)`);
    // Fixed parts (maxPartSize = partSize): the configuration whose memory must not grow at all.
    const fixed: Partial<Job> = { maxPartSize: UPLOAD_DEFAULTS.partSize };
    const small = await measure("deno", "upload-stream", fixed);
    const big = await measure("deno", "upload-stream", { ...fixed, size: size * 4 });
    // The default schedule doubles the part size every 108 parts (so 10000 parts reach 48.8 TB).
    const growing = await measure("deno", "upload-stream", { size: size * 4 });
    outcomes.push(small, big, growing);
    const parts = `${UPLOAD_DEFAULTS.partSize / MiB} MiB × (concurrency ${UPLOAD_DEFAULTS.concurrency} + 1)`;
    const bound = (UPLOAD_DEFAULTS.partSize * (UPLOAD_DEFAULTS.concurrency + 1)) / MiB + 100;
    for (const o of [small, big]) {
      figures.push({
        figure: `3. memory, stream of ${o.bytes / MiB} MiB`,
        measured: `peak RSS ${o.peakRssMiB.toFixed(0)} MiB`,
        baseline: `bound ${bound} MiB`,
        ratio: o.peakRssMiB / bound,
        target: "≤ 1.00",
        met: o.peakRssMiB <= bound,
        note: `fixed parts (maxPartSize = partSize): ${parts} + 100 MiB; ${o.detail?.parts} parts, ` +
          `${mibps(o).toFixed(0)} MiB/s`,
      });
    }
    const largest = Number(growing.detail?.largestPart) / MiB;
    const growingBound = largest * (UPLOAD_DEFAULTS.concurrency + 1) + 100;
    figures.push({
      figure: `3. memory, default schedule, ${growing.bytes / MiB} MiB`,
      measured: `peak RSS ${growing.peakRssMiB.toFixed(0)} MiB`,
      baseline: `bound ${growingBound} MiB`,
      ratio: growing.peakRssMiB / growingBound,
      target: "≤ 1.00",
      met: growing.peakRssMiB <= growingBound,
      note: `no maxPartSize: parts grew from ${UPLOAD_DEFAULTS.partSize / MiB} to ${largest} MiB ` +
        `(the bound uses the largest); ${growing.detail?.parts} parts`,
    });
    const growth = big.peakRssMiB / small.peakRssMiB;
    figures.push({
      figure: "3. memory growth, 4× the object",
      measured: `${big.peakRssMiB.toFixed(0)} MiB`,
      baseline: `${small.peakRssMiB.toFixed(0)} MiB`,
      ratio: growth,
      target: "≤ 1.15",
      met: growth <= 1.15,
      note: "peak RSS at 4·S / at S: bounded memory stays flat",
    });
    // Gate only once S fills the pool several times over: below that, S and 4·S use different numbers of
    // part buffers by design (a 1-part upload holds one buffer, a 4-part one up to five).
    const saturated = size >= 2 * UPLOAD_DEFAULTS.partSize * (UPLOAD_DEFAULTS.concurrency + 1);
    if (saturated && growth > 1.5) {
      console.error("Peak memory grew with object size: the upload is not bounded");
      status = 1;
    }
  }

  // 4. Signing.
  if (only.has(4)) {
    progress("4. signing");
    if (nodeVersion && sdkModules) {
      // Every scenario in its own process, the processes alternating round by round (the best round of
      // each counts), so a noisy machine does not favour the one measured first.
      const plan: Array<[Runtime, string]> = [
        ["node", "sign-sdk"],
        ["deno", "sign-client"],
        ["node", "sign-client"],
        ["node", "sign-sdk-same-second"],
        ["deno", "sign-client-same-second"],
        ["node", "sign-client-same-second"],
      ];
      const best = new Map<string, Outcome>();
      for (let round = 0; round < Math.max(runs, 3); round++) {
        for (const [rt, scenario] of plan) {
          const o = await once(rt, { scenario, endpoint, bucket, key: "", ak, sk, size, sdkModules });
          const id = `${rt}/${scenario}`;
          if (!best.has(id) || o.opsPerSecond! > best.get(id)!.opsPerSecond!) best.set(id, o);
        }
      }
      outcomes.push(...best.values());
      const get = (rt: Runtime, scenario: string) => best.get(`${rt}/${scenario}`)!;
      const ops = (n: number, rt: string) => `${(n / 1000).toFixed(0)}k/s (${rt})`;
      for (const same of [false, true]) {
        const suffix = same ? "-same-second" : "";
        const sdk = get("node", "sign-sdk" + suffix);
        const samples = new Set([String(sdk.detail?.sample)]);
        for (const rt of ["node", "deno"] as const) {
          const o = get(rt, "sign-client" + suffix);
          samples.add(String(o.detail?.sample)).add(String(o.detail?.createAuthorizationSample));
          const api = Number(o.detail?.createAuthorizationOps);
          figures.push({
            figure: "4. signing",
            measured: ops(o.opsPerSecond!, o.runtime),
            baseline: ops(sdk.opsPerSecond!, sdk.runtime),
            ratio: o.opsPerSecond! / sdk.opsPerSecond!,
            target: "≥ 1.20",
            met: o.opsPerSecond! >= 1.2 * sdk.opsPerSecond!,
            note:
              `Signer, ${
                same ? "all in one second (the signing key derived once)" : "a new second per signature"
              }; createAuthorization ${ops(api, o.runtime)} = ${(api / sdk.opsPerSecond!).toFixed(2)}×; ` +
              "identical authorization strings checked",
          });
        }
        if (samples.size !== 1) {
          console.error(
            `Signatures differ (${same ? "same second" : "new second"}):\n  ${[...samples].join("\n  ")}`,
          );
          status = 1;
        }
      }
    } else skipped("4. signing vs SDK", "needs node and @baiducloud/sdk");
  }

  // 5. Download of the object uploaded by the baseline's size (a fresh upload, kept for all).
  if (only.has(5)) {
    const withCurl = curlVersion !== undefined && hasBash;
    progress(
      `5. download, ${transferRounds} rounds: fetch of a presigned URL, client.getObject${
        withCurl ? ", curl" : ""
      }`,
    );
    const key = "bench/download.bin";
    await client.uploadFile(bucket, key, file);
    // fetch and getObject alternate inside each process (two rounds each); curl runs between processes.
    const entries: Entry[] = [{ runtime: "deno", scenario: "get-ab", extra: { key, iterations: 2 } }];
    if (withCurl) entries.push({ curl: "get", key });
    const rounds = Math.ceil(transferRounds / 2);
    const all: Outcome[][] = [];
    const [ab, curlGet] = await measureRounds(entries, rounds, all);
    const clientGet: Outcome = { ...ab, scenario: "get-client" };
    // fetch's own best over all processes (not the one where getObject did best).
    const fetchGet: Outcome = {
      ...ab,
      scenario: "get-presigned-fetch",
      ms: Math.min(...all[0].map((o) => Number(o.detail!.fetchMs))),
      cpuMs: Math.min(...all[0].map((o) => Number(o.detail!.fetchCpuMs))),
      detail: { cpuMsRuns: all[0].map((o) => Number(o.detail!.fetchCpuMs).toFixed(0)).join(" ") },
    };
    outcomes.push(fetchGet, clientGet);
    if (curlGet) curlOutcomes.push(curlGet);
    const vsFetch = mibps(clientGet) / mibps(fetchGet);
    const cpu = (o: Outcome) => `client ${cpuPerGiB(o)}`;
    figures.push({
      figure: `5. download ${sizeMiB} MiB`,
      measured: fmtRate(clientGet),
      baseline: fmtRate(fetchGet),
      ratio: vsFetch,
      target: "≥ 0.95",
      met: vsFetch >= 0.95,
      note: `client.getObject streamed vs plain fetch of a presigned URL, fastest of ${rounds * 2} ` +
        `runs each, alternating in ${rounds} processes; ${cpu(clientGet)} vs ${cpuPerGiB(fetchGet)}`,
    });
    if (curlGet) {
      const vsCurl = mibps(clientGet) / mibps(curlGet);
      figures.push({
        figure: `5. download vs curl`,
        measured: fmtRate(clientGet),
        baseline: `${mibps(curlGet).toFixed(0)} MiB/s (${curlGet.runtime})`,
        ratio: vsCurl,
        target: "≥ 0.90",
        met: vsCurl >= 0.9,
        note: `client.getObject streamed vs curl -o /dev/null of a presigned URL; ${cpu(clientGet)} vs ` +
          `curl ${cpuPerGiB(curlGet)} (client and server share the 2 CPUs: client CPU is server throughput)`,
      });
    } else skipped("5. download vs curl", "needs curl and bash");
    await client.deleteObject(bucket, key);
  }

  // 6. Conformance wall time.
  if (only.has(6)) {
    progress("6. conformance: the default suite and a bare request loop");
    const suite = await measure("deno", "conformance");
    const requests = Number(suite.detail?.requests ?? 0);
    const loop = await measure("deno", "request-loop", { size: 2000 } as Partial<Job>);
    outcomes.push(suite, loop);
    const perRequest = loop.ms / 2000;
    figures.push({
      figure: "6. conformance, default suite",
      measured: `${(suite.ms / 1000).toFixed(2)} s, ${requests} requests, ${suite.detail?.checks} checks`,
      baseline: `${(perRequest * requests / 1000).toFixed(2)} s (${perRequest.toFixed(3)} ms/request)`,
      ratio: suite.ms / (perRequest * requests),
      target: "",
      met: null,
      note: "wall time / (its requests × one bare signed HEAD's time): the kit's own overhead",
    });
  }

  // 7. Conformance through a 20 ms round-trip relay: concurrent vs one check at a time.
  if (only.has(7)) {
    progress(`7. conformance through a relay adding ${relayMs} ms each way: default concurrency, then 1`);
    const relayJob = { relayMs, ...(relayOnly ? { only: relayOnly } : {}) } as Partial<Job>;
    const concurrent = await measure("deno", "conformance-relay", relayJob);
    const serial = await measure(
      "deno",
      "conformance-relay",
      { ...relayJob, concurrency: 1 } as Partial<Job>,
    );
    outcomes.push(concurrent, serial);
    const secs = (o: Outcome) => `${(o.ms / 1000).toFixed(1)} s`;
    const full = !relayOnly && relayMs === 10;
    figures.push({
      figure: `7. conformance, ${2 * relayMs} ms round trip`,
      measured: `${secs(concurrent)} at concurrency ${concurrent.detail?.concurrency}`,
      baseline: `${secs(serial)} at concurrency 1`,
      ratio: concurrent.ms / serial.ms,
      target: full ? "≤ 30 s" : "",
      met: full ? concurrent.ms <= 30_000 : null,
      note:
        `${concurrent.detail?.checks} checks, ${concurrent.detail?.requests} requests through a TCP relay ` +
        `(${concurrent.detail?.connections} connections; ${serial.detail?.connections} at concurrency 1)`,
    });
  }

  // 8. Durability: the same PUTs on a real disk, flushed before each answer or not.
  if (only.has(8)) {
    const disk = await realDiskDir();
    progress(`8. durability: the filesystem store on ${disk.fs} (${disk.dir}), fsync vs --no-fsync`);
    try {
      const small = 4 * 1024;
      const count = sizeMiB >= 64 ? 200 : 40;
      const cases: [string, Partial<Job>, (o: Outcome) => string][] = [
        [
          `${count} PUTs of 4 KiB, one at a time`,
          { size: small, iterations: count, concurrency: 1 },
          opsText,
        ],
        [
          `${count * 2} PUTs of 4 KiB, 8 in flight`,
          { size: small, iterations: count * 2, concurrency: 8 },
          opsText,
        ],
        [`one PUT of ${sizeMiB} MiB`, { size, iterations: 1, concurrency: 1 }, fmtRate],
      ];
      for (const [what, extra, show] of cases) {
        const durable = await measure("deno", "store-puts", { ...extra, dir: disk.dir, durable: true });
        const loose = await measure("deno", "store-puts", { ...extra, dir: disk.dir, durable: false });
        outcomes.push(durable, loose);
        figures.push({
          figure: `8. durable writes, ${what}`,
          measured: show(durable),
          baseline: `${show(loose)} --no-fsync`,
          ratio: durable.opsPerSecond! / loose.opsPerSecond!,
          target: "",
          met: null,
          note:
            `filesystem store in-process on ${disk.fs}: data, record and both directory entries flushed ` +
            `before each answer (4 fsyncs a PUT) vs none; the price of surviving a power loss`,
        });
      }
    } finally {
      await Deno.remove(disk.dir, { recursive: true }).catch(() => {});
    }
  }

  // 9. Browser bundle size, next to two small S3 clients.
  if (only.has(9)) {
    progress("9. browser bundle: boskit, aws4fetch, s3-lite-client");
    const boskit = await measureBundle(BOSKIT_APP);
    bundles.boskit = boskit;
    const peers = await installPeers();
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
    let baseline = "aws4fetch / s3-lite-client not installed (npm)";
    let ratio: number | null = null;
    if (peers) {
      const aws = await measureBundle(
        `import { AwsClient } from ${JSON.stringify(`${peers}/aws4fetch/dist/aws4fetch.esm.js`)};\n` +
          `export const c = new AwsClient({ accessKeyId: "ak", secretAccessKey: "sk" });\n`,
      );
      const s3 = await measureBundle(
        `import { S3Client } from ${JSON.stringify(`${peers}/@bradenmacdonald/s3-lite-client/mod.js`)};\n` +
          `export const c = new S3Client({ endPoint: "https://s3.us-east-1.amazonaws.com", region: "us-east-1", bucket: "b" });\n`,
      );
      baseline = `aws4fetch ${PEERS.aws4fetch}: ${kb(aws.initialGzip)}; s3-lite-client ${PEERS.s3lite}: ${
        kb(s3.initialGzip)
      }`;
      ratio = boskit.initialGzip / s3.initialGzip;
      bundles.aws4fetch = aws;
      bundles["s3-lite-client"] = s3;
    }
    figures.push({
      figure: "9. browser bundle, min+gz",
      measured: `${kb(boskit.initialGzip)} up front (${boskit.initialFiles.length} files, ${
        kb(boskit.initialGzipPerFile)
      } one by one); ${kb(boskit.totalGzip)} with every lazy part, ${
        kb(boskit.totalGzipWithWasm)
      } with hash-wasm`,
      baseline,
      ratio,
      target: "≤ 10 KB",
      met: boskit.initialGzip <= 10_000,
      note:
        "ratio: boskit up front / s3-lite-client; deno bundle --platform browser --minify --code-splitting, gzip -9",
    });
  }

  // The table.
  const header = ["figure", "measured", "baseline", "ratio", "target", "note"];
  const rows = figures.map((f) => [
    f.figure,
    f.measured,
    f.baseline,
    f.ratio === null ? "—" : `${f.ratio.toFixed(2)}×`,
    f.target ? `${f.target} ${f.met ? "✓" : "✗"}` : "",
    f.note,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  console.log(
    `boskit bench: ${sizeMiB} MiB objects, best of ${runs} run(s), ${navigator.hardwareConcurrency} CPUs, ` +
      `Deno ${Deno.version.deno}${nodeVersion ? `, Node ${nodeVersion.replace(/^v/, "")}` : ""}, ` +
      `server and client on loopback`,
  );
  console.log(line(header));
  for (const r of rows) console.log(line(r));

  if (values.json) {
    await Deno.writeTextFile(
      values.json,
      JSON.stringify(
        {
          date: new Date().toISOString(),
          sizeMiB,
          runs,
          cpus: navigator.hardwareConcurrency,
          deno: Deno.version.deno,
          node: nodeVersion ?? null,
          uploadDefaults: UPLOAD_DEFAULTS,
          figures,
          outcomes,
          curl: curlOutcomes,
          bundles,
        },
        null,
        2,
      ) + "\n",
    );
    console.log(`\nwrote ${values.json}`);
  }
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  status = 1;
} finally {
  server.kill("SIGTERM");
  await server.status;
  await Deno.remove(work, { recursive: true });
}
Deno.exit(status);
