/**
 * Retry policy of the client: which failures are transient, and exponential backoff with full jitter.
 *
 * @module
 */
import { BosError } from "../protocol/errors.ts";

/** How the client retries transient failures. */
export interface RetryOptions {
  /** Attempts per request including the first; default 4 (1 = never retry). */
  maxAttempts?: number;
  /** Backoff base in milliseconds; attempt `n` (1-based) waits a random time in `[0, min(maxDelayMs, baseDelayMs × 2^(n−1)))`; default 200. */
  baseDelayMs?: number;
  /** Cap of one backoff in milliseconds; default 20000. */
  maxDelayMs?: number;
  /** Overall deadline of one request including every retry and backoff, in milliseconds; default 600000 (10 minutes). */
  deadlineMs?: number;
}

/** {@link RetryOptions} with every field set. */
export type ResolvedRetryOptions = Required<RetryOptions>;

/**
 * The defaults: 4 attempts, 200 ms base, 20 s cap, 10 minute deadline.
 *
 * @example
 * ```ts
 * import { DEFAULT_RETRY } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * assert.equal(DEFAULT_RETRY.maxAttempts, 4);
 * ```
 */
export const DEFAULT_RETRY: Readonly<ResolvedRetryOptions> = Object.freeze({
  maxAttempts: 4,
  baseDelayMs: 200,
  maxDelayMs: 20_000,
  deadlineMs: 600_000,
});

/**
 * Fills in defaults and checks the values.
 *
 * @param options Partial options.
 * @returns Complete options.
 *
 * @example
 * ```ts
 * import { resolveRetryOptions } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * assert.equal(resolveRetryOptions({ maxAttempts: 1 }).baseDelayMs, 200);
 * ```
 */
export function resolveRetryOptions(options: RetryOptions = {}): ResolvedRetryOptions {
  const r = {
    ...DEFAULT_RETRY,
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
  };
  for (const [name, value] of Object.entries(r)) {
    if (
      typeof value !== "number" || !(value >= 0) ||
      (name === "maxAttempts" && (value < 1 || !Number.isInteger(value)))
    ) {
      throw new BosError({
        status: 0,
        code: "InvalidArgument",
        message: `Retry option ${name} must be a ${
          name === "maxAttempts" ? "positive integer" : "non-negative number"
        }, got ${value}`,
      });
    }
  }
  return r as ResolvedRetryOptions;
}

/**
 * The backoff before retry number `retry` (1 = the first retry): full jitter, a uniformly random
 * delay in `[0, min(maxDelayMs, baseDelayMs × 2^(retry−1)))`.
 *
 * @param retry 1-based retry number.
 * @param options Resolved options.
 * @param random A source of numbers in [0, 1); default `Math.random`.
 * @returns Milliseconds to wait.
 *
 * @example
 * ```ts
 * import { backoffDelay, DEFAULT_RETRY } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * assert.equal(backoffDelay(3, DEFAULT_RETRY, () => 0.5), 400);
 * assert(backoffDelay(30, DEFAULT_RETRY) < 20000);
 * ```
 */
export function backoffDelay(
  retry: number,
  options: Readonly<ResolvedRetryOptions>,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

/**
 * Client codes (status 0) of failures where no complete response was received and a retry may help.
 *
 * @example
 * ```ts
 * import { TRANSIENT_CLIENT_CODES } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(TRANSIENT_CLIENT_CODES, ["NetworkError", "Timeout"]);
 * ```
 */
export const TRANSIENT_CLIENT_CODES: readonly string[] = ["NetworkError", "Timeout"];

/** Service codes that mean "try again later" whatever the status. */
const TRANSIENT_SERVICE_CODES = new Set([
  "RequestTimeout",
  "ServiceUnavailable",
  "SlowDown",
  "InternalError",
]);

/**
 * Whether a failure is transient, i.e. worth retrying for an idempotent request: network errors
 * and timeouts, 408, 429, any 5xx, and the `RequestTimeout` / `SlowDown` / `ServiceUnavailable` /
 * `InternalError` codes. Aborts and other 4xx are not.
 *
 * @param error The failure.
 * @returns `true` when a retry may succeed.
 *
 * @example
 * ```ts
 * import { BosError, isTransientError } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * assert(isTransientError(new BosError({ status: 503, code: "ServiceUnavailable", message: "busy" })));
 * assert(!isTransientError(new BosError({ status: 404, code: "NoSuchKey", message: "missing" })));
 * ```
 */
export function isTransientError(error: unknown): boolean {
  if (!(error instanceof BosError)) return false;
  if (error.status === 0) return TRANSIENT_CLIENT_CODES.includes(error.code);
  return error.status === 408 || error.status === 429 || error.status >= 500 ||
    TRANSIENT_SERVICE_CODES.has(error.code);
}

/**
 * Whether a failure proves the server did not act on the request, so even a non-idempotent request
 * may be sent again: 429, 503, `SlowDown` / `ServiceUnavailable`, and the clock-skew rejections.
 *
 * @param error The failure.
 * @returns `true` when re-sending cannot duplicate an effect.
 *
 * @example
 * ```ts
 * import { BosError, isRejectedUnprocessed } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * assert(isRejectedUnprocessed(new BosError({ status: 503, code: "ServiceUnavailable", message: "busy" })));
 * assert(!isRejectedUnprocessed(new BosError({ status: 0, code: "NetworkError", message: "reset" })));
 * ```
 */
export function isRejectedUnprocessed(error: unknown): boolean {
  if (!(error instanceof BosError)) return false;
  return error.status === 429 || error.status === 503 || error.code === "SlowDown" ||
    error.code === "ServiceUnavailable" || isClockSkewError(error);
}

/**
 * Whether a failure is a clock-skew rejection (`RequestTimeTooSkewed` or `RequestExpired`), which
 * the client corrects once from the server's `Date` header.
 *
 * @param error The failure.
 * @returns `true` for the two clock codes.
 *
 * @example
 * ```ts
 * import { BosError, isClockSkewError } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * assert(isClockSkewError(new BosError({ status: 403, code: "RequestTimeTooSkewed", message: "skew" })));
 * ```
 */
export function isClockSkewError(error: unknown): boolean {
  return error instanceof BosError &&
    (error.code === "RequestTimeTooSkewed" || error.code === "RequestExpired");
}
