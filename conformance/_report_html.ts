/**
 * The HTML reporter: one self-contained page (inline CSS, no script, no external resource) a person
 * opens in a browser. It is written as well-formed XML (every element closed, attributes quoted), so
 * a strict parser can check it.
 *
 * @module
 */
import { xml } from "./_report_text.ts";
import type { CheckResult, Report } from "./_results.ts";
import type { Exchange } from "./_http.ts";

const STYLE = `
:root { --pass: #1a7f37; --fail: #cf222e; --skip: #8c959f; --xfail: #9a6700; --xpass: #8250df; --ink: #1f2328;
  --muted: #59636e; --line: #d1d9e0; --bg: #f6f8fa; }
* { box-sizing: border-box; }
body { font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); margin: 0; padding: 24px 32px;
  max-width: 1200px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 0 0 6px; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
h4 { font-size: 13px; margin: 12px 0 4px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
.meta { color: var(--muted); margin: 0; }
.meta b { color: var(--ink); font-weight: 600; }
.badge { display: inline-block; padding: 1px 10px; border-radius: 12px; color: #fff; font-size: 13px; vertical-align: middle; }
.status-passed { background: var(--pass); } .status-failed { background: var(--fail); }
.status-error { background: #6e7781; } .status-aborted { background: var(--xfail); }
.banner { border: 2px solid var(--fail); background: #ffebe9; padding: 8px 12px; border-radius: 6px; margin: 12px 0; }
.diagnosis { border-left: 4px solid #6e7781; background: var(--bg); padding: 8px 12px; margin: 12px 0; }
.tiles { display: flex; gap: 12px; flex-wrap: wrap; margin: 16px 0 0; }
.tile { border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px; min-width: 110px; }
.tile .n { font-size: 22px; font-weight: 600; display: block; }
.tile.pass .n { color: var(--pass); } .tile.fail .n { color: var(--fail); } .tile.skip .n { color: var(--skip); }
.tile.xfail .n { color: var(--xfail); } .tile.xpass .n { color: var(--xpass); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--bg); font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.map a { display: inline-block; width: 12px; height: 12px; margin: 1px; border-radius: 2px; }
.s-PASS { background: var(--pass); } .s-FAIL { background: var(--fail); } .s-SKIP { background: var(--skip); }
.s-XFAIL { background: var(--xfail); } .s-XPASS { background: var(--xpass); }
.tag { font: 12px ui-monospace, monospace; padding: 0 6px; border-radius: 4px; color: #fff; }
article.failure { border: 1px solid var(--line); border-left: 4px solid var(--fail); border-radius: 6px; padding: 12px 16px;
  margin: 12px 0; }
article.failure.xfail { border-left-color: var(--xfail); }
.law { margin: 0 0 6px; font-style: italic; }
.message { margin: 0; font-weight: 600; }
pre { background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; overflow-x: auto;
  white-space: pre-wrap; word-break: break-all; margin: 0; font: 12px/1.45 ui-monospace, SFMono-Regular, Menlo, monospace; }
pre.replay { background: #fff8c5; }
details { margin: 8px 0; }
summary { cursor: pointer; color: var(--muted); }
code { font: 12px ui-monospace, monospace; }
`;

function esc(value: unknown): string {
  return xml(String(value ?? ""));
}

function exchangeText(e: Exchange): string {
  const lines = [`${e.method} ${e.url}`];
  for (const [k, v] of Object.entries(e.requestHeaders)) lines.push(`${k}: ${v}`);
  lines.push(`(request body: ${e.requestBodyLength} bytes)`, "");
  lines.push(`→ ${e.status || "no response"}${e.durationMs ? ` in ${e.durationMs} ms` : ""}`);
  for (const [k, v] of Object.entries(e.responseHeaders)) lines.push(`${k}: ${v}`);
  if (e.bodyExcerpt) lines.push("", e.bodyExcerpt);
  return lines.join("\n");
}

function failureArticle(r: CheckResult): string {
  const parts = [
    `<article class="failure${r.status === "XFAIL" ? " xfail" : ""}" id="check-${esc(r.id)}">`,
    `<h3><span class="tag s-${r.status}">${r.status}</span> ${esc(r.id)}</h3>`,
    `<p class="law">${esc(r.law)}</p>`,
    `<p class="message">${esc(r.message ?? "")}</p>`,
  ];
  if (r.expected) parts.push(`<p>Expected to fail (expect file): ${esc(r.expected)}</p>`);
  if (r.failure) parts.push(`<p>Kind: ${esc(r.failure)}</p>`);
  if (r.counterexample) {
    parts.push(
      `<h4>Shrunk counterexample</h4>`,
      `<pre class="counterexample">${esc(r.counterexample)}</pre>`,
    );
  }
  if (r.seed !== undefined) {
    parts.push(
      `<p>Seed <code>${esc(r.seed)}</code>${
        r.checkSeed !== undefined ? ` (check seed ${esc(r.checkSeed)})` : ""
      }${r.path ? `, path <code>${esc(r.path)}</code>` : ""}${
        r.numRuns !== undefined ? `, ${esc(r.numRuns)} runs` : ""
      }${r.numShrinks !== undefined ? `, ${esc(r.numShrinks)} shrinks` : ""}</p>`,
    );
  }
  if (r.exchange) {
    parts.push(`<h4>HTTP exchange</h4>`, `<pre class="exchange">${esc(exchangeText(r.exchange))}</pre>`);
  }
  if (r.replay) parts.push(`<h4>Replay</h4>`, `<pre class="replay">${esc(r.replay)}</pre>`);
  parts.push(`</article>`);
  return parts.join("\n");
}

