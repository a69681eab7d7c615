import assert from "node:assert/strict";
import { ZOO } from "./_zoo.ts";
import {
  checkRecord,
  formatHtml,
  formatJson,
  formatJunit,
  formatPretty,
  formatReport,
  runRecord,
} from "./report.ts";
import { randomCredentials, runConformance } from "./mod.ts";
import type { CheckResult, Report } from "./runner.ts";
import { validate } from "./testdata/json_schema.ts";
import { findAll, hasClass, parseXml, textOf, type XmlElement } from "./testdata/xml.ts";
import { notBosEndpoints } from "./testdata/endpoints.ts";
import schema from "./report.schema.json" with { type: "json" };

const failing: CheckResult = {
  id: "pagination.concatenated-pages-equal-model",
  suite: "pagination",
  law: "Pages concatenate to the model's listing",
  status: "FAIL",
  failure: "law",
  message: 'Pages list ["a"] <b> & "c"',
  durationMs: 12,
  offsetMs: 5,
  seed: 42,
  checkSeed: -7,
  path: "3:0:1",
  numRuns: 4,
  numShrinks: 2,
  counterexample: '[["a"],{"maxKeys":1}]',
  exchange: {
    method: "GET",
    url: "http://127.0.0.1:1/b?maxKeys=1",
    requestHeaders: { authorization: "REDACTED" },
    requestBodyLength: 0,
    status: 200,
    responseHeaders: { "x-bce-request-id": "rid-1" },
    bodyExcerpt: "{}",
    requestId: "rid-1",
    durationMs: 1,
  },
  requestId: "rid-1",
  findings: [],
  replay: "deno task conformance --only pagination.concatenated-pages-equal-model --seed 42 --path 3:0:1",
};

const report: Report = {
  status: "failed",
  endpoint: "http://127.0.0.1:1",
  embedded: true,
  addressing: "path",
  tls: "none",
  bucket: "b",
  runPrefix: "p/",
  seed: 42,
  profile: {} as Report["profile"],
  kitVersion: "0.1.0",
  runtime: "Deno 2.9.6 linux x86_64",
  hostname: "ci-runner-7",
  concurrency: 8,
  timeoutMs: 120_000,
  startedAt: "2026-01-01T00:00:00.000Z",
  endedAt: "2026-01-01T00:00:01.500Z",
  durationMs: 1500,
  requestCount: 10,
  probe: { ok: true, diagnosis: "http://127.0.0.1:1 speaks BOS and accepts the credentials", steps: [] },
  results: [
    failing,
    {
      id: "objects.etag-is-md5",
      suite: "objects",
      law: "ETag = MD5",
      status: "PASS",
      durationMs: 3,
      offsetMs: 0,
      findings: [{ name: "maxKeyLength", value: 1024 }],
    },
    {
      id: "objects.bucket-not-empty-refused",
      suite: "objects",
      law: "L",
      status: "SKIP",
      message: "no second bucket",
      durationMs: 0,
      offsetMs: 10,
      findings: [],
    },
    {
      id: "objects.put-replaces-object",
      suite: "objects",
      law: "Put replaces",
      status: "FAIL",
      failure: "timeout",
      message: "No result within 1 s (--timeout)",
      replay: "deno task conformance --only objects.put-replaces-object",
      durationMs: 1000,
      offsetMs: 20,
      findings: [],
    },
  ],
  findings: [{ check: "objects.etag-is-md5", name: "maxKeyLength", value: 1024 }],
  limits: [{ name: "maxKeyLength", value: 1024, profile: 1024, check: "objects.etag-is-md5" }],
  cleanupProblems: [],
  leftBehind: [],
  aborted: false,
  summary: { total: 4, pass: 1, fail: 2, skip: 1, xfail: 0, xpass: 0, error: 1, notRun: 0 },
};

