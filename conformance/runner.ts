/**
 * `runConformance`: probes an endpoint URL, an in-process handler, or (with neither) the embedded
 * reference server, runs the checks concurrently against it, and returns a report.
 *
 * @module
 */
import { type BosProfile, DEFAULT_PROFILE } from "../protocol/limits.ts";
import denoJson from "../deno.json" with { type: "json" };
import { type CheckDef, type Finding, type SuiteName, SUITES } from "./_check.ts";
import { type Outcome, runGuarded, type RunSettings, schedule } from "./_execute.ts";
import {
  type Credentials,
  defaultAddressing,
  type Exchange,
  HttpContext,
  type KitAddressing,
  normalizeAddressing,
  RunStoppedError,
} from "./_http.ts";
import { probeEndpoint } from "./_probe.ts";
import type {
  CheckInfo,
  CheckResult,
  MeasuredLimit,
  ProbeResult,
  Report,
  ReportSummary,
  RunStatus,
} from "./_results.ts";
import { caTransport, insecureTransport, type Transport } from "./_tls.ts";
import { ALL_CHECKS } from "./suites/all.ts";

export type { BosProfile, Credentials, Exchange, Finding, KitAddressing, SuiteName };
export type {
  CheckInfo,
  CheckResult,
  CheckStatus,
  MeasuredLimit,
  ProbeResult,
  ProbeStep,
  Report,
  ReportSummary,
  RunStatus,
} from "./_results.ts";
export { SUITES };

/**
 * The kit's version: the package version, as the run record reports it.
 *
 * @example
 * ```ts
 * import { KIT_VERSION } from "@boskit/boskit/conformance";
 * import assert from "node:assert/strict";
 *
 * assert.match(KIT_VERSION, /^\d+\.\d+\.\d+/);
 * ```
 */
export const KIT_VERSION: string = denoJson.version;

/**
 * What the expect file says of one check: it is known to fail (reported XFAIL, not failing the
 * run; XPASS if it passes), or it is not to be run (reported SKIP).
 */
export interface Expectation {
  /** `fail` or `skip`. */
  status: "fail" | "skip";
  /** Why, in words (shown in every report). */
  reason: string;
}

/**
 * Options of {@link runConformance}.
 */
export interface ConformanceOptions {
  /** Endpoint URL (`https://bj.bcebos.com`). Without it and without `handler`, the embedded reference server runs. */
  endpoint?: string;
  /** An in-process fetch handler to test; served by the kit on a loopback port. */
  handler?: (request: Request) => Response | Promise<Response>;
  /** `fetch` to use for requests (default the global one, or one made for `caCerts` / `insecure`). */
  fetch?: typeof fetch;
  /**
   * `path` or `virtual-host` addressing (`virtual` is a deprecated alias of `virtual-host`); default
   * `virtual-host` for `<region>.bcebos.com`, `path` otherwise.
   */
  addressing?: KitAddressing;
  /** Credentials for `endpoint` / `handler` (the embedded server gets fresh random ones). */
  credentials?: Credentials;
  /** Existing bucket to work in (never deleted); default a fresh bucket the run creates and removes. */
  bucket?: string;
  /** Check ids, suite names or id prefixes to run (default all). */
  only?: string[];
  /** Check ids, suite names or id prefixes to leave out. */
  skip?: string[];
  /** The run's seed (default random); each check's fast-check seed derives from it and the check id. */
  seed?: number;
  /** fast-check path to replay (use with `seed` and one check). */
  path?: string;
  /** `fc.commands` replay path (model-based properties). */
  replayPath?: string;
  /** Runs per property (default per check, small). */
  numRuns?: number;
  /**
   * Largest object (or part) the checks write, in bytes (default {@link DEFAULT_MAX_OBJECT_SIZE};
   * never more than the profile's PutObject limit). Lower it for an endpoint on a slow link.
   */
  maxObjectSize?: number;
  /** Limits assumed for the endpoint (default {@link DEFAULT_PROFILE}). */
  profile?: Readonly<BosProfile>;
  /** Checks in flight at once (default {@link DEFAULT_CONCURRENCY}); results do not depend on it. */
  concurrency?: number;
  /**
   * Time limit per check in milliseconds; past it the check fails. Default {@link DEFAULT_TIMEOUT_MS},
   * stretched for a check whose runs `numRuns` raises (by the same factor).
   */
  timeoutMs?: number;
  /** Start no further check after the first failure. */
  failFast?: boolean;
  /** Known deviations: check id → expectation (see {@link parseExpectations}). */
  expect?: Readonly<Record<string, Expectation>>;
  /** Extra CA certificates (PEM) to trust for an `https` endpoint. */
  caCerts?: string[];
  /** Do not verify the endpoint's TLS certificate at all. Only for test endpoints. */
  insecure?: boolean;
  /** Keep what the run created. */
  keep?: boolean;
  /** Stops the run: checks in flight are abandoned, cleanup runs, the partial report is returned. */
  signal?: AbortSignal;
  /** Extra command-line flags for replay commands (`--endpoint URL`). */
  replayFlags?: string[];
  /** Called once the run's endpoint, bucket and prefix are known (before the probe). */
  onStart?: (run: RunHandle) => void;
  /** Called when the probe has answered, before any check. */
  onProbe?: (probe: ProbeResult) => void;
  /** Called when a check starts. */
  onCheckStart?: (check: CheckInfo, index: number, total: number) => void;
  /** Called when a check has a result (in the order they finish). */
  onResult?: (result: CheckResult, index: number, total: number) => void;
}

