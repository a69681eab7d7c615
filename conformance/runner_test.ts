import assert from "node:assert/strict";
import { createAuthorization } from "../protocol/signing/sign.ts";
import { serve } from "../server/mod.ts";
import { listChecks, randomCredentials, runConformance, selectChecks, SUITES } from "./mod.ts";

async function signedFetch(
  base: string,
  creds: { accessKeyId: string; secretAccessKey: string },
  method: string,
  path: string,
  body?: string,
  query = "",
) {
  const host = new URL(base).host;
  const headers: Record<string, string> = { host };
  if (body) headers["content-length"] = String(new TextEncoder().encode(body).length);
  const authorization = await createAuthorization({
    ...creds,
    method,
    path,
    query,
    headers,
    timestamp: new Date(),
  });
  const res = await fetch(`${base}${path}${query ? "?" + query : ""}`, {
    method,
    headers: { authorization },
    body,
  });
  return { status: res.status, text: await res.text() };
}

Deno.test("runner: check ids are unique, prefixed by their suite, and every suite has checks", () => {
  const checks = listChecks();
  assert.equal(new Set(checks.map((c) => c.id)).size, checks.length);
  for (const c of checks) assert(c.id.startsWith(c.suite + "."), c.id);
  for (const s of SUITES) assert(checks.some((c) => c.suite === s), s);
  assert.deepEqual(selectChecks(["objects.etag-is-md5"]).ids, ["objects.etag-is-md5"]);
  assert(selectChecks([], ["signing"]).ids.every((id) => !id.startsWith("signing.")));
});

Deno.test("runner: against an existing bucket the run leaves exactly what was there (safe on a production bucket)", async () => {
  const creds = randomCredentials();
  const server = await serve({ credentials: [creds] });
  try {
    assert.equal((await signedFetch(server.url, creds, "PUT", "/prod")).status, 200);
    assert.equal((await signedFetch(server.url, creds, "PUT", "/prod/precious.txt", "keep me")).status, 200);
    assert.equal(
      (await signedFetch(server.url, creds, "PUT", "/prod/boskit-conformance/other-run/x", "not ours"))
        .status,
      200,
    );
    const report = await runConformance({
      endpoint: server.url,
      credentials: creds,
      bucket: "prod",
      only: [
        "objects",
        "pagination.concatenated-pages-equal-model",
        "multipart",
        "offsets.append-sequence-matches-model",
        "model.objects-match-model",
        "model.multipart-matches-model",
      ],
      seed: 3,
    });
    assert.equal(report.summary.fail, 0, JSON.stringify(report.results.filter((r) => r.status === "FAIL")));
    assert.deepEqual(report.cleanupProblems, []);
    const list = JSON.parse((await signedFetch(server.url, creds, "GET", "/prod")).text);
    assert.deepEqual(list.contents.map((c: { key: string }) => c.key), [
      "boskit-conformance/other-run/x",
      "precious.txt",
    ]);
    const uploads = JSON.parse(
      (await signedFetch(server.url, creds, "GET", "/prod", undefined, "uploads")).text,
    );
    assert.deepEqual(uploads.uploads ?? [], []);
    assert.equal((await signedFetch(server.url, creds, "GET", "/prod/precious.txt")).text, "keep me");
  } finally {
    await server.close();
  }
});

Deno.test("runner: a fresh bucket is created and removed; --keep leaves it", async () => {
  const creds = randomCredentials();
  const server = await serve({ credentials: [creds] });
  try {
    const a = await runConformance({
      endpoint: server.url,
      credentials: creds,
      only: ["objects.content-round-trips"],
      seed: 1,
    });
    assert.equal((await signedFetch(server.url, creds, "HEAD", "/" + a.bucket)).status, 404);
    const b = await runConformance({
      endpoint: server.url,
      credentials: creds,
      only: ["objects.content-round-trips"],
      seed: 1,
      keep: true,
    });
    assert.equal((await signedFetch(server.url, creds, "HEAD", "/" + b.bucket)).status, 200);
  } finally {
    await server.close();
  }
});