Deno.test("json reporter: a run record first, then one record per check with name, suite, law, status and failure evidence", () => {
  const lines = formatJson(report).trimEnd().split("\n").map((l) => JSON.parse(l));
  assert.equal(lines.length, 5);
  assert.equal(lines[0].type, "run");
  assert.equal(lines[0].status, "failed");
  assert.deepEqual(lines[0].counts, report.summary);
  assert.deepEqual(lines[0].limits, report.limits);
  assert.equal(lines[0].probe.diagnosis, report.probe.diagnosis);
  const f = lines[1];
  for (
    const k of [
      "type",
      "name",
      "suite",
      "law",
      "status",
      "failure",
      "seed",
      "checkSeed",
      "path",
      "numRuns",
      "counterexample",
      "exchange",
      "requestId",
      "durationMs",
      "replay",
    ]
  ) {
    assert(k in f, `missing ${k}`);
  }
  assert.equal(f.type, "check");
  assert.equal(f.exchange.requestHeaders.authorization, "REDACTED");
  assert.deepEqual(lines.slice(1).map((l) => l.status), ["FAIL", "PASS", "SKIP", "FAIL"]);
  assert.deepEqual(lines[2].findings, [{ name: "maxKeyLength", value: 1024 }]);
  assert.equal(checkRecord(report.results[1]).seed, undefined);
  assert.deepEqual(runRecord(report), lines[0]);
});

/** A real report of each kind: passing, failing (with evidence), expected failures, probe error, aborted. */
async function realReports(): Promise<Record<string, Report>> {
  const credentials = randomCredentials();
  const zoo = ZOO.find((z) => z.name === "delete-missing-is-204")!;
  const controller = new AbortController();
  const [notBos] = notBosEndpoints().slice(1, 2);
  try {
    return {
      passing: await runConformance({ only: ["objects", "part_math"], seed: 1 }),
      failing: await runConformance({
        handler: ZOO.find((z) => z.name === "utf16-key-order")!.make(credentials),
        credentials,
        only: ["pagination.keys-in-utf8-byte-order", "objects.etag-is-md5"],
        seed: 1,
      }),
      expected: await runConformance({
        handler: zoo.make(credentials),
        credentials,
        only: ["objects.delete-missing-key-is-no-such-key", "objects.etag-is-md5", "copy"],
        expect: {
          "objects.delete-missing-key-is-no-such-key": { status: "fail", reason: "S3 style" },
          "objects.etag-is-md5": { status: "fail", reason: "stale entry" },
          "copy.missing-source-is-no-such-key": { status: "skip", reason: "not implemented" },
        },
        seed: 1,
      }),
      error: await runConformance({ endpoint: notBos.server.url, credentials }),
      aborted: await runConformance({
        only: ["pagination"],
        seed: 1,
        concurrency: 2,
        signal: controller.signal,
        onResult: () => controller.abort(),
      }),
    };
  } finally {
    await notBos.server.close();
  }
}

const reports = realReports();

Deno.test("json reporter: real reports (passing, failing, expected failures, probe error, aborted) validate against report.schema.json", async () => {
  const all = await reports;
  assert.deepEqual(Object.values(all).map((r) => r.status), [
    "passed",
    "failed",
    "passed",
    "error",
    "aborted",
  ]);
  for (const [kind, r] of Object.entries(all)) {
    const records = formatJson(r).trimEnd().split("\n").map((l) => JSON.parse(l));
    assert.equal(records[0].type, "run", kind);
    assert.equal(records.length, 1 + r.results.length, kind);
    for (const [i, record] of records.entries()) {
      assert.deepEqual(
        validate(schema, record),
        [],
        `${kind} record ${i}: ${JSON.stringify(record).slice(0, 300)}`,
      );
    }
  }
  // The validator has teeth: records missing a field, with a wrong status or an extra field are refused.
  const run = runRecord(all.passing);
  assert.notDeepEqual(validate(schema, { ...run, status: "green" }), []);
  assert.notDeepEqual(validate(schema, { ...run, surprise: 1 }), []);
  const { seed: _seed, ...noSeed } = run;
  assert.notDeepEqual(validate(schema, noSeed), []);
  assert.notDeepEqual(validate(schema, { ...checkRecord(all.failing.results[0]), status: "BROKEN" }), []);
  const expected = all.expected.results;
  assert.deepEqual(expected.map((r) => [r.id, r.status]).sort(), [
    ["copy.conditions-that-hold-allow-copy", "PASS"],
    ["copy.copy-produces-identical-bytes-and-etag", "PASS"],
    ["copy.if-match-failure-is-412", "PASS"],
    ["copy.if-modified-since-failure-is-412", "PASS"],
    ["copy.if-none-match-failure-is-412", "PASS"],
    ["copy.if-unmodified-since-failure-is-412", "PASS"],
    ["copy.missing-source-is-no-such-key", "SKIP"],
    ["copy.unknown-metadata-directive-rejected", "PASS"],
    ["copy.upload-part-copy-honours-conditions", "PASS"],
    ["objects.delete-missing-key-is-no-such-key", "XFAIL"],
    ["objects.etag-is-md5", "XPASS"],
  ]);
  assert.equal(all.expected.summary.fail, 0);
  assert.equal(all.aborted.leftBehind.length, 0);
  assert(all.aborted.summary.notRun > 0);
});