/**
 * Largest object the checks write by default: 20 MiB (the model suite writes a few objects that large;
 * `--max-object-size` lowers or raises it).
 */
export const DEFAULT_MAX_OBJECT_SIZE = 20 * 1024 * 1024;

/**
 * A run in progress, as `onStart` sees it: where it works and what it has created so far.
 */
export interface RunHandle {
  /** The endpoint. */
  endpoint: string;
  /** The bucket the run works in. */
  bucket: string;
  /** Prefix of every key the run creates. */
  runPrefix: string;
  /** What the run has created and not removed, as sentences (bucket, objects, uploads). */
  leftBehind(): string[];
}

/**
 * Checks in flight at once by default: enough to hide a 20–50 ms round trip, few enough for a small
 * endpoint.
 *
 * @example
 * ```ts
 * import { DEFAULT_CONCURRENCY } from "@boskit/boskit/conformance";
 * import assert from "node:assert/strict";
 *
 * assert(DEFAULT_CONCURRENCY > 1);
 * ```
 */
export const DEFAULT_CONCURRENCY = 12;

/**
 * Time limit per check by default, in milliseconds (two minutes).
 *
 * @example
 * ```ts
 * import { DEFAULT_TIMEOUT_MS } from "@boskit/boskit/conformance";
 * import assert from "node:assert/strict";
 *
 * assert.equal(DEFAULT_TIMEOUT_MS, 120_000);
 * ```
 */
export const DEFAULT_TIMEOUT_MS = 120_000;

/**
 * Every check of the kit with its law, in run order.
 *
 * @returns The checks.
 *
 * @example
 * ```ts
 * import { listChecks } from "@boskit/boskit/conformance";
 * import assert from "node:assert/strict";
 *
 * const checks = listChecks();
 * assert(checks.some((c) => c.id === "pagination.concatenated-pages-equal-model"));
 * assert(checks.every((c) => c.id.startsWith(c.suite + ".")));
 * ```
 */
export function listChecks(): CheckInfo[] {
  return ALL_CHECKS.map(infoOf);
}

function infoOf(c: CheckDef): CheckInfo {
  return {
    id: c.id,
    suite: c.suite,
    law: c.law,
    property: c.numRuns !== undefined,
    local: c.needsEndpoint === false,
    exclusive: c.exclusive === true,
  };
}

