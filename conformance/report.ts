/**
 * Reporters: a human summary (pretty), one JSON object per check (json, mint-style), and JUnit XML
 * for CI systems.
 *
 * @module
 */
import type { CheckResult, Report } from "./runner.ts";

/** The report formats. */
export type ReporterName = "pretty" | "json" | "junit";

/**
 * The formats {@link formatReport} knows.
 *
 * @example
 * ```ts
 * import { REPORTERS } from "@boskit/boskit/conformance";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual([...REPORTERS], ["pretty", "json", "junit"]);
 * ```
 */
export const REPORTERS: readonly ReporterName[] = ["pretty", "json", "junit"];

/**
 * One JSON record per check: name, suite, law, status, seed, path, numRuns, shrunk counterexample,
 * the failing exchange (secrets removed), BOS request id, duration and findings.
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
 * assert.equal(record.status, "PASS");
 * ```
 */
export function checkRecord(result: CheckResult): Record<string, unknown> {
  const record: Record<string, unknown> = {
    name: result.id,
    suite: result.suite,
    law: result.law,
    status: result.status,
    durationMs: result.durationMs,
  };
  const optional: Array<keyof CheckResult> = [
    "message",
    "seed",
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
 * JSON lines: one object per check.
 *
 * @param report The report.
 * @returns Newline-terminated JSON lines.
 *
 * @example
 * ```ts
 * import { formatJson } from "@boskit/boskit/conformance";
 * import assert from "node:assert/strict";
 *
 * const text = formatJson({ results: [{ id: "a.b", suite: "objects", law: "L", status: "SKIP", durationMs: 0, findings: [] }] } as never);
 * assert.equal(JSON.parse(text.trim()).status, "SKIP");
 * ```
 */
export function formatJson(report: Report): string {
  return report.results.map((r) => JSON.stringify(checkRecord(r)) + "\n").join("");
}

function xml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    // deno-lint-ignore no-control-regex
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/g, "?")
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "?");
}

function failureText(r: CheckResult): string {
  const lines = [r.message ?? ""];
  if (r.counterexample) lines.push(`counterexample: ${r.counterexample}`);
  if (r.seed !== undefined) lines.push(`seed: ${r.seed}${r.path ? `, path: ${r.path}` : ""}`);
  if (r.exchange) {
    const e = r.exchange;
    lines.push(
      `exchange: ${e.method} ${e.url} → ${e.status}${e.requestId ? ` (request id ${e.requestId})` : ""}`,
    );
    if (e.bodyExcerpt) lines.push(`body: ${e.bodyExcerpt.slice(0, 500)}`);
  }
  if (r.replay) lines.push(`replay: ${r.replay}`);
  return lines.join("\n");
}

/**
 * JUnit XML: one testsuite per kit suite, one testcase per check (`failure` / `skipped` elements).
 *
 * @param report The report.
 * @returns The XML document.
 *
 * @example
 * ```ts
 * import { formatJunit } from "@boskit/boskit/conformance";
 * import assert from "node:assert/strict";
 *
 * const report = { durationMs: 5, summary: { total: 1, pass: 0, fail: 1, skip: 0 }, results: [
 *   { id: "a.b", suite: "objects", law: "L", status: "FAIL", message: "x < y", durationMs: 5, findings: [] },
 * ] };
 * const text = formatJunit(report as never);
 * assert.match(text, /<testcase classname="conformance.objects" name="a.b"/);
 * assert.match(text, /<failure message="x &lt; y"/);
 * ```
 */
export function formatJunit(report: Report): string {
  const bySuite = new Map<string, CheckResult[]>();
  for (const r of report.results) {
    if (!bySuite.has(r.suite)) bySuite.set(r.suite, []);
    bySuite.get(r.suite)!.push(r);
  }
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(
    `<testsuites name="boskit conformance" tests="${report.summary.total}" failures="${report.summary.fail}" skipped="${report.summary.skip}" time="${
      (report.durationMs / 1000).toFixed(3)
    }">`,
  );
  for (const [suite, results] of bySuite) {
    const time = results.reduce((n, r) => n + r.durationMs, 0) / 1000;
    out.push(
      `  <testsuite name="${xml(suite)}" tests="${results.length}" failures="${
        results.filter((r) => r.status === "FAIL").length
      }" skipped="${results.filter((r) => r.status === "SKIP").length}" time="${time.toFixed(3)}">`,
    );
    for (const r of results) {
      out.push(
        `    <testcase classname="conformance.${xml(suite)}" name="${xml(r.id)}" time="${
          (r.durationMs / 1000).toFixed(3)
        }">`,
      );
      out.push(
        `      <properties><property name="law" value="${xml(r.law)}"/>${
          r.seed !== undefined ? `<property name="seed" value="${r.seed}"/>` : ""
        }</properties>`,
      );
      if (r.status === "FAIL") {
        out.push(
          `      <failure message="${xml(r.message ?? "failed")}" type="LawViolation">${
            xml(failureText(r))
          }</failure>`,
        );
      } else if (r.status === "SKIP") {
        out.push(`      <skipped message="${xml(r.message ?? "skipped")}"/>`);
      }
      out.push("    </testcase>");
    }
    out.push("  </testsuite>");
  }
  out.push("</testsuites>");
  return out.join("\n") + "\n";
}

