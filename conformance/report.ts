/**
 * Reporters: a human summary (pretty), JSON lines (a run record, then one record per check), JUnit
 * XML for CI systems, and one self-contained HTML page.
 *
 * @module
 */
import { formatHtml } from "./_report_html.ts";
import { failureText, xml } from "./_report_text.ts";
import type { CheckResult, Report } from "./_results.ts";

export { formatHtml };

/** The report formats. */
export type ReporterName = "pretty" | "json" | "junit" | "html";

/**
 * The formats {@link formatReport} knows.
 *
 * @example
 * ```ts
 * import { REPORTERS } from "@boskit/boskit/conformance";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual([...REPORTERS], ["pretty", "json", "junit", "html"]);
 * ```
 */
export const REPORTERS: readonly ReporterName[] = ["pretty", "json", "junit", "html"];

/**
 * The first JSON record of a report: the run (`"type": "run"`) with endpoint, addressing, TLS, seed,
 * profile, kit version, runtime, start and end, status, counts, measured limits and the probe's
 * diagnosis. The schema is `conformance/report.schema.json`.
 *
 * @param report The report.
 * @returns A plain object ready for `JSON.stringify`.
 *
 * @example
 * ```ts
 * import { runRecord } from "@boskit/boskit/conformance";
 * import assert from "node:assert/strict";
 *
 * const record = runRecord({ status: "passed", seed: 7, results: [] } as never);
 * assert.equal(record.type, "run");
 * assert.equal(record.status, "passed");
 * ```
 */
export function runRecord(report: Report): Record<string, unknown> {
  const record: Record<string, unknown> = {
    type: "run",
    status: report.status,
    ...(report.error !== undefined ? { error: report.error } : {}),
    endpoint: report.endpoint,
    embedded: report.embedded,
    addressing: report.addressing,
    tls: report.tls,
    bucket: report.bucket,
    runPrefix: report.runPrefix,
    seed: report.seed,
    profile: report.profile,
    kitVersion: report.kitVersion,
    runtime: report.runtime,
    hostname: report.hostname,
    concurrency: report.concurrency,
    timeoutMs: report.timeoutMs,
    startedAt: report.startedAt,
    endedAt: report.endedAt,
    durationMs: report.durationMs,
    requestCount: report.requestCount,
    counts: report.summary,
    limits: report.limits,
    probe: report.probe,
    cleanupProblems: report.cleanupProblems,
    leftBehind: report.leftBehind,
  };
  for (const [k, v] of Object.entries(record)) if (v === undefined) delete record[k];
  return record;
}

/**
 * One JSON record per check (`"type": "check"`): name, suite, law, status, and when they apply the
 * failure kind, seeds, path, numRuns, shrunk counterexample, the failing exchange (secrets removed),
 * BOS request id, replay command, expectation, duration and findings.
 *
 * @param result A check result.
 * @returns A plain object ready for `JSON.stringify`.
 *
 * @example
 * ```ts
 * import { checkRecord } from "@boskit/boskit/conformance";
 * import assert from "node:assert/strict";
 *
 * const record = checkRecord({ id: "objects.etag-is-md5", suite: "objects", law: "…", status: "PASS", durationMs: 3, findings: [] });
 * assert.equal(record.name, "objects.etag-is-md5");
 * assert.equal(record.type, "check");
 * ```
 */
export function checkRecord(result: CheckResult): Record<string, unknown> {
  const record: Record<string, unknown> = {
    type: "check",
    name: result.id,
    suite: result.suite,
    law: result.law,
    status: result.status,
    durationMs: result.durationMs,
  };
  const optional: Array<keyof CheckResult> = [
    "offsetMs",
    "message",
    "failure",
    "expected",
    "seed",
    "checkSeed",
    "path",
    "replayPath",
    "numRuns",
    "numShrinks",
    "counterexample",
    "requestId",
    "exchange",
    "replay",
  ];
  for (const k of optional) if (result[k] !== undefined) record[k] = result[k];
  if (result.findings.length) record.findings = result.findings;
  return record;
}