/**
 * Reads an expect file's JSON: an object from check id to `{ "status": "fail" | "skip", "reason":
 * "…" }`. Every id must be a check of the kit and every reason non-empty.
 *
 * @param value The parsed JSON.
 * @returns The expectations.
 * @throws {TypeError} With a sentence naming the entry at fault.
 *
 * @example
 * ```ts
 * import { parseExpectations } from "@boskit/boskit/conformance";
 * import assert from "node:assert/strict";
 *
 * const e = parseExpectations({ "objects.delete-missing-key-is-no-such-key": { status: "fail", reason: "S3 style 204" } });
 * assert.equal(e["objects.delete-missing-key-is-no-such-key"].status, "fail");
 * assert.throws(() => parseExpectations({ "no.such-check": { status: "skip", reason: "x" } }), /Unknown check/);
 * ```
 */
export function parseExpectations(value: unknown): Record<string, Expectation> {
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    throw new TypeError(
      'The expect file must hold a JSON object: { "check.id": { "status": "fail", "reason": "…" } }',
    );
  }
  const out: Record<string, Expectation> = {};
  for (const [id, entry] of Object.entries(value as Record<string, unknown>)) {
    if (!ALL_CHECKS.some((c) => c.id === id)) {
      throw new TypeError(`Unknown check ${JSON.stringify(id)} in the expect file; see --list`);
    }
    const e = entry as { status?: unknown; reason?: unknown } | null;
    if (!e || typeof e !== "object" || (e.status !== "fail" && e.status !== "skip")) {
      throw new TypeError(`Expectation of ${id} must be { "status": "fail" or "skip", "reason": "…" }`);
    }
    if (typeof e.reason !== "string" || e.reason.trim() === "") {
      throw new TypeError(`Expectation of ${id} needs a non-empty reason`);
    }
    out[id] = { status: e.status, reason: e.reason };
  }
  return out;
}

/**
 * Which checks a selection picks: an item matches a check id exactly, a suite name, or an id prefix.
 *
 * @param only Items to run (empty: all).
 * @param skip Items to leave out.
 * @returns Selected check ids and the items that matched nothing.
 *
 * @example
 * ```ts
 * import { selectChecks } from "@boskit/boskit/conformance";
 * import assert from "node:assert/strict";
 *
 * const { ids, unknown } = selectChecks(["signing", "nope"], []);
 * assert(ids.every((id) => id.startsWith("signing.")));
 * assert.deepEqual(unknown, ["nope"]);
 * ```
 */
export function selectChecks(only: string[] = [], skip: string[] = []): { ids: string[]; unknown: string[] } {
  const matches = (item: string, c: CheckDef) => c.id === item || c.suite === item || c.id.startsWith(item);
  const unknown = [...only, ...skip].filter((item) => !ALL_CHECKS.some((c) => matches(item, c)));
  const ids = ALL_CHECKS
    .filter((c) => only.length === 0 || only.some((item) => matches(item, c)))
    .filter((c) => !skip.some((item) => matches(item, c)))
    .map((c) => c.id);
  return { ids, unknown };
}

function randomHex(bytes: number): string {
  return [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, "0")).join(
    "",
  );
}

/**
 * Fresh random credentials (for the embedded server).
 *
 * @returns An AK/SK pair.
 *
 * @example
 * ```ts
 * import { randomCredentials } from "@boskit/boskit/conformance";
 * import assert from "node:assert/strict";
 *
 * assert.notEqual(randomCredentials().secretAccessKey, randomCredentials().secretAccessKey);
 * ```
 */
export function randomCredentials(): Credentials {
  return { accessKeyId: "conf-" + randomHex(8), secretAccessKey: randomHex(16) };
}

interface Target {
  endpoint: string;
  embedded: boolean;
  credentials: Credentials;
  /** Temporary credentials with a session token, when the run has some. */
  sts?: Credentials;
  close: () => Promise<void>;
}

