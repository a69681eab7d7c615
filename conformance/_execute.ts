/**
 * Running checks: one check on a context of its own with its own seed and time limit, and many
 * checks at once (exclusive ones alone), so that no result depends on how many run together.
 *
 * @module
 */
import fc from "fast-check";
import type { BosProfile } from "../protocol/limits.ts";
import {
  type CheckContext,
  type CheckDef,
  type Finding,
  LawViolation,
  PropertyFailure,
  show,
  Skip,
} from "./_check.ts";
import {
  CheckTimeoutError,
  type Credentials,
  type Exchange,
  type HttpContext,
  RunStoppedError,
} from "./_http.ts";
import type { CheckResult } from "./_results.ts";

/**
 * The seed of one check: a 32-bit FNV-1a hash of the run's seed and the check id, so a check sees the
 * same inputs whichever checks run beside it, in whatever order, at whatever concurrency.
 *
 * @param runSeed The run's seed.
 * @param id The check id.
 * @returns A signed 32-bit seed.
 */
export function checkSeed(runSeed: number, id: string): number {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(`${runSeed}/${id}`)) {
    h ^= b;
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

/** What every check of a run shares. */
export interface RunSettings {
  profile: Readonly<BosProfile>;
  seed: number;
  numRuns?: number;
  /** Largest object a check may write (already bounded by the profile). */
  maxObjectSize: number;
  path?: string;
  replayPath?: string;
  sts?: Credentials;
  timeoutMs: number;
  /** Whether `timeoutMs` was given (`--timeout`): then it is not stretched for `numRuns` (see {@link timeLimitOf}). */
  timeoutGiven?: boolean;
  /** `performance.now()` when the run started. */
  runStarted: number;
}

function exchangeOf(e: unknown): Exchange | undefined {
  if (e && typeof e === "object" && "exchange" in e) return (e as { exchange?: Exchange }).exchange;
  return undefined;
}

/** Runs one check on `http` (a context of its own); never throws. */
async function runOne(check: CheckDef, http: HttpContext, run: RunSettings): Promise<CheckResult> {
  const started = performance.now();
  const findings: Finding[] = [];
  let runs = 0;
  let usedProperty = false;
  let sub = 0;
  const ns = `${http.runPrefix}${check.id}/`;
  const seed = checkSeed(run.seed, check.id);
  const numRuns = run.numRuns ?? check.numRuns ?? 10;
  const ctx: CheckContext = {
    http,
    profile: run.profile,
    sts: run.sts,
    ns,
    seed,
    numRuns,
    maxObjectSize: run.maxObjectSize,
    path: run.path,
    replayPath: run.replayPath,
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
        ...(run.path ? { path: run.path } : {}),
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
    ...(usedProperty ? { seed: run.seed, checkSeed: seed, numRuns: runs } : {}),
    ...extra,
  });
  const stopped = (e: unknown) => e instanceof RunStoppedError || e instanceof CheckTimeoutError;
  try {
    await check.run(ctx);
    return done({});
  } catch (e) {
    if (e instanceof Skip) return done({ status: "SKIP", message: e.message });
    if (stopped(e)) return done({ status: "FAIL", failure: "error", message: (e as Error).message });
    if (e instanceof PropertyFailure) {
      const inner = e.inner;
      if (stopped(inner)) {
        return done({ status: "FAIL", failure: "error", message: (inner as Error).message });
      }
      const exchange = exchangeOf(inner) ?? http.exchanges.at(-1);
      return done({
        status: "FAIL",
        failure: inner instanceof LawViolation ? "law" : "error",
        message: inner instanceof Error ? inner.message : String(inner),
        seed: run.seed,
        checkSeed: seed,
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
    const law = e instanceof LawViolation;
    const message = law ? e.message : `Unexpected error: ${e instanceof Error ? e.message : String(e)}`;
    return done({
      status: "FAIL",
      failure: law ? "law" : "error",
      message,
      exchange,
      requestId: exchange?.requestId,
    });
  }
}

/** A check's result, or `undefined` when the run was stopped before it finished. */
export type Outcome = CheckResult | undefined;

/**
 * Runs one check with a time limit on its own view of the run. Past the limit, the check's requests
 * in flight are aborted and it fails with the request it was waiting for; its promise is added to
 * `stragglers` so the run can let it unwind before cleanup.
 *
 * @param check The check.
 * @param root The run's context.
 * @param run Seed, profile and limits.
 * @param stop Resolves when the run is stopped.
 * @param stragglers Where to leave the promises of checks that outlived their limit or the run.
 * @returns The result, or `undefined` when the run was stopped first.
 */
/**
 * A check's time limit: the run's, stretched by the factor `--num-runs` raised the check's runs by
 * (60 runs of a check whose default is 8 may take 7.5 times as long), unless the limit was given.
 *
 * @param check The check.
 * @param run The run's settings.
 * @returns Milliseconds.
 */
export function timeLimitOf(check: CheckDef, run: RunSettings): number {
  if (run.timeoutGiven || run.numRuns === undefined || check.numRuns === undefined) return run.timeoutMs;
  return Math.round(run.timeoutMs * Math.max(1, run.numRuns / check.numRuns));
}

export async function runGuarded(
  check: CheckDef,
  root: HttpContext,
  run: RunSettings,
  stop: Promise<void>,
  stragglers: Promise<unknown>[],
): Promise<Outcome> {
  const http = root.forCheck();
  const started = performance.now();
  const offsetMs = Math.round(started - run.runStarted);
  const work = runOne(check, http, run).then((r) => ({ ...r, offsetMs }));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limitMs = timeLimitOf(check, run);
  const limit = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), limitMs)));
  const first = await Promise.race([work, limit, stop.then(() => "stopped" as const)]);
  clearTimeout(timer);
  if (typeof first === "object") return root.stopped && first.status === "FAIL" ? undefined : first;
  stragglers.push(work);
  if (first === "stopped") {
    http.halt(new RunStoppedError());
    return undefined;
  }
  const pending = http.pendingExchanges();
  http.halt(new CheckTimeoutError(limitMs));
  const exchange = pending[0] ?? http.exchanges.at(-1);
  const waiting = pending[0]
    ? `; it was waiting for ${pending[0].method} ${pending[0].url}`
    : exchange
    ? `; its last request was ${exchange.method} ${exchange.url} → ${exchange.status}`
    : "";
  return {
    id: check.id,
    suite: check.suite,
    law: check.law,
    status: "FAIL",
    failure: "timeout",
    message: `No result within ${limitMs / 1000} s (--timeout)${waiting}`,
    durationMs: Math.round(performance.now() - started),
    offsetMs,
    findings: [],
    ...(check.numRuns !== undefined ? { seed: run.seed, checkSeed: checkSeed(run.seed, check.id) } : {}),
    ...(exchange ? { exchange, requestId: exchange.requestId } : {}),
  };
}

