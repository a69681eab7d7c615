// Every example runs to completion against the embedded reference server and prints what it promises;
// upload_resume.ts is interrupted with a real SIGINT and run again.
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeRandomFile } from "./_random_file.ts";

const MiB = 1024 * 1024;
const path = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const dec = new TextDecoder();

async function run(file: string, args: string[] = [], env: Record<string, string> = {}) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", path(file), ...args],
    stdout: "piped",
    stderr: "piped",
    env: { BOS_ENDPOINT: "", ...env },
  }).output();
  const stdout = dec.decode(out.stdout);
  assert(out.success, `${file} failed (exit ${out.code}):\n${stdout}\n${dec.decode(out.stderr)}`);
  return stdout;
}

const cases: Record<string, (stdout: string) => void> = {
  "put_get.ts": (out) => {
    assert.match(out, /type text\/plain; charset=utf-8 metadata \{"author":"张三","reviewed":"yes"\}/);
    assert.match(out, /body: "Hello, BOS!\\n" author 张三/);
    assert.match(out, /bytes 0-4: Hello status 206 of 12/);
    assert.match(out, /after delete: 404 NoSuchKey/);
  },
  "multipart_progress.ts": (out) => {
    // Not a terminal: one line per quarter instead of a redrawn bar.
    const percents = [...out.matchAll(/\] +(\d+)% +[\d.]+\/48\.0 MiB +[\d.]+ MiB\/s$/gm)].map((m) =>
      Number(m[1])
    );
    assert.equal(percents.length, 4, out);
    percents.forEach((p, i) => assert(p >= 25 * (i + 1), `line ${i + 1} at ${p}%`));
    assert.equal(percents.at(-1), 100);
    assert.doesNotMatch(out, /\r/);
    assert.match(out, /50331648 bytes in 6 parts \(multipart: true\)/);
    assert.match(out, /the object's size matches the file: true/);
  },
  "append_log.ts": (out) => {
    assert.match(out, /object type Appendable next append offset (\d+) = offset \1\b/);
    assert.match(out, /started\n.* listening\n.* stopped$/m);
  },
  "presigned_urls.ts": (out) => {
    assert.match(out, /presigned PUT: 200 etag [0-9a-f]{32}/);
    assert.match(out, /stored: 14 bytes of text\/csv/);
    assert.match(out, /presigned GET: 200 "id,total\\n1,42\\n"/);
    assert.match(out, /tampered URL: 403 SignatureDoesNotMatch/);
    assert.match(out, /expired URL: 403 RequestExpired/);
    assert.match(out, /GET URL used to DELETE: 403 SignatureDoesNotMatch/);
  },
  "conditional_copy.ts": (out) => {
    const current = /current etag ([0-9a-f]{32})/.exec(out)![1];
    assert.match(out, new RegExp(`if-match the current ETag: copied, etag ${current}`));
    assert.match(out, /if-match a stale ETag: refused, 412 PreconditionFailed/);
    assert.match(out, /if-none-match the current ETag: refused, 412/);
    assert.match(out, /if-none-match a stale ETag: copied/);
    assert.match(out, /if-unmodified-since its Last-Modified: copied/);
    assert.match(out, /if-unmodified-since an hour ago: refused, 412/);
    assert.match(out, /if-modified-since an hour ago: copied/);
    assert.match(out, /if-modified-since its Last-Modified: refused, 412/);
  },
  "list_big_bucket.ts": (out) => {
    assert.match(out, /put 2500 objects/);
    assert.match(out, /listed 2500 objects, 126250 bytes/); // 25 × (1 + 2 + … + 100)
    assert.match(
      out,
      /25 common prefixes, from examples\/listing\/2024-01-01\/ to examples\/listing\/2024-01-25\//,
    );
    assert.match(out, /deleted 2500, errors 0/);
    assert.match(out, /objects left under the prefix: 0/);
  },
  "conformance_from_code.ts": (out) => {
    // Every check of the three suites passes, and the JSON report holds one record per check.
    const passed = /reference server: (\d+) passed, 0 failed, 0 skipped/.exec(out)?.[1];
    assert(passed && Number(passed) >= 27, `the reference server run: ${out.slice(0, 200)}`);
    assert.match(out, /measured maxUserMetadataSize = 2048/);
    assert.match(
      out,
      /JSON report: the run \(status passed, seed 42, probe: .* speaks BOS and accepts the credentials\),/,
    );
    assert.match(
      out,
      new RegExp(
        `then ${passed} checks; the first: \\{"type":"check","name":"[a-z_]+\\.[a-z0-9-]+","suite":`,
      ),
    );
    assert.match(out, /accepts 2049 bytes of metadata: \d+ passed, 2 failed/);
    assert.match(
      out,
      /FAIL metadata\.one-byte-over-limit-rejected \(seed 42\): .*expected 400 MetadataTooLarge/,
    );
    assert.match(out, /counterexample: \[/);
    assert.match(
      out,
      /replay: deno task conformance --only metadata\.one-byte-over-limit-rejected --seed 42/,
    );
  },
};

Deno.test("examples: every program in examples/ has a test here", () => {
  const programs = [...Deno.readDirSync(path("."))]
    .map((e) => e.name)
    .filter((n) => n.endsWith(".ts") && !n.startsWith("_") && !n.endsWith("_test.ts"))
    .sort();
  assert.deepEqual(programs, [...Object.keys(cases), "upload_resume.ts"].sort());
});

for (const [file, check] of Object.entries(cases)) {
  Deno.test(`example ${file} runs and prints its results`, async () => check(await run(file)));
}

Deno.test("example upload_resume.ts: SIGINT keeps the checkpoint and exits 130; run again, it sends only the missing parts and the MD5 matches", async () => {
  const dir = await Deno.makeTempDir({ prefix: "boskit-resume-example-" });
  try {
    const SIZE = 32 * MiB; // 16 parts of 2 MiB; at 16 MiB/s a whole run takes 2 s
    const file = join(dir, "source.bin");
    await writeRandomFile(file, SIZE);
    const state = join(dir, "state");
    const args = [file, "--max-rate", "16"];

    const first = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", path("upload_resume.ts"), ...args],
      stdout: "piped",
      stderr: "piped",
      env: { BOS_ENDPOINT: "", BOS_EXAMPLE_DIR: state },
    }).spawn();
    const stderr = new Response(first.stderr).text();
    let out1 = "";
    let interruptedAt: number | undefined;
    let buffered = "";
    for await (const text of first.stdout.pipeThrough(new TextDecoderStream())) {
      out1 += text;
      buffered += text;
      let i;
      while ((i = buffered.indexOf("\n")) >= 0) {
        const percent = /\((\d+)%\)$/.exec(buffered.slice(0, i));
        buffered = buffered.slice(i + 1);
        if (interruptedAt === undefined && percent && Number(percent[1]) >= 30) {
          interruptedAt = Number(percent[1]);
          first.kill("SIGINT"); // what Ctrl-C sends
        }
      }
    }
    const status = await first.status;
    assert(interruptedAt !== undefined && interruptedAt < 100, `no progress line at 30-99%:\n${out1}`);
    assert.equal(status.code, 130, `first run:\n${out1}\n${await stderr}`);
    assert.match(out1, /interrupted: .*checkpoint\.json is kept; run the same command again to resume/);
    const checkpoint = JSON.parse(await Deno.readTextFile(join(state, "checkpoint.json")));
    const savedParts: number = checkpoint.parts.length;
    const savedBytes = checkpoint.parts.reduce((n: number, p: { size: number }) => n + p.size, 0);
    assert(savedParts > 0 && savedParts < 16, `the checkpoint holds ${savedParts} of 16 parts`);

    const out2 = await run("upload_resume.ts", args, { BOS_EXAMPLE_DIR: state });
    assert.match(out2, new RegExp(`resuming from .*checkpoint\\.json: ${savedParts} parts already uploaded`));
    const [, parts, bytes] = /this run sent (\d+) parts, (\d+) bytes/.exec(out2) ?? assert.fail(out2);
    assert(Number(parts) <= 16 - savedParts, `the resume sent ${parts} parts; ${savedParts} were saved`);
    assert.equal(Number(bytes), SIZE - savedBytes, "the resume sent only the bytes the checkpoint lacked");
    assert(Number(bytes) < SIZE);
    assert.match(out2, /MD5 of the object [0-9a-f]{32} matches the source/);
    await assert.rejects(
      Deno.stat(state),
      Deno.errors.NotFound,
      "the checkpoint and server data are removed",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
