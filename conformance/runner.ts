/**
 * `runConformance`: runs the checks against an endpoint URL, an in-process handler, or (with
 * neither) the embedded reference server, and returns a report.
 *
 * @module
 */
import fc from "fast-check";
import { type BosProfile, DEFAULT_PROFILE } from "../client/limits.ts";
import {
  type CheckContext,
  type CheckDef,
  type Finding,
  LawViolation,
  PropertyFailure,
  show,
  Skip,
  type SuiteName,
  SUITES,
} from "./_check.ts";
import { type Credentials, type Exchange, HttpContext, RunStoppedError } from "./_http.ts";
import { ALL_CHECKS } from "./suites/all.ts";

export type { BosProfile, Credentials, Exchange, Finding, SuiteName };
export { SUITES };

/**
 * The outcome of one check.
 *
 * @example
 * ```ts
 * import type { CheckStatus } from "@boskit/boskit/conformance";
 * import assert from "node:assert/strict";
 *
 * const s: CheckStatus = "SKIP";
 * assert.notEqual(s, "FAIL");
 * ```
 */
export type CheckStatus = "PASS" | "FAIL" | "SKIP";

/**
 * A check as listed by {@link listChecks}.
 *
 * @example
 * ```ts
 * import { type CheckInfo, listChecks } from "@boskit/boskit/conformance";
 * import assert from "node:assert/strict";
 *
 * const info: CheckInfo = listChecks()[0];
 * assert.equal(info.suite, "signing");
 * ```
 */
export interface CheckInfo {
  /** `suite.behaviour-in-words`. */
  id: string;
  /** The suite. */
  suite: SuiteName;
  /** The law the check verifies, as a sentence. */
  law: string;
  /** Whether the check is a property (has a seed and runs). */
  property: boolean;
  /** Whether the check runs without an endpoint (pure, e.g. signing vectors and part planning). */
  local: boolean;
}

/**
 * The result of one check.
 *
 * @example
 * ```ts
 * import type { CheckResult } from "@boskit/boskit/conformance";
 * import assert from "node:assert/strict";
 *
 * const r: CheckResult = { id: "objects.etag-is-md5", suite: "objects", law: "…", status: "PASS", durationMs: 4, findings: [] };
 * assert.equal(r.status, "PASS");
 * ```
 */
export interface CheckResult {
  /** Check id. */
  id: string;
  /** Suite. */
  suite: SuiteName;
  /** Law sentence. */
  law: string;
  /** PASS, FAIL or SKIP. */
  status: CheckStatus;
  /** Why it failed or was skipped. */
  message?: string;
  /** Wall time in milliseconds. */
  durationMs: number;
  /** fast-check seed (properties only). */
  seed?: number;
  /** fast-check path of the shrunk counterexample (failed properties only). */
  path?: string;
  /** `fc.commands` replay path (failed model-based properties only). */
  replayPath?: string;
  /** Number of property runs made. */
  numRuns?: number;
  /** Number of shrinks made. */
  numShrinks?: number;
  /** The shrunk counterexample, printed. */
  counterexample?: string;
  /** The failing HTTP exchange, secrets removed. */
  exchange?: Exchange;
  /** BOS request id of the failing exchange. */
  requestId?: string;
  /** What the check measured or observed. */
  findings: Finding[];
  /** Command that replays exactly this failure. */
  replay?: string;
}

/**
 * Options of {@link runConformance}.
 *
 * @example
 * ```ts
 * import type { ConformanceOptions } from "@boskit/boskit/conformance";
 * import assert from "node:assert/strict";
 *
 * const options: ConformanceOptions = { only: ["pagination"], seed: 42, numRuns: 50 };
 * assert.equal(options.seed, 42);
 * ```
 */
