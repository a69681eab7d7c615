/**
 * `deno task conformance`: runs the conformance kit against an endpoint, or against the embedded
 * reference server when no endpoint is given.
 *
 * ```
 * deno task conformance [--endpoint URL] [--ak AK --sk SK | env BOS_AK/BOS_SK] [--bucket NAME]
 *   [--only a,b] [--skip a,b] [--seed N] [--path P] [--num-runs N] [--reporter pretty|json|junit]
 *   [--max-object-size S] [--out FILE] [--keep] [--profile FILE] [--list]
 * ```
 *
 * Exit status: 0 when every check passed (skips allowed), 1 when one failed, 2 on usage errors,
 * 130 when interrupted (after cleanup).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { type BosProfile, makeProfile } from "../client/limits.ts";
import { formatReport, type ReporterName, REPORTERS } from "./report.ts";
import { listChecks, type Report, runConformance, selectChecks } from "./runner.ts";

const USAGE = `Usage: deno task conformance [options]

Runs the boskit conformance checks against a BOS-compatible endpoint (default: the embedded
reference server on a loopback port with fresh keys).

Options:
  --endpoint URL        endpoint to test (https://bj.bcebos.com); needs credentials
  --ak AK, --sk SK      credentials (or env BOS_AK / BOS_SK; BOS_STS_TOKEN for a session token)
  --bucket NAME         existing bucket to work in (default: a fresh bucket, removed at the end)
  --addressing A        path or virtual (default: virtual for <region>.bcebos.com, path otherwise)
  --only a,b            run only these checks (ids, suite names or id prefixes)
  --skip a,b            leave these out
  --seed N              fast-check seed (replay)
  --path P              fast-check path (replay one failure; use with --only and --seed)
  --replay-path P       fc.commands replay path (model-based failures)
  --num-runs N          runs per property (default: small, per check)
  --max-object-size S   largest object the checks write: bytes, or with K, M or G (KiB, MiB, GiB);
                        default 20M (lower it on a slow link)
  --reporter R          pretty (default), json (one object per check) or junit
  --out FILE            write the report to FILE instead of stdout
  --keep                keep everything the run created
  --profile FILE        JSON profile of limits overriding the defaults (client/limits.ts)
  --list                list the checks with their laws and exit
  -h, --help            this text
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
      const tags = [c.property ? "property" : "example", ...(c.local ? ["local"] : [])];
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
  if (v.addressing !== undefined && v.addressing !== "path" && v.addressing !== "virtual") {
    throw new UsageError(`Option --addressing must be path or virtual, got ${JSON.stringify(v.addressing)}`);
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
  const maxObjectSize = sizeFlag("max-object-size", v["max-object-size"]);
  if (v.path !== undefined && seed === undefined) throw new UsageError("Option --path needs --seed");
  if (v.path !== undefined && !/^\d+(:\d+)*$/.test(v.path)) {
    throw new UsageError(`Option --path must look like 3:0:1, got ${JSON.stringify(v.path)}`);
  }
  let profile: Readonly<BosProfile> | undefined;
  if (v.profile !== undefined) {
    let text: string;
    try {
      text = await Deno.readTextFile(v.profile);
    } catch (e) {
      throw new UsageError(`Cannot read the profile ${v.profile}: ${e instanceof Error ? e.message : e}`);
    }
    try {
      profile = makeProfile(JSON.parse(text));
    } catch (e) {
      throw new UsageError(`Invalid profile ${v.profile}: ${e instanceof Error ? e.message : e}`);
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

  const replayFlags: string[] = [];
  if (v.endpoint) replayFlags.push("--endpoint", v.endpoint);
  if (v.bucket) replayFlags.push("--bucket", v.bucket);
  if (v.addressing) replayFlags.push("--addressing", v.addressing);
  if (v.profile) replayFlags.push("--profile", v.profile);
  if (v["max-object-size"]) replayFlags.push("--max-object-size", v["max-object-size"]);

  const controller = new AbortController();
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) Deno.exit(130);
    interrupted = true;
    console.error("\nInterrupted: cleaning up what this run created (Ctrl-C again to exit at once)…");
    controller.abort();
  };
  Deno.addSignalListener("SIGINT", onSigint);
  const tty = reporter === "pretty" && Deno.stderr.isTerminal();
  const enc = new TextEncoder();
  let failures = 0;
  let report: Report;
  try {
    report = await runConformance({
      endpoint: v.endpoint,
      credentials: v.endpoint
        ? { accessKeyId: ak!, secretAccessKey: sk!, ...(token ? { sessionToken: token } : {}) }
        : undefined,
      bucket: v.bucket,
      addressing: v.addressing as "path" | "virtual" | undefined,
      only,
      skip,
      seed,
      path: v.path,
      replayPath: v["replay-path"],
      numRuns,
      maxObjectSize,
      profile,
      keep: v.keep,
      signal: controller.signal,
      replayFlags,
      onCheckStart: (c, i, n) => {
        if (tty) {
          Deno.stderr.writeSync(
            enc.encode(`\r\x1b[K[${i + 1}/${n}] ${failures ? `${failures} failed · ` : ""}${c.id}`),
          );
        }
      },
      onResult: (r) => {
        if (r.status === "FAIL") failures++;
      },
    });
  } finally {
    Deno.removeSignalListener("SIGINT", onSigint);
    if (tty) Deno.stderr.writeSync(enc.encode("\r\x1b[K"));
  }
  const text = formatReport(report, reporter);
  if (v.out) {
    await Deno.writeTextFile(v.out, text);
    if (reporter !== "pretty") console.error(`Report written to ${v.out}`);
    else console.log(text.trimEnd().split("\n").slice(-1)[0] + ` — report in ${v.out}`);
  } else {
    Deno.stdout.writeSync(enc.encode(text));
  }
  if (reporter !== "pretty") {
    for (const r of report.results) {
      if (r.status === "FAIL" && r.replay) console.error(`FAIL ${r.id} — replay: ${r.replay}`);
    }
  }
  if (interrupted) return 130;
  return report.summary.fail === 0 ? 0 : 1;
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`${e.message}\n\n${USAGE}`);
      Deno.exit(2);
    }
    console.error(`Conformance run failed: ${e instanceof Error ? e.message : String(e)}`);
    Deno.exit(1);
  }
}