async function startTarget(options: ConformanceOptions): Promise<Target> {
  if (options.endpoint) {
    if (!options.credentials) throw new TypeError("Credentials are required with an endpoint");
    return {
      endpoint: options.endpoint,
      embedded: false,
      credentials: options.credentials,
      sts: options.credentials.sessionToken !== undefined ? options.credentials : undefined,
      close: async () => {},
    };
  }
  if (options.handler) {
    if (!options.credentials) throw new TypeError("Credentials are required with a handler");
    const handler = options.handler;
    const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, (req) => handler(req));
    const addr = server.addr as Deno.NetAddr;
    return {
      endpoint: `http://127.0.0.1:${addr.port}`,
      embedded: false,
      credentials: options.credentials,
      sts: options.credentials.sessionToken !== undefined ? options.credentials : undefined,
      close: () => server.shutdown(),
    };
  }
  const { serve } = await import("../server/mod.ts");
  const credentials = options.credentials ?? randomCredentials();
  const sts: Credentials = { ...randomCredentials(), sessionToken: `sts/${randomHex(12)}+=` };
  const server = await serve({
    port: 0,
    hostname: "127.0.0.1",
    credentials: [credentials, sts as Required<Credentials>],
    ...(options.profile ? { profile: options.profile as BosProfile } : {}),
  });
  return {
    endpoint: server.url,
    embedded: true,
    credentials,
    sts,
    close: () => Promise.resolve(server.close()),
  };
}

function replayCommand(id: string, r: CheckResult, flags: string[]): string {
  const parts = ["deno task conformance", "--only", id];
  if (r.seed !== undefined) parts.push("--seed", String(r.seed));
  if (r.path) parts.push("--path", r.path);
  if (r.replayPath) parts.push("--replay-path", `'${r.replayPath.replaceAll("'", "'\\''")}'`);
  return [...parts, ...flags].join(" ");
}

function summarize(results: CheckResult[], selected: number): ReportSummary {
  const count = (s: CheckResult["status"]) => results.filter((r) => r.status === s).length;
  return {
    total: results.length,
    pass: count("PASS"),
    fail: count("FAIL"),
    skip: count("SKIP"),
    xfail: count("XFAIL"),
    xpass: count("XPASS"),
    error: results.filter((r) => r.status === "FAIL" && r.failure !== "law").length,
    notRun: selected - results.length,
  };
}

function measuredLimits(results: CheckResult[], profile: Readonly<BosProfile>): MeasuredLimit[] {
  const out: MeasuredLimit[] = [];
  for (const r of results) {
    for (const f of r.findings) {
      const value = (profile as unknown as Record<string, unknown>)[f.name];
      if (typeof value !== "number") continue;
      out.push({
        name: f.name,
        value: f.value,
        profile: value,
        check: r.id,
        ...(f.note ? { note: f.note } : {}),
      });
    }
  }
  return out;
}

function withExpectation(result: CheckResult, e: Expectation | undefined): CheckResult {
  if (!e || e.status !== "fail") return result;
  if (result.status === "FAIL") return { ...result, status: "XFAIL", expected: e.reason };
  if (result.status === "PASS") {
    return {
      ...result,
      status: "XPASS",
      expected: e.reason,
      message: "Passed although the expect file says it fails; remove it from the expect file",
    };
  }
  return { ...result, expected: e.reason };
}

async function makeTransport(options: ConformanceOptions): Promise<Transport | undefined> {
  if (options.fetch) return undefined;
  if (options.insecure) return await insecureTransport();
  if (options.caCerts?.length) return caTransport(options.caCerts);
  return undefined;
}

/**
 * Runs the conformance checks and returns the report. With no `endpoint` and no `handler` it starts
 * the embedded reference server on a loopback port with fresh keys. A probe runs first; when the
 * endpoint is unreachable, does not speak BOS or refuses the credentials, no check runs and the
 * report's status is `error`. Checks then run `concurrency` at a time (exclusive ones alone), each
 * with a seed derived from the run's seed and its id, its own exchange log and a time limit.
 * Everything the run creates lives under a run prefix (and, unless `bucket` is given, in a bucket it
 * creates), and is removed at the end unless `keep` is set — nothing else is ever deleted or
 * overwritten.
 *
 * @param options Target, selection, seed, runs, profile, concurrency, expectations and callbacks.
 * @returns The report.
 *
 * @example Against the embedded reference server
 * ```ts
 * import { runConformance } from "@boskit/boskit/conformance";
 * import assert from "node:assert/strict";
 *
 * const report = await runConformance({ only: ["pagination"], concurrency: 4 });
 * assert.equal(report.status, "passed");
 * assert.equal(report.summary.fail, 0);
 * ```
 *
 * @example An endpoint that is not there: no check runs, the probe says why
 * ```ts
 * import { runConformance } from "@boskit/boskit/conformance";
 * import assert from "node:assert/strict";
 *
 * const listener = Deno.listen({ port: 0 });
 * const port = (listener.addr as Deno.NetAddr).port;
 * listener.close();
 * const report = await runConformance({
 *   endpoint: `http://127.0.0.1:${port}`,
 *   credentials: { accessKeyId: "ak", secretAccessKey: "sk" },
 * });
 * assert.equal(report.status, "error");
 * assert.match(report.probe.diagnosis, /connection refused/);
 * assert.equal(report.results.length, 0);
 * ```
 */
