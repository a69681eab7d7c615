// Multipart upload of a file from disk with a progress bar (percent, MiB, MiB/s), parts sent in parallel.
// Run: deno run -A examples/multipart_progress.ts [FILE]   (without FILE: a temporary 48 MiB random file)
import { exampleEnv } from "./_endpoint.ts";
import { writeRandomFile } from "./_random_file.ts";

const MiB = 1024 * 1024;
let file = Deno.args[0];
const temporary = !file;
if (!file) {
  file = await Deno.makeTempFile({ prefix: "boskit-example-", suffix: ".bin" });
  await writeRandomFile(file, 48 * MiB);
}
const size = (await Deno.stat(file)).size;

const tty = Deno.stdout.isTerminal();
let started = 0;
let lastDraw = 0;
let nextQuarter = 25;
const mib = (bytes: number) => (bytes / MiB).toFixed(1);
function draw(sent: number) {
  const pct = size ? Math.floor((sent / size) * 100) : 100;
  const seconds = Math.max((performance.now() - started) / 1000, 0.001);
  const bar = "#".repeat(Math.floor(pct / 4)).padEnd(25, ".");
  const rate = mib(sent / seconds);
  const text = `[${bar}] ${String(pct).padStart(3)}%  ${mib(sent)}/${mib(size)} MiB  ${rate} MiB/s`;
  if (tty) {
    if (sent < size && performance.now() - lastDraw < 100) return; // redraw at most 10 times a second
    lastDraw = performance.now();
    Deno.stdout.writeSync(new TextEncoder().encode(`\r${text}`));
  } else if (pct >= nextQuarter) { // a log or a pipe: one line per quarter
    console.log(text);
    while (nextQuarter <= pct) nextQuarter += 25;
  }
}

const { client, bucket, close } = await exampleEnv();
const key = `examples/multipart/${temporary ? "random-48MiB.bin" : file.split(/[\\/]/).pop()}`;
try {
  started = performance.now();
  const result = await client.uploadFile(bucket, key, file, {
    partSize: 8 * MiB, // parts are read from the file at their offsets; memory ≈ partSize × (concurrency + 1)
    concurrency: 4,
    onProgress: ({ transferred }) => draw(transferred),
  });
  if (tty) console.log();
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `uploaded ${key}: ${result.size} bytes in ${result.partCount} parts (multipart: ${result.multipart}),`,
    `${seconds.toFixed(2)} s, etag ${result.etag}`,
  );
  const meta = await client.headObject(bucket, key);
  console.log("the object's size matches the file:", meta.contentLength === size);
} finally {
  await client.deleteObject(bucket, key).catch(() => {});
  await close();
  if (temporary) await Deno.remove(file);
}
