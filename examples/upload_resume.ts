// An upload that survives Ctrl-C: finished parts are checkpointed to a JSON file; run it again to resume.
// Run: deno run -A examples/upload_resume.ts [FILE] [--max-rate MiB/s]   (Ctrl-C it, then run it again)
import { basename, join } from "node:path";
import { tmpdir } from "node:os";
import { parseArgs } from "node:util";
import { createIncrementalHash, type FetchLike, toHex, type UploadCheckpoint } from "../mod.ts";
import { exampleEnv } from "./_endpoint.ts";
import { writeRandomFile } from "./_random_file.ts";

const MiB = 1024 * 1024;
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { "max-rate": { type: "string" } },
});
// What must outlive a run: the checkpoint, the generated source file and the embedded server's data.
const dir = Deno.env.get("BOS_EXAMPLE_DIR") ?? join(tmpdir(), "boskit-upload-resume");
const checkpointFile = join(dir, "checkpoint.json");
await Deno.mkdir(dir, { recursive: true });
const file = positionals[0] ?? join(dir, "random-64MiB.bin");
if (!positionals[0] && !(await Deno.stat(file).then(() => true, () => false))) {
  await writeRandomFile(file, 64 * MiB);
}
const size = (await Deno.stat(file)).size;

// A bandwidth cap (default 8 MiB/s on the fast local server, so that there is time to press Ctrl-C):
// each request body waits for its turn on a shared link before it is sent.
const embedded = !Deno.env.get("BOS_ENDPOINT");
const maxRate = Number(values["max-rate"] ?? (embedded ? 8 : 0));
let linkFreeAt = 0;
const pacedFetch: FetchLike = async (input, init) => {
  if (init?.body instanceof Uint8Array && init.body.length > 0) {
    linkFreeAt = Math.max(linkFreeAt, performance.now()) + (init.body.length / MiB / maxRate) * 1000;
    await new Promise((r) => setTimeout(r, Math.max(0, linkFreeAt - performance.now())));
  }
  return await fetch(input, init);
};

const { client, bucket, close } = await exampleEnv({
  dataDir: join(dir, "server-data"), // only used by the embedded server
  fetch: maxRate > 0 ? pacedFetch : undefined,
});
const key = `examples/resume/${basename(file)}`;
const saved = await Deno.readTextFile(checkpointFile).catch(() => undefined);
const resume: UploadCheckpoint | undefined = saved ? JSON.parse(saved) : undefined;
const alreadyUploaded = resume?.parts.reduce((n, p) => n + p.size, 0) ?? 0;
console.log(`uploading ${file} (${(size / MiB).toFixed(1)} MiB) to ${bucket}/${key}; Ctrl-C interrupts`);
if (resume) console.log(`resuming from ${checkpointFile}: ${resume.parts.length} parts already uploaded`);

const stop = new AbortController();
Deno.addSignalListener("SIGINT", () => stop.abort()); // Ctrl-C: stop cleanly instead of dying mid-write
let sentNow = 0;
let firstEvent = true;
let result;
try {
  result = await client.uploadFile(bucket, key, file, {
    partSize: 2 * MiB,
    concurrency: 2,
    resume,
    signal: stop.signal,
    onProgress: ({ increment, transferred }) => {
      // On resume, the first event reports the bytes already on the server: not sent by this run.
      if (!(firstEvent && resume && transferred === alreadyUploaded)) sentNow += increment;
      firstEvent = false;
    },
    onCheckpoint: async (cp) => {
      await Deno.writeTextFile(checkpointFile + ".tmp", JSON.stringify(cp));
      await Deno.rename(checkpointFile + ".tmp", checkpointFile); // atomic: never half a checkpoint
      const done = cp.parts.reduce((n, p) => n + p.size, 0);
      console.log(
        `checkpoint: ${cp.parts.length} parts, ${(done / MiB).toFixed(1)} of ${(size / MiB).toFixed(1)} MiB`,
        `(${Math.floor((done / size) * 100)}%)`,
      );
    },
  });
} catch (e) {
  await close();
  if (resume && !stop.signal.aborted) console.error(`Cannot resume; to start over, delete ${checkpointFile}`);
  if (!stop.signal.aborted) throw e;
  console.log(`interrupted: ${checkpointFile} is kept; run the same command again to resume`);
  Deno.exit(130);
}

console.log(
  `completed: ${result.partCount} parts; this run sent ${result.partsSent} parts,`,
  `${sentNow} bytes (${(sentNow / MiB).toFixed(1)} of ${(size / MiB).toFixed(1)} MiB)`,
);
async function md5(stream: ReadableStream<Uint8Array>): Promise<string> {
  const h = await createIncrementalHash("md5");
  for await (const chunk of stream) h.update(chunk);
  return toHex(h.digest());
}
const [remote, local] = await Promise.all([
  client.getObject(bucket, key).then((o) => md5(o.body)),
  Deno.open(file).then((f) => md5(f.readable)),
]);
console.log(`MD5 of the object ${remote} ${remote === local ? "matches" : "DOES NOT match"} the source`);

// Clean up: the checkpoint, the object, the embedded server's data and the generated file.
await Deno.remove(checkpointFile);
await client.deleteObject(bucket, key);
await close();
if (embedded) await Deno.remove(join(dir, "server-data"), { recursive: true });
if (!positionals[0]) await Deno.remove(file);
await Deno.remove(dir).catch(() => {}); // only if now empty
if (remote !== local) Deno.exit(1);
