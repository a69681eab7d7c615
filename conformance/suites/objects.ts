/**
 * Objects: content and headers round-trip, ETag = MD5, deletes (single and batch), bucket deletion
 * rules, key length (measured and enforced), digest checks.
 *
 * @module
 */
import fc from "fast-check";
import { type CheckContext, type CheckDef, ensure, Skip } from "../_check.ts";
import { crcToDecimal, toHex } from "../../protocol/encoding.ts";
import { hash } from "../../protocol/hash.ts";
import type { HttpResponse } from "../_http.ts";
import {
  abortQuietly,
  bytesEqual,
  bytesOf,
  complete,
  deleteObject,
  describeDifference,
  expectError,
  expectOk,
  expectStatus,
  headObject,
  initiate,
  listObjects,
  md5Base64,
  md5Hex,
  mustPut,
  putMany,
  putObject,
  sendOperation,
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
      "GetObject with each of the six response header overrides (responseContentType, -CacheControl, -ContentDisposition, -ContentLanguage, -Expires, -ContentEncoding) answers with that value in the corresponding header (Content-Disposition not on BOS's official domains, where the doc says it has no effect)",
    async run(ctx) {
      const key = ctx.ns + "object";
      await mustPut(ctx.http, key, "override", {
        "content-type": "text/plain",
        "cache-control": "max-age=60",
        "content-disposition": "inline",
        "expires": "Wed, 21 Oct 2037 07:28:00 GMT",
      });
      // objects.md §2: responseContentDisposition has no effect on <region>.bcebos.com.
      const official = /\.bcebos\.com$/i.test(new URL(ctx.http.endpoint).hostname);
      const overrides: Array<[string, string, string]> = [
        ["responseContentType", "content-type", "application/x-override"],
        ["responseCacheControl", "cache-control", "no-store"],
        ["responseContentLanguage", "content-language", "zh-CN"],
        ["responseExpires", "expires", "Thu, 01 Jan 2099 00:00:00 GMT"],
        // Not gzip: a client's fetch would try to inflate the body.
        ["responseContentEncoding", "content-encoding", "x-boskit-raw"],
        ...(official ? [] : [[
          "responseContentDisposition",
          "content-disposition",
          'attachment; filename="override.bin"',
        ] as [string, string, string]]),
      ];
      // All at once, and each on its own (a vendor may apply only the first or only one of them).
      const sets = [overrides, ...overrides.map((o) => [o])];
      for (const set of sets) {
        const r = await ctx.http.send({
          method: "GET",
          key,
          query: Object.fromEntries(set.map(([q, , v]) => [q, v])),
        });
        expectStatus(r, 200, `GetObject with ${set.map(([q]) => q).join(", ")}`);
        for (const [q, h, v] of set) {
          ensure(
            r.headers.get(h) === v,
            `GetObject with ${q}=${JSON.stringify(v)}: ${h} is ${JSON.stringify(r.headers.get(h))}`,
            r.exchange,
          );
        }
      }
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

  {
    id: "objects.wrong-digest-rejected-on-every-write-path",
    suite,
    law:
      "On every write path that carries a body (PutObject, AppendObject creating and at an offset, UploadPart), a Content-MD5, x-bce-content-sha256, x-bce-content-crc32 or x-bce-content-crc32c that does not match the body is refused with 400 BadDigest and changes nothing, while the matching digests are accepted and x-bce-content-crc32c-flag: true returns the body's x-bce-content-crc32c; CompleteMultipartUpload with a wrong whole-object x-bce-content-crc32 is refused alike",
    async run(ctx) {
      const body = "integrity body";
      const other = "another body!!";
      const digestHeaders = async (data: string): Promise<Record<string, string>> => ({
        "content-md5": await md5Base64(data),
        "x-bce-content-sha256": toHex(await hash("sha256", data)),
        "x-bce-content-crc32": crcToDecimal(await hash("crc32", data)),
        "x-bce-content-crc32c": crcToDecimal(await hash("crc32c", data)),
      });
      const right = await digestHeaders(body);
      const wrong = await digestHeaders(other);
      const refused = (r: HttpResponse, what: string) => expectError(r, 400, "BadDigest", what);
      const absent = async (key: string, what: string) =>
        expectStatus(await headObject(ctx.http, key), 404, `HeadObject after ${what}`);
      for (const [name, value] of Object.entries(wrong)) {
        const with1 = { [name]: value };
        // PutObject of a new key.
        const put = ctx.ns + "digest-put";
        refused(await putObject(ctx.http, put, body, with1), `PutObject with a wrong ${name}`);
        await absent(put, `a PutObject refused for its ${name}`);
        // AppendObject creating an object.
        const app = ctx.ns + "digest-append";
        refused(
          await sendOperation(ctx.http, "AppendObject", { key: app, body: bytesOf(body), headers: with1 }),
          `AppendObject (creating) with a wrong ${name}`,
        );
        await absent(app, `an AppendObject refused for its ${name}`);
        // AppendObject at the end of an existing appendable object.
        expectOk(
          await sendOperation(ctx.http, "AppendObject", { key: app, body: bytesOf("abc") }),
          "AppendObject creating a 3-byte object",
        );
        refused(
          await sendOperation(ctx.http, "AppendObject", {
            key: app,
            query: { offset: 3 },
            body: bytesOf(body),
            headers: with1,
          }),
          `AppendObject at offset 3 with a wrong ${name}`,
        );
        const after = await headObject(ctx.http, app);
        ensure(
          after.headers.get("content-length") === "3",
          `After an AppendObject refused for its ${name} the object is ${
            after.headers.get("content-length")
          } bytes, expected 3`,
          after.exchange,
        );
        await deleteObject(ctx.http, app);
        // UploadPart.
        const mp = ctx.ns + "digest-part";
        const uploadId = await initiate(ctx.http, mp);
        try {
          refused(
            await sendOperation(ctx.http, "UploadPart", {
              key: mp,
              query: { partNumber: 1, uploadId },
              body: bytesOf(body),
              headers: with1,
            }),
            `UploadPart with a wrong ${name}`,
          );
          const parts = await sendOperation(ctx.http, "ListParts", { key: mp, query: { uploadId } });
          expectStatus(parts, 200, "ListParts");
          const listed = (parts.json() as { parts?: unknown[] } | undefined)?.parts ?? [];
          ensure(
            listed.length === 0,
            `After an UploadPart refused for its ${name} ListParts lists ${listed.length} part(s)`,
            parts.exchange,
          );
        } finally {
          await abortQuietly(ctx.http, mp, uploadId);
        }
      }
      // The matching digests are accepted on every path, and Complete checks the whole object's CRC32.
      // The flag alone must make the server compute CRC32C (no x-bce-content-crc32c to verify against).
      const { "x-bce-content-crc32c": _, ...others } = right;
      const flagged = { ...others, "x-bce-content-crc32c-flag": "true" };
      const crc32cReturned = (r: HttpResponse, what: string) =>
        ensure(
          r.headers.get("x-bce-content-crc32c") === right["x-bce-content-crc32c"],
          `${what} with x-bce-content-crc32c-flag: true answered x-bce-content-crc32c ${
            r.headers.get("x-bce-content-crc32c")
          }, expected ${right["x-bce-content-crc32c"]}`,
          r.exchange,
        );
      const put = ctx.ns + "digest-put";
      const putOk = await putObject(ctx.http, put, body, flagged);
      expectOk(putOk, "PutObject with matching digests");
      crc32cReturned(putOk, "PutObject");
      await deleteObject(ctx.http, put);
      const app = ctx.ns + "digest-append";
      const appOk = await sendOperation(ctx.http, "AppendObject", {
        key: app,
        body: bytesOf(body),
        headers: flagged,
      });
      expectOk(appOk, "AppendObject (creating) with matching digests");
      crc32cReturned(appOk, "AppendObject");
      expectOk(
        await sendOperation(ctx.http, "AppendObject", {
          key: app,
          query: { offset: body.length },
          body: bytesOf(body),
          headers: right,
        }),
        "AppendObject at the end with matching digests",
      );
      await deleteObject(ctx.http, app);
      const mp = ctx.ns + "digest-complete";
      const uploadId = await initiate(ctx.http, mp);
      try {
        const r = await sendOperation(ctx.http, "UploadPart", {
          key: mp,
          query: { partNumber: 1, uploadId },
          body: bytesOf(body),
          headers: flagged,
        });
        expectOk(r, "UploadPart with matching digests");
        crc32cReturned(r, "UploadPart");
        const parts = [{ partNumber: 1, eTag: unquote(r.headers.get("etag")) }];
        refused(
          await complete(ctx.http, mp, uploadId, parts, {
            "x-bce-content-crc32": wrong["x-bce-content-crc32"],
          }),
          "CompleteMultipartUpload with a wrong whole-object x-bce-content-crc32",
        );
        await absent(mp, "a CompleteMultipartUpload refused for its x-bce-content-crc32");
        expectOk(
          await complete(ctx.http, mp, uploadId, parts, {
            "x-bce-content-crc32": right["x-bce-content-crc32"],
          }),
          "CompleteMultipartUpload with the matching whole-object x-bce-content-crc32",
        );
        await deleteObject(ctx.http, mp);
      } finally {
        await abortQuietly(ctx.http, mp, uploadId);
      }
    },
  },
  {
    id: "objects.batch-delete-key-limit",
    suite,
    law:
      "DeleteMultipleObjects accepts exactly maxDeleteObjects (1000) keys and refuses one more with 400, deleting none of them",
    async run(ctx) {
      const max = ctx.profile.maxDeleteObjects;
      const ns = ctx.fresh();
      const present = ns + "present";
      await mustPut(ctx.http, present, "kept");
      const batch = (n: number) =>
        ctx.http.send({
          method: "POST",
          query: { delete: null },
          headers: { "content-type": "application/json; charset=utf-8" },
          body: JSON.stringify({
            objects: [present, ...Array.from({ length: n - 1 }, (_, i) => `${ns}missing-${i}`)].map((
              key,
            ) => ({
              key,
            })),
          }),
        });
      const over = await batch(max + 1);
      ensure(
        over.status === 400,
        `DeleteMultipleObjects of ${max + 1} keys answered ${over.status}, expected 400`,
        over.exchange,
      );
      expectStatus(
        await headObject(ctx.http, present),
        200,
        `HeadObject after a refused ${max + 1}-key delete`,
      );
      const at = await batch(max);
      expectStatus(at, 200, `DeleteMultipleObjects of ${max} keys`);
      ctx.http.untrackObject(ctx.http.bucket, present);
      const errors = (at.json() as { errors?: unknown[] } | undefined)?.errors ?? [];
      ensure(
        errors.length === max - 1,
        `DeleteMultipleObjects of ${max} keys (${max - 1} missing) reported ${errors.length} errors`,
        at.exchange,
      );
      expectStatus(await headObject(ctx.http, present), 404, `HeadObject after a ${max}-key delete`);
    },
  },
  {
    id: "objects.conditional-writes-honoured",
    suite,
    law:
      "PutObject and CompleteMultipartUpload honour If-None-Match: * (only if the key is new), If-Match (only over that ETag) and PutObject If-Unmodified-Since: a failing condition answers 412 PreconditionFailed and leaves the object unchanged, a holding one writes",
    async run(ctx) {
      const key = ctx.ns + "conditional-write";
      const other = '"0123456789abcdef0123456789abcdef"';
      expectOk(
        await putObject(ctx.http, key, "v1", { "if-none-match": "*" }),
        "PutObject of a new key with If-None-Match: *",
      );
      const head = await headObject(ctx.http, key);
      const etag = unquote(head.headers.get("etag"));
      const lm = Date.parse(head.headers.get("last-modified") ?? "");
      ensure(
        !Number.isNaN(lm),
        `HeadObject Last-Modified ${head.headers.get("last-modified")} is not a date`,
        head.exchange,
      );
      const failing: Array<Record<string, string>> = [
        { "if-none-match": "*" },
        { "if-match": other },
        { "if-unmodified-since": new Date(lm - 86400_000).toUTCString() },
      ];
      for (const h of failing) {
        expectError(
          await putObject(ctx.http, key, "overwritten", h),
          412,
          "PreconditionFailed",
          `PutObject over an existing key with ${JSON.stringify(h)}`,
        );
      }
      const uploadId = await initiate(ctx.http, key);
      try {
        const part = await mustUploadPartEtag(ctx, key, uploadId);
        const refusing: Array<Record<string, string>> = [{ "if-none-match": "*" }, { "if-match": other }];
        for (const h of refusing) {
          expectError(
            await complete(ctx.http, key, uploadId, [{ partNumber: 1, eTag: part }], h),
            412,
            "PreconditionFailed",
            `CompleteMultipartUpload over an existing key with ${JSON.stringify(h)}`,
          );
        }
        const get = await ctx.http.send({ method: "GET", key });
        ensure(
          get.status === 200 && get.text() === "v1",
          `After refused conditional writes the object reads ${get.status} ${
            JSON.stringify(get.text().slice(0, 40))
          }, expected "v1"`,
          get.exchange,
        );
        expectOk(
          await complete(ctx.http, key, uploadId, [{ partNumber: 1, eTag: part }], {
            "if-match": `"${etag}"`,
          }),
          "CompleteMultipartUpload with If-Match: the current ETag",
        );
      } finally {
        await abortQuietly(ctx.http, key, uploadId);
      }
      const now = await headObject(ctx.http, key);
      expectOk(
        await putObject(ctx.http, key, "v3", {
          "if-match": `"${unquote(now.headers.get("etag"))}"`,
          "if-unmodified-since": new Date(Date.now() + 86400_000).toUTCString(),
        }),
        "PutObject with If-Match: the current ETag and a later If-Unmodified-Since",
      );
      await deleteObject(ctx.http, key);
    },
  },
  {
    id: "objects.forbid-overwrite-refuses-existing-key",
    suite,
    law:
      "PutObject and CompleteMultipartUpload with x-bce-forbid-overwrite: true create a missing key but refuse an existing one with 409 FileAlreadyExists, leaving it unchanged",
    async run(ctx) {
      const key = ctx.ns + "forbid";
      const forbid = { "x-bce-forbid-overwrite": "true" };
      expectOk(
        await putObject(ctx.http, key, "first", forbid),
        "PutObject of a new key with forbid-overwrite",
      );
      expectError(
        await putObject(ctx.http, key, "second", forbid),
        409,
        "FileAlreadyExists",
        "PutObject over an existing key with forbid-overwrite",
      );
      const uploadId = await initiate(ctx.http, key);
      try {
        const etag = await mustUploadPartEtag(ctx, key, uploadId);
        expectError(
          await complete(ctx.http, key, uploadId, [{ partNumber: 1, eTag: etag }], forbid),
          409,
          "FileAlreadyExists",
          "CompleteMultipartUpload over an existing key with forbid-overwrite",
        );
      } finally {
        await abortQuietly(ctx.http, key, uploadId);
      }
      const get = await ctx.http.send({ method: "GET", key });
      ensure(
        get.status === 200 && get.text() === "first",
        `After refused overwrites the object reads ${get.status} ${
          JSON.stringify(get.text().slice(0, 40))
        }, expected "first"`,
        get.exchange,
      );
      expectOk(await putObject(ctx.http, key, "third"), "PutObject over it without forbid-overwrite");
      await deleteObject(ctx.http, key);
    },
  },
];

async function mustUploadPartEtag(ctx: CheckContext, key: string, uploadId: string): Promise<string> {
  const r = await sendOperation(ctx.http, "UploadPart", {
    key,
    query: { partNumber: 1, uploadId },
    body: bytesOf("part"),
  });
  expectOk(r, "UploadPart");
  return unquote(r.headers.get("etag"));
}