/**
 * Runs `checks` with at most `concurrency` at once, in order (with more than one at once, slow checks
 * first, then the serial groups); the checks of one serial group run one after another in one slot;
 * exclusive checks run after the others, one at a time with nothing else in flight. `goOn` decides,
 * before each check, whether to go on.
 *
 * @param checks The checks in run order.
 * @param concurrency Most checks in flight.
 * @param one Runs one check.
 * @param goOn Whether to start another check.
 */
export async function schedule(
  checks: readonly CheckDef[],
  concurrency: number,
  one: (check: CheckDef) => Promise<void>,
  goOn: () => boolean,
): Promise<void> {
  // A job is one check, or a serial group's checks in their order (the group where its first check is).
  const jobs: CheckDef[][] = [];
  const groups = new Map<string, CheckDef[]>();
  for (const c of checks) {
    if (c.exclusive) continue;
    if (c.serial === undefined) {
      jobs.push([c]);
      continue;
    }
    let group = groups.get(c.serial);
    if (!group) {
      groups.set(c.serial, group = []);
      jobs.push(group);
    }
    group.push(c);
  }
  // The slow checks first, then the groups (each a few checks long), so that they overlap the many
  // short ones instead of ending the run alone.
  const rank = (job: CheckDef[]) => (job[0].slow ? 2 : job.length > 1 || job[0].serial ? 1 : 0);
  if (concurrency > 1) jobs.sort((a, b) => rank(b) - rank(a));
  const alone = checks.filter((c) => c.exclusive);
  let next = 0;
  const worker = async () => {
    while (goOn() && next < jobs.length) {
      for (const check of jobs[next++]) {
        if (!goOn()) break;
        await one(check);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, jobs.length)) }, worker));
  for (const check of alone) {
    if (!goOn()) break;
    await one(check);
  }
}