/**
 * The human summary: failures with evidence and replay commands, findings, a table by suite and the
 * total time.
 *
 * @param report The report.
 * @returns Text for a terminal.
 *
 * @example
 * ```ts
 * import { formatPretty } from "@boskit/boskit/conformance";
 * import assert from "node:assert/strict";
 *
 * const report = { endpoint: "http://x", embedded: true, bucket: "b", seed: 1, durationMs: 1200, requestCount: 3,
 *   summary: { total: 1, pass: 1, fail: 0, skip: 0 }, findings: [], cleanupProblems: [], aborted: false,
 *   results: [{ id: "a.b", suite: "objects", law: "L", status: "PASS", durationMs: 2, findings: [] }] };
 * assert.match(formatPretty(report as never), /objects\s+1\s+1\s+0\s+0/);
 * ```
 */
export function formatPretty(report: Report): string {
  const lines: string[] = [];
  lines.push(
    `boskit conformance — ${
      report.embedded ? "embedded reference server " : ""
    }${report.endpoint}, bucket ${report.bucket}, seed ${report.seed}`,
  );
  const failures = report.results.filter((r) => r.status === "FAIL");
  for (const r of failures) {
    lines.push("", `FAIL ${r.id}`, `  law: ${r.law}`);
    for (const l of failureText(r).split("\n")) lines.push(`  ${l}`);
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
  lines.push(
    "",
    `${"suite".padEnd(12)} ${"checks".padStart(6)} ${"pass".padStart(5)} ${"fail".padStart(5)} ${
      "skip".padStart(5)
    } ${"time".padStart(8)}`,
  );
  const suites = [...new Set(report.results.map((r) => r.suite))];
  for (const s of suites) {
    const rs = report.results.filter((r) => r.suite === s);
    const t = rs.reduce((n, r) => n + r.durationMs, 0);
    lines.push(
      `${s.padEnd(12)} ${String(rs.length).padStart(6)} ${
        String(rs.filter((r) => r.status === "PASS").length).padStart(5)
      } ${String(rs.filter((r) => r.status === "FAIL").length).padStart(5)} ${
        String(rs.filter((r) => r.status === "SKIP").length).padStart(5)
      } ${(t / 1000).toFixed(2).padStart(7)}s`,
    );
  }
  const s = report.summary;
  lines.push(
    `${"total".padEnd(12)} ${String(s.total).padStart(6)} ${String(s.pass).padStart(5)} ${
      String(s.fail).padStart(5)
    } ${String(s.skip).padStart(5)} ${(report.durationMs / 1000).toFixed(2).padStart(7)}s`,
  );
  lines.push(
    "",
    `${
      s.fail === 0 ? (report.aborted ? "STOPPED" : "OK") : "FAILED"
    }: ${s.pass} passed, ${s.fail} failed, ${s.skip} skipped in ${
      (report.durationMs / 1000).toFixed(1)
    } s (${report.requestCount} requests)`,
  );
  return lines.join("\n") + "\n";
}

/**
 * Formats a report.
 *
 * @param report The report.
 * @param reporter `pretty`, `json` or `junit`.
 * @returns The text.
 *
 * @example
 * ```ts
 * import { formatReport } from "@boskit/boskit/conformance";
 * import assert from "node:assert/strict";
 *
 * assert.equal(formatReport({ results: [] } as never, "json"), "");
 * ```
 */
export function formatReport(report: Report, reporter: ReporterName): string {
  return reporter === "json"
    ? formatJson(report)
    : reporter === "junit"
    ? formatJunit(report)
    : formatPretty(report);
}