Deno.test("runner: aborting stops the run, cleans up and reports aborted", async () => {
  const creds = randomCredentials();
  const server = await serve({ credentials: [creds] });
  try {
    const controller = new AbortController();
    const report = await runConformance({
      endpoint: server.url,
      credentials: creds,
      only: ["pagination"],
      seed: 5,
      signal: controller.signal,
      onResult: () => controller.abort(),
    });
    assert.equal(report.aborted, true);
    assert(report.results.length < listChecks().filter((c) => c.suite === "pagination").length);
    assert.deepEqual(report.cleanupProblems, []);
    assert.equal((await signedFetch(server.url, creds, "HEAD", "/" + report.bucket)).status, 404);
  } finally {
    await server.close();
  }
});

Deno.test("runner: a replayed seed and path reproduce the failure exactly once", async () => {
  const { ZOO } = await import("./_zoo.ts");
  const entry = ZOO.find((z) => z.name === "utf16-key-order")!;
  const creds = randomCredentials();
  const first = await runConformance({
    handler: entry.make(creds),
    credentials: creds,
    only: ["pagination.keys-in-utf8-byte-order"],
    seed: 9,
  });
  const f = first.results[0];
  assert.equal(f.status, "FAIL");
  assert(f.path && f.counterexample);
  const replay = await runConformance({
    handler: entry.make(creds),
    credentials: creds,
    only: [f.id],
    seed: f.seed,
    path: f.path,
  });
  assert.equal(replay.results[0].status, "FAIL");
  assert.equal(replay.results[0].counterexample, f.counterexample);
});

Deno.test("runner: virtual-host addressing (<bucket>.<host>/<key>) passes against the reference server", async () => {
  const { createHandler } = await import("../server/mod.ts");
  const creds = randomCredentials();
  const handler = createHandler({ credentials: [creds], baseDomain: "localhost" });
  const inProcess: typeof fetch = (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set("host", new URL(input as string).host);
    const body = init?.body as Uint8Array | undefined;
    if (body && body.length > 0) headers.set("content-length", String(body.length));
    return handler(new Request(input as string, { ...init, headers }));
  };
  const report = await runConformance({
    endpoint: "http://localhost:8080",
    credentials: creds,
    fetch: inProcess,
    addressing: "virtual",
    only: ["signing", "objects", "pagination.listing-table-matches-bos", "copy", "model.objects-match-model"],
    seed: 4,
  });
  assert.equal(report.summary.fail, 0, JSON.stringify(report.results.filter((r) => r.status === "FAIL")));
  assert(report.results.some((r) => r.id === "signing.presigned-v1-path-accepted" && r.status === "SKIP"));
  assert(report.results.every((r) => !r.exchange || r.exchange.url.startsWith("http://boskit-conf-")));
});

Deno.test("runner: every check through a relay adding 10 ms each way (20 ms round trip) passes, with the results of a direct run", async () => {
  const { startRelay } = await import("./_relay.ts");
  const creds = randomCredentials();
  const server = await serve({ port: 0, hostname: "127.0.0.1", credentials: [creds] });
  const relay = startRelay({
    targetHost: "127.0.0.1",
    targetPort: Number(new URL(server.url).port),
    delayMs: 10,
  });
  try {
    // Every check, with two runs per property: the full run's wall time is a benchmark (figure 7), not a test.
    const far = await runConformance({ endpoint: relay.url, credentials: creds, seed: 31, numRuns: 2 });
    assert.equal(far.status, "passed", JSON.stringify(far.results.filter((r) => r.status === "FAIL")));
    assert(far.summary.pass > 100);
    assert(relay.connections > 1, "requests went over several connections at once");
    const near = await runConformance({ endpoint: server.url, credentials: creds, seed: 31, numRuns: 2 });
    const strip = (
      r: { id: string; status: string; checkSeed?: number; numRuns?: number },
    ) => [r.id, r.status, r.checkSeed, r.numRuns];
    assert.deepEqual(far.results.map(strip), near.results.map(strip));
  } finally {
    await relay.close();
    await server.close();
  }
});

