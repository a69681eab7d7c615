/**
 * Signing checks of the validity window and of header canonicalisation (kept apart from `signing.ts`,
 * module size): a signature is good for its whole window, a little clock skew ahead is tolerated, and
 * header values are canonicalised exactly as auth.md §4.3 says (trimmed, inner whitespace kept, empty
 * values never signed), and the official JS SDK's request habits (clients.md) are accepted.
 *
 * @module
 */
import fc from "fast-check";
import { presignUrl } from "../../protocol/signing/sign.ts";
import { type CheckDef, ensure, LawViolation } from "../_check.ts";
import type { HttpResponse, RawRequest } from "../_http.ts";
import {
  bytesEqual,
  complete,
  describeDifference,
  expectOk,
  initiate,
  mustPut,
  mustUploadPart,
  seen,
} from "../_ops.ts";

const suite = "signing" as const;

/** One validity-window case: how the request is signed and how long ago. */
interface WindowCase {
  placement: "header" | "query";
  expiration: number;
  /** Seconds between the signature's timestamp and now: positive in the past, negative ahead. */
  age: number;
}

/** Cases every run tries (aged well past 15 minutes and past an hour, one ahead), then random ones. */
const FIXED: readonly WindowCase[] = [
  { placement: "header", expiration: 1800, age: 1700 },
  { placement: "query", expiration: 3600, age: 3000 },
  { placement: "header", expiration: 1800, age: -45 },
  { placement: "query", expiration: 86400, age: 7200 },
];

const windowCase: fc.Arbitrary<WindowCase> = fc
  .record({
    placement: fc.constantFrom("header" as const, "query" as const),
    expiration: fc.constantFrom(600, 1800, 3600, 7200, 86400),
    fraction: fc.double({ min: 0.02, max: 0.9, noNaN: true }),
    ahead: fc.integer({ min: 0, max: 60 }),
    future: fc.boolean(),
  })
  .map(({ placement, expiration, fraction, ahead, future }) => ({
    placement,
    expiration,
    age: future ? -ahead : Math.max(5, Math.floor(expiration * fraction)),
  }));

function describe(c: WindowCase): string {
  const when = c.age >= 0 ? `${c.age} s ago` : `${-c.age} s ahead of the endpoint's clock`;
  const how = c.placement === "query" ? "A presigned URL" : "A header-signed GET";
  return `${how} signed ${when}, valid for ${c.expiration} s,`;
}

