/**
 * `deno task conformance`: probes an endpoint (or the embedded reference server when none is
 * given), then runs the conformance checks against it, several at a time.
 *
 * ```
 * deno task conformance [--endpoint URL] [--ak AK --sk SK | env BOS_AK/BOS_SK] [--bucket NAME]
 *   [--only a,b] [--skip a,b] [--seed N] [--path P] [--num-runs N] [--concurrency N] [--timeout S]
 *   [--fail-fast] [--verbose] [--expect FILE] [--ca FILE | --insecure] [--max-object-size S]
 *   [--reporter pretty|json|junit|html] [--out FILE] [--keep] [--profile FILE] [--list]
 * ```
 *
 * Exit status: 0 when no check failed (skips and expected failures allowed), 1 when a law failed, 2
 * when the run could not be judged (endpoint unreachable or not BOS, credentials refused, bucket not
 * usable, usage errors), 130 when interrupted (after cleanup).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { type BosProfile, makeProfile } from "../protocol/limits.ts";
import { formatReport, type ReporterName, REPORTERS } from "./report.ts";
import {
  type CheckResult,
  DEFAULT_CONCURRENCY,
  DEFAULT_TIMEOUT_MS,
  type Expectation,
  listChecks,
  parseExpectations,
  type Report,
  runConformance,
  type RunHandle,
  selectChecks,
} from "./runner.ts";
import type { KitAddressing } from "./_http.ts";

const USAGE = `Usage: deno task conformance [options]

Runs the boskit conformance checks against a BOS-compatible endpoint (default: the embedded
reference server on a loopback port with fresh keys). A probe runs first: an endpoint that cannot be
reached, does not speak BOS or refuses the credentials ends the run with exit status 2.

Options:
  --endpoint URL        endpoint to test (https://bj.bcebos.com); needs credentials
  --ak AK, --sk SK      credentials (or env BOS_AK / BOS_SK; BOS_STS_TOKEN for a session token)
  --bucket NAME         existing bucket to work in (default: a fresh bucket, removed at the end)
  --addressing A        path or virtual-host (default: virtual-host for <region>.bcebos.com, path otherwise;
                        virtual is accepted for virtual-host)
  --only a,b            run only these checks (ids, suite names or id prefixes)
  --skip a,b            leave these out
  --seed N              the run's seed (replay; each check's seed derives from it and its id)
  --path P              fast-check path (replay one failure; use with --only and --seed)
  --replay-path P       fc.commands replay path (model-based failures)
  --num-runs N          runs per property (default: small, per check)
  --concurrency N       checks in flight at once (default ${DEFAULT_CONCURRENCY}; results do not depend on it)
  --timeout S           seconds a check may take before it fails as hung (default ${
  DEFAULT_TIMEOUT_MS / 1000
})
  --fail-fast           start no further check after the first failure
  --verbose             print PASS/FAIL/SKIP for every check as it finishes
  --expect FILE         known deviations, JSON: {"check.id": {"status": "fail" or "skip", "reason": "…"}}
  --ca FILE             PEM file of CA certificates to trust for an https endpoint
  --insecure            do not verify the endpoint's TLS certificate (test endpoints only)
  --max-object-size S   largest object the checks write: bytes, or with K, M or G (KiB, MiB, GiB);
                        default 20M (lower it on a slow link)
  --reporter R          pretty (default), json (run record + one record per check), junit or html
  --out FILE            write the report to FILE instead of stdout
  --keep                keep everything the run created
  --profile FILE        JSON profile of limits overriding the defaults (protocol/limits.ts)
  --list                list the checks with their laws and exit
  -h, --help            this text

Exit status: 0 no check failed (expected failures allowed), 1 a law failed, 2 the run could not be
judged (endpoint, credentials, bucket, usage), 130 interrupted (after cleanup).
`;

class UsageError extends Error {}

function intFlag(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value) || Number(value) < min || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`Option --${name} must be an integer ≥ ${min}, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

function sizeFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+)\s*([kmg])?(?:i?b)?$/i.exec(value.trim());
  const n = m ? Number(m[1]) * 1024 ** " kmg".indexOf((m[2] ?? " ").toLowerCase()) : NaN;
  if (!m || !Number.isSafeInteger(n) || n < 1024) {
    throw new UsageError(
      `Option --${name} must be a size of at least 1024 bytes (such as 8M or 1048576), got ${
        JSON.stringify(value)
      }`,
    );
  }
  return n;
}

function list(value: string | undefined): string[] {
  return value ? value.split(",").map((s) => s.trim()).filter(Boolean) : [];
}

async function readFlagFile(flag: string, file: string): Promise<string> {
  try {
    return await Deno.readTextFile(file);
  } catch (e) {
    throw new UsageError(`Cannot read the ${flag} file ${file}: ${e instanceof Error ? e.message : e}`);
  }
}

/** Writes to stderr at once (progress must show in a CI log while the run goes on). */
function err(text: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(text));
}