export async function runConformance(options: ConformanceOptions = {}): Promise<Report> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const profile = options.profile ?? DEFAULT_PROFILE;
  const seed = options.seed ?? (Math.random() * 2 ** 31) | 0;
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? DEFAULT_CONCURRENCY));
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const expect = options.expect ?? {};
  const { ids } = selectChecks(options.only, options.skip);
  const checks = ALL_CHECKS.filter((c) => ids.includes(c.id));
  const runId = `${new Date().toISOString().replace(/[-:]/g, "").slice(0, 15).toLowerCase()}-${randomHex(4)}`;
  const runPrefix = `boskit-conformance/${runId}/`;
  const target = await startTarget(options);
  const transport = await makeTransport(options);
  const ownBucket = options.bucket === undefined;
  const bucket = options.bucket ?? `boskit-conf-${randomHex(6)}`;
  const addressing = normalizeAddressing(options.addressing) ?? defaultAddressing(target.endpoint);
  const http = new HttpContext({
    endpoint: target.endpoint,
    credentials: target.credentials,
    bucket,
    runPrefix,
    fetch: options.fetch ?? transport?.fetch,
    addressing,
    cleanupTimeoutMs: Math.min(timeoutMs, 30_000),
  });
  let resolveStop!: () => void;
  const stop = new Promise<void>((r) => (resolveStop = r));
  const onAbort = () => {
    http.stop();
    resolveStop();
  };
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener("abort", onAbort);
  options.onStart?.({
    endpoint: target.endpoint,
    bucket,
    runPrefix,
    leftBehind: () => http.leftBehind(),
  });
  const outcomes = new Map<string, CheckResult>();
  const stragglers: Promise<unknown>[] = [];
  let cleanupProblems: string[] = [];
  let probe: ProbeResult = { ok: false, diagnosis: "The run was stopped before the probe", steps: [] };
  let error: string | undefined;
  let failed = false;
  const flags = options.replayFlags ?? [];
  const run: RunSettings = {
    profile,
    seed,
    numRuns: options.numRuns,
    maxObjectSize: Math.min(options.maxObjectSize ?? DEFAULT_MAX_OBJECT_SIZE, profile.maxPutObjectSize),
    path: options.path,
    replayPath: options.replayPath,
    sts: target.sts,
    timeoutMs,
    timeoutGiven: options.timeoutMs !== undefined,
    runStarted: started,
  };
  try {
    if (!http.stopped) {
      try {
        probe = await probeEndpoint(http, { timeoutMs: Math.min(timeoutMs, 15_000), bucket: options.bucket });
      } catch (e) {
        if (!(e instanceof RunStoppedError)) throw e;
      }
      if (probe.ok && !http.stopped) {
        const problem = await prepareBucket(http, bucket, ownBucket, Math.min(timeoutMs, 30_000));
        if (problem) probe = { ...probe, ok: false, failed: "bucket", diagnosis: problem };
      }
      if (!probe.ok) error = probe.diagnosis;
      options.onProbe?.(probe);
    }
    if (probe.ok && !http.stopped) {
      const index = new Map(checks.map((c, i) => [c.id, i]));
      await schedule(
        checks,
        concurrency,
        async (check) => {
          const i = index.get(check.id)!;
          options.onCheckStart?.(infoOf(check), i, checks.length);
          const e = expect[check.id];
          let outcome: Outcome;
          if (e?.status === "skip") {
            outcome = {
              id: check.id,
              suite: check.suite,
              law: check.law,
              status: "SKIP",
              message: `Not run: the expect file says ${e.reason}`,
              expected: e.reason,
              durationMs: 0,
              findings: [],
            };
          } else {
            outcome = await runGuarded(check, http, run, stop, stragglers);
          }
          if (!outcome) return;
          const result = withExpectation(outcome, e);
          if (result.status === "FAIL" || result.status === "XFAIL") {
            result.replay = replayCommand(check.id, result, flags);
          }
          if (result.status === "FAIL") failed = true;
          outcomes.set(check.id, result);
          options.onResult?.(result, i, checks.length);
        },
        () => !http.stopped && !(options.failFast && failed),
      );
    }
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    // Checks that outlived their time limit or the run unwind quickly (their requests are refused).
    if (stragglers.length) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        Promise.allSettled(stragglers),
        new Promise((r) => (timer = setTimeout(r, 5_000))),
      ]);
      clearTimeout(timer);
    }
    if (!options.keep) {
      try {
        cleanupProblems = await http.cleanup();
      } catch (e) {
        cleanupProblems.push(`Cleanup failed: ${String(e)}`);
      }
    }
    transport?.close();
    await target.close();
  }
  const results = checks.flatMap((c) => outcomes.get(c.id) ?? []);
  const summary = summarize(results, checks.length);
  const aborted = http.stopped;
  const status: RunStatus = aborted
    ? "aborted"
    : error !== undefined
    ? "error"
    : summary.fail > 0
    ? "failed"
    : "passed";
  return {
    status,
    ...(aborted ? { error: "Interrupted: the run was stopped before it finished" } : error ? { error } : {}),
    endpoint: target.endpoint,
    embedded: target.embedded,
    addressing,
    tls: !target.endpoint.startsWith("https:")
      ? "none"
      : options.insecure
      ? "insecure"
      : options.caCerts?.length
      ? "ca"
      : "system",
    bucket,
    runPrefix,
    seed,
    profile,
    kitVersion: KIT_VERSION,
    runtime: `Deno ${Deno.version.deno} ${Deno.build.os} ${Deno.build.arch}`,
    hostname: hostname(),
    concurrency,
    timeoutMs,
    startedAt,
    endedAt: new Date().toISOString(),
    durationMs: Math.round(performance.now() - started),
    requestCount: http.requestCount,
    probe,
    results,
    findings: results.flatMap((r) => r.findings.map((f) => ({ check: r.id, ...f }))),
    limits: measuredLimits(results, profile),
    cleanupProblems,
    leftBehind: http.leftBehind(),
    aborted,
    summary,
  };
}

