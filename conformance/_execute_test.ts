import assert from "node:assert/strict";
import type { CheckDef } from "./_check.ts";
import { checkSeed, schedule, timeLimitOf } from "./_execute.ts";
import { ZOO } from "./_zoo.ts";
import { type CheckResult, randomCredentials, runConformance } from "./mod.ts";
import { slowReferenceServer } from "./testdata/endpoints.ts";

/** What must not depend on concurrency: everything but timings. */
function essence(r: CheckResult) {
  return {
    id: r.id,
    status: r.status,
    checkSeed: r.checkSeed,
    numRuns: r.numRuns,
    path: r.path,
    counterexample: r.counterexample,
    message: r.message?.replace(/boskit-conformance\/[^/]+\//g, "<run>/"),
    findings: r.findings,
  };
}

Deno.test("check seeds: derived from the run seed and the check id, stable, and different per check", () => {
  assert.equal(checkSeed(7, "objects.etag-is-md5"), checkSeed(7, "objects.etag-is-md5"));
  assert.notEqual(checkSeed(7, "objects.etag-is-md5"), checkSeed(8, "objects.etag-is-md5"));
  assert.notEqual(checkSeed(7, "objects.etag-is-md5"), checkSeed(7, "objects.content-round-trips"));
  assert(Number.isInteger(checkSeed(-5, "a.b")) && Math.abs(checkSeed(-5, "a.b")) < 2 ** 31);
});

Deno.test("concurrency: a run's results (statuses, seeds, counterexamples, paths) are the same at concurrency 1 and 8", async () => {
  const entry = ZOO.find((z) => z.name === "utf16-key-order")!;
  const credentials = randomCredentials();
  const run = (concurrency: number) =>
    runConformance({
      handler: entry.make(credentials),
      credentials,
      only: ["pagination", "copy"],
      seed: 11,
      concurrency,
    });
  const [one, eight] = [await run(1), await run(8)];
  assert.equal(one.concurrency, 1);
  assert.equal(eight.concurrency, 8);
  assert.deepEqual(eight.results.map(essence), one.results.map(essence));
  assert(one.results.some((r) => r.id === "pagination.keys-in-utf8-byte-order" && r.status === "FAIL"));
});

Deno.test("concurrency: a failure found among concurrent checks replays alone with its seed and path, at concurrency 1 and 8", async () => {
  const entry = ZOO.find((z) => z.name === "metadata-double-encoded")!;
  const credentials = randomCredentials();
  const first = await runConformance({
    handler: entry.make(credentials),
    credentials,
    only: ["metadata", "objects.content-round-trips", "signing.header-authorization-accepted-for-any-key"],
    seed: 5,
    concurrency: 8,
  });
  const f = first.results.find((r) => r.id === "metadata.random-metadata-round-trips")!;
  assert.equal(f.status, "FAIL");
  assert(f.path && f.counterexample && f.replay?.includes(`--seed 5 --path ${f.path}`));
  for (const concurrency of [1, 8]) {
    const replay = await runConformance({
      handler: entry.make(credentials),
      credentials,
      only: [f.id],
      seed: f.seed,
      path: f.path,
      concurrency,
    });
    assert.equal(replay.results.length, 1);
    assert.equal(replay.results[0].status, "FAIL");
    assert.equal(replay.results[0].counterexample, f.counterexample);
    assert.equal(replay.results[0].checkSeed, f.checkSeed);
  }
});

Deno.test("exclusive checks run with no other check in flight", async () => {
  const inFlight = new Set<string>();
  const exclusiveIds = new Set<string>();
  const violations: string[] = [];
  let exclusiveRunning = false;
  const report = await runConformance({
    only: ["objects", "metadata"],
    seed: 3,
    concurrency: 8,
    onCheckStart: (c) => {
      if (exclusiveRunning) violations.push(`${c.id} started during an exclusive check`);
      if (c.exclusive) {
        exclusiveIds.add(c.id);
        if (inFlight.size) violations.push(`${c.id} started beside ${[...inFlight]}`);
        exclusiveRunning = true;
      }
      inFlight.add(c.id);
    },
    onResult: (r) => {
      inFlight.delete(r.id);
      if (exclusiveIds.has(r.id)) exclusiveRunning = false;
    },
  });
  assert.equal(report.status, "passed");
  assert.deepEqual(violations, []);
  assert.deepEqual([...exclusiveIds].sort(), [
    "metadata.measured-limit-equals-profile",
    "objects.bucket-not-empty-refused",
    "objects.measured-key-length-equals-profile",
  ]);
});

Deno.test("timeout: a check waiting on a hung request fails with that request as evidence; the other checks and cleanup go on", async () => {
  const credentials = randomCredentials();
  // GETs of the one check's keys never get an answer.
  const server = slowReferenceServer(
    credentials,
    (req) => req.method === "GET" && req.url.includes("objects.put-replaces-object"),
    Infinity,
  );
  try {
    const started = performance.now();
    const report = await runConformance({
      endpoint: server.url,
      credentials,
      only: ["objects.put-replaces-object", "objects.delete-removes-object", "objects.etag-is-md5"],
      seed: 2,
      timeoutMs: 1500,
    });
    const hung = report.results.find((r) => r.id === "objects.put-replaces-object")!;
    assert.equal(hung.status, "FAIL");
    assert.equal(hung.failure, "timeout");
    assert.match(
      hung.message!,
      /No result within 1\.5 s \(--timeout\); it was waiting for GET http:\/\/127\.0\.0\.1:\d+\/boskit-conf-/,
    );
    assert.equal(hung.exchange?.status, 0);
    assert.equal(hung.exchange?.method, "GET");
    assert.match(hung.exchange!.bodyExcerpt, /no response after \d+ ms/);
    assert(hung.replay?.includes("--only objects.put-replaces-object"));
    assert.deepEqual(
      report.results.filter((r) => r.id !== hung.id).map((r) => r.status),
      ["PASS", "PASS"],
    );
    assert.equal(report.status, "failed");
    assert.equal(report.summary.error, 1);
    assert.deepEqual(report.cleanupProblems, []);
    assert.deepEqual(report.leftBehind, []);
    assert(performance.now() - started < 60_000, "the run ended");
  } finally {
    await server.close();
  }
});

Deno.test("timeout: cleanup against an endpoint that stops answering ends, and reports what it left behind", async () => {
  const credentials = randomCredentials();
  const server = slowReferenceServer(credentials, (req) => req.method === "DELETE", Infinity);
  try {
    const report = await runConformance({
      endpoint: server.url,
      credentials,
      only: ["objects.put-replaces-object", "objects.if-match-mismatch-is-412"],
      seed: 2,
      timeoutMs: 1000,
    });
    assert.equal(report.status, "passed");
    assert.equal(report.cleanupProblems.length, 1);
    assert.match(report.cleanupProblems[0], /failed: .*; cleanup stopped, left behind: /);
    assert(report.leftBehind.some((l) => l.startsWith("bucket boskit-conf-")));
    assert(report.leftBehind.some((l) => l.includes("objects.put-replaces-object/object")));
  } finally {
    await server.close();
  }
});

Deno.test("schedule: with more than one check at a time slow checks start first, exclusive ones last and alone; one at a time keeps the order", async () => {
  const def = (id: string, extra: Partial<CheckDef> = {}): CheckDef => ({
    id,
    suite: "objects",
    law: id,
    run: () => Promise.resolve(),
    ...extra,
  });
  const checks = [def("a"), def("b", { exclusive: true }), def("c"), def("d", { slow: true }), def("e")];
  const order = async (concurrency: number) => {
    const started: string[] = [];
    await schedule(checks, concurrency, async (c) => {
      started.push(c.id);
      await new Promise((r) => setTimeout(r, 1));
    }, () => true);
    return started;
  };
  assert.deepEqual(await order(2), ["d", "a", "c", "e", "b"]);
  assert.deepEqual(await order(1), ["a", "c", "d", "e", "b"]);
});

Deno.test("schedule: the checks of a serial group never run beside each other, keep their order and run beside the other checks", async () => {
  const def = (id: string, extra: Partial<CheckDef> = {}): CheckDef => ({
    id,
    suite: "objects",
    law: id,
    run: () => Promise.resolve(),
    ...extra,
  });
  const checks = [
    def("a"),
    def("g1", { serial: "g" }),
    def("b"),
    def("g2", { serial: "g" }),
    def("h1", { serial: "h" }),
    def("g3", { serial: "g" }),
    def("c"),
    def("x", { exclusive: true }),
    def("h2", { serial: "h" }),
  ];
  const inFlight = new Set<string>();
  const problems: string[] = [];
  const started: string[] = [];
  let besideOthers = false;
  await schedule(checks, 3, async (c) => {
    started.push(c.id);
    for (const other of inFlight) {
      if (c.serial && checks.find((k) => k.id === other)?.serial === c.serial) {
        problems.push(`${c.id} beside ${other}`);
      }
      if (c.serial && !checks.find((k) => k.id === other)?.serial) besideOthers = true;
    }
    if (c.exclusive && inFlight.size) problems.push(`${c.id} beside ${[...inFlight]}`);
    inFlight.add(c.id);
    await new Promise((r) => setTimeout(r, 5));
    inFlight.delete(c.id);
  }, () => true);
  assert.deepEqual(problems, []);
  assert(besideOthers, "a serial group overlaps the other checks");
  const only = (prefix: string) => started.filter((id) => id.startsWith(prefix));
  assert.deepEqual(only("g"), ["g1", "g2", "g3"]);
  assert.deepEqual(only("h"), ["h1", "h2"]);
  assert.equal(started.at(-1), "x");
  assert.equal(started.length, checks.length);
  // One at a time: every check in its place, each group where its first check is.
  const one: string[] = [];
  await schedule(checks, 1, (c) => Promise.resolve(void one.push(c.id)), () => true);
  assert.deepEqual(one, ["a", "g1", "g2", "g3", "b", "h1", "h2", "c", "x"]);
});

Deno.test("timeLimitOf: --num-runs stretches a check's time limit by the factor it raises its runs, an explicit --timeout never", () => {
  const check = {
    id: "objects.x",
    suite: "objects",
    law: "x",
    numRuns: 8,
    run: () => Promise.resolve(),
  } as CheckDef;
  const run = { timeoutMs: 120_000 } as Parameters<typeof timeLimitOf>[1];
  assert.equal(timeLimitOf(check, run), 120_000);
  assert.equal(timeLimitOf(check, { ...run, numRuns: 60 }), 900_000);
  assert.equal(timeLimitOf(check, { ...run, numRuns: 4 }), 120_000, "fewer runs keep the whole limit");
  assert.equal(timeLimitOf(check, { ...run, numRuns: 60, timeoutGiven: true }), 120_000);
  assert.equal(
    timeLimitOf({ ...check, numRuns: undefined }, { ...run, numRuns: 60 }),
    120_000,
    "a check without runs",
  );
});