function attrsOf(e: XmlElement, names: string[]): void {
  for (const n of names) assert(n in e.attrs, `<${e.name} name="${e.attrs.name}"> lacks ${n}`);
}

Deno.test("junit reporter: well-formed, Ant/Jenkins shape (timestamp, hostname, time, errors on every suite), seed and limits as properties", async () => {
  for (const r of [report, ...Object.values(await reports)]) {
    const xml = formatJunit(r);
    assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites /);
    const root = parseXml(xml);
    assert.equal(root.name, "testsuites");
    attrsOf(root, ["name", "tests", "failures", "errors", "skipped", "time", "timestamp"]);
    const suites = root.children.filter((c): c is XmlElement => typeof c !== "string");
    assert(suites.every((s) => s.name === "testsuite"));
    let tests = 0;
    for (const s of suites) {
      attrsOf(s, [
        "name",
        "tests",
        "failures",
        "errors",
        "skipped",
        "time",
        "timestamp",
        "hostname",
        "id",
        "package",
      ]);
      assert.match(s.attrs.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
      assert(Number(s.attrs.time) >= 0);
      const kids = s.children.filter((c): c is XmlElement => typeof c !== "string").map((c) => c.name);
      // The Ant schema's order: properties, testcase*, system-out, system-err.
      assert.deepEqual(kids, [
        "properties",
        ...kids.slice(1, -2).map(() => "testcase"),
        "system-out",
        "system-err",
      ]);
      const props = findAll(s, (e) => e.name === "property").map((p) => p.attrs.name);
      assert(props.includes("seed") && props.includes("endpoint") && props.includes("kitVersion"));
      const cases = findAll(s, (e) => e.name === "testcase");
      tests += cases.length;
      assert.equal(Number(s.attrs.tests), cases.length);
      const count = (n: string) => cases.filter((c) => findAll(c, (e) => e.name === n).length > 0).length;
      assert.equal(Number(s.attrs.failures), count("failure"));
      assert.equal(Number(s.attrs.errors), count("error"));
      assert.equal(Number(s.attrs.skipped), count("skipped"));
      for (const c of cases) attrsOf(c, ["classname", "name", "time"]);
    }
    assert.equal(Number(root.attrs.tests), tests);
  }
  const root = parseXml(formatJunit(report));
  const suite = findAll(root, (e) => e.name === "testsuite" && e.attrs.name === "objects")[0];
  assert.equal(suite.attrs.hostname, "ci-runner-7");
  assert.equal(suite.attrs.errors, "1");
  assert.equal(suite.attrs.timestamp, "2026-01-01T00:00:00");
  assert.equal(suite.attrs.time, "1.020");
  const props = Object.fromEntries(
    findAll(suite, (e) => e.name === "property").map((p) => [p.attrs.name, p.attrs.value]),
  );
  assert.equal(props.seed, "42");
  assert.equal(props["limit.maxKeyLength"], "1024 (profile 1024, objects.etag-is-md5)");
  const failure = findAll(root, (e) => e.name === "failure")[0];
  assert.equal(failure.attrs.message, 'Pages list ["a"] <b> & "c"');
  assert.match(
    textOf(failure),
    /replay: deno task conformance --only pagination.concatenated-pages-equal-model --seed 42 --path 3:0:1/,
  );
  assert.equal(findAll(root, (e) => e.name === "error")[0].attrs.type, "Timeout");
  assert.doesNotThrow(() =>
    parseXml(formatJunit({ ...report, results: [{ ...failing, message: "bad \x01 byte" }] }))
  );
});