export interface ConformanceOptions {
  /** Endpoint URL (`https://bj.bcebos.com`). Without it and without `handler`, the embedded reference server runs. */
  endpoint?: string;
  /** An in-process fetch handler to test; served by the kit on a loopback port. */
  handler?: (request: Request) => Response | Promise<Response>;
  /** `fetch` to use for requests (default the global one). */
  fetch?: typeof fetch;
  /** `path` or `virtual` addressing; default virtual for `<region>.bcebos.com`, path otherwise. */
  addressing?: "path" | "virtual";
  /** Credentials for `endpoint` / `handler` (the embedded server gets fresh random ones). */
  credentials?: Credentials;
  /** Existing bucket to work in (never deleted); default a fresh bucket the run creates and removes. */
  bucket?: string;
  /** Check ids, suite names or id prefixes to run (default all). */
  only?: string[];
  /** Check ids, suite names or id prefixes to leave out. */
  skip?: string[];
  /** fast-check seed for every property (default random). */
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
  /** Keep what the run created. */
  keep?: boolean;
  /** Stops the run: the current check is abandoned, cleanup runs, the partial report is returned. */
  signal?: AbortSignal;
  /** Extra command-line flags for replay commands (`--endpoint URL`). */
  replayFlags?: string[];
  /** Called before each check. */
  onCheckStart?: (check: CheckInfo, index: number, total: number) => void;
  /** Called after each check. */
  onResult?: (result: CheckResult, index: number, total: number) => void;
}

/**
 * Largest object the checks write by default: 20 MiB (the model suite writes a few objects that large;
 * `--max-object-size` lowers or raises it).
 *
 * @example
 * ```ts
 * import { DEFAULT_MAX_OBJECT_SIZE } from "@boskit/boskit/conformance";
 * import assert from "node:assert/strict";
 *
 * assert.equal(DEFAULT_MAX_OBJECT_SIZE, 20 * 1024 * 1024);
 * ```
 */
export const DEFAULT_MAX_OBJECT_SIZE = 20 * 1024 * 1024;

/**
 * Summary counts.
 *
 * @example
 * ```ts
 * import type { ReportSummary } from "@boskit/boskit/conformance";
 * import assert from "node:assert/strict";
 *
 * const s: ReportSummary = { total: 3, pass: 2, fail: 0, skip: 1 };
 * assert.equal(s.pass + s.fail + s.skip, s.total);
 * ```
 */
export interface ReportSummary {
  /** Checks run or skipped. */
  total: number;
  /** Passed. */
  pass: number;
  /** Failed. */
  fail: number;
  /** Skipped. */
  skip: number;
}

/**
 * What a run found.
 *
 * @example
 * ```ts
 * import { formatJson, type Report } from "@boskit/boskit/conformance";
 * import assert from "node:assert/strict";
 *
 * const report = { results: [] } as unknown as Report;
 * assert.equal(formatJson(report), "");
 * ```
 */
export interface Report {
  /** Endpoint tested (`embedded reference server` URL included). */
  endpoint: string;
  /** Whether the embedded reference server was used. */
  embedded: boolean;
  /** Bucket worked in. */
  bucket: string;
  /** Prefix of every key the run created. */
  runPrefix: string;
  /** Seed of the properties. */
  seed: number;
  /** Limits assumed. */
  profile: Readonly<BosProfile>;
  /** ISO time the run started. */
  startedAt: string;
  /** Wall time in milliseconds. */
  durationMs: number;
  /** Requests sent. */
  requestCount: number;
  /** Per-check results in run order. */
  results: CheckResult[];
  /** Every finding of every check. */
  findings: Array<Finding & { check: string }>;
  /** What cleanup could not remove. */
  cleanupProblems: string[];
  /** Whether the run was stopped early. */
  aborted: boolean;
  /** Counts. */
  summary: ReportSummary;
}

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
  return ALL_CHECKS.map((c) => ({
    id: c.id,
    suite: c.suite,
    law: c.law,
    property: c.numRuns !== undefined,
    local: c.needsEndpoint === false,
  }));
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