function hostname(): string {
  try {
    return Deno.hostname();
  } catch {
    return "localhost";
  }
}

/** Creates (or checks) the bucket the run works in; returns why it cannot, or undefined. */
async function prepareBucket(
  http: HttpContext,
  bucket: string,
  own: boolean,
  timeoutMs: number,
): Promise<string | undefined> {
  const ctx = http.forCheck();
  const timer = setTimeout(() => ctx.halt(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
  try {
    if (own) {
      ctx.created.buckets.add(bucket);
      const r = await ctx.send({ method: "PUT", bucket });
      if (r.status !== 200) {
        ctx.created.buckets.delete(bucket);
        return `${http.endpoint} refused to create the bucket ${bucket}: PutBucket answered ${r.status} ${
          r.text().replace(/\s+/g, " ").slice(0, 200)
        }; pass --bucket NAME to work in an existing bucket`;
      }
    } else {
      const r = await ctx.send({ method: "HEAD", bucket });
      if (r.status !== 200) {
        return `The bucket ${bucket} on ${http.endpoint} is not usable: HeadBucket answered ${r.status}`;
      }
    }
    return undefined;
  } catch (e) {
    return `${http.endpoint} failed while preparing the bucket ${bucket}: ${
      e instanceof Error ? e.message : e
    }`;
  } finally {
    clearTimeout(timer);
  }
}