/** The signing checks of the validity window and of header canonicalisation. */
export const SIGNING_WINDOW_CHECKS: CheckDef[] = [
  {
    id: "signing.signature-accepted-throughout-its-window",
    suite,
    law:
      "A signature is accepted at any age inside its validity window (timestamp + expiration, not a fixed skew such as 15 minutes), in the header and presigned alike, and with a timestamp up to 60 s ahead of the endpoint's clock",
    numRuns: 6,
    async run(ctx) {
      const key = ctx.ns + "window";
      const data = new TextEncoder().encode("window " + ctx.ns);
      await mustPut(ctx.http, key, data);
      const one = async (c: WindowCase) => {
        const timestamp = new Date(ctx.http.now().getTime() - c.age * 1000);
        let res: HttpResponse;
        if (c.placement === "query") {
          const path = ctx.http.pathOf(ctx.http.bucket, key);
          const url = await presignUrl({
            accessKeyId: ctx.http.credentials.accessKeyId,
            secretAccessKey: ctx.http.credentials.secretAccessKey,
            sessionToken: ctx.http.credentials.sessionToken,
            url: ctx.http.originOf(ctx.http.bucket) + path,
            timestamp,
            expirationInSeconds: c.expiration,
          });
          const query = url.slice(url.indexOf("?") + 1);
          res = await ctx.http.send({ method: "GET", key, rawPath: path, query, sign: false });
        } else {
          res = await ctx.http.send({
            method: "GET",
            key,
            sign: { timestamp, expirationInSeconds: c.expiration },
          });
        }
        if (res.status !== 200 || !bytesEqual(res.body, data)) {
          throw new LawViolation(
            `${describe(c)} got ${seen(res)}, expected 200 with the object`,
            res.exchange,
          );
        }
      };
      for (const c of FIXED) await one(c);
      await ctx.property([windowCase], one);
    },
  },
  {
    id: "signing.header-values-canonicalised-as-documented",
    suite,
    law:
      "Signed header values are canonicalised as auth.md §4.3 says: inner runs of spaces and tabs are kept (not collapsed), and a header with an empty value is never part of the signature, in an explicit list and in the default set (empty signedHeaders) alike; the values are stored as sent",
    numRuns: 8,
    async run(ctx) {
      const gap = fc.stringMatching(/^[ \t]{2,4}$/);
      await ctx.property(
        [gap, gap, fc.constantFrom("explicit" as const, "default" as const), fc.boolean()],
        async (g1, g2, headersToSign, withEmpty) => {
          const key = ctx.fresh() + "ws";
          const meta = `a${g1}b${g2}c`;
          const headers: Record<string, string> = {
            "content-type": `text/plain;${g1}charset=utf-8`,
            "x-bce-meta-kit": meta,
          };
          if (withEmpty) headers["x-bce-meta-empty"] = "";
          const put: RawRequest = { method: "PUT", key, body: "ws", headers, sign: { headersToSign } };
          const res = await ctx.http.send(put);
          expectOk(
            res,
            `PutObject signed (${headersToSign} list) with x-bce-meta-kit ${JSON.stringify(meta)}${
              withEmpty ? " and an empty x-bce-meta-empty" : ""
            }`,
          );
          const head = await ctx.http.send({
            method: "HEAD",
            key,
            headers: { "x-bce-client-probe": `p${g2}q` },
          });
          expectOk(head, `HeadObject carrying x-bce-client-probe ${JSON.stringify(`p${g2}q`)}`);
          ensure(
            head.headers.get("x-bce-meta-kit") === meta,
            `HeadObject shows x-bce-meta-kit ${
              JSON.stringify(head.headers.get("x-bce-meta-kit"))
            }, expected ${JSON.stringify(meta)}`,
            head.exchange,
          );
          await ctx.http.send({ method: "DELETE", key });
        },
      );
    },
  },
  {
    id: "signing.js-sdk-request-habits-accepted",
    suite,
    law:
      "The official JS SDK's request habits (clients.md) are accepted: a signed Content-Type application/json; charset=UTF-8 and a signed x-bce-request-id on GET and HEAD, an empty Range header (the whole object, 200), the same headers on DELETE, and CompleteMultipartUpload parts carrying its extra partSize field",
    async run(ctx) {
      const json = "application/json; charset=UTF-8";
      const key = ctx.ns + "habits";
      const data = new TextEncoder().encode("js sdk habits " + ctx.ns);
      const uploadId = await initiate(ctx.http, key, { "content-type": "text/x-kit" });
      const eTag = await mustUploadPart(ctx.http, key, uploadId, 1, data);
      // The JS SDK's resumable helper writes each part as {partNumber, partSize, eTag}.
      const parts = [{ partNumber: 1, partSize: data.length, eTag }];
      const done = await complete(ctx.http, key, uploadId, parts, {
        "content-type": json,
      });
      expectOk(done, "CompleteMultipartUpload whose part carries the JS SDK's partSize field");
      const sdk = () => ({ "content-type": json, "x-bce-request-id": crypto.randomUUID() });
      const get = await ctx.http.send({ method: "GET", key, headers: { ...sdk(), range: "" } });
      ensure(
        get.status === 200 && bytesEqual(get.body, data),
        `GetObject with a signed JSON Content-Type, a signed x-bce-request-id and an empty Range answered ${
          seen(get)
        }, expected 200 with the whole object (${describeDifference(get.body, data)})`,
        get.exchange,
      );
      const head = await ctx.http.send({ method: "HEAD", key, headers: sdk() });
      expectOk(head, "HeadObject with a signed JSON Content-Type and x-bce-request-id");
      // (The JS SDK's Content-Length: 0 on DELETE cannot be sent: fetch drops it from a bodiless request.)
      const del = await ctx.http.send({ method: "DELETE", key, headers: sdk() });
      expectOk(del, "DeleteObject with a signed JSON Content-Type and x-bce-request-id");
      const after = await ctx.http.send({ method: "HEAD", key });
      ensure(after.status === 404, `After DeleteObject HeadObject answered ${after.status}`, after.exchange);
    },
  },
];