/**
 * Runs the conformance checks and returns the report. With no `endpoint` and no `handler` it starts
 * the embedded reference server on a loopback port with fresh keys. Everything it creates lives
 * under a run prefix (and, unless `bucket` is given, in a bucket it creates), and is removed at the
 * end unless `keep` is set — nothing else is ever deleted or overwritten.
 *
 * @param options Target, selection, seed, runs, profile and callbacks.
 * @returns The report.
 *
 * @example Against the embedded reference server
 * ```ts
 * import { runConformance } from "@boskit/boskit/conformance";
 * import assert from "node:assert/strict";
 *
 * const report = await runConformance({ only: ["pagination"] });
 * assert.equal(report.summary.fail, 0);
 * ```
 */
export async function runConformance(options: ConformanceOptions = {}): Promise<Report> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const profile = options.profile ?? DEFAULT_PROFILE;
  const seed = options.seed ?? (Math.random() * 2 ** 31) | 0;
  const { ids } = selectChecks(options.only, options.skip);
  const checks = ALL_CHECKS.filter((c) => ids.includes(c.id));
  const runId = `${new Date().toISOString().replace(/[-:]/g, "").slice(0, 15).toLowerCase()}-${randomHex(4)}`;
  const runPrefix = `boskit-conformance/${runId}/`;
  const target = await startTarget(options);
  const ownBucket = options.bucket === undefined;
  const bucket = options.bucket ?? `boskit-conf-${randomHex(6)}`;
  const http = new HttpContext({
    endpoint: target.endpoint,
    credentials: target.credentials,
    bucket,
    runPrefix,
    fetch: options.fetch,
    addressing: options.addressing,
  });
  const onAbort = () => http.stop();
  options.signal?.addEventListener("abort", onAbort);
  const results: CheckResult[] = [];
  let cleanupProblems: string[] = [];
  const flags = options.replayFlags ?? [];
  try {
    await prepareBucket(http, bucket, ownBucket);
    for (let i = 0; i < checks.length; i++) {
      if (http.stopped) break;
      const check = checks[i];
      const info: CheckInfo = {
        id: check.id,
        suite: check.suite,
        law: check.law,
        property: check.numRuns !== undefined,
        local: check.needsEndpoint === false,
      };
      options.onCheckStart?.(info, i, checks.length);
      const result = await runOne(check, http, profile, seed, options, target.sts);
      if (http.stopped && result.status === "FAIL") break;
      if (result.status === "FAIL") result.replay = replayCommand(check.id, result, flags);
      results.push(result);
      options.onResult?.(result, i, checks.length);
    }
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    if (!options.keep) {
      try {
        cleanupProblems = await http.cleanup();
      } catch (e) {
        cleanupProblems.push(`Cleanup failed: ${String(e)}`);
      }
    }
    await target.close();
  }
  const summary: ReportSummary = {
    total: results.length,
    pass: results.filter((r) => r.status === "PASS").length,
    fail: results.filter((r) => r.status === "FAIL").length,
    skip: results.filter((r) => r.status === "SKIP").length,
  };
  return {
    endpoint: target.endpoint,
    embedded: target.embedded,
    bucket,
    runPrefix,
    seed,
    profile,
    startedAt,
    durationMs: Math.round(performance.now() - started),
    requestCount: http.requestCount,
    results,
    findings: results.flatMap((r) => r.findings.map((f) => ({ check: r.id, ...f }))),
    cleanupProblems,
    aborted: http.stopped,
    summary,
  };
}

async function prepareBucket(http: HttpContext, bucket: string, own: boolean): Promise<void> {
  if (own) {
    http.created.buckets.add(bucket);
    const r = await http.send({ method: "PUT", bucket });
    if (r.status !== 200) {
      http.created.buckets.delete(bucket);
      throw new Error(
        `Could not create the bucket ${bucket}: the endpoint answered ${r.status} ${r.text().slice(0, 200)}`,
      );
    }
  } else {
    const r = await http.send({ method: "HEAD", bucket });
    if (r.status !== 200) {
      throw new Error(`The bucket ${bucket} is not usable: HeadBucket answered ${r.status}`);
    }
  }
  // Measure clock skew from the Date header so that signatures are not refused for a slow clock.
  const r = await http.send({ method: "HEAD", bucket });
  const date = Date.parse(r.headers.get("date") ?? "");
  if (!Number.isNaN(date)) {
    const offset = date - Date.now();
    if (Math.abs(offset) > 30_000) http.clockOffsetMs = offset;
  }
}