/**
 * JSON lines: the run record first, then one record per check in run order.
 *
 * @param report The report.
 * @returns Newline-terminated JSON lines.
 *
 * @example
 * ```ts
 * import { formatJson } from "@boskit/boskit/conformance";
 * import assert from "node:assert/strict";
 *
 * const text = formatJson({ status: "passed", results: [{ id: "a.b", suite: "objects", law: "L", status: "SKIP", durationMs: 0, findings: [] }] } as never);
 * const [run, check] = text.trim().split("\n").map((l) => JSON.parse(l));
 * assert.equal(run.type, "run");
 * assert.equal(check.status, "SKIP");
 * ```
 */
export function formatJson(report: Report): string {
  return [runRecord(report), ...report.results.map(checkRecord)].map((r) => JSON.stringify(r) + "\n").join(
    "",
  );
}

/** An ISO time as JUnit's `timestamp` wants it: `2026-11-25T10:00:00`, UTC, no zone. */
function junitTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/**
 * JUnit XML in the shape of the Ant/Jenkins schema that CI systems read: one `<testsuite>` per kit
 * suite with `timestamp`, `hostname`, `time` (the suite's wall time) and `tests`/`failures`/
 * `errors`/`skipped`; the seed, endpoint, kit version and measured limits as properties; one
 * `<testcase>` per check with `<failure>` (a law failed), `<error>` (timeout or unexpected error) or
 * `<skipped>` (also for expected failures), and its law in `<system-out>`.
 *
 * @param report The report.
 * @returns The XML document.
 *
 * @example
 * ```ts
 * import { formatJunit } from "@boskit/boskit/conformance";
 * import assert from "node:assert/strict";
 *
 * const report = { startedAt: "2026-11-25T10:00:00.000Z", hostname: "ci-7", seed: 1, durationMs: 5, limits: [],
 *   summary: { total: 1, pass: 0, fail: 1, skip: 0, xfail: 0, xpass: 0, error: 0, notRun: 0 }, results: [
 *   { id: "a.b", suite: "objects", law: "L", status: "FAIL", failure: "law", message: "x < y", durationMs: 5, findings: [] },
 * ] };
 * const text = formatJunit(report as never);
 * assert.match(text, /<testsuite name="objects" [^>]*timestamp="2026-11-25T10:00:00" hostname="ci-7"/);
 * assert.match(text, /<failure message="x &lt; y"/);
 * ```
 */
