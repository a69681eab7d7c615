/**
 * What a check is, what it can use while it runs, and how failures carry their evidence.
 *
 * @module
 */
import fc from "fast-check";
import type { BosProfile } from "../protocol/limits.ts";
import type { Exchange, HttpContext } from "./_http.ts";
import type { Credentials } from "./_http.ts";

/**
 * The suites of the kit, in run order.
 *
 * @example
 * ```ts
 * import { SUITES } from "@boskit/boskit/conformance";
 * import assert from "node:assert/strict";
 *
 * assert.equal(SUITES[0], "signing");
 * assert(SUITES.includes("pagination"));
 * ```
 */
export const SUITES = [
  "signing",
  "part_math",
  "offsets",
  "metadata",
  "pagination",
  "objects",
  "multipart",
  "copy",
  "cors",
  "buckets",
  "errors",
  "model",
] as const;

/** A suite name. */
export type SuiteName = typeof SUITES[number];

/** Something the kit measured or observed, reported whether or not a check failed. */
export interface Finding {
  /** What was measured (`maxUserMetadataSize`). */
  name: string;
  /** The value found. */
  value: string | number | boolean;
  /** How it was found or what it means. */
  note?: string;
}

/** Runs one property with the run's seed, path and number of runs. */
export interface PropertyRunner {
  <Ts extends [unknown, ...unknown[]]>(
    arbitraries: { [K in keyof Ts]: fc.Arbitrary<Ts[K]> },
    predicate: (...args: Ts) => Promise<void> | void,
  ): Promise<void>;
}

/** What a check can use while it runs. */
export interface CheckContext {
  /** The request layer. */
  http: HttpContext;
  /** The limits assumed for this endpoint. */
  profile: Readonly<BosProfile>;
  /**
   * Temporary (STS) credentials with a session token, when the run has some: the embedded server is
   * given a pair; against an endpoint, the main credentials when they carry a token (BOS_STS_TOKEN).
   */
  sts?: Credentials;
  /** Key namespace of this check (under the run prefix, ends with `/`). */
  ns: string;
  /** Seed for fast-check and any other randomness of the check: derived from the run's seed and the check id. */
  seed: number;
  /** Number of runs for properties. */
  numRuns: number;
  /** Largest object (or part) a check writes, in bytes (`--max-object-size`, bounded by the profile). */
  maxObjectSize: number;
  /** Replay path, when replaying one failure. */
  path?: string;
  /** Replay path of `fc.commands`, when replaying a model-based failure. */
  replayPath?: string;
  /** Runs a property (records seed, counterexample and failing exchange on failure). */
  property: PropertyRunner;
  /** Records a finding. */
  finding(name: string, value: string | number | boolean, note?: string): void;
  /** A fresh sub-namespace for one property run (ends with `/`). */
  fresh(): string;
}

/** A check: one behaviour, named as a sentence. */
export interface CheckDef {
  /** `suite.behaviour-in-words`. */
  id: string;
  /** The suite. */
  suite: SuiteName;
  /** The law, as a sentence. */
  law: string;
  /** Whether it needs an endpoint (`false` for local checks such as signing vectors). */
  needsEndpoint?: boolean;
  /** Default number of runs for its properties. */
  numRuns?: number;
  /**
   * Whether the check must run alone, with no other check in flight: it measures a limit (binary
   * searches whose steps should see an otherwise idle endpoint), depends on time, or creates or
   * removes buckets. Default false: the check touches only keys under its own namespace.
   */
  exclusive?: boolean;
  /**
   * Whether the check runs many times longer than most (the model suite's). With more than one check
   * in flight, the scheduler starts such checks first, so that the short ones fill the other slots
   * around them and the run ends sooner; results do not change.
   */
  slow?: boolean;
  /**
   * A group of checks that share state of their own (the bucket's CORS rules, the account's buckets)
   * but touch nothing the other checks read: checks of one group run one after another, in their
   * order, in one slot beside the other checks (not alone, as {@link CheckDef.exclusive} ones do).
   */
  serial?: string;
  /** The check itself: throws {@link LawViolation} (or any error) on failure, {@link Skip} to skip. */
  run(ctx: CheckContext): Promise<void>;
}

/** A law did not hold; carries the exchange that shows it. */
export class LawViolation extends Error {
  /** The failing exchange. */
  exchange?: Exchange;

  /**
   * Creates the error.
   *
   * @param message What was expected and what was seen.
   * @param exchange The exchange that shows it.
   */
  constructor(message: string, exchange?: Exchange) {
    super(message);
    this.name = "LawViolation";
    this.exchange = exchange;
  }
}

/** The check cannot run here (missing feature or prerequisite). */
export class Skip extends Error {
  /**
   * Creates the error.
   *
   * @param reason Why the check was skipped.
   */
  constructor(reason: string) {
    super(reason);
    this.name = "Skip";
  }
}

/** A property failed: fast-check's details of the shrunk failure. */
export class PropertyFailure extends Error {
  /** Seed of the run. */
  seed: number;
  /** Path of the shrunk counterexample. */
  path?: string;
  /** The shrunk counterexample, printed. */
  counterexample: string;
  /** Number of runs made. */
  numRuns: number;
  /** Number of shrinks. */
  numShrinks: number;
  /** `fc.commands` replay path, when the property is model-based. */
  replayPath?: string;
  /** The error of the shrunk counterexample. */
  inner: unknown;

  /**
   * Creates the error.
   *
   * @param details What fast-check reported.
   */
  constructor(details: {
    seed: number;
    path?: string;
    counterexample: string;
    numRuns: number;
    numShrinks: number;
    replayPath?: string;
    inner: unknown;
  }) {
    super(details.inner instanceof Error ? details.inner.message : String(details.inner));
    this.name = "PropertyFailure";
    this.seed = details.seed;
    this.path = details.path;
    this.counterexample = details.counterexample;
    this.numRuns = details.numRuns;
    this.numShrinks = details.numShrinks;
    this.replayPath = details.replayPath;
    this.inner = details.inner;
  }
}

/**
 * Throws a {@link LawViolation} unless `condition` holds.
 *
 * @param condition The law instance.
 * @param message What was expected and what was seen.
 * @param exchange The exchange that shows it.
 */
export function ensure(condition: unknown, message: string, exchange?: Exchange): asserts condition {
  if (!condition) throw new LawViolation(message, exchange);
}

/**
 * Prints a value for a report (strings quoted, byte arrays as length and a prefix, sets and maps
 * expanded), keeping it short.
 *
 * @param value Anything.
 * @returns A compact printout.
 */
export function show(value: unknown): string {
  const text = fc.stringify(value);
  return text.length > 4000 ? text.slice(0, 4000) + "…" : text;
}
