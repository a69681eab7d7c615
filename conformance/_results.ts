/**
 * The shapes a run produces: check results, the probe's diagnosis, counts and the report.
 *
 * @module
 */
import type { BosProfile } from "../protocol/limits.ts";
import type { Finding, SuiteName } from "./_check.ts";
import type { Exchange } from "./_http.ts";

/**
 * The outcome of one check: `PASS`, `FAIL`, `SKIP`, or for a check the expect file lists as failing,
 * `XFAIL` (it failed, as expected; does not fail the run) and `XPASS` (it passed although expected to
 * fail).
 */
export type CheckStatus = "PASS" | "FAIL" | "SKIP" | "XFAIL" | "XPASS";

/**
 * How a run ended: `passed` (no check failed; expected failures allowed), `failed` (a law failed),
 * `error` (the run could not be judged: endpoint, credentials, bucket) or `aborted` (interrupted).
 */
export type RunStatus = "passed" | "failed" | "error" | "aborted";

/**
 * A check as listed by `listChecks`.
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
  /** Whether the check runs alone, with no other check in flight (it measures a limit or changes buckets). */
  exclusive: boolean;
}

/**
 * The result of one check.
 */
export interface CheckResult {
  /** Check id. */
  id: string;
  /** Suite. */
  suite: SuiteName;
  /** Law sentence. */
  law: string;
  /** PASS, FAIL, SKIP, XFAIL or XPASS. */
  status: CheckStatus;
  /** Why it failed or was skipped. */
  message?: string;
  /**
   * What kind of failure (FAIL and XFAIL only): `law` (the endpoint broke the law), `timeout` (no
   * result within `--timeout`) or `error` (an unexpected error, such as a request without a response).
   */
  failure?: "law" | "timeout" | "error";
  /** Wall time in milliseconds. */
  durationMs: number;
  /** When the check started, in milliseconds after the run started. */
  offsetMs?: number;
  /** The run's seed, which `--seed` takes to replay (properties only). */
  seed?: number;
  /** The seed fast-check used for this check, derived from the run's seed and the check id. */
  checkSeed?: number;
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
  /** The expect file's reason, for a check it lists (XFAIL, XPASS, or SKIP as expected). */
  expected?: string;
}

/**
 * One step of the probe that runs before any suite.
 */
export interface ProbeStep {
  /** `reachable`, `speaks-bos` or `credentials`. */
  name: "reachable" | "speaks-bos" | "credentials";
  /** Whether the step held. */
  ok: boolean;
  /** What was seen, as a sentence. */
  detail: string;
  /** The exchange that showed it. */
  exchange?: Exchange;
}

/**
 * What the probe found: whether the endpoint is reachable, speaks BOS and accepts the credentials.
 */
export interface ProbeResult {
  /** Whether every step held (the suites may run). */
  ok: boolean;
  /** The step that did not hold. */
  failed?: ProbeStep["name"] | "bucket";
  /** One line: what is wrong (naming the endpoint) or that all is well. */
  diagnosis: string;
  /** The steps in order. */
  steps: ProbeStep[];
  /** The endpoint's clock minus ours, in milliseconds, when it differs by more than 30 s. */
  clockOffsetMs?: number;
}

/**
 * Summary counts. `fail` counts FAIL results; `error` counts those among them that are not law
 * violations (timeouts, unexpected errors); `notRun` counts selected checks that never ran
 * (`--fail-fast`, interruption, an endpoint that could not be judged).
 */
export interface ReportSummary {
  /** Checks with a result (run or skipped). */
  total: number;
  /** Passed. */
  pass: number;
  /** Failed. */
  fail: number;
  /** Skipped. */
  skip: number;
  /** Failed as the expect file says (does not fail the run). */
  xfail: number;
  /** Passed although the expect file says it fails. */
  xpass: number;
  /** Failures that are timeouts or unexpected errors rather than law violations (part of `fail`). */
  error: number;
  /** Selected checks that did not run. */
  notRun: number;
}

/**
 * A limit the kit measured, beside the profile's value.
 */
export interface MeasuredLimit {
  /** The profile field (`maxKeyLength`). */
  name: string;
  /** What was measured. */
  value: string | number | boolean;
  /** The profile's value. */
  profile: number;
  /** The check that measured it. */
  check: string;
  /** How it was measured. */
  note?: string;
}

/**
 * What a run found.
 */
export interface Report {
  /** How the run ended. */
  status: RunStatus;
  /** Why the run could not be judged (status `error`), or was aborted. */
  error?: string;
  /** Endpoint tested (`embedded reference server` URL included). */
  endpoint: string;
  /** Whether the embedded reference server was used. */
  embedded: boolean;
  /** `path` or `virtual-host`. */
  addressing: "path" | "virtual-host";
  /** How TLS certificates were checked: `system` (default roots), `ca` (with `--ca`), `insecure`, or `none` (plain HTTP). */
  tls: "system" | "ca" | "insecure" | "none";
  /** Bucket worked in. */
  bucket: string;
  /** Prefix of every key the run created. */
  runPrefix: string;
  /** Seed of the run (each check's seed derives from it and the check id). */
  seed: number;
  /** Limits assumed. */
  profile: Readonly<BosProfile>;
  /** Version of the kit (the package version). */
  kitVersion: string;
  /** Runtime that ran the kit (`Deno 2.9.6 linux x86_64`). */
  runtime: string;
  /** Name of the machine that ran the kit. */
  hostname: string;
  /** Checks run at once. */
  concurrency: number;
  /** Time limit per check in milliseconds. */
  timeoutMs: number;
  /** ISO time the run started. */
  startedAt: string;
  /** ISO time the run ended. */
  endedAt: string;
  /** Wall time in milliseconds. */
  durationMs: number;
  /** Requests sent. */
  requestCount: number;
  /** What the probe found. */
  probe: ProbeResult;
  /** Per-check results in run order. */
  results: CheckResult[];
  /** Every finding of every check. */
  findings: Array<Finding & { check: string }>;
  /** The limits measured by binary search, beside the profile. */
  limits: MeasuredLimit[];
  /** What cleanup could not remove. */
  cleanupProblems: string[];
  /** What the run created and left in place (with `keep`, or when cleanup failed). */
  leftBehind: string[];
  /** Whether the run was stopped early. */
  aborted: boolean;
  /** Counts. */
  summary: ReportSummary;
}