async function runOne(
  check: CheckDef,
  http: HttpContext,
  profile: Readonly<BosProfile>,
  seed: number,
  options: ConformanceOptions,
  sts: Credentials | undefined,
): Promise<CheckResult> {
  const started = performance.now();
  const findings: Finding[] = [];
  let runs = 0;
  let usedProperty = false;
  let sub = 0;
  const ns = `${http.runPrefix}${check.id}/`;
  http.exchanges = [];
  const numRuns = options.numRuns ?? check.numRuns ?? 10;
  const ctx: CheckContext = {
    http,
    profile,
    sts,
    ns,
    seed,
    numRuns,
    maxObjectSize: Math.min(options.maxObjectSize ?? DEFAULT_MAX_OBJECT_SIZE, profile.maxPutObjectSize),
    path: options.path,
    replayPath: options.replayPath,
    finding: (name, value, note) => {
      if (findings.some((f) => f.name === name && f.value === value)) return;
      findings.push(note === undefined ? { name, value } : { name, value, note });
    },
    fresh: () => `${ns}${sub++}/`,
    property: async (arbitraries, predicate) => {
      usedProperty = true;
      // deno-lint-ignore no-explicit-any
      const prop = (fc.asyncProperty as any)(...arbitraries, predicate);
      const details = await fc.check(prop, {
        seed,
        numRuns,
        ...(options.path ? { path: options.path } : {}),
        interruptAfterTimeLimit: 120_000,
      });
      runs += details.numRuns;
      if (details.failed) {
        const counterexample = details.counterexample ? show(details.counterexample) : "";
        const replayPath = /replayPath="([^"]*)"/.exec(counterexample)?.[1];
        throw new PropertyFailure({
          seed: details.seed,
          path: details.counterexamplePath ?? undefined,
          counterexample,
          numRuns: details.numRuns,
          numShrinks: details.numShrinks,
          replayPath,
          inner: details.errorInstance,
        });
      }
    },
  };
  const base = { id: check.id, suite: check.suite, law: check.law, findings };
  const done = (extra: Partial<CheckResult>): CheckResult => ({
    ...base,
    status: "PASS",
    durationMs: Math.round(performance.now() - started),
    ...(usedProperty ? { seed, numRuns: runs } : {}),
    ...extra,
  });
  try {
    await check.run(ctx);
    return done({});
  } catch (e) {
    if (e instanceof Skip) return done({ status: "SKIP", message: e.message });
    if (e instanceof RunStoppedError) return done({ status: "FAIL", message: "Stopped" });
    if (e instanceof PropertyFailure) {
      const inner = e.inner;
      if (inner instanceof RunStoppedError) return done({ status: "FAIL", message: "Stopped" });
      const exchange = exchangeOf(inner) ?? http.exchanges.at(-1);
      return done({
        status: "FAIL",
        message: inner instanceof Error ? inner.message : String(inner),
        seed: e.seed,
        path: e.path,
        replayPath: e.replayPath,
        numRuns: runs,
        numShrinks: e.numShrinks,
        counterexample: e.counterexample,
        exchange,
        requestId: exchange?.requestId,
      });
    }
    const exchange = exchangeOf(e) ?? http.exchanges.at(-1);
    const message = e instanceof LawViolation
      ? e.message
      : `Unexpected error: ${e instanceof Error ? e.message : String(e)}`;
    return done({ status: "FAIL", message, exchange, requestId: exchange?.requestId });
  }
}

function exchangeOf(e: unknown): Exchange | undefined {
  if (e && typeof e === "object" && "exchange" in e) return (e as { exchange?: Exchange }).exchange;
  return undefined;
}
