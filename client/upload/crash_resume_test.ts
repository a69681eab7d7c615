// The upload engine's promise end to end: a process uploading a file is killed (SIGKILL) part way,
// a new process resumes from the checkpoint file it left, sends only what is missing, and the object
// is byte-identical to the file.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { BosClient, hash, toHex } from "../../mod.ts";
import { LOCAL_CREDENTIALS, serve } from "../../server/mod.ts";
import { randomBytes } from "../testdata/harness.ts";

const SCRIPT = fileURLToPath(new URL("../testdata/upload_file.ts", import.meta.url));
const SIZE = 48 * 1024 * 1024; // 12 parts of 4 MiB

async function lines(stream: ReadableStream<Uint8Array>, onLine: (line: string) => void): Promise<void> {
  let buffered = "";
  for await (const text of stream.pipeThrough(new TextDecoderStream())) {
    buffered += text;
    let i;
    while ((i = buffered.indexOf("\n")) >= 0) {
      onLine(buffered.slice(0, i));
      buffered = buffered.slice(i + 1);
    }
  }
}

Deno.test("crash and resume: a killed upload process resumes from its checkpoint file in a new process; the object's MD5 matches the file", async () => {
  const server = await serve({ hostname: "127.0.0.1", port: 0 });
  const dir = await Deno.makeTempDir({ prefix: "boskit-crash-" });
  try {
    const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
    const bucket = "crash-resume";
    await client.createBucket(bucket);
    const data = randomBytes(SIZE, 7);
    const file = `${dir}/source.bin`;
    await Deno.writeFile(file, data);
    const checkpoint = `${dir}/checkpoint.json`;

    // First process: killed once ~40% of the bytes went out and a checkpoint with parts exists.
    const first = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", SCRIPT, server.url, bucket, "big.bin", file, checkpoint],
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    let transferred = 0;
    let checkpointedParts = 0;
    let killed = false;
    await lines(first.stdout, (line) => {
      const [kind, a] = line.split(" ");
      if (kind === "progress") transferred = Number(a);
      if (kind === "checkpoint") checkpointedParts = Number(a);
      if (!killed && transferred >= SIZE * 0.4 && checkpointedParts > 0) {
        killed = true;
        first.kill("SIGKILL");
      }
    });
    await first.stderr.cancel();
    const status = await first.status;
    assert(killed && !status.success, "the first process was killed before it finished");
    const saved = JSON.parse(await Deno.readTextFile(checkpoint));
    assert(
      saved.parts.length > 0 && saved.parts.length < 12,
      `checkpoint holds ${saved.parts.length} of 12 parts`,
    );
    await assert.rejects(client.headObject(bucket, "big.bin"), /NoSuchKey/, "no object is visible yet");

    // Second process: resumes from the checkpoint file.
    const second = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", SCRIPT, server.url, bucket, "big.bin", file, checkpoint, "resume"],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const out = new TextDecoder().decode(second.stdout);
    assert(second.success, `resume failed:\n${out}\n${new TextDecoder().decode(second.stderr)}`);
    const [, etag, sentParts] = out.trim().split("\n").at(-1)!.split(" ");
    assert(
      Number(sentParts) <= 12 - saved.parts.length,
      `resume sent ${sentParts} parts, ${saved.parts.length} were done`,
    );
    const progress = out.split("\n").filter((l) => l.startsWith("progress ")).map((l) =>
      Number(l.split(" ")[1])
    );
    assert.equal(progress.at(-1), SIZE, "progress ends at the object size");

    const meta = await client.headObject(bucket, "big.bin");
    assert.equal(meta.etag, etag);
    assert.equal(meta.contentLength, SIZE);
    const stored = await (await client.getObject(bucket, "big.bin")).bytes();
    assert.equal(toHex(await hash("md5", stored)), toHex(await hash("md5", data)));
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});