async function main(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        endpoint: { type: "string" },
        ak: { type: "string" },
        sk: { type: "string" },
        bucket: { type: "string" },
        addressing: { type: "string" },
        only: { type: "string" },
        skip: { type: "string" },
        seed: { type: "string" },
        path: { type: "string" },
        "replay-path": { type: "string" },
        "num-runs": { type: "string" },
        concurrency: { type: "string" },
        timeout: { type: "string" },
        "fail-fast": { type: "boolean", default: false },
        verbose: { type: "boolean", default: false },
        expect: { type: "string" },
        ca: { type: "string" },
        insecure: { type: "boolean", default: false },
        "max-object-size": { type: "string" },
        reporter: { type: "string", default: "pretty" },
        out: { type: "string" },
        keep: { type: "boolean", default: false },
        profile: { type: "string" },
        list: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  const v = parsed.values;
  if (v.help) {
    console.log(USAGE);
    return 0;
  }
  if (v.list) {
    for (const c of listChecks()) {
      const tags = [
        c.property ? "property" : "example",
        ...(c.local ? ["local"] : []),
        ...(c.exclusive ? ["exclusive"] : []),
      ];
      console.log(`${c.id} (${tags.join(", ")})\n    ${c.law}`);
    }
    return 0;
  }
  const reporter = v.reporter as ReporterName;
  if (!REPORTERS.includes(reporter)) {
    throw new UsageError(
      `Option --reporter must be one of ${REPORTERS.join(", ")}, got ${JSON.stringify(v.reporter)}`,
    );
  }
  if (
    v.addressing !== undefined && v.addressing !== "path" && v.addressing !== "virtual-host" &&
    v.addressing !== "virtual"
  ) {
    throw new UsageError(
      `Option --addressing must be path or virtual-host, got ${JSON.stringify(v.addressing)}`,
    );
  }
  const only = list(v.only);
  const skip = list(v.skip);
  const { unknown, ids } = selectChecks(only, skip);
  if (unknown.length) {
    throw new UsageError(
      `Unknown check or suite ${unknown.map((u) => JSON.stringify(u)).join(", ")}; see --list`,
    );
  }
  if (ids.length === 0) throw new UsageError("The selection leaves no check to run; see --list");
  const seed = intFlag("seed", v.seed, -(2 ** 31));
  const numRuns = intFlag("num-runs", v["num-runs"], 1);
  const concurrency = intFlag("concurrency", v.concurrency, 1);
  let timeoutMs: number | undefined;
  if (v.timeout !== undefined) {
    const t = Number(v.timeout);
    if (!/^\d+(\.\d+)?$/.test(v.timeout) || !(t > 0)) {
      throw new UsageError(
        `Option --timeout must be a number of seconds > 0, got ${JSON.stringify(v.timeout)}`,
      );
    }
    timeoutMs = Math.round(t * 1000);
  }
  const maxObjectSize = sizeFlag("max-object-size", v["max-object-size"]);
  if (v.path !== undefined && seed === undefined) throw new UsageError("Option --path needs --seed");
  if (v.path !== undefined && !/^\d+(:\d+)*$/.test(v.path)) {
    throw new UsageError(`Option --path must look like 3:0:1, got ${JSON.stringify(v.path)}`);
  }
  let profile: Readonly<BosProfile> | undefined;
  if (v.profile !== undefined) {
    const text = await readFlagFile("--profile", v.profile);
    try {
      profile = makeProfile(JSON.parse(text));
    } catch (e) {
      throw new UsageError(`Invalid profile ${v.profile}: ${e instanceof Error ? e.message : e}`);
    }
  }
  let expect: Record<string, Expectation> | undefined;
  if (v.expect !== undefined) {
    const text = await readFlagFile("--expect", v.expect);
    try {
      expect = parseExpectations(JSON.parse(text));
    } catch (e) {
      throw new UsageError(`Invalid expect file ${v.expect}: ${e instanceof Error ? e.message : e}`);
    }
  }
  const ak = v.ak ?? Deno.env.get("BOS_AK");
  const sk = v.sk ?? Deno.env.get("BOS_SK");
  const token = Deno.env.get("BOS_STS_TOKEN");
  if ((v.ak === undefined) !== (v.sk === undefined)) {
    throw new UsageError("Options --ak and --sk go together");
  }
  if (v.endpoint !== undefined) {
    try {
      const u = new URL(v.endpoint);
      if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error("not http(s)");
    } catch {
      throw new UsageError(`Option --endpoint must be an http(s) URL, got ${JSON.stringify(v.endpoint)}`);
    }
    if (!ak || !sk) {
      throw new UsageError("An endpoint needs credentials: --ak AK --sk SK, or env BOS_AK and BOS_SK");
    }
  } else if (v.bucket !== undefined) {
    throw new UsageError("Option --bucket needs --endpoint (the embedded server starts empty)");
  }
  const https = v.endpoint?.startsWith("https:") ?? false;
  if ((v.ca !== undefined || v.insecure) && !https) {
    throw new UsageError(`Option ${v.ca !== undefined ? "--ca" : "--insecure"} needs an https --endpoint`);
  }
  if (v.ca !== undefined && v.insecure) {
    throw new UsageError("Options --ca and --insecure exclude each other");
  }
  let caCerts: string[] | undefined;
  if (v.ca !== undefined) {
    const pem = await readFlagFile("--ca", v.ca);
    if (!pem.includes("-----BEGIN CERTIFICATE-----")) {
      throw new UsageError(`The --ca file ${v.ca} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
    }
    caCerts = [pem];
  }

  const replayFlags: string[] = [];
  if (v.endpoint) replayFlags.push("--endpoint", v.endpoint);
  if (v.bucket) replayFlags.push("--bucket", v.bucket);
  if (v.addressing) replayFlags.push("--addressing", v.addressing);
  if (v.profile) replayFlags.push("--profile", v.profile);
  if (v["max-object-size"]) replayFlags.push("--max-object-size", v["max-object-size"]);
  if (v.ca) replayFlags.push("--ca", v.ca);
  if (v.insecure) replayFlags.push("--insecure");
  if (v.timeout) replayFlags.push("--timeout", v.timeout);

  if (v.insecure) {
    err(
      `WARNING: --insecure: the TLS certificate of ${v.endpoint} is NOT verified; anyone on the path can read and change this run's requests\n`,
    );
  }

  const controller = new AbortController();
  let firstSignal = 0;
  let run: RunHandle | undefined;
  const tty = Deno.stderr.isTerminal();
  const onSignal = () => {
    const now = performance.now();
    if (firstSignal === 0) {
      firstSignal = now;
      if (tty) err("\r\x1b[K");
      err("Interrupted: stopping and deleting what this run created (Ctrl-C again to exit at once)…\n");
      controller.abort();
      return;
    }
    // `deno task` forwards the terminal's SIGINT, so one Ctrl-C can arrive twice within milliseconds.
    if (now - firstSignal < 500) return;
    const left = run?.leftBehind() ?? [];
    err(
      left.length === 0
        ? "Exited at once: this run left nothing behind\n"
        : `Exited at once; left behind on ${run!.endpoint} (delete them by hand):\n${
          left.map((l) => `  ${l}\n`).join("")
        }`,
    );
    Deno.exit(130);
  };
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  for (const s of signals) Deno.addSignalListener(s, onSignal);

  // Progress: a live line on a terminal; a line per finished suite always, so a CI log shows life.
  const started = performance.now();
  const perSuite = new Map<string, number>();
  for (const c of listChecks()) {
    if (ids.includes(c.id)) perSuite.set(c.suite, (perSuite.get(c.suite) ?? 0) + 1);
  }
  const finished = new Map<string, CheckResult[]>();
  let done = 0;
  let failures = 0;
  const live = tty && reporter === "pretty" && !v.verbose;
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
  const counts = (rs: CheckResult[]) => {
    const by = (s: string) => rs.filter((r) => r.status === s).length;
    return [
      `${by("PASS")} passed`,
      `${by("FAIL")} failed`,
      `${by("SKIP")} skipped`,
      ...(by("XFAIL") ? [`${by("XFAIL")} expected failures`] : []),
      ...(by("XPASS") ? [`${by("XPASS")} unexpectedly passed`] : []),
    ].join(", ");
  };
  let report: Report;
  try {
    report = await runConformance({
      endpoint: v.endpoint,
      credentials: v.endpoint
        ? { accessKeyId: ak!, secretAccessKey: sk!, ...(token ? { sessionToken: token } : {}) }
        : undefined,
      bucket: v.bucket,
      addressing: v.addressing as KitAddressing | undefined,
      only,
      skip,
      seed,
      path: v.path,
      replayPath: v["replay-path"],
      numRuns,
      maxObjectSize,
      profile,
      concurrency,
      timeoutMs,
      failFast: v["fail-fast"],
      expect,
      caCerts,
      insecure: v.insecure,
      keep: v.keep,
      signal: controller.signal,
      replayFlags,
      onStart: (r) => (run = r),
      onProbe: (p) => {
        if (p.ok) {
          err(`Probe: ${p.diagnosis}${p.clockOffsetMs ? ` (clock offset ${p.clockOffsetMs} ms)` : ""}\n`);
        }
      },
      onResult: (r) => {
        done++;
        if (r.status === "FAIL") failures++;
        if (live) err("\r\x1b[K");
        if (v.verbose) {
          err(
            `${r.status.padEnd(5)} ${r.id} (${r.durationMs} ms)${
              r.status === "PASS" ? "" : `: ${r.message ?? ""}`
            }\n`,
          );
        }
        const list = finished.get(r.suite) ?? [];
        list.push(r);
        finished.set(r.suite, list);
        if (list.length === perSuite.get(r.suite)) {
          err(`${r.suite}: ${counts(list)} (${elapsed()})\n`);
        }
        if (live) err(`[${done}/${ids.length}] ${failures ? `${failures} failed · ` : ""}${elapsed()}`);
      },
    });
  } finally {
    if (live) err("\r\x1b[K");
  }
  for (const s of signals) Deno.removeSignalListener(s, onSignal);
  const text = formatReport(report, reporter);
  if (v.out) {
    await Deno.writeTextFile(v.out, text);
    if (reporter === "pretty") console.log(text.trimEnd().split("\n").slice(-1)[0] + ` — report in ${v.out}`);
    else err(`Report written to ${v.out}\n`);
  } else {
    Deno.stdout.writeSync(new TextEncoder().encode(text));
  }
  if (reporter !== "pretty") {
    if (report.status === "error") err(`ERROR: ${report.error} — no check ran\n`);
    for (const r of report.results) {
      if (r.status === "FAIL" && r.replay) err(`FAIL ${r.id} — replay: ${r.replay}\n`);
    }
    const s = report.summary;
    if (report.status !== "error") {
      err(
        `${report.status.toUpperCase()}: ${s.pass} passed, ${s.fail} failed, ${s.skip} skipped${
          s.xfail ? `, ${s.xfail} expected failures` : ""
        }${s.xpass ? `, ${s.xpass} unexpectedly passed` : ""} in ${
          (report.durationMs / 1000).toFixed(1)
        } s\n`,
      );
    }
  }
  if (report.status === "aborted") {
    const left = report.leftBehind;
    err(
      left.length
        ? `Left behind:\n${left.map((l) => `  ${l}\n`).join("")}`
        : "Cleanup done: nothing left behind\n",
    );
    return 130;
  }
  return report.status === "passed" ? 0 : report.status === "failed" ? 1 : 2;
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`${e.message}\n\n${USAGE}`);
      Deno.exit(2);
    }
    console.error(`Conformance run failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    Deno.exit(2);
  }
}
