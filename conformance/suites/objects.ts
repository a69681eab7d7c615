/**
 * Objects: content and headers round-trip, ETag = MD5, deletes (single and batch), bucket deletion
 * rules, key length (measured and enforced), digest checks.
 *
 * @module
 */
import fc from "fast-check";
import { type CheckContext, type CheckDef, ensure, Skip } from "../_check.ts";
import {
  bytesEqual,
  deleteObject,
  describeDifference,
  expectError,
  expectOk,
  expectStatus,
  headObject,
  listObjects,
  md5Base64,
  md5Hex,
  mustPut,
  putMany,
  putObject,
  unquote,
} from "../_ops.ts";
import { body } from "./_arb.ts";

const suite = "objects" as const;

function keyOfLength(ctx: CheckContext, prefix: string, bytes: number): string {
  const base = ctx.ns + prefix;
  return base + "k".repeat(Math.max(0, bytes - new TextEncoder().encode(base).length));
}

/** The object checks. */
export const OBJECTS_CHECKS: CheckDef[] = [
  {
    id: "objects.content-round-trips",
    suite,
    law:
      "Any bytes put (0 bytes and up) are read back identically, with Content-Length equal to their length",
    numRuns: 36,
    async run(ctx) {
      await ctx.property([body(4096)], async (data) => {
        const key = ctx.ns + "object";
        await mustPut(ctx.http, key, data);
        const get = await ctx.http.send({ method: "GET", key });
        expectStatus(get, 200, "GetObject");
        ensure(bytesEqual(get.body, data), `GetObject: ${describeDifference(get.body, data)}`, get.exchange);
        const head = await headObject(ctx.http, key);
        ensure(
          head.headers.get("content-length") === String(data.length),
          `HeadObject content-length ${head.headers.get("content-length")}, expected ${data.length}`,
          head.exchange,
        );
      });
    },
  },
  {
    id: "objects.etag-is-md5",
    suite,
    law:
      "The ETag of a put object is the hex MD5 of its bytes (quoted or not) on PutObject, HeadObject and in ListObjects, and ListObjects reports its size",
    numRuns: 30,
    async run(ctx) {
      await ctx.property([body(2048)], async (data) => {
        const key = ctx.fresh() + "object";
        const md5 = await md5Hex(data);
        const put = await mustPut(ctx.http, key, data);
        ensure(
          unquote(put.headers.get("etag")) === md5,
          `PutObject ETag ${put.headers.get("etag")}, MD5 is ${md5}`,
          put.exchange,
        );
        const head = await headObject(ctx.http, key);
        ensure(
          unquote(head.headers.get("etag")) === md5,
          `HeadObject ETag ${head.headers.get("etag")}, MD5 is ${md5}`,
          head.exchange,
        );
        const { res, page } = await listObjects(ctx.http, { prefix: key });
        const entry = page.contents.find((c) => c.key === key);
        ensure(
          entry && unquote(entry.eTag) === md5 && entry.size === data.length,
          `ListObjects entry ${JSON.stringify(entry)}, MD5 ${md5}, size ${data.length}`,
          res.exchange,
        );
        await deleteObject(ctx.http, key);
      });
    },
  },
  {
    id: "objects.standard-headers-round-trip",
    suite,
    law:
      "Content-Type, Cache-Control, Content-Disposition and Expires given at PutObject are returned by HeadObject and GetObject",
    numRuns: 15,
    async run(ctx) {
      const token = fc.stringMatching(/^[a-z][a-z0-9.+-]{0,12}$/);
      await ctx.property([token, token, fc.integer({ min: 0, max: 86400 })], async (sub, name, age) => {
        const key = ctx.ns + "headers";
        const headers = {
          "content-type": `application/${sub}`,
          "cache-control": `max-age=${age}`,
          "content-disposition": `attachment; filename="${name}.bin"`,
          "expires": "Wed, 21 Oct 2037 07:28:00 GMT",
        };
        await mustPut(ctx.http, key, "headers", headers);
        for (const method of ["HEAD", "GET"]) {
          const r = await ctx.http.send({ method, key });
          expectStatus(r, 200, method);
          for (const [h, v] of Object.entries(headers)) {
            ensure(
              r.headers.get(h) === v,
              `${method}: ${h} is ${JSON.stringify(r.headers.get(h))}, expected ${JSON.stringify(v)}`,
              r.exchange,
            );
          }
        }
      });
    },
  },
  {
    id: "objects.put-replaces-object",
    suite,
    law: "PutObject on an existing key replaces its bytes and ETag",
    async run(ctx) {
      const key = ctx.ns + "object";
      await mustPut(ctx.http, key, "first");
      await mustPut(ctx.http, key, "second!");
      const get = await ctx.http.send({ method: "GET", key });
      ensure(
        get.text() === "second!",
        `GetObject after overwrite returned ${JSON.stringify(get.text())}`,
        get.exchange,
      );
      ensure(
        unquote(get.headers.get("etag")) === await md5Hex("second!"),
        `ETag ${get.headers.get("etag")} after overwrite`,
        get.exchange,
      );
    },
  },
  {
    id: "objects.if-none-match-matching-is-304",
    suite,
    law: "GetObject with If-None-Match equal to the object's ETag answers 304 Not Modified without a body",
    async run(ctx) {
      const key = ctx.ns + "object";
      const put = await mustPut(ctx.http, key, "conditional");
      const etag = unquote(put.headers.get("etag"));
      const r = await ctx.http.send({ method: "GET", key, headers: { "if-none-match": `"${etag}"` } });
      expectStatus(r, 304, "GetObject with a matching If-None-Match");
      ensure(r.body.length === 0, `304 answered a ${r.body.length}-byte body`, r.exchange);
    },
  },
  {
    id: "objects.if-match-mismatch-is-412",
    suite,
    law:
      "GetObject with If-Match different from the object's ETag answers 412 PreconditionFailed; with the ETag it answers 200",
    async run(ctx) {
      const key = ctx.ns + "object";
      const put = await mustPut(ctx.http, key, "conditional");
      const etag = unquote(put.headers.get("etag"));
      const r = await ctx.http.send({
        method: "GET",
        key,
        headers: { "if-match": '"0123456789abcdef0123456789abcdef"' },
      });
      expectError(r, 412, "PreconditionFailed", "GetObject with a different If-Match");
      expectStatus(
        await ctx.http.send({ method: "GET", key, headers: { "if-match": `"${etag}"` } }),
        200,
        "GetObject with a matching If-Match",
      );
    },
  },
  {
    id: "objects.response-header-overrides-applied",
    suite,
    law:
      "GetObject with responseContentType and responseCacheControl answers with those values in Content-Type and Cache-Control",
    async run(ctx) {
      const key = ctx.ns + "object";
      await mustPut(ctx.http, key, "override", { "content-type": "text/plain" });
      const r = await ctx.http.send({
        method: "GET",
        key,
        query: { responseContentType: "application/x-override", responseCacheControl: "no-store" },
      });
      expectStatus(r, 200, "GetObject with response overrides");
      ensure(
        r.headers.get("content-type") === "application/x-override",
        `Content-Type is ${r.headers.get("content-type")}`,
        r.exchange,
      );
      ensure(
        r.headers.get("cache-control") === "no-store",
        `Cache-Control is ${r.headers.get("cache-control")}`,
        r.exchange,
      );
    },
  },
  {
    id: "objects.content-sha256-mismatch-rejected",
    suite,
    law:
      "PutObject whose x-bce-content-sha256 does not match the body is refused with 400 BadDigest and stores nothing",
    async run(ctx) {
      const key = ctx.ns + "digest";
      const r = await putObject(ctx.http, key, "actual body", { "x-bce-content-sha256": "0".repeat(64) });
      expectError(r, 400, "BadDigest", "PutObject with a wrong x-bce-content-sha256");
      expectStatus(await headObject(ctx.http, key), 404, "HeadObject after a refused PutObject");
    },
  },
  {
    id: "objects.get-missing-key-is-no-such-key",
    suite,
    law: "GetObject of a missing key answers 404 NoSuchKey",
    async run(ctx) {
      expectError(
        await ctx.http.send({ method: "GET", key: ctx.ns + "missing" }),
        404,
        "NoSuchKey",
        "GetObject of a missing key",
      );
    },
  },
  {
    id: "objects.head-missing-key-is-404-without-body",
    suite,
    law: "HeadObject of a missing key answers 404 with no body",
    async run(ctx) {
      const r = await headObject(ctx.http, ctx.ns + "missing");
      expectStatus(r, 404, "HeadObject of a missing key");
      ensure(r.body.length === 0, `HeadObject answered a ${r.body.length}-byte body`, r.exchange);
    },
  },
  {
    id: "objects.delete-removes-object",
    suite,
    law: "DeleteObject answers 204 and the key then reads as 404 NoSuchKey",
    async run(ctx) {
      const key = ctx.ns + "object";
      await mustPut(ctx.http, key, "bye");
      const r = await deleteObject(ctx.http, key);
      expectStatus(r, 204, "DeleteObject");
      expectError(
        await ctx.http.send({ method: "GET", key }),
        404,
        "NoSuchKey",
        "GetObject after DeleteObject",
      );
    },
  },
  {
    id: "objects.delete-missing-key-is-no-such-key",
    suite,
    law: "DeleteObject of a missing key answers 404 NoSuchKey (unlike S3)",
    async run(ctx) {
      expectError(
        await deleteObject(ctx.http, ctx.ns + "missing"),
        404,
        "NoSuchKey",
        "DeleteObject of a missing key",
      );
    },
  },
  {
    id: "objects.batch-delete-reports-missing-keys",
    suite,
    law:
      "DeleteMultipleObjects deletes the existing keys and reports exactly the missing ones as NoSuchKey, answering 200 (an empty body when nothing failed)",
    numRuns: 18,
    async run(ctx) {
      const names = fc.uniqueArray(fc.stringMatching(/^[a-z]{1,6}$/), { minLength: 1, maxLength: 8 });
      await ctx.property(
        [names, fc.array(fc.boolean(), { minLength: 8, maxLength: 8 })],
        async (ks, exists) => {
          const ns = ctx.fresh();
          const keys = ks.map((k) => ns + k);
          const present = keys.filter((_, i) => exists[i]);
          const missing = keys.filter((_, i) => !exists[i]);
          await putMany(ctx.http, present.map((k) => [k, k]));
          const r = await ctx.http.send({
            method: "POST",
            query: { delete: null },
            headers: { "content-type": "application/json; charset=utf-8" },
            body: JSON.stringify({ objects: keys.map((key) => ({ key })) }),
          });
          expectStatus(r, 200, "DeleteMultipleObjects");
          for (const k of present) ctx.http.untrackObject(ctx.http.bucket, k);
          const errors =
            ((r.json() as { errors?: Array<{ key: string; code: string }> } | undefined)?.errors) ?? [];
          if (missing.length === 0) {
            ensure(
              errors.length === 0,
              `DeleteMultipleObjects reported errors ${JSON.stringify(errors)} although every key existed`,
              r.exchange,
            );
          }
          const reported = errors.map((e) => e.key).sort();
          ensure(
            JSON.stringify(reported) === JSON.stringify([...missing].sort()),
            `Reported ${JSON.stringify(reported)}, missing were ${JSON.stringify(missing.sort())}`,
            r.exchange,
          );
          ensure(
            errors.every((e) => e.code === "NoSuchKey"),
            `Error codes ${JSON.stringify(errors.map((e) => e.code))}, expected NoSuchKey`,
            r.exchange,
          );
          for (const k of present) {
            const h = await headObject(ctx.http, k);
            ensure(h.status === 404, `${k} still exists after DeleteMultipleObjects`, h.exchange);
          }
        },
      );
    },
  },
  {
    id: "objects.bucket-not-empty-refused",
    suite,
    exclusive: true,
    law: "DeleteBucket on a bucket holding an object answers 409 BucketNotEmpty; once empty it answers 204",
    async run(ctx) {
      const bucket = `${ctx.http.bucket.slice(0, 50)}-ne${(Date.now() % 1e6).toString(36)}`;
      ctx.http.created.buckets.add(bucket);
      const made = await ctx.http.send({ method: "PUT", bucket });
      if (made.status !== 200) {
        ctx.http.created.buckets.delete(bucket);
        throw new Skip(`Could not create a second bucket (${made.status})`);
      }
      const key = ctx.ns + "object";
      const put = await ctx.http.send({ method: "PUT", bucket, key, body: new TextEncoder().encode("x") });
      expectOk(put, "PutObject in the second bucket");
      let r = await ctx.http.send({ method: "DELETE", bucket });
      expectError(r, 409, "BucketNotEmpty", "DeleteBucket of a non-empty bucket");
      expectStatus(await ctx.http.send({ method: "DELETE", bucket, key }), 204, "DeleteObject");
      r = await ctx.http.send({ method: "DELETE", bucket });
      expectStatus(r, [200, 204], "DeleteBucket of an empty bucket");
      ctx.http.created.buckets.delete(bucket);
    },
  },
  {
    id: "objects.key-of-max-length-accepted",
    suite,
    law: "A key of exactly maxKeyLength (1024) UTF-8 bytes is accepted",
    async run(ctx) {
      const key = keyOfLength(ctx, "max-", ctx.profile.maxKeyLength);
      expectOk(
        await putObject(ctx.http, key, "long"),
        `PutObject with a ${ctx.profile.maxKeyLength}-byte key`,
      );
      await deleteObject(ctx.http, key);
    },
  },
  {
    id: "objects.over-long-key-rejected",
    suite,
    law: "A key of maxKeyLength + 1 UTF-8 bytes is refused with 400 InvalidObjectName",
    async run(ctx) {
      const key = keyOfLength(ctx, "over-", ctx.profile.maxKeyLength + 1);
      expectError(
        await putObject(ctx.http, key, "long"),
        400,
        "InvalidObjectName",
        `PutObject with a ${ctx.profile.maxKeyLength + 1}-byte key`,
      );
    },
  },
  {
    id: "objects.measured-key-length-equals-profile",
    suite,
    exclusive: true,
    law: "The longest key the endpoint accepts (measured by binary search) equals the profile's maxKeyLength",
    async run(ctx) {
      const baseLength = new TextEncoder().encode(ctx.ns + "m-").length;
      const ok = async (n: number) => {
        const key = keyOfLength(ctx, "m-", n);
        const r = await putObject(ctx.http, key, "");
        if (r.status === 200) await deleteObject(ctx.http, key);
        return r.status === 200;
      };
      let lo = baseLength;
      if (!(await ok(lo))) ensure(false, `A ${lo}-byte key was refused`);
      let hi = ctx.profile.maxKeyLength + 1;
      const cap = 16 * 1024;
      while (await ok(hi)) {
        lo = hi;
        if (hi >= cap) break;
        hi = Math.min(hi * 2, cap);
      }
      if (lo === hi) {
        ctx.finding("maxKeyLength", `≥ ${cap}`, "no limit found up to the probe cap");
        ensure(
          false,
          `The endpoint accepted a ${cap}-byte key; the profile says ${ctx.profile.maxKeyLength}`,
        );
      }
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (await ok(mid)) lo = mid;
        else hi = mid;
      }
      ctx.finding("maxKeyLength", lo, "longest accepted key in UTF-8 bytes, by binary search");
      ensure(
        lo === ctx.profile.maxKeyLength,
        `Measured key limit ${lo} bytes, profile says ${ctx.profile.maxKeyLength}`,
      );
    },
  },
  {
    id: "objects.content-md5-mismatch-rejected",
    suite,
    law:
      "PutObject whose Content-MD5 does not match the body is refused with 400 BadDigest and stores nothing",
    async run(ctx) {
      const key = ctx.ns + "digest";
      const r = await putObject(ctx.http, key, "actual body", {
        "content-md5": await md5Base64("another body"),
      });
      expectError(r, 400, "BadDigest", "PutObject with a wrong Content-MD5");
      expectStatus(await headObject(ctx.http, key), 404, "HeadObject after a refused PutObject");
    },
  },
];
