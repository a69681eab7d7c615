import assert from "node:assert/strict";
import fc from "fast-check";
import {
  backoffDelay,
  DEFAULT_RETRY,
  isClockSkewError,
  isRejectedUnprocessed,
  isTransientError,
  resolveRetryOptions,
} from "./retry.ts";
import { sleep } from "./_async.ts";
import { BosError } from "../protocol/errors.ts";

const err = (status: number, code: string) => new BosError({ status, code, message: code });

Deno.test("backoffDelay: full jitter stays in [0, min(cap, base × 2^(n−1)))", () => {
  fc.assert(fc.property(
    fc.integer({ min: 1, max: 60 }),
    fc.integer({ min: 0, max: 5000 }),
    fc.integer({ min: 0, max: 100000 }),
    fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
    (retry, baseDelayMs, maxDelayMs, r) => {
      const o = resolveRetryOptions({ baseDelayMs, maxDelayMs });
      const d = backoffDelay(retry, o, () => r);
      const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (retry - 1));
      assert(d >= 0 && (d < ceiling || (ceiling === 0 && d === 0)));
    },
  ));
});

Deno.test("backoffDelay: the ceiling doubles per retry until the cap", () => {
  assert.equal(backoffDelay(1, DEFAULT_RETRY, () => 0.999999), 199);
  assert.equal(backoffDelay(2, DEFAULT_RETRY, () => 0.999999), 399);
  assert.equal(backoffDelay(20, DEFAULT_RETRY, () => 0.999999), 19999);
});

Deno.test("isTransientError: network errors, timeouts, 408, 429, 5xx and RequestTimeout are transient; aborts and 4xx are not", () => {
  for (
    const e of [
      err(0, "NetworkError"),
      err(0, "Timeout"),
      err(408, "RequestTimeout"),
      err(429, "SlowDown"),
      err(500, "InternalError"),
      err(503, "ServiceUnavailable"),
      err(400, "RequestTimeout"),
    ]
  ) {
    assert(isTransientError(e), e.code);
  }
  for (
    const e of [
      err(0, "Aborted"),
      err(0, "MetadataTooLarge"),
      err(404, "NoSuchKey"),
      err(403, "AccessDenied"),
      err(409, "OffsetIncorrect"),
      new Error("x"),
    ]
  ) {
    assert(!isTransientError(e), String(e));
  }
});

Deno.test("isRejectedUnprocessed: only answers that prove nothing happened allow re-sending non-idempotent requests", () => {
  assert(isRejectedUnprocessed(err(503, "ServiceUnavailable")));
  assert(isRejectedUnprocessed(err(429, "SlowDown")));
  assert(isRejectedUnprocessed(err(403, "RequestTimeTooSkewed")));
  assert(!isRejectedUnprocessed(err(0, "NetworkError")));
  assert(!isRejectedUnprocessed(err(500, "InternalError")));
  assert(!isRejectedUnprocessed(err(0, "Timeout")));
});

Deno.test("isClockSkewError: RequestTimeTooSkewed and RequestExpired", () => {
  assert(isClockSkewError(err(403, "RequestTimeTooSkewed")));
  assert(isClockSkewError(err(403, "RequestExpired")));
  assert(!isClockSkewError(err(403, "AccessDenied")));
});

Deno.test("resolveRetryOptions: refuses nonsense with InvalidArgument naming the option", () => {
  assert.throws(
    () => resolveRetryOptions({ maxAttempts: 0 }),
    /maxAttempts must be a positive integer, got 0/,
  );
  assert.throws(() => resolveRetryOptions({ baseDelayMs: -1 }), /baseDelayMs/);
  assert.deepEqual(resolveRetryOptions({ maxAttempts: undefined }), DEFAULT_RETRY);
});

Deno.test("sleep: rejects with Aborted when the signal fires", async () => {
  const c = new AbortController();
  const p = sleep(10_000, c.signal);
  c.abort();
  await assert.rejects(p, (e) => e instanceof BosError && e.code === "Aborted" && e.status === 0);
});