export function formatJunit(report: Report): string {
  const bySuite = new Map<string, CheckResult[]>();
  for (const r of report.results) {
    if (!bySuite.has(r.suite)) bySuite.set(r.suite, []);
    bySuite.get(r.suite)!.push(r);
  }
  const start = Date.parse(report.startedAt);
  const isError = (r: CheckResult) => r.status === "FAIL" && r.failure !== undefined && r.failure !== "law";
  const isFailure = (r: CheckResult) => r.status === "FAIL" && !isError(r);
  const isSkipped = (r: CheckResult) => r.status === "SKIP" || r.status === "XFAIL";
  const props: Array<[string, string]> = [
    ["seed", String(report.seed)],
    ["status", report.status],
    ["endpoint", report.endpoint],
    ["kitVersion", report.kitVersion],
    ["runtime", report.runtime],
    ["concurrency", String(report.concurrency)],
  ];
  for (const l of report.limits ?? []) {
    props.push([`limit.${l.name}`, `${l.value} (profile ${l.profile}, ${l.check})`]);
  }
  const properties = props.filter(([, v]) => v !== undefined && v !== "undefined")
    .map(([n, v]) => `      <property name="${xml(n)}" value="${xml(v)}"/>`);
  const s = report.summary;
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(
    `<testsuites name="boskit conformance" tests="${s.total}" failures="${
      s.fail - s.error
    }" errors="${s.error}" skipped="${s.skip + s.xfail}" time="${seconds(report.durationMs)}" timestamp="${
      junitTime(start)
    }">`,
  );
  let id = 0;
  for (const [suite, results] of bySuite) {
    const first = Math.min(...results.map((r) => r.offsetMs ?? 0));
    const last = Math.max(...results.map((r) => (r.offsetMs ?? 0) + r.durationMs));
    out.push(
      `  <testsuite name="${
        xml(suite)
      }" package="conformance" id="${id++}" tests="${results.length}" failures="${
        results.filter(isFailure).length
      }" errors="${results.filter(isError).length}" skipped="${results.filter(isSkipped).length}" time="${
        seconds(last - first)
      }" timestamp="${junitTime(start + first)}" hostname="${xml(report.hostname ?? "localhost")}">`,
    );
    out.push("    <properties>", ...properties, "    </properties>");
    for (const r of results) {
      out.push(
        `    <testcase classname="conformance.${xml(suite)}" name="${xml(r.id)}" time="${
          seconds(r.durationMs)
        }">`,
      );
      if (isFailure(r)) {
        out.push(
          `      <failure message="${xml(r.message ?? "failed")}" type="LawViolation">${
            xml(failureText(r))
          }</failure>`,
        );
      } else if (isError(r)) {
        out.push(
          `      <error message="${xml(r.message ?? "error")}" type="${
            r.failure === "timeout" ? "Timeout" : "Error"
          }">${xml(failureText(r))}</error>`,
        );
      } else if (r.status === "XFAIL") {
        out.push(`      <skipped message="${xml(`Expected failure: ${r.expected ?? ""}`)}"/>`);
      } else if (r.status === "SKIP") {
        out.push(`      <skipped message="${xml(r.message ?? "skipped")}"/>`);
      }
      const notes = [`law: ${r.law}`];
      if (r.status === "XPASS") notes.push(`XPASS: ${r.message ?? ""} (${r.expected ?? ""})`);
      if (r.status === "XFAIL") notes.push(failureText(r));
      out.push(`      <system-out>${xml(notes.join("\n"))}</system-out>`);
      out.push("    </testcase>");
    }
    out.push("    <system-out/>", "    <system-err/>", "  </testsuite>");
  }
  out.push("</testsuites>");
  return out.join("\n") + "\n";
}

/**
 * The human summary: failures with evidence and replay commands, expected failures, findings, a
 * table by suite and the total time; for a run that could not be judged, the probe's one line.
 *
 * @param report The report.
 * @returns Text for a terminal.
 *
 * @example
 * ```ts
 * import { formatPretty } from "@boskit/boskit/conformance";
 * import assert from "node:assert/strict";
 *
 * const report = { status: "passed", endpoint: "http://x", embedded: true, bucket: "b", seed: 1, durationMs: 1200,
 *   requestCount: 3, summary: { total: 1, pass: 1, fail: 0, skip: 0, xfail: 0, xpass: 0, error: 0, notRun: 0 },
 *   findings: [], cleanupProblems: [], leftBehind: [], aborted: false,
 *   results: [{ id: "a.b", suite: "objects", law: "L", status: "PASS", durationMs: 2, findings: [] }] };
 * assert.match(formatPretty(report as never), /objects\s+1\s+1\s+0\s+0/);
 * ```
 */
