/**
 * Errors: every error body is JSON with code, message and requestId (matching the header), HEAD
 * errors have no body, every response carries x-bce-request-id, missing buckets are NoSuchBucket.
 *
 * @module
 */
import fc from "fast-check";
import { type CheckContext, type CheckDef, ensure } from "../_check.ts";
import type { HttpResponse, RawRequest } from "../_http.ts";
import { errorOf, expectError } from "../_ops.ts";

const suite = "errors" as const;

function missingBucket(): string {
  return "boskit-missing-" +
    [...crypto.getRandomValues(new Uint8Array(8))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Requests that must fail, with a label. */
function failing(ctx: CheckContext): Array<[string, () => RawRequest]> {
  return [
    ["GetObject of a missing key", () => ({ method: "GET", key: ctx.ns + "missing" })],
    ["DeleteObject of a missing key", () => ({ method: "DELETE", key: ctx.ns + "missing" })],
    ["GetObject in a missing bucket", () => ({ method: "GET", bucket: missingBucket(), key: "k" })],
    [
      "UploadPart with an unknown uploadId",
      () => ({ method: "PUT", key: ctx.ns + "u", query: { partNumber: 1, uploadId: "nope" }, body: "x" }),
    ],
    ["a request with a bad signature", () => ({
      method: "GET",
      key: ctx.ns + "missing",
      mutate: (w) =>
        w.headers.set(
          "authorization",
          (w.headers.get("authorization") ?? "").replace(/.$/, (c) => (c === "0" ? "1" : "0")),
        ),
    })],
  ];
}

function errorBodyOk(res: HttpResponse, what: string): void {
  ensure(res.status >= 400, `${what} answered ${res.status}, expected an error`, res.exchange);
  const type = res.headers.get("content-type") ?? "";
  ensure(
    /^(application|text)\/json/i.test(type),
    `${what}: error Content-Type is ${JSON.stringify(type)}, expected application/json`,
    res.exchange,
  );
  const e = errorOf(res);
  for (const field of ["code", "message", "requestId"] as const) {
    ensure(
      typeof e[field] === "string" && e[field] !== "",
      `${what}: the error body has no ${field}: ${res.text().slice(0, 300)}`,
      res.exchange,
    );
  }
}

/** The error checks. */
export const ERRORS_CHECKS: CheckDef[] = [
  {
    id: "errors.error-body-has-code-message-request-id",
    suite,
    law:
      "Every error response has a JSON body (Content-Type application/json) with non-empty string code, message and requestId",
    numRuns: 30,
    async run(ctx) {
      const cases = failing(ctx);
      await ctx.property([fc.integer({ min: 0, max: cases.length - 1 })], async (i) => {
        const [what, req] = cases[i];
        errorBodyOk(await ctx.http.send(req()), what);
      });
    },
  },
  {
    id: "errors.request-id-in-body-matches-header",
    suite,
    law: "The requestId of an error body equals the response's x-bce-request-id header",
    numRuns: 15,
    async run(ctx) {
      const cases = failing(ctx);
      await ctx.property([fc.integer({ min: 0, max: cases.length - 1 })], async (i) => {
        const [what, req] = cases[i];
        const res = await ctx.http.send(req());
        const header = res.headers.get("x-bce-request-id");
        const id = errorOf(res).requestId;
        ensure(
          header && id === header,
          `${what}: body requestId ${JSON.stringify(id)}, header ${JSON.stringify(header)}`,
          res.exchange,
        );
      });
    },
  },
  {
    id: "errors.every-response-has-request-id",
    suite,
    law: "Every response, success or error, HEAD included, carries a non-empty x-bce-request-id header",
    async run(ctx) {
      const key = ctx.ns + "object";
      const requests: RawRequest[] = [
        { method: "PUT", key, body: "x" },
        { method: "GET", key },
        { method: "HEAD", key },
        { method: "HEAD", key: ctx.ns + "missing" },
        { method: "GET" },
        { method: "DELETE", key },
        { method: "GET", key },
      ];
      for (const r of requests) {
        const res = await ctx.http.send(r);
        ensure(
          res.headers.get("x-bce-request-id"),
          `${r.method} ${r.key ?? "(bucket)"} answered ${res.status} without x-bce-request-id`,
          res.exchange,
        );
      }
    },
  },
  {
    id: "errors.error-responses-carry-accurate-date",
    suite,
    law:
      "Error responses carry a Date header within 15 minutes of the signing clock (clients re-sync from it after RequestTimeTooSkewed)",
    async run(ctx) {
      const res = await ctx.http.send({ method: "GET", key: ctx.ns + "missing" });
      const date = Date.parse(res.headers.get("date") ?? "");
      ensure(
        !Number.isNaN(date),
        `Date header ${JSON.stringify(res.headers.get("date"))} is missing or not a date`,
        res.exchange,
      );
      ensure(
        Math.abs(date - ctx.http.now().getTime()) < 900_000,
        `Date ${res.headers.get("date")} is far from ${ctx.http.now().toUTCString()}`,
        res.exchange,
      );
    },
  },
  {
    id: "errors.missing-bucket-is-no-such-bucket",
    suite,
    law: "Requests to a bucket that does not exist answer 404 NoSuchBucket",
    async run(ctx) {
      const bucket = missingBucket();
      expectError(
        await ctx.http.send({ method: "GET", bucket, key: "k" }),
        404,
        "NoSuchBucket",
        "GetObject in a missing bucket",
      );
      expectError(
        await ctx.http.send({ method: "GET", bucket }),
        404,
        "NoSuchBucket",
        "ListObjects of a missing bucket",
      );
    },
  },
  {
    id: "errors.head-error-has-no-body",
    suite,
    law: "HEAD errors (missing key, missing bucket) carry no body",
    async run(ctx) {
      for (
        const r of [{ method: "HEAD", key: ctx.ns + "missing" }, {
          method: "HEAD",
          bucket: missingBucket(),
        }] as RawRequest[]
      ) {
        const res = await ctx.http.send(r);
        ensure(res.status === 404, `HEAD answered ${res.status}, expected 404`, res.exchange);
        ensure(res.body.length === 0, `HEAD error answered a ${res.body.length}-byte body`, res.exchange);
      }
    },
  },
];