/**
 * One self-contained HTML page: the run (endpoint, seed, status, counts), results by suite at a
 * glance, each failure with its law, shrunk counterexample, HTTP exchange and replay command, the
 * measured limits, and every check.
 *
 * @param report The report.
 * @returns The page.
 *
 * @example
 * ```ts
 * import { formatHtml } from "@boskit/boskit/conformance";
 * import assert from "node:assert/strict";
 *
 * const page = formatHtml({ status: "failed", endpoint: "http://x", seed: 1, durationMs: 5, requestCount: 1,
 *   summary: { total: 1, pass: 0, fail: 1, skip: 0, xfail: 0, xpass: 0, error: 0, notRun: 0 }, findings: [], limits: [],
 *   cleanupProblems: [], leftBehind: [], probe: { ok: true, diagnosis: "ok", steps: [] },
 *   results: [{ id: "a.b", suite: "objects", law: "L", status: "FAIL", message: "x < y", durationMs: 5, findings: [],
 *     replay: "deno task conformance --only a.b --seed 1" }] } as never);
 * assert.match(page, /^<!DOCTYPE html>/);
 * assert.match(page, /<pre class="replay">deno task conformance --only a.b --seed 1<\/pre>/);
 * ```
 */
export function formatHtml(report: Report): string {
  const s = report.summary;
  const status = report.status ?? (s.fail ? "failed" : "passed");
  const title = `boskit conformance — ${status.toUpperCase()} — ${report.endpoint}`;
  const out: string[] = [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8"/>',
    '<meta name="viewport" content="width=device-width, initial-scale=1"/>',
    `<title>${esc(title)}</title>`,
    `<style>${STYLE}</style>`,
    "</head>",
    "<body>",
    "<header>",
    `<h1>boskit conformance <span class="badge status-${esc(status)}" id="status">${
      esc(status.toUpperCase())
    }</span></h1>`,
    `<p class="meta"><b>${esc(report.embedded ? "embedded reference server " : "")}${
      esc(report.endpoint)
    }</b> · ${esc(report.addressing ?? "")} addressing · bucket <b>${esc(report.bucket)}</b> · seed <b>${
      esc(report.seed)
    }</b></p>`,
    `<p class="meta">started ${esc(report.startedAt)} · ${
      esc(((report.durationMs ?? 0) / 1000).toFixed(1))
    } s · ${esc(report.requestCount)} requests · concurrency ${esc(report.concurrency)} · kit ${
      esc(report.kitVersion)
    } · ${esc(report.runtime)} on ${esc(report.hostname)}</p>`,
  ];
  if (report.tls === "insecure") {
    out.push(
      `<p class="banner"><b>TLS not verified (--insecure):</b> the endpoint's certificate was not checked.</p>`,
    );
  }
  if (report.error || report.probe?.ok === false) {
    out.push(`<p class="diagnosis" id="diagnosis">${esc(report.error ?? report.probe.diagnosis)}</p>`);
  }
  out.push("</header>");
  const tile = (cls: string, n: number, label: string) =>
    `<div class="tile ${cls}"><span class="n">${n}</span>${label}</div>`;
  out.push(
    '<section id="summary"><div class="tiles">',
    tile("pass", s.pass, "passed"),
    tile("fail", s.fail, "failed"),
    tile("skip", s.skip, "skipped"),
    ...(s.xfail ? [tile("xfail", s.xfail, "expected failures")] : []),
    ...(s.xpass ? [tile("xpass", s.xpass, "unexpectedly passed")] : []),
    ...(s.notRun ? [tile("skip", s.notRun, "not run")] : []),
    "</div></section>",
  );

  const suites = [...new Set(report.results.map((r) => r.suite))];
  out.push(
    '<section id="suites">',
    "<h2>Results by suite</h2>",
    "<table>",
    "<tr><th>suite</th><th>checks</th><th>pass</th><th>fail</th><th>skip</th><th>time</th><th>checks at a glance</th></tr>",
  );
  for (const suite of suites) {
    const rs = report.results.filter((r) => r.suite === suite);
    const n = (...st: string[]) => rs.filter((r) => st.includes(r.status)).length;
    const map = rs.map((r) =>
      `<a class="s-${r.status}" href="#${r.status === "FAIL" || r.status === "XFAIL" ? "check-" : "row-"}${
        esc(r.id)
      }" title="${esc(`${r.status} ${r.id}`)}"></a>`
    ).join("");
    const ms = rs.reduce((t, r) => t + r.durationMs, 0);
    out.push(
      `<tr id="suite-${esc(suite)}"><td>${esc(suite)}</td><td class="num">${rs.length}</td><td class="num">${
        n("PASS", "XPASS")
      }</td><td class="num">${n("FAIL")}</td><td class="num">${n("SKIP", "XFAIL")}</td><td class="num">${
        (ms / 1000).toFixed(2)
      } s</td><td class="map">${map}</td></tr>`,
    );
  }
  out.push("</table>", "</section>");

  const failures = report.results.filter((r) => r.status === "FAIL");
  out.push(`<section id="failures">`, `<h2>Failures (${failures.length})</h2>`);
  if (failures.length === 0) out.push("<p>No check failed.</p>");
  for (const r of failures) out.push(failureArticle(r));
  out.push("</section>");

  const expected = report.results.filter((r) => r.status === "XFAIL" || r.status === "XPASS");
  if (expected.length) {
    out.push('<section id="expected">', `<h2>Expected failures (${expected.length})</h2>`);
    for (const r of expected) {
      if (r.status === "XFAIL") out.push(failureArticle(r));
      else {
        out.push(
          `<p id="check-${esc(r.id)}"><span class="tag s-XPASS">XPASS</span> <code>${
            esc(r.id)
          }</code> passes although the expect file says it fails (${
            esc(r.expected)
          }); remove it from the expect file.</p>`,
        );
      }
    }
    out.push("</section>");
  }

  out.push('<section id="limits">', "<h2>Measured limits</h2>");
  if (!report.limits?.length) out.push("<p>No limit was measured in this run.</p>");
  else {
    out.push("<table>", "<tr><th>limit</th><th>measured</th><th>profile</th><th>check</th><th>how</th></tr>");
    for (const l of report.limits) {
      out.push(
        `<tr><td><code>${esc(l.name)}</code></td><td class="num">${esc(l.value)}</td><td class="num">${
          esc(l.profile)
        }</td><td><code>${esc(l.check)}</code></td><td>${esc(l.note ?? "")}</td></tr>`,
      );
    }
    out.push("</table>");
  }
  const other = (report.findings ?? []).filter((f) =>
    !report.limits?.some((l) => l.check === f.check && l.name === f.name)
  );
  if (other.length) {
    out.push("<details><summary>Other findings</summary>", "<table>");
    for (const f of other) {
      out.push(
        `<tr><td><code>${esc(f.name)}</code></td><td>${esc(f.value)}</td><td><code>${
          esc(f.check)
        }</code></td><td>${esc(f.note ?? "")}</td></tr>`,
      );
    }
    out.push("</table>", "</details>");
  }
  out.push("</section>");

  out.push(
    '<section id="checks">',
    "<h2>Every check</h2>",
    "<details><summary>Show all checks</summary>",
    "<table>",
  );
  out.push("<tr><th>check</th><th>status</th><th>time</th><th>law / reason</th></tr>");
  for (const r of report.results) {
    out.push(
      `<tr id="row-${esc(r.id)}"><td><code>${
        esc(r.id)
      }</code></td><td><span class="tag s-${r.status}">${r.status}</span></td><td class="num">${r.durationMs} ms</td><td>${
        esc(r.law)
      }${r.status === "SKIP" && r.message ? ` — <i>${esc(r.message)}</i>` : ""}</td></tr>`,
    );
  }
  out.push("</table>", "</details>", "</section>");

  if (report.cleanupProblems?.length || report.leftBehind?.length) {
    out.push('<section id="cleanup">', "<h2>Cleanup</h2>");
    for (const p of report.cleanupProblems ?? []) out.push(`<p>${esc(p)}</p>`);
    if (report.leftBehind?.length) {
      out.push(`<pre class="left-behind">${esc(report.leftBehind.join("\n"))}</pre>`);
    }
    out.push("</section>");
  }
  out.push(
    '<section id="run">',
    "<h2>Run</h2>",
    "<details><summary>Probe and profile</summary>",
    `<pre>${esc(JSON.stringify({ probe: report.probe, profile: report.profile }, null, 2))}</pre>`,
    "</details>",
    "</section>",
    "</body>",
    "</html>",
  );
  return out.join("\n") + "\n";
}