export function formatPretty(report: Report): string {
  if (report.status === "error") {
    return `ERROR: ${
      report.error ?? report.probe?.diagnosis ?? "the run could not be judged"
    } — no check ran\n`;
  }
  const lines: string[] = [];
  lines.push(
    `boskit conformance — ${
      report.embedded ? "embedded reference server " : ""
    }${report.endpoint}, bucket ${report.bucket}, seed ${report.seed}${
      report.tls === "insecure" ? " — TLS NOT VERIFIED (--insecure)" : ""
    }`,
  );
  for (const r of report.results.filter((r) => r.status === "FAIL")) {
    lines.push("", `FAIL ${r.id}`, `  law: ${r.law}`);
    for (const l of failureText(r).split("\n")) lines.push(`  ${l}`);
  }
  const expected = report.results.filter((r) => r.status === "XFAIL" || r.status === "XPASS");
  if (expected.length) {
    lines.push("", "Expected failures (--expect):");
    for (const r of expected) {
      lines.push(
        `  ${r.status} ${r.id}: ${r.expected ?? ""}${
          r.status === "XPASS" ? " — it passes now; remove it" : ""
        }`,
      );
    }
  }
  const skips = report.results.filter((r) => r.status === "SKIP");
  if (skips.length) {
    lines.push("", "Skipped:");
    for (const r of skips) lines.push(`  ${r.id}: ${r.message ?? ""}`);
  }
  if (report.findings.length) {
    lines.push("", "Findings:");
    const seen = new Set<string>();
    for (const f of report.findings) {
      const line = `  ${f.name} = ${f.value}${f.note ? ` (${f.note})` : ""} [${f.check}]`;
      if (!seen.has(line)) lines.push(line);
      seen.add(line);
    }
  }
  if (report.cleanupProblems.length) {
    lines.push("", "Cleanup problems:");
    for (const p of report.cleanupProblems) lines.push(`  ${p}`);
  }
  if (report.leftBehind?.length) {
    lines.push("", "Left in place:");
    for (const p of report.leftBehind.slice(0, 50)) lines.push(`  ${p}`);
    if (report.leftBehind.length > 50) lines.push(`  … and ${report.leftBehind.length - 50} more`);
  }
  lines.push(
    "",
    `${"suite".padEnd(12)} ${"checks".padStart(6)} ${"pass".padStart(5)} ${"fail".padStart(5)} ${
      "skip".padStart(5)
    } ${"time".padStart(8)}`,
  );
  const suites = [...new Set(report.results.map((r) => r.suite))];
  const row = (name: string, rs: CheckResult[], ms: number) =>
    `${name.padEnd(12)} ${String(rs.length).padStart(6)} ${
      String(rs.filter((r) => r.status === "PASS" || r.status === "XPASS").length).padStart(5)
    } ${String(rs.filter((r) => r.status === "FAIL").length).padStart(5)} ${
      String(rs.filter((r) => r.status === "SKIP" || r.status === "XFAIL").length).padStart(5)
    } ${(ms / 1000).toFixed(2).padStart(7)}s`;
  for (const s of suites) {
    const rs = report.results.filter((r) => r.suite === s);
    lines.push(row(s, rs, rs.reduce((n, r) => n + r.durationMs, 0)));
  }
  lines.push(row("total", report.results, report.durationMs));
  const s = report.summary;
  const verdict = report.status === "aborted" ? "STOPPED" : s.fail === 0 ? "OK" : "FAILED";
  const extra = [
    s.xfail ? `${s.xfail} expected failures` : "",
    s.xpass ? `${s.xpass} unexpectedly passed` : "",
    s.notRun ? `${s.notRun} not run` : "",
  ].filter(Boolean);
  lines.push(
    "",
    `${verdict}: ${s.pass} passed, ${s.fail} failed, ${s.skip} skipped${
      extra.length ? ", " + extra.join(", ") : ""
    } in ${(report.durationMs / 1000).toFixed(1)} s (${report.requestCount} requests)`,
  );
  return lines.join("\n") + "\n";
}

/**
 * Formats a report.
 *
 * @param report The report.
 * @param reporter `pretty`, `json`, `junit` or `html`.
 * @returns The text.
 *
 * @example
 * ```ts
 * import { formatReport } from "@boskit/boskit/conformance";
 * import assert from "node:assert/strict";
 *
 * assert.equal(JSON.parse(formatReport({ status: "error", results: [] } as never, "json")).type, "run");
 * ```
 */
export function formatReport(report: Report, reporter: ReporterName): string {
  return reporter === "json"
    ? formatJson(report)
    : reporter === "junit"
    ? formatJunit(report)
    : reporter === "html"
    ? formatHtml(report)
    : formatPretty(report);
}