Deno.test("runner: --expect skip leaves a check out; fail turns its failure into XFAIL (the run passes) and its pass into XPASS", async () => {
  const { ZOO } = await import("./_zoo.ts");
  const creds = randomCredentials();
  const entry = ZOO.find((z) => z.name === "range-off-by-one")!;
  const report = await runConformance({
    handler: entry.make(creds),
    credentials: creds,
    only: [
      "offsets.range-returns-exact-bytes",
      "objects.put-replaces-object",
      "objects.etag-is-md5",
    ],
    seed: 8,
    expect: {
      "offsets.range-returns-exact-bytes": { status: "fail", reason: "one byte too many, ticket 12" },
      "objects.put-replaces-object": { status: "fail", reason: "same bug" },
      "objects.etag-is-md5": { status: "skip", reason: "ETags are not MD5 here" },
    },
  });
  const by = Object.fromEntries(report.results.map((r) => [r.id, r]));
  assert.equal(by["offsets.range-returns-exact-bytes"].status, "XFAIL");
  assert.equal(by["offsets.range-returns-exact-bytes"].expected, "one byte too many, ticket 12");
  assert(by["offsets.range-returns-exact-bytes"].counterexample, "an XFAIL keeps its evidence");
  assert.equal(by["objects.put-replaces-object"].status, "XPASS");
  assert.equal(by["objects.etag-is-md5"].status, "SKIP");
  assert.equal(by["objects.etag-is-md5"].durationMs, 0);
  assert.equal(report.status, "passed");
  assert.deepEqual(
    [report.summary.xfail, report.summary.xpass, report.summary.skip, report.summary.fail],
    [1, 1, 1, 0],
  );
});

Deno.test("runner: fail-fast starts no check after the first failure", async () => {
  const { ZOO } = await import("./_zoo.ts");
  const creds = randomCredentials();
  const entry = ZOO.find((z) => z.name === "signature-not-checked")!;
  const report = await runConformance({
    handler: entry.make(creds),
    credentials: creds,
    only: ["signing"],
    seed: 8,
    concurrency: 1,
    failFast: true,
  });
  assert.equal(report.status, "failed");
  assert.equal(report.results.at(-1)!.status, "FAIL");
  assert.equal(report.summary.fail, 1);
  assert(report.summary.notRun > 0);
});

Deno.test("runner: a stop during the probe ends the run as aborted, with nothing created", async () => {
  const { slowReferenceServer } = await import("./testdata/endpoints.ts");
  const creds = randomCredentials();
  const server = slowReferenceServer(creds, () => true, Infinity);
  try {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const report = await runConformance({
      endpoint: server.url,
      credentials: creds,
      signal: controller.signal,
    });
    assert.equal(report.status, "aborted");
    assert.equal(report.probe.ok, false);
    assert.deepEqual(report.results, []);
    assert.deepEqual(report.leftBehind, []);
  } finally {
    await server.close();
  }
});

Deno.test("runner: maxObjectSize bounds every body the model suite sends, and its large check still passes", async () => {
  let largest = 0;
  const counting: typeof fetch = (input, init) => {
    const body = init?.body as Uint8Array | undefined;
    if (body) largest = Math.max(largest, body.length);
    return fetch(input, init);
  };
  const report = await runConformance({
    only: ["model.large-objects-match-model", "model.multipart-matches-model"],
    maxObjectSize: 300 * 1024,
    fetch: counting,
    seed: 11,
  });
  assert.equal(report.summary.fail, 0, JSON.stringify(report.results.filter((r) => r.status === "FAIL")));
  assert(largest <= 300 * 1024, `a ${largest}-byte body was sent`);
  assert(largest > 200 * 1024, `the large check wrote only ${largest} bytes`);
});