Deno.test("html reporter: one self-contained well-formed page with results by suite, each failure's law, counterexample, exchange and replay command, and the measured limits", async () => {
  const all = await reports;
  for (const r of [report, ...Object.values(all)]) {
    const page = formatHtml(r);
    assert.match(page, /^<!DOCTYPE html>\n<html lang="en">/);
    const root = parseXml(page);
    // Self-contained: no script, no external resource; links are in-page anchors.
    assert.deepEqual(findAll(root, (e) => ["script", "link", "img", "iframe"].includes(e.name)), []);
    for (const a of findAll(root, (e) => "href" in e.attrs || "src" in e.attrs)) {
      assert.match(a.attrs.href ?? "", /^#/, `external reference ${JSON.stringify(a.attrs)}`);
    }
    const ids = new Set(findAll(root, (e) => "id" in e.attrs).map((e) => e.attrs.id));
    for (const a of findAll(root, (e) => "href" in e.attrs)) {
      assert(ids.has(a.attrs.href.slice(1)), a.attrs.href);
    }
    const articles = findAll(root, (e) => e.name === "article" && hasClass(e, "failure"));
    const failed = r.results.filter((x) => x.status === "FAIL" || x.status === "XFAIL");
    assert.deepEqual(articles.map((a) => a.attrs.id), failed.map((x) => `check-${x.id}`));
    for (const [i, a] of articles.entries()) {
      const f = failed[i];
      const replay = findAll(a, (e) => e.name === "pre" && hasClass(e, "replay"));
      assert.equal(replay.length, 1);
      assert.equal(textOf(replay[0]), f.replay);
      assert(textOf(a).includes(f.law));
      if (f.counterexample) {
        assert.equal(textOf(findAll(a, (e) => hasClass(e, "counterexample"))[0]), f.counterexample);
      }
      if (f.exchange) {
        assert(
          textOf(findAll(a, (e) => hasClass(e, "exchange"))[0]).startsWith(
            `${f.exchange.method} ${f.exchange.url}`,
          ),
        );
      }
    }
    const suites = findAll(root, (e) => e.name === "tr" && (e.attrs.id ?? "").startsWith("suite-"));
    assert.deepEqual(suites.map((s) => s.attrs.id.slice(6)), [...new Set(r.results.map((x) => x.suite))]);
    assert.equal(textOf(findAll(root, (e) => e.attrs.id === "status")[0]), r.status.toUpperCase());
  }
  const passing = parseXml(formatHtml(all.passing));
  const limits = textOf(findAll(passing, (e) => e.attrs.id === "limits")[0]);
  for (const name of ["maxKeyLength", "minPartSize"]) assert(limits.includes(name), `limit ${name} shown`);
  const error = parseXml(formatHtml(all.error));
  assert.match(textOf(findAll(error, (e) => e.attrs.id === "diagnosis")[0]), /does not speak BOS/);
});

Deno.test("pretty reporter: failures with replay commands, findings, a table by suite and the total time; a probe error is one line", () => {
  const text = formatPretty(report);
  assert.match(text, /FAIL pagination.concatenated-pages-equal-model/);
  assert.match(text, /replay: deno task conformance --only/);
  assert.match(text, /maxKeyLength = 1024 \[objects.etag-is-md5\]/);
  assert.match(text, /pagination\s+1\s+0\s+1\s+0/);
  assert.match(text, /total\s+4\s+1\s+2\s+1\s+1.50s/);
  assert.match(text, /FAILED: 1 passed, 2 failed, 1 skipped in 1.5 s/);
  assert.equal(formatReport(report, "pretty"), text);
  const error = formatPretty({
    ...report,
    status: "error",
    error: "http://x does not speak BOS: …",
    results: [],
  });
  assert.equal(error, "ERROR: http://x does not speak BOS: … — no check ran\n");
});
