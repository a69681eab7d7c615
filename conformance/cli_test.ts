import assert from "node:assert/strict";
import { createAuthorization } from "../protocol/signing/sign.ts";
import { serve } from "../server/mod.ts";
import { ZOO } from "./_zoo.ts";
import { randomCredentials } from "./mod.ts";
import {
  hasOpenssl,
  makeCertificates,
  notBosEndpoints,
  serveHandler,
  slowReferenceServer,
} from "./testdata/endpoints.ts";

const CLI = new URL("./cli.ts", import.meta.url).pathname;
const ROOT = new URL("..", import.meta.url).pathname;
const dec = new TextDecoder();

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, ...args],
    stdout: "piped",
    stderr: "piped",
    env: { BOS_AK: "", BOS_SK: "", NO_COLOR: "1" },
  }).output();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** A CLI run in the background whose stderr can be awaited line by line. */
function spawn(command: string, args: string[]) {
  const child = new Deno.Command(command, {
    args,
    cwd: ROOT,
    stdout: "null",
    stderr: "piped",
    env: { BOS_AK: "", BOS_SK: "", NO_COLOR: "1" },
  }).spawn();
  let stderr = "";
  const waiters: Array<() => void> = [];
  const reading = (async () => {
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
      stderr += chunk;
      for (const w of waiters.splice(0)) w();
    }
  })();
  return {
    child,
    get stderr() {
      return stderr;
    },
    async waitFor(re: RegExp, ms = 30_000): Promise<void> {
      const deadline = Date.now() + ms;
      while (!re.test(stderr)) {
        if (Date.now() > deadline) throw new Error(`Timed out waiting for ${re} in:\n${stderr}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 200);
        });
      }
    },
    async done(): Promise<number> {
      const status = await child.status;
      await reading;
      return status.code;
    },
  };
}

async function signed(base: string, creds: { accessKeyId: string; secretAccessKey: string }, path: string) {
  const authorization = await createAuthorization({
    ...creds,
    method: "GET",
    path,
    headers: { host: new URL(base).host },
    timestamp: new Date(),
  });
  const res = await fetch(base + path, { headers: { authorization } });
  return await res.json();
}

async function hasCommand(cmd: string): Promise<boolean> {
  try {
    return (await new Deno.Command(cmd, { args: ["--version"], stdout: "null", stderr: "null" }).output())
      .success;
  } catch {
    return false;
  }
}

Deno.test("cli: usage errors exit 2 with a clear message", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(
    `${dir}/expect.json`,
    JSON.stringify({ "no.such-check": { status: "fail", reason: "x" } }),
  );
  await Deno.writeTextFile(
    `${dir}/noreason.json`,
    JSON.stringify({ "objects.etag-is-md5": { status: "fail" } }),
  );
  try {
    for (
      const [args, message] of [
        [["--only", "no-such-check"], /Unknown check or suite "no-such-check"/],
        [["--reporter", "xml"], /--reporter must be one of pretty, json, junit, html/],
        [["--num-runs", "0"], /--num-runs must be an integer ≥ 1/],
        [["--concurrency", "0"], /--concurrency must be an integer ≥ 1/],
        [["--timeout", "soon"], /--timeout must be a number of seconds > 0/],
        [["--endpoint", "http://127.0.0.1:9"], /needs credentials/],
        [
          ["--endpoint", "http://127.0.0.1:9", "--ak", "a", "--sk", "b", "--insecure"],
          /--insecure needs an https --endpoint/,
        ],
        [
          ["--endpoint", "http://127.0.0.1:9", "--ak", "a", "--sk", "b", "--ca", "x.pem"],
          /--ca needs an https --endpoint/,
        ],
        [["--expect", `${dir}/expect.json`], /Unknown check "no.such-check" in the expect file/],
        [["--expect", `${dir}/noreason.json`], /Expectation of objects.etag-is-md5 needs a non-empty reason/],
        [["--expect", `${dir}/missing.json`], /Cannot read the --expect file/],
        [["--path", "1:2"], /--path needs --seed/],
        [["--bogus"], /Unknown option/],
        [["--max-object-size", "12Q"], /--max-object-size must be a size of at least 1024 bytes/],
        [["--max-object-size", "10"], /--max-object-size must be a size/],
      ] as Array<[string[], RegExp]>
    ) {
      const r = await cli(...args);
      assert.equal(r.code, 2, args.join(" "));
      assert.match(r.stderr, message);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cli: --list prints every check with its law", async () => {
  const r = await cli("--list");
  assert.equal(r.code, 0);
  assert.match(r.stdout, /pagination.concatenated-pages-equal-model \(property\)\n {4}\S/);
  assert.match(r.stdout, /signing.vectors-reproduced-by-project-signer \(example, local\)/);
  assert.match(r.stdout, /objects.measured-key-length-equals-profile \(example, exclusive\)/);
  assert.match(r.stdout, /model.objects-match-model \(property\)\n {4}\S/);
});

Deno.test("cli: the json reporter prints the run record, then one record per check; --verbose and suite progress go to stderr", async () => {
  const r = await cli(
    "--only",
    "objects.etag-is-md5,errors",
    "--reporter",
    "json",
    "--seed",
    "7",
    "--verbose",
  );
  assert.equal(r.code, 0, r.stderr);
  const [run, ...checks] = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
  assert.equal(run.type, "run");
  assert.equal(run.status, "passed");
  assert.equal(run.seed, 7);
  assert.equal(run.counts.total, checks.length);
  assert(checks.length >= 2);
  assert(checks.every((l) => l.type === "check" && l.status === "PASS"));
  assert.equal(checks.find((l) => l.name === "objects.etag-is-md5").seed, 7);
  assert.match(r.stderr, /^Probe: http:\/\/127\.0\.0\.1:\d+ speaks BOS and accepts the credentials$/m);
  assert.match(r.stderr, /^PASS {2}objects\.etag-is-md5 \(\d+ ms\)$/m);
  assert.match(r.stderr, /^errors: 8 passed, 0 failed, 0 skipped \(\d+\.\d s\)$/m);
  assert.match(r.stderr, /^objects: 1 passed, 0 failed, 0 skipped \(\d+\.\d s\)$/m);
});

Deno.test("cli: an endpoint that answers 200 to everything, HTML 404s, or a closed port exits 2 with one line naming it and a JSON report that starts with the run record", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (const { name, server, diagnosis } of notBosEndpoints()) {
      try {
        const pretty = await cli("--endpoint", server.url, "--ak", "ak", "--sk", "sk");
        assert.equal(pretty.code, 2, `${name}: ${pretty.stdout}${pretty.stderr}`);
        const line = pretty.stdout.trimEnd();
        assert(!line.includes("\n"), `${name}: one line, got ${pretty.stdout}`);
        assert.match(line, /^ERROR: /);
        assert.match(line, diagnosis);
        assert(line.includes(server.url), `${name}: names the endpoint`);

        const out = `${dir}/report.jsonl`;
        const json = await cli(
          "--endpoint",
          server.url,
          "--ak",
          "ak",
          "--sk",
          "sk",
          "--reporter",
          "json",
          "--out",
          out,
        );
        assert.equal(json.code, 2, name);
        assert.match(json.stderr, diagnosis);
        const records = (await Deno.readTextFile(out)).trim().split("\n").map((l) => JSON.parse(l));
        assert.equal(records.length, 1, `${name}: only the run record`);
        assert.equal(records[0].type, "run");
        assert.equal(records[0].status, "error");
        assert.equal(records[0].probe.ok, false);
        assert.match(records[0].probe.diagnosis, diagnosis);
        assert.deepEqual(records[0].limits, []);
      } finally {
        await server.close();
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cli: --expect turns a known deviation into XFAIL (exit 0) and reports a stale one as XPASS; without it the run exits 1; --fail-fast stops early", async () => {
  const credentials = randomCredentials();
  const server = serveHandler(ZOO.find((z) => z.name === "delete-missing-is-204")!.make(credentials));
  const dir = await Deno.makeTempDir();
  try {
    const base = [
      "--endpoint",
      server.url,
      "--ak",
      credentials.accessKeyId,
      "--sk",
      credentials.secretAccessKey,
    ];
    const only = ["--only", "objects.delete-missing-key-is-no-such-key,objects.etag-is-md5", "--seed", "3"];
    const plain = await cli(...base, ...only);
    assert.equal(plain.code, 1, plain.stdout);
    assert.match(plain.stdout, /FAIL objects.delete-missing-key-is-no-such-key/);

    await Deno.writeTextFile(
      `${dir}/expect.json`,
      JSON.stringify({
        "objects.delete-missing-key-is-no-such-key": { status: "fail", reason: "we answer 204, as S3 does" },
        "objects.etag-is-md5": { status: "fail", reason: "an entry left from last year" },
      }),
    );
    const expected = await cli(...base, ...only, "--expect", `${dir}/expect.json`);
    assert.equal(expected.code, 0, expected.stdout + expected.stderr);
    assert.match(
      expected.stdout,
      /XFAIL objects.delete-missing-key-is-no-such-key: we answer 204, as S3 does/,
    );
    assert.match(
      expected.stdout,
      /XPASS objects.etag-is-md5: an entry left from last year — it passes now; remove it/,
    );
    assert.match(
      expected.stdout,
      /OK: 0 passed, 0 failed, 0 skipped, 1 expected failures, 1 unexpectedly passed/,
    );

    const failFast = await cli(
      ...base,
      "--only",
      "objects",
      "--concurrency",
      "1",
      "--fail-fast",
      "--reporter",
      "json",
      "--out",
      `${dir}/ff.jsonl`,
    );
    assert.equal(failFast.code, 1);
    const [run] = (await Deno.readTextFile(`${dir}/ff.jsonl`)).trim().split("\n").map((l) => JSON.parse(l));
    assert.equal(run.counts.fail, 1);
    assert(run.counts.notRun > 0, "checks after the failure did not run");
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name:
    "cli: --ca trusts a private CA; --insecure is loudly labelled and works against a self-signed endpoint",
  ignore: !(await hasOpenssl()),
  async fn() {
    const dir = await Deno.makeTempDir();
    const credentials = randomCredentials();
    const certs = await makeCertificates(dir);
    const { createHandler } = await import("../server/mod.ts");
    const server = serveHandler(createHandler({ credentials: [credentials] }), certs);
    try {
      const base = [
        "--endpoint",
        server.url,
        "--ak",
        credentials.accessKeyId,
        "--sk",
        credentials.secretAccessKey,
      ];
      const only = ["--only", "objects.content-round-trips,metadata.random-metadata-round-trips"];
      const refused = await cli(...base, ...only);
      assert.equal(refused.code, 2);
      assert.match(refused.stdout, /TLS failed/);
      const ca = await cli(...base, ...only, "--ca", certs.caFile, "--reporter", "json");
      assert.equal(ca.code, 0, ca.stderr);
      assert.equal(JSON.parse(ca.stdout.split("\n")[0]).tls, "ca");
      const insecure = await cli(...base, ...only, "--insecure");
      assert.equal(insecure.code, 0, insecure.stdout + insecure.stderr);
      assert.match(
        insecure.stderr,
        /^WARNING: --insecure: the TLS certificate of https:\/\/127\.0\.0\.1:\d+ is NOT verified/m,
      );
      assert.match(insecure.stdout, /TLS NOT VERIFIED \(--insecure\)/);
    } finally {
      await server.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("cli: one Ctrl-C, sent to the kit (SIGINT or SIGTERM) or to `deno task`'s process group, stops the run, deletes what it created, writes the aborted report and exits 130", async () => {
  const credentials = randomCredentials();
  const server = await serve({ port: 0, hostname: "127.0.0.1", credentials: [credentials] });
  const dir = await Deno.makeTempDir();
  const setsid = await hasCommand("setsid");
  try {
    const args = [
      "--endpoint",
      server.url,
      "--ak",
      credentials.accessKeyId,
      "--sk",
      credentials.secretAccessKey,
      "--only",
      "pagination,offsets",
      "--num-runs",
      "400",
      "--reporter",
      "json",
    ];
    const ways: Array<[string, string, string[], (pid: number) => void]> = [
      [
        "SIGINT to the kit",
        Deno.execPath(),
        ["run", "-A", CLI, ...args, "--out", `${dir}/a.jsonl`],
        (pid) => Deno.kill(pid, "SIGINT"),
      ],
      [
        "SIGTERM to the kit",
        Deno.execPath(),
        ["run", "-A", CLI, ...args, "--out", `${dir}/c.jsonl`],
        (pid) => Deno.kill(pid, "SIGTERM"),
      ],
    ];
    if (setsid) {
      // A terminal sends SIGINT to the whole foreground group: `deno task` and the kit both get it (and
      // `deno task` forwards it again), so the kit sees one Ctrl-C twice within milliseconds.
      ways.push([
        "SIGINT to deno task's process group",
        "setsid",
        [Deno.execPath(), "task", "conformance", ...args, "--out", `${dir}/b.jsonl`],
        (pid) => Deno.kill(-pid, "SIGINT"),
      ]);
    }
    for (const [how, cmd, cmdArgs, send] of ways) {
      const run = spawn(cmd, cmdArgs);
      await run.waitFor(/^Probe: /m);
      await new Promise((r) => setTimeout(r, 700));
      send(run.child.pid);
      const code = await run.done();
      assert.equal(code, 130, `${how}:\n${run.stderr}`);
      assert.match(run.stderr, /Interrupted: stopping and deleting what this run created/, how);
      assert.match(run.stderr, /Cleanup done: nothing left behind/, how);
      assert.doesNotMatch(run.stderr, /Exited at once/, how);
      const file = cmdArgs.at(-1)!;
      const [record] = (await Deno.readTextFile(file)).trim().split("\n").map((l) => JSON.parse(l));
      assert.equal(record.type, "run");
      assert.equal(record.status, "aborted", how);
      assert(record.requestCount > 20, `${how}: the run was under way (${record.requestCount} requests)`);
      assert.deepEqual(record.leftBehind, []);
      const buckets = await signed(server.url, credentials, "/");
      assert.deepEqual(buckets.buckets, [], `${how}: no bucket left`);
    }
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cli: a second Ctrl-C exits at once and prints exactly what was left behind (bucket and keys)", async () => {
  const credentials = randomCredentials();
  // Deletes take 3 s, so cleanup is still under way when the second Ctrl-C comes.
  const server = slowReferenceServer(credentials, (req) => req.method === "DELETE", 3000);
  try {
    const run = spawn(Deno.execPath(), [
      "run",
      "-A",
      CLI,
      "--endpoint",
      server.url,
      "--ak",
      credentials.accessKeyId,
      "--sk",
      credentials.secretAccessKey,
      "--only",
      "offsets.range-returns-exact-bytes,objects.put-replaces-object,objects.etag-is-md5",
      "--num-runs",
      "300",
    ]);
    await run.waitFor(/^Probe: /m);
    await new Promise((r) => setTimeout(r, 600));
    Deno.kill(run.child.pid, "SIGINT");
    await run.waitFor(/Interrupted/);
    await new Promise((r) => setTimeout(r, 800));
    const second = performance.now();
    Deno.kill(run.child.pid, "SIGINT");
    const code = await run.done();
    assert.equal(code, 130);
    assert(performance.now() - second < 2500, "the second Ctrl-C exits at once");
    assert.match(
      run.stderr,
      /Exited at once; left behind on http:\/\/127\.0\.0\.1:\d+ \(delete them by hand\):/,
    );
    const listed = run.stderr.slice(run.stderr.indexOf("Exited at once")).split("\n").slice(1)
      .filter((l) => l.startsWith("  ")).map((l) => l.trim());
    const bucketLine = listed.find((l) => l.startsWith("bucket "));
    assert(bucketLine, `the bucket is listed:\n${run.stderr}`);
    const bucket = bucketLine.slice("bucket ".length);
    assert(listed.some((l) => l.startsWith("object ")), "objects were still to be deleted");
    // Deletes already sent finish on the server; what remains must all have been listed.
    await new Promise((r) => setTimeout(r, 3500));
    const list = await signed(server.url, credentials, `/${bucket}`);
    for (const { key } of list.contents ?? []) {
      assert(listed.includes(`object ${JSON.stringify(key)} in bucket ${bucket}`), `${key} was not listed`);
    }
  } finally {
    await server.close();
  }
});
