import assert from "node:assert/strict";
import { checkRecord, formatJson, formatJunit, formatPretty, formatReport } from "./report.ts";
import type { CheckResult, Report } from "./runner.ts";

const failing: CheckResult = {
  id: "pagination.concatenated-pages-equal-model",
  suite: "pagination",
  law: "Pages concatenate to the model's listing",
  status: "FAIL",
  message: 'Pages list ["a"] <b> & "c"',
  durationMs: 12,
  seed: 42,
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
  endpoint: "http://127.0.0.1:1",
  embedded: true,
  bucket: "b",
  runPrefix: "p/",
  seed: 42,
  profile: {} as Report["profile"],
  startedAt: "2026-01-01T00:00:00.000Z",
  durationMs: 1500,
  requestCount: 10,
  results: [
    failing,
    {
      id: "objects.etag-is-md5",
      suite: "objects",
      law: "ETag = MD5",
      status: "PASS",
      durationMs: 3,
      findings: [{ name: "x", value: 1 }],
    },
    {
      id: "objects.bucket-not-empty-refused",
      suite: "objects",
      law: "L",
      status: "SKIP",
      message: "no second bucket",
      durationMs: 0,
      findings: [],
    },
  ],
  findings: [{ check: "objects.etag-is-md5", name: "x", value: 1 }],
  cleanupProblems: [],
  aborted: false,
  summary: { total: 3, pass: 1, fail: 1, skip: 1 },
};

Deno.test("json reporter: one JSON object per check with name, suite, law, status and failure evidence", () => {
  const lines = formatJson(report).trimEnd().split("\n").map((l) => JSON.parse(l));
  assert.equal(lines.length, 3);
  const f = lines[0];
  for (
    const k of [
      "name",
      "suite",
      "law",
      "status",
      "seed",
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
  assert.equal(f.status, "FAIL");
  assert.equal(f.exchange.requestHeaders.authorization, "REDACTED");
  assert.deepEqual(lines.map((l) => l.status), ["FAIL", "PASS", "SKIP"]);
  assert.deepEqual(lines[1].findings, [{ name: "x", value: 1 }]);
  assert.equal(checkRecord(report.results[1]).seed, undefined);
});

Deno.test("junit reporter: well-formed suites and testcases with failure and skipped elements, text escaped", () => {
  const xml = formatJunit(report);
  assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites /);
  assert.match(xml, /<testsuites name="boskit conformance" tests="3" failures="1" skipped="1" time="1.500">/);
  assert.match(xml, /<testsuite name="pagination" tests="1" failures="1" skipped="0"/);
  assert.match(xml, /<testsuite name="objects" tests="2" failures="0" skipped="1"/);
  assert.match(
    xml,
    /<failure message="Pages list \[&quot;a&quot;\] &lt;b&gt; &amp; &quot;c&quot;" type="LawViolation">/,
  );
  assert.match(xml, /<skipped message="no second bucket"\/>/);
  assert.match(
    xml,
    /replay: deno task conformance --only pagination.concatenated-pages-equal-model --seed 42 --path 3:0:1/,
  );
  assert.equal((xml.match(/<testcase /g) ?? []).length, 3);
  assert.equal((xml.match(/<\/testcase>/g) ?? []).length, 3);
  assert(
    // deno-lint-ignore no-control-regex
    !/[\x00-\x08]/.test(formatJunit({ ...report, results: [{ ...failing, message: "bad \x01 byte" }] })),
  );
});

Deno.test("pretty reporter: failures with replay commands, findings, a table by suite and the total time", () => {
  const text = formatPretty(report);
  assert.match(text, /FAIL pagination.concatenated-pages-equal-model/);
  assert.match(text, /replay: deno task conformance --only/);
  assert.match(text, /x = 1 \[objects.etag-is-md5\]/);
  assert.match(text, /pagination\s+1\s+0\s+1\s+0/);
  assert.match(text, /total\s+3\s+1\s+1\s+1\s+1.50s/);
  assert.match(text, /FAILED: 1 passed, 1 failed, 1 skipped in 1.5 s/);
  assert.equal(formatReport(report, "pretty"), text);
});
