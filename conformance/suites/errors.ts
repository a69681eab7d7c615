/**
 * Errors: every error body is JSON with code, message and requestId (matching the header), HEAD
 * errors have no body, every response carries x-bce-request-id, missing buckets are NoSuchBucket.
 *
 * @module
 */
import { type CheckContext, type CheckDef, ensure } from "../_check.ts";
import type { HttpResponse, RawRequest } from "../_http.ts";
import type { BosErrorCode } from "../../protocol/errors.ts";
import { errorOf, expectError, expectOk, initiate } from "../_ops.ts";
import { uriEncode } from "../../protocol/encoding.ts";

const suite = "errors" as const;

function missingBucket(): string {
  return "boskit-missing-" +
    [...crypto.getRandomValues(new Uint8Array(8))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** An object for the error cases that need one (a failed precondition, a range past its end). */
async function fixture(ctx: CheckContext): Promise<string> {
  const key = ctx.ns + "object";
  expectOk(await ctx.http.send({ method: "PUT", key, body: "x" }), "PutObject of the fixture");
  return key;
}

/** An open multipart upload for the error cases that need one (a Complete body that is not JSON). */
async function openUpload(ctx: CheckContext): Promise<{ key: string; uploadId: string }> {
  const key = ctx.ns + "open-upload";
  return { key, uploadId: await initiate(ctx.http, key) };
}

/**
 * Requests that must fail, with a label: one of each kind of failure (400, 403, 404 of a key, a
 * bucket and an upload, 405, 409, 412, 416), each answered on its own path through the endpoint.
 */
function failing(
  ctx: CheckContext,
  key: string,
  upload: { key: string; uploadId: string },
): Array<[string, () => RawRequest]> {
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
    ["ListObjects with a negative maxKeys", () => ({ method: "GET", query: { maxKeys: -1 } })],
    [
      "PutObject with an unknown storage class",
      () => ({
        method: "PUT",
        key: ctx.ns + "bad-class",
        body: "x",
        headers: { "x-bce-storage-class": "BOSKIT_NO_SUCH_CLASS" },
      }),
    ],
    [
      "InitiateMultipartUpload with an unknown storage class",
      () => ({
        method: "POST",
        key: ctx.ns + "bad-class-upload",
        query: { uploads: null },
        headers: { "x-bce-storage-class": "BOSKIT_NO_SUCH_CLASS" },
      }),
    ],
    [
      "CopyObject with an unknown storage class",
      () => ({
        method: "PUT",
        key: ctx.ns + "bad-class-copy",
        headers: {
          "x-bce-copy-source": `/${ctx.http.bucket}/${uriEncode(key, true)}`,
          "x-bce-storage-class": "BOSKIT_NO_SUCH_CLASS",
        },
      }),
    ],
    [
      "CompleteMultipartUpload with a body that is not JSON",
      () => ({
        method: "POST",
        key: upload.key,
        query: { uploadId: upload.uploadId },
        headers: { "content-type": "application/json" },
        body: '{"parts": [{"partNumber": 1,',
      }),
    ],
    [
      "DeleteMultipleObjects with a body that is not JSON",
      () => ({
        method: "POST",
        query: { delete: null },
        headers: { "content-type": "application/json" },
        body: '{"objects": [{"key": ',
      }),
    ],
    ["PutBucket of the bucket the run works in", () => ({ method: "PUT" })],
    ["a method BOS does not define (PATCH)", () => ({ method: "PATCH", key })],
    [
      "GetObject with an If-Match that fails",
      () => ({ method: "GET", key, headers: { "if-match": '"00000000000000000000000000000000"' } }),
    ],
    [
      "GetObject with a Range past the end",
      () => ({ method: "GET", key, headers: { range: "bytes=100-200" } }),
    ],
  ];
}

/** Sends one failing request; an upload it wrongly initiated is tracked, so the run's cleanup aborts it. */
async function sendFailing(ctx: CheckContext, req: RawRequest): Promise<HttpResponse> {
  const res = await ctx.http.send(req);
  const uploadId = res.status === 200 && req.key !== undefined
    ? (res.json() as { uploadId?: unknown } | undefined)?.uploadId
    : undefined;
  if (typeof uploadId === "string") ctx.http.trackUpload(ctx.http.bucket, req.key!, uploadId);
  return res;
}

/** The status and code(s) BOS answers each failing request of {@link failing} with (limits-and-errors.md §6). */
const DOCUMENTED: Readonly<Record<string, readonly [number, readonly string[]]>> = {
  "GetObject of a missing key": [404, ["NoSuchKey"]],
  "DeleteObject of a missing key": [404, ["NoSuchKey"]],
  "GetObject in a missing bucket": [404, ["NoSuchBucket"]],
  "UploadPart with an unknown uploadId": [404, ["NoSuchUpload"]],
  "a request with a bad signature": [403, ["SignatureDoesNotMatch"]],
  "ListObjects with a negative maxKeys": [400, ["InvalidArgument"]],
  "PutObject with an unknown storage class": [400, ["InvalidArgument"]],
  "InitiateMultipartUpload with an unknown storage class": [400, ["InvalidArgument"]],
  "CopyObject with an unknown storage class": [400, ["InvalidArgument"]],
  "CompleteMultipartUpload with a body that is not JSON": [400, ["MalformedJSON"]],
  "DeleteMultipleObjects with a body that is not JSON": [400, ["MalformedJSON"]],
  "PutBucket of the bucket the run works in": [409, ["BucketAlreadyExists"]],
  "a method BOS does not define (PATCH)": [405, ["MethodNotAllowed"]],
  "GetObject with an If-Match that fails": [412, ["PreconditionFailed"]],
  "GetObject with a Range past the end": [416, ["InvalidRange"]],
};

/** An IMF-fixdate (RFC 9110 §5.6.7), the form of RFC 1123 that HTTP prescribes. */
const HTTP_DATE =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/** One response of each kind a client sees: 200, 204, 206, 304, HEAD, JSON, errors. */
async function variedResponses(ctx: CheckContext): Promise<Array<[string, HttpResponse]>> {
  const key = ctx.ns + "object";
  const out: Array<[string, HttpResponse]> = [];
  const send = async (what: string, r: RawRequest) => {
    const res = await ctx.http.send(r);
    out.push([what, res]);
    return res;
  };
  const put = await send("PutObject", { method: "PUT", key, body: "xyz" });
  const etag = put.headers.get("etag") ?? "";
  await send("GetObject", { method: "GET", key });
  await send("GetObject of a range (206)", { method: "GET", key, headers: { range: "bytes=1-1" } });
  await send("GetObject with a matching If-None-Match (304)", {
    method: "GET",
    key,
    headers: { "if-none-match": etag },
  });
  await send("HeadObject", { method: "HEAD", key });
  await send("HeadObject of a missing key", { method: "HEAD", key: ctx.ns + "missing" });
  await send("HeadObject without authorization (403)", { method: "HEAD", key, sign: false });
  await send("HeadObject with an If-Match that fails (412)", {
    method: "HEAD",
    key,
    headers: { "if-match": '"00000000000000000000000000000000"' },
  });
  await send("HeadBucket", { method: "HEAD" });
  await send("HeadBucket of a missing bucket", { method: "HEAD", bucket: missingBucket() });
  await send("ListObjects", { method: "GET", query: { prefix: ctx.ns } });
  await send("DeleteObject (204)", { method: "DELETE", key });
  await send("GetObject of a deleted key", { method: "GET", key });
  return out;
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
      "Every error response, of every kind (400 of a bad argument on PutObject, InitiateMultipartUpload and CopyObject or of a body that is not JSON, 403, 404 of a key, bucket or upload, 405, 409, 412, 416), has a JSON body (Content-Type application/json) with non-empty string code, message and requestId",
    async run(ctx) {
      for (const [what, req] of failing(ctx, await fixture(ctx), await openUpload(ctx))) {
        errorBodyOk(await sendFailing(ctx, req()), what);
      }
    },
  },
  {
    id: "errors.each-failure-has-its-documented-code",
    suite,
    law:
      "Each kind of failure answers the status and code BOS documents for it: 400 InvalidArgument (negative maxKeys, an unknown storage class on PutObject, InitiateMultipartUpload and CopyObject), 400 MalformedJSON (a CompleteMultipartUpload or DeleteMultipleObjects body that is not JSON), 403 SignatureDoesNotMatch, 404 NoSuchKey / NoSuchBucket / NoSuchUpload, 405 MethodNotAllowed, 409 BucketAlreadyExists, 412 PreconditionFailed, 416 InvalidRange",
    async run(ctx) {
      for (const [what, req] of failing(ctx, await fixture(ctx), await openUpload(ctx))) {
        const [status, codes] = DOCUMENTED[what];
        const res = await sendFailing(ctx, req());
        if (what.startsWith("PutBucket") && res.status === 403 && errorOf(res).code === "AccessDenied") {
          continue; // a key scoped to the bucket (--bucket) may not create buckets at all
        }
        expectError(res, status, codes as BosErrorCode[], what);
      }
    },
  },
  {
    id: "errors.request-id-in-body-matches-header",
    suite,
    law: "The requestId of every kind of error body equals the response's x-bce-request-id header",
    async run(ctx) {
      for (const [what, req] of failing(ctx, await fixture(ctx), await openUpload(ctx))) {
        const res = await sendFailing(ctx, req());
        const header = res.headers.get("x-bce-request-id");
        const id = errorOf(res).requestId;
        ensure(
          header && id === header,
          `${what}: body requestId ${JSON.stringify(id)}, header ${JSON.stringify(header)}`,
          res.exchange,
        );
      }
    },
  },
  {
    id: "errors.every-response-has-request-id",
    suite,
    law:
      "Every response, success or error, HEAD, 204, 206 and 304 included, carries a non-empty x-bce-request-id header, another for each request",
    async run(ctx) {
      const ids = new Map<string, string>();
      for (const [what, res] of await variedResponses(ctx)) {
        const id = res.headers.get("x-bce-request-id");
        ensure(id, `${what} answered ${res.status} without x-bce-request-id`, res.exchange);
        const before = ids.get(id);
        ensure(
          before === undefined,
          `${what} answered the request id ${id} of the earlier ${before}`,
          res.exchange,
        );
        ids.set(id, what);
      }
    },
  },
  {
    id: "errors.every-response-has-http-date",
    suite,
    law:
      "Every response, success or error, HEAD, 204, 206 and 304 included, carries a Date header in the RFC 1123 form HTTP prescribes (Tue, 01 Dec 2026 19:33:20 GMT)",
    async run(ctx) {
      for (const [what, res] of await variedResponses(ctx)) {
        const date = res.headers.get("date");
        ensure(
          date !== null && HTTP_DATE.test(date) && !Number.isNaN(Date.parse(date)),
          `${what} answered ${res.status} with Date ${
            JSON.stringify(date)
          }, expected an RFC 1123 date such as ${new Date(0).toUTCString()}`,
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
    law:
      "Requests to a bucket that does not exist answer 404 NoSuchBucket — reads, listings and writes (PutObject, InitiateMultipartUpload, DeleteObject) alike — and a write does not create the bucket",
    async run(ctx) {
      const bucket = missingBucket();
      // A write that wrongly lands would create the bucket: cleanup then removes it.
      ctx.http.created.buckets.add(bucket);
      const requests: [string, RawRequest][] = [
        ["GetObject in a missing bucket", { method: "GET", bucket, key: "k" }],
        ["ListObjects of a missing bucket", { method: "GET", bucket }],
        ["PutObject in a missing bucket", { method: "PUT", bucket, key: ctx.ns + "k", body: "x" }],
        ["InitiateMultipartUpload in a missing bucket", {
          method: "POST",
          bucket,
          key: ctx.ns + "k",
          query: { uploads: null },
        }],
        ["DeleteObject in a missing bucket", { method: "DELETE", bucket, key: ctx.ns + "k" }],
      ];
      for (const [what, r] of requests) expectError(await ctx.http.send(r), 404, "NoSuchBucket", what);
      const head = await ctx.http.send({ method: "HEAD", bucket });
      ensure(
        head.status === 404,
        `After writes to the missing bucket ${bucket} HeadBucket answered ${head.status}`,
        head.exchange,
      );
      ctx.http.created.buckets.delete(bucket);
    },
  },
  {
    id: "errors.head-error-has-no-body",
    suite,
    law:
      "HEAD errors of every kind (404 of a key or a bucket, 403 without authorization, 412 of a failed condition) carry no body",
    async run(ctx) {
      const key = await fixture(ctx);
      const cases: [number, RawRequest][] = [
        [404, { method: "HEAD", key: ctx.ns + "missing" }],
        [404, { method: "HEAD", bucket: missingBucket() }],
        [403, { method: "HEAD", key, sign: false }],
        [412, { method: "HEAD", key, headers: { "if-match": '"00000000000000000000000000000000"' } }],
      ];
      for (const [status, r] of cases) {
        const res = await ctx.http.send(r);
        const what = `HEAD ${r.key ?? r.bucket}${r.sign === false ? " without authorization" : ""}`;
        ensure(res.status === status, `${what} answered ${res.status}, expected ${status}`, res.exchange);
        ensure(res.body.length === 0, `${what} answered a ${res.body.length}-byte body`, res.exchange);
      }
    },
  },
];
