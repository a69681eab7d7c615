/**
 * `deno task bench`: upload and download throughput and peak memory of the client against the
 * reference server (filesystem backend) on loopback, each scenario in its own process, reported as
 * ratios against a baseline measured in the same run (these machines are noisy; absolute times are
 * printed for context only).
 *
 * - Throughput baseline: the thinnest possible multipart uploader (raw signed `fetch`, 8 MiB parts,
 *   4 in flight, no hashing, no retries) and a raw signed `fetch` GET.
 * - Memory: the client's peak RSS for an upload of size S and of 4·S from a stream of unknown length;
 *   bounded memory means the ratio stays near 1 (it depends on part size × concurrency only).
 *
 * Flags: `--size MiB` (default 256), `--runs N` (default 2; the best run of each scenario counts).
 */
import { parseArgs } from "node:util";
import { BosClient } from "../mod.ts";

const { values } = parseArgs({
  options: { size: { type: "string", default: "256" }, runs: { type: "string", default: "2" } },
});
const size = Number(values.size);
const runs = Number(values.runs);
if (!(size > 0) || !(runs > 0)) {
  console.error("--size and --runs must be positive numbers");
  Deno.exit(2);
}

const ak = "bench-ak";
const sk = "bench-sk-" + crypto.randomUUID();
const dataDir = await Deno.makeTempDir({ prefix: "boskit-bench-" });
const server = new Deno.Command(Deno.execPath(), {
  args: [
    "run",
    "-A",
    new URL("../server/cli.ts", import.meta.url).pathname,
    "--port",
    "0",
    "--data-dir",
    dataDir,
    "--ak",
    ak,
    "--sk",
    sk,
  ],
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
  const m = /listening on (http:\/\/\S+)/.exec(buffered);
  if (m) endpoint = m[1];
}
// Keep draining the server's stdout so it never blocks.
(async () => {
  while (!(await lines.read()).done) { /* drain */ }
})();

const bucket = "bench-" + Date.now();
const client = new BosClient({ endpoint, credentials: { accessKeyId: ak, secretAccessKey: sk } });
await client.createBucket(bucket);

interface Result {
  scenario: string;
  bytes: number;
  ms: number;
  peakRssMiB: number;
}

async function run(scenario: string, sizeMiB: number): Promise<Result> {
  let best: Result | undefined;
  for (let i = 0; i < runs; i++) {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        new URL("./_run.ts", import.meta.url).pathname,
        scenario,
        String(sizeMiB),
        endpoint,
        bucket,
        ak,
        sk,
      ],
      stdout: "piped",
      stderr: "inherit",
    }).output();
    if (!out.success) throw new Error(`Scenario ${scenario} failed`);
    const r: Result = JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").pop()!);
    if (!best || r.ms < best.ms) best = r;
  }
  return best!;
}

const mibps = (r: Result) => r.bytes / 1024 / 1024 / (r.ms / 1000);
const rows: string[][] = [];
function row(r: Result, base: Result, note = "") {
  rows.push([
    r.scenario,
    `${(r.bytes / 1024 / 1024).toFixed(0)} MiB`,
    `${mibps(r).toFixed(0)} MiB/s`,
    `${(mibps(r) / mibps(base)).toFixed(2)}×`,
    `${r.peakRssMiB.toFixed(0)} MiB`,
    note,
  ]);
}

try {
  const baseUp = await run("baseline-upload", size);
  row(baseUp, baseUp, "baseline: raw fetch multipart, no hashing");
  const md5 = await run("upload-stream-md5", size);
  row(md5, baseUp, "client.upload, unknown-length stream, MD5 per part");
  const crc = await run("upload-stream-crc32c", size);
  row(crc, baseUp, "client.upload, unknown-length stream, CRC32C per part");
  const sized = await run("upload-stream-sized", size);
  row(sized, baseUp, "client.upload, stream of known length, MD5 per part");
  const big = await run("upload-stream-sized", size * 4);
  row(big, baseUp, "same, 4× the object size");
  const baseDown = await run("baseline-download", size);
  row(baseDown, baseDown, "baseline: raw fetch GET");
  const down = await run("get-object-stream", size);
  row(down, baseDown, "client.getObject, streamed");

  const header = ["scenario", "size", "throughput", "ratio", "peak RSS", ""];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  console.log(fmt(header));
  for (const r of rows) console.log(fmt(r));
  const memRatio = big.peakRssMiB / sized.peakRssMiB;
  console.log(
    `\nmemory: peak RSS at ${size * 4} MiB / at ${size} MiB = ${memRatio.toFixed(2)}× ` +
      `(bounded: depends on part size × concurrency = 8 MiB × 4, not on object size)`,
  );
  console.log(`upload (MD5) throughput vs baseline: ${(mibps(md5) / mibps(baseUp)).toFixed(2)}×`);
  if (memRatio > 1.5) {
    console.error("Peak memory grew with object size: the upload is not bounded");
    Deno.exitCode = 1;
  }
} finally {
  server.kill("SIGTERM");
  await server.status;
  await Deno.remove(dataDir, { recursive: true });
}
