import assert from "node:assert/strict";
import { MODEL_ZOO as AREA_MODEL_ZOO } from "./_zoo_model.ts";
import { READS_MODEL_ZOO } from "./_zoo_reads.ts";
import { type CheckResult, randomCredentials, runConformance } from "./mod.ts";
import { limitModelShrinking, setModelRequestsInFlight } from "./suites/model.ts";

const MODEL_ZOO = [...AREA_MODEL_ZOO, ...READS_MODEL_ZOO];
const SEED = Number(Deno.env.get("ZOO_SEED") ?? 20261124);

/** Runs checks against a broken endpoint without shrinking (the tests only need the verdict). */
async function run(entry: (typeof MODEL_ZOO)[number], only: string[], skip: string[] = []) {
  const credentials = randomCredentials();
  limitModelShrinking(0);
  try {
    return await runConformance({ handler: entry.make(credentials), credentials, only, skip, seed: SEED });
  } finally {
    limitModelShrinking(undefined);
  }
}

for (const entry of MODEL_ZOO) {
  Deno.test(`model zoo: ${entry.name} (${entry.description}) fails ${entry.expectFailing.join(", ")}`, async () => {
    const report = await run(entry, entry.expectFailing);
    for (const id of entry.expectFailing) {
      const r = report.results.find((x) => x.id === id);
      assert(r, `check ${id} did not run`);
      assert.equal(r.status, "FAIL", `${entry.name} should fail ${id}, got ${r.status}`);
      assert(
        r.replay?.includes(`--only ${id}`) && r.replay.includes("--seed"),
        "a failure carries a replay command",
      );
    }
  });
}

Deno.test("model zoo: each kind of observation of the issue has a broken endpoint only the model catches", () => {
  const kinds = [
    "status",
    "stored headers",
    "ETag quoting",
    "Content-Length",
    "Content-Type",
    "Cache-Control",
    "Content-Disposition",
    "Expires",
    "x-bce-meta-* with unicode values",
    "storage class",
    "object type",
    "x-bce-next-append-offset",
    "Last-Modified form",
    "Last-Modified monotonicity",
    "whole-body digests",
    "ranges past the end (clamped)",
    "ranges crossing part boundaries",
    "open-ended ranges",
    "single-byte ranges",
    "conditional GET",
    "listing fields",
    "listing order",
    "ListParts ordering",
    "ListMultipartUploads ordering",
    "ListMultipartUploads pagination",
    "error bodies",
    "error status and code",
  ];
  const onlyModel = MODEL_ZOO.filter((z) => !z.alsoCaughtBy?.length);
  const missing = kinds.filter((k) => !onlyModel.some((z) => z.observation.includes(k)));
  assert.deepEqual(missing, []);
  assert.equal(new Set(MODEL_ZOO.map((z) => z.name)).size, MODEL_ZOO.length);
  assert(
    MODEL_ZOO.every((z) =>
      z.expectFailing.length > 0 && z.expectFailing.every((id) => id.startsWith("model."))
    ),
  );
});

Deno.test({
  name: "model zoo: no law outside model.* fails against any of these endpoints (except the ones listed)",
  // Every other check against every entry: about a minute and a half; CI runs it (BOSKIT_ZOO_ISOLATION=1).
  ignore: Deno.env.get("BOSKIT_ZOO_ISOLATION") !== "1",
  async fn() {
    const wrong: string[] = [];
    for (const entry of MODEL_ZOO) {
      const report = await run(entry, [], ["model"]);
      for (const r of report.results) {
        if (r.status === "FAIL" && !(entry.alsoCaughtBy ?? []).includes(r.id)) {
          wrong.push(`${entry.name}: ${r.id}: ${r.message}`);
        }
      }
      for (const id of entry.alsoCaughtBy ?? []) {
        if (report.results.find((r) => r.id === id)?.status !== "FAIL") {
          wrong.push(`${entry.name}: ${id} was expected to fail too`);
        }
      }
    }
    assert.deepEqual(wrong, []);
  },
});

/** Splits a shell command line the way the replay command is quoted (single quotes, `'\''` inside). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      word += line.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === "\\" && line[i + 1] === "'") {
      word += "'";
      i++;
      inWord = true;
    } else if (c === " ") {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

Deno.test("model zoo: the replay command printed for a model failure reproduces it exactly", async () => {
  const entry = MODEL_ZOO.find((z) => z.name === "appendable-etag-stale")!;
  const credentials = randomCredentials();
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, entry.make(credentials));
  const endpoint = `http://127.0.0.1:${(server.addr as Deno.NetAddr).port}`;
  try {
    limitModelShrinking(3000);
    const report = await runConformance({
      endpoint,
      credentials,
      only: ["model.objects-match-model"],
      seed: SEED,
      replayFlags: ["--endpoint", endpoint],
    }).finally(() => limitModelShrinking(undefined));
    const failure = report.results[0];
    assert.equal(failure.status, "FAIL");
    assert(failure.replayPath, "a model failure carries a replay path");
    assert.match(failure.message!, /operations:\n {4}1\. /, "the message lists the operations");
    const words = shellWords(failure.replay!);
    assert.deepEqual(words.slice(0, 3), ["deno", "task", "conformance"]);
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        new URL("./cli.ts", import.meta.url).pathname,
        ...words.slice(3),
        "--reporter",
        "json",
      ],
      env: { BOS_AK: credentials.accessKeyId, BOS_SK: credentials.secretAccessKey, NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(out.code, 1, new TextDecoder().decode(out.stderr));
    // The JSON report: the run record, then one record per check.
    const records = new TextDecoder().decode(out.stdout).trim().split("\n").map((l) => JSON.parse(l));
    assert.equal(records[0].type, "run");
    const replayed = records.find((r) => r.type === "check" && r.name === "model.objects-match-model");
    assert.equal(replayed.status, "FAIL");
    // The same first divergence (keys are relative to the run's namespace, so the text is identical).
    assert.equal(replayed.message.split("\n")[0], failure.message!.split("\n")[0]);
    assert.equal(replayed.numRuns, 1, "the replay runs the one shrunk counterexample");
  } finally {
    await server.shutdown();
  }
});

Deno.test("model zoo: a model failure (first divergence, shrunk sequence, path) is the same with 1 request in flight and 1 check at a time as with 16 and 8", async () => {
  // Endpoints whose bugs show in speculated requests: a conditional GET (sent before the HEAD it
  // depends on was compared) and listing pages (requested at the markers the model predicts). The
  // failures are shrunk to the end (no time limit), so the shrunk sequences must agree too.
  const names = [
    "if-modified-since-strict",
    "uploads-next-key-marker-missing",
    "common-prefixes-utf16-order",
  ];
  const essence = (r: CheckResult) => ({
    id: r.id,
    status: r.status,
    path: r.path,
    replayPath: r.replayPath,
    counterexample: r.counterexample,
    numShrinks: r.numShrinks,
    // Run prefixes, upload ids and times differ from run to run; everything else must not.
    message: r.message?.replace(/boskit-conformance\/[^/]+\//g, "<run>/")
      .replace(/\b[0-9a-f-]{32,36}\b/g, "<id>")
      .replace(
        /\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z/g,
        "<time>",
      ),
  });
  for (const name of names) {
    const entry = MODEL_ZOO.find((z) => z.name === name)!;
    const go = async (concurrency: number, requests: number) => {
      const credentials = randomCredentials();
      setModelRequestsInFlight(requests);
      limitModelShrinking(60_000);
      try {
        return await runConformance({
          handler: entry.make(credentials),
          credentials,
          only: entry.expectFailing,
          seed: SEED,
          concurrency,
        });
      } finally {
        setModelRequestsInFlight(undefined);
        limitModelShrinking(undefined);
      }
    };
    const serial = await go(1, 1);
    const concurrent = await go(8, 16);
    assert.equal(serial.results[0].status, "FAIL", name);
    assert.deepEqual(concurrent.results.map(essence), serial.results.map(essence), name);
  }
});
