/**
 * Signing: the endpoint accepts correctly signed requests in every form and refuses every
 * single-element tampering with the documented code; the project's signer reproduces the vectors.
 *
 * @module
 */
import fc from "fast-check";
import { presignUrl } from "../../protocol/signing/sign.ts";
import { type CheckContext, type CheckDef, ensure, LawViolation, Skip } from "../_check.ts";
import type { Credentials, HttpResponse, RawRequest, WireRequest } from "../_http.ts";
import { bytesEqual, describeDifference, errorOf, expectOk, md5Base64, mustPut, seen } from "../_ops.ts";
import { KEY_CHARS, keySuffix } from "./_arb.ts";
import { checkVector, loadVectors } from "./_signing_vectors.ts";
import { SIGNING_WINDOW_CHECKS } from "./_signing_window.ts";

export { checkVector };

const suite = "signing" as const;

/** The run's temporary credentials, or a skip saying how to provide them. */
function needSts(ctx: CheckContext): Credentials & { sessionToken: string } {
  const sts = ctx.sts;
  if (!sts?.sessionToken) {
    throw new Skip("No temporary credentials: pass STS keys with --ak/--sk and their token in BOS_STS_TOKEN");
  }
  return sts as Credentials & { sessionToken: string };
}

/** Sets up one object for a check and returns its key and bytes. */
async function target(ctx: CheckContext): Promise<{ key: string; data: Uint8Array }> {
  const key = ctx.ns + "target";
  const data = new TextEncoder().encode("signing target " + ctx.ns);
  await mustPut(ctx.http, key, data);
  return { key, data };
}

function refused(res: HttpResponse, codes: string[], what: string): void {
  const e = errorOf(res);
  if (res.status !== 403 || !codes.includes(e.code ?? "")) {
    throw new LawViolation(`${what}: expected 403 ${codes.join(" or ")}, got ${seen(res)}`, res.exchange);
  }
}

function replaceChar(s: string, index: number, alphabet: string): string {
  const c = s[index];
  const pick = [...alphabet].find((x) => x !== c && x.toLowerCase() !== c.toLowerCase()) ?? "z";
  return s.slice(0, index) + pick + s.slice(index + 1);
}

function authParts(wire: WireRequest): string[] {
  return (wire.headers.get("authorization") ?? "").split("/");
}

function setAuth(wire: WireRequest, parts: string[]): void {
  wire.headers.set("authorization", parts.join("/"));
}

/** A tampering check: sign one request, change one element, expect 403 SignatureDoesNotMatch. */
function tampering<T>(
  id: string,
  law: string,
  arb: fc.Arbitrary<T>,
  build: (key: string, value: T) => RawRequest,
): CheckDef {
  return {
    id: `signing.${id}`,
    suite,
    law,
    numRuns: 18,
    async run(ctx) {
      const { key } = await target(ctx);
      await ctx.property([arb], async (value) => {
        const res = await ctx.http.send(build(key, value));
        refused(res, ["SignatureDoesNotMatch"], "A tampered request");
      });
    },
  };
}

const lowerEscapes = (s: string) => s.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());

/** The path with the RFC 3986 sub-delimiters and `:` `@` written raw instead of escaped. */
const rawSubDelims = (s: string) =>
  s.replace(/%(2B|21|24|26|27|28|29|2A|2C|3B|3D|3A|40)/gi, (m) => decodeURIComponent(m));

/** The signing checks. */
export const SIGNING_CHECKS: CheckDef[] = [
  {
    id: "signing.vectors-reproduced-by-project-signer",
    suite,
    law:
      "The project's signer reproduces the canonical request, signing key and authorization of every vector in fixtures/signing/, and verifies every valid spelling",
    needsEndpoint: false,
    async run(ctx) {
      const vectors = await loadVectors();
      if (vectors.length === 0) throw new Skip("No signing vectors in fixtures/signing/");
      const problems: string[] = [];
      for (const { file, vector } of vectors) {
        for (const p of await checkVector(vector)) problems.push(`${file}: ${p}`);
      }
      ctx.finding("signingVectors", vectors.length, "vectors checked");
      ensure(problems.length === 0, problems.join("; "));
    },
  },
  {
    id: "signing.header-authorization-accepted-for-any-key",
    suite,
    law:
      "A request signed in the Authorization header is accepted for keys with unicode (incl. astral) and reserved characters, and the object reads back byte for byte",
    numRuns: 36,
    async run(ctx) {
      await ctx.property([keySuffix], async (suffix) => {
        const key = ctx.fresh() + suffix;
        const data = new TextEncoder().encode(key);
        await mustPut(ctx.http, key, data);
        const res = await ctx.http.send({ method: "GET", key });
        expectOk(res, `GetObject of ${JSON.stringify(key)}`);
        ensure(
          bytesEqual(res.body, data),
          `GetObject body: ${describeDifference(res.body, data)}`,
          res.exchange,
        );
        await ctx.http.send({ method: "DELETE", key });
      });
    },
  },
  {
    id: "signing.default-signed-header-list-accepted",
    suite,
    law:
      "An authorization with an empty signedHeaders field (the default set: host, content-length, content-type, content-md5, x-bce-*) is accepted, for a PutObject carrying every member of the set",
    numRuns: 18,
    async run(ctx) {
      const md5 = await md5Base64("default set");
      await ctx.property(
        [keySuffix, fc.constantFrom("text/plain", "application/json; charset=utf-8")],
        async (suffix, type) => {
          const key = ctx.fresh() + suffix;
          const put = await ctx.http.send({
            method: "PUT",
            key,
            body: "default set",
            headers: { "content-type": type, "content-md5": md5, "x-bce-meta-kit": "default" },
            sign: { headersToSign: "default" },
            mutate: (w) => {
              if (authParts(w)[4] !== "") {
                throw new Error("The kit failed to sign with an empty signedHeaders list");
              }
            },
          });
          expectOk(put, "PutObject signed with the default header set");
          const get = await ctx.http.send({ method: "GET", key, sign: { headersToSign: "default" } });
          expectOk(get, "GetObject signed with the default header set");
          await ctx.http.send({ method: "DELETE", key });
        },
      );
    },
  },
  {
    id: "signing.sdk-explicit-list-accepted",
    suite,
    law:
      "An authorization whose explicit signedHeaders list is the official SDKs' shape (the listed headers plus every x-bce-* header, other headers such as content-type left unsigned) is accepted, and the unsigned headers still apply",
    numRuns: 18,
    async run(ctx) {
      await ctx.property(
        [keySuffix, fc.subarray(["content-type", "content-length", "host"], { minLength: 0 })],
        async (suffix, listed) => {
          const key = ctx.fresh() + suffix;
          const put = await ctx.http.send({
            method: "PUT",
            key,
            body: "explicit list",
            headers: { "content-type": "text/x-kit", "x-bce-meta-kit": "explicit" },
            sign: { headersToSign: [...listed, "host"] },
            mutate: (w) => {
              const names = authParts(w)[4].split(";");
              for (const name of ["host", "x-bce-date", "x-bce-meta-kit"]) {
                if (!names.includes(name)) {
                  throw new Error(`The kit's explicit list ${authParts(w)[4]} lacks ${name}`);
                }
              }
            },
          });
          expectOk(
            put,
            `PutObject signed with the explicit list ${[...listed, "host"].join(";")} plus x-bce-*`,
          );
          const head = await ctx.http.send({ method: "HEAD", key, sign: { headersToSign: ["host"] } });
          expectOk(head, "HeadObject signed with host plus x-bce-*");
          ensure(
            head.headers.get("content-type") === "text/x-kit" &&
              head.headers.get("x-bce-meta-kit") === "explicit",
            `HeadObject shows content-type ${head.headers.get("content-type")} and x-bce-meta-kit ${
              head.headers.get("x-bce-meta-kit")
            }, expected text/x-kit and explicit`,
            head.exchange,
          );
          await ctx.http.send({ method: "DELETE", key });
        },
      );
    },
  },
  {
    id: "signing.signed-header-list-accepted-in-any-order",
    suite,
    law: "An authorization whose signedHeaders list is in any order (not sorted) is accepted",
    numRuns: 18,
    async run(ctx) {
      const { key } = await target(ctx);
      await ctx.property(
        [fc.array(fc.double({ noNaN: true }), { minLength: 6, maxLength: 6 })],
        async (weights) => {
          const res = await ctx.http.send({
            method: "GET",
            key,
            headers: { "content-type": "text/plain", "x-bce-meta-a": "1", "x-bce-client-probe": "z" },
            mutate: (wire) => {
              const parts = authParts(wire);
              const names = parts[4].split(";");
              const order = names.map((n, i) => ({ n, w: weights[i % weights.length] }));
              order.sort((a, b) => a.w - b.w);
              let shuffled = order.map((o) => o.n);
              if (shuffled.join(";") === names.join(";")) shuffled = shuffled.reverse();
              parts[4] = shuffled.join(";");
              setAuth(wire, parts);
            },
          });
          expectOk(res, "GetObject with an unsorted signedHeaders list");
        },
      );
    },
  },
  {
    id: "signing.lower-case-percent-escapes-accepted",
    suite,
    law:
      "A request whose path and query use lower-case percent escapes is accepted (the server decodes case-insensitively), and a path spelling the sub-delimiters + ! $ & ' ( ) * , ; = : @ raw addresses the same key as their escapes",
    numRuns: 24,
    async run(ctx) {
      await ctx.property([keySuffix.filter((s) => /[^A-Za-z0-9\-._~/]/.test(s))], async (suffix) => {
        // Every key holds a + (the sub-delimiter most often decoded wrongly, as a space).
        const key = ctx.fresh() + suffix + "+";
        await mustPut(ctx.http, key, "lower");
        const rawPath = lowerEscapes(ctx.http.pathOf(ctx.http.bucket, key));
        const res = await ctx.http.send({
          method: "GET",
          key,
          rawPath,
          query: "responseCacheControl=no%2dcache%2cprivate",
        });
        expectOk(res, `GetObject with lower-case escapes ${rawPath}`);
        ensure(
          new TextDecoder().decode(res.body) === "lower",
          "GetObject returned other bytes",
          res.exchange,
        );
        const rawDelims = rawSubDelims(ctx.http.pathOf(ctx.http.bucket, key));
        const raw = await ctx.http.send({ method: "GET", key, rawPath: rawDelims });
        ensure(
          raw.status === 200 && new TextDecoder().decode(raw.body) === "lower",
          `GetObject of ${JSON.stringify(key)} with its sub-delimiters unescaped (${rawDelims}) answered ${
            seen(raw)
          }, expected 200 with the object (RFC 3986 §3.3: a raw + is a +, not a space)`,
          raw.exchange,
        );
        await ctx.http.send({ method: "DELETE", key });
      });
    },
  },
  {
    id: "signing.extra-query-parameters-accepted",
    suite,
    law:
      "A request carrying query parameters BOS does not define, whose names share prefixes (the docs' text, text1, text10: sorted as key=value strings, not by name) and whose values hold reserved and unicode characters, is accepted and answers the object",
    numRuns: 18,
    async run(ctx) {
      const { key, data } = await target(ctx);
      const names = fc.constantFrom("text", "kit", "x-kit").chain((stem) =>
        fc.uniqueArray(fc.constantFrom(stem, stem + "1", stem + "10", stem + "-a", stem + "A", stem + "_"), {
          minLength: 2,
          maxLength: 5,
        })
      );
      const value = fc.option(
        fc.array(fc.constantFrom(...KEY_CHARS), { maxLength: 6 }).map((a) => a.join("")),
        {
          nil: null,
        },
      );
      await ctx.property([names, fc.array(value, { minLength: 5, maxLength: 5 })], async (ns, values) => {
        const query: Record<string, string | null> = {};
        ns.forEach((n, i) => (query[n] = values[i]));
        const res = await ctx.http.send({ method: "GET", key, query });
        expectOk(res, `GetObject with the query ${JSON.stringify(query)}`);
        ensure(
          bytesEqual(res.body, data),
          `GetObject body: ${describeDifference(res.body, data)}`,
          res.exchange,
        );
      });
    },
  },
  {
    id: "signing.presigned-url-accepted",
    suite,
    law: "A presigned GET URL (authorization in the query, host signed) is accepted for any key",
    numRuns: 24,
    async run(ctx) {
      await ctx.property([keySuffix], async (suffix) => {
        const key = ctx.fresh() + suffix;
        const data = new TextEncoder().encode("presigned " + key);
        await mustPut(ctx.http, key, data);
        const res = await sendPresigned(ctx, key, ctx.http.pathOf(ctx.http.bucket, key));
        expectOk(res, "GET of a presigned URL");
        ensure(
          bytesEqual(res.body, data),
          `Presigned GET body: ${describeDifference(res.body, data)}`,
          res.exchange,
        );
        await ctx.http.send({ method: "DELETE", key });
      });
    },
  },
  {
    id: "signing.presigned-v1-path-accepted",
    suite,
    law: "A presigned URL in the legacy /v1/<bucket>/<key> form (as the JS SDK builds them) is accepted",
    async run(ctx) {
      if (ctx.http.addressing === "virtual-host") {
        throw new Skip("The /v1/<bucket>/<key> form is path-style; this run uses virtual-host addressing");
      }
      const { key, data } = await target(ctx);
      const res = await sendPresigned(ctx, key, "/v1" + ctx.http.pathOf(ctx.http.bucket, key));
      expectOk(res, "GET of a presigned /v1 URL");
      ensure(
        bytesEqual(res.body, data),
        `Presigned /v1 GET body: ${describeDifference(res.body, data)}`,
        res.exchange,
      );
    },
  },
  {
    id: "signing.presigned-unencoded-authorization-accepted",
    suite,
    law: "A presigned URL whose authorization parameter is not percent-encoded (raw / and :) is accepted",
    async run(ctx) {
      const { key } = await target(ctx);
      const res = await sendPresigned(ctx, key, ctx.http.pathOf(ctx.http.bucket, key), true);
      expectOk(res, "GET of a presigned URL with a raw authorization value");
    },
  },
  {
    id: "signing.tampered-presigned-url-rejected",
    suite,
    law:
      "A presigned GET URL used with another method (DELETE, PUT, HEAD), with a query parameter added, or with its path changed in one byte is refused with 403 SignatureDoesNotMatch (HEAD: 403), and the object stays",
    async run(ctx) {
      const { key, data } = await target(ctx);
      const path = ctx.http.pathOf(ctx.http.bucket, key);
      const url = await presignUrl({
        accessKeyId: ctx.http.credentials.accessKeyId,
        secretAccessKey: ctx.http.credentials.secretAccessKey,
        sessionToken: ctx.http.credentials.sessionToken,
        url: ctx.http.originOf(ctx.http.bucket) + path,
        timestamp: ctx.http.now(),
        expirationInSeconds: 600,
      });
      const query = url.slice(url.indexOf("?") + 1);
      const other = ctx.ns + "presigned-put";
      const tampered: [string, RawRequest][] = [
        ["used for DELETE", { method: "DELETE", key, rawPath: path, query, sign: false }],
        ["used for HEAD", { method: "HEAD", key, rawPath: path, query, sign: false }],
        ["used for PUT to its key", {
          method: "PUT",
          key,
          rawPath: path,
          query,
          body: "overwritten",
          sign: false,
        }],
        [
          "with responseContentType added",
          {
            method: "GET",
            key,
            rawPath: path,
            query: query + "&responseContentType=text%2Fhtml",
            sign: false,
          },
        ],
        [
          "with its path changed",
          {
            method: "PUT",
            key: other,
            rawPath: ctx.http.pathOf(ctx.http.bucket, other),
            query,
            body: "x",
            sign: false,
          },
        ],
      ];
      for (const [what, r] of tampered) {
        const res = await ctx.http.send(r);
        if (r.method === "HEAD") {
          ensure(
            res.status === 403,
            `A presigned GET URL ${what}: expected 403, got ${res.status}`,
            res.exchange,
          );
        } else refused(res, ["SignatureDoesNotMatch"], `A presigned GET URL ${what}`);
      }
      const get = await ctx.http.send({ method: "GET", key });
      ensure(
        get.status === 200 && bytesEqual(get.body, data),
        `After the tampered presigned requests GetObject answered ${seen(get)}, ${
          describeDifference(get.body, data)
        }`,
        get.exchange,
      );
    },
  },
  {
    id: "signing.never-expiring-presigned-url-accepted",
    suite,
    law: "A presigned URL with expiration -1 (never expires) signed years ago is accepted",
    async run(ctx) {
      const { key } = await target(ctx);
      const res = await sendPresigned(
        ctx,
        key,
        ctx.http.pathOf(ctx.http.bucket, key),
        false,
        new Date("2015-04-27T08:23:49Z"),
        -1,
      );
      ctx.finding("neverExpiringPresignedAnswer", res.status === 200 ? "200" : seen(res));
      expectOk(res, "GET of a presigned URL with expiration -1");
    },
  },
  {
    id: "signing.expired-presigned-url-rejected",
    suite,
    law: "A presigned URL past its expiration is refused with 403 RequestExpired",
    async run(ctx) {
      const { key } = await target(ctx);
      const timestamp = new Date(ctx.http.now().getTime() - 3600_000);
      const res = await sendPresigned(ctx, key, ctx.http.pathOf(ctx.http.bucket, key), false, timestamp, 60);
      ctx.finding("expiredPresignedAnswer", seen(res));
      refused(res, ["RequestExpired"], "An expired presigned URL");
    },
  },
  tampering(
    "tampered-method-rejected",
    "A request sent with another method than the one signed is refused with 403 SignatureDoesNotMatch",
    fc.constantFrom("PUT", "DELETE", "POST", "HEAD"),
    (key, signedAs) => ({
      method: "GET",
      key,
      mutate: (w) => void (w.method = "GET"),
      sign: {},
      ...signedMethod(signedAs),
    }),
  ),
  tampering(
    "tampered-path-rejected",
    "A request sent to a path differing in one byte from the signed path is refused with 403 SignatureDoesNotMatch",
    fc.nat(),
    (_key, n) => ({
      method: "GET",
      key: _key,
      mutate: (w) => {
        const start = w.path.lastIndexOf("/") + 1;
        const i = start + (n % (w.path.length - start));
        w.path = replaceChar(w.path, i, "qwxyz");
      },
    }),
  ),
  tampering(
    "tampered-query-key-rejected",
    "A request whose query parameter name differs from the signed one is refused with 403 SignatureDoesNotMatch",
    fc.nat(),
    (key, n) => ({
      method: "GET",
      key,
      query: "responseCacheControl=no-cache",
      mutate: (w) => {
        const name = "responseCacheControl";
        w.query = replaceChar(name, n % name.length, "qxz") + "=no-cache";
      },
    }),
  ),
  tampering(
    "tampered-query-value-rejected",
    "A request whose query parameter value differs from the signed one is refused with 403 SignatureDoesNotMatch",
    fc.nat(),
    (key, n) => ({
      method: "GET",
      key,
      query: "responseCacheControl=no-cache",
      mutate: (w) => {
        const value = "no-cache";
        w.query = "responseCacheControl=" + replaceChar(value, n % value.length, "qxz");
      },
    }),
  ),
  tampering(
    "unsigned-query-rejected",
    "A request whose signature does not cover its query parameters (signed without them) is refused with 403 SignatureDoesNotMatch",
    fc.tuple(
      fc.constantFrom("responseCacheControl", "responseContentType", "x-kit-extra"),
      fc.stringMatching(/^[a-z0-9-]{1,12}$/),
    ),
    (key, [name, value]) => ({
      method: "GET",
      key,
      mutate: (w) => void (w.query = `${name}=${value}`),
    }),
  ),
  tampering(
    "tampered-header-value-rejected",
    "A request whose signed header value differs from the signed one is refused with 403 SignatureDoesNotMatch",
    fc.tuple(fc.constantFrom("x-bce-client-probe", "content-type"), fc.nat()),
    (key, [name, n]) => ({
      method: "GET",
      key,
      headers: { "x-bce-client-probe": "probe-value", "content-type": "text/plain" },
      mutate: (w) => {
        const v = w.headers.get(name) ?? "";
        w.headers.set(name, replaceChar(v, n % v.length, "qxz"));
      },
    }),
  ),
  tampering(
    "tampered-timestamp-rejected",
    "A request whose authorization timestamp differs from the signed one is refused with 403 SignatureDoesNotMatch",
    fc.integer({ min: 1, max: 120 }),
    (key, delta) => ({
      method: "GET",
      key,
      mutate: (w) => {
        const parts = authParts(w);
        const t = new Date(Date.parse(parts[2]) - delta * 1000);
        parts[2] = t.toISOString().replace(/\.\d{3}Z$/, "Z");
        setAuth(w, parts);
      },
    }),
  ),
  tampering(
    "tampered-expiration-rejected",
    "A request whose authorization expiration differs from the signed one is refused with 403 SignatureDoesNotMatch",
    fc.integer({ min: 600, max: 7200 }).filter((n) => n !== 1800),
    (key, expiration) => ({
      method: "GET",
      key,
      mutate: (w) => {
        const parts = authParts(w);
        parts[3] = String(expiration);
        setAuth(w, parts);
      },
    }),
  ),
  tampering(
    "tampered-signature-rejected",
    "A request whose signature differs in one hex digit is refused with 403 SignatureDoesNotMatch",
    fc.tuple(fc.integer({ min: 0, max: 63 }), fc.integer({ min: 1, max: 15 })),
    (key, [pos, delta]) => ({
      method: "GET",
      key,
      mutate: (w) => {
        const parts = authParts(w);
        const sig = parts[5];
        const digit = ((parseInt(sig[pos], 16) + delta) % 16).toString(16);
        parts[5] = sig.slice(0, pos) + digit + sig.slice(pos + 1);
        setAuth(w, parts);
      },
    }),
  ),
  {
    id: "signing.anonymous-request-refused",
    suite,
    law:
      "A request without any authorization (no header, no query parameter) to the private bucket is refused with 403 AccessDenied, reads and writes alike, and writes nothing",
    async run(ctx) {
      const { key } = await target(ctx);
      const other = ctx.ns + "anonymous";
      const requests: RawRequest[] = [
        { method: "GET", key, sign: false },
        { method: "HEAD", key, sign: false },
        { method: "GET", sign: false },
        { method: "PUT", key: other, body: "anonymous", sign: false },
        { method: "DELETE", key, sign: false },
      ];
      for (const r of requests) {
        const res = await ctx.http.send(r);
        const what = `An anonymous ${r.method} of ${r.key ?? "the bucket"}`;
        if (r.method === "HEAD") {
          ensure(res.status === 403, `${what}: expected 403, got ${res.status}`, res.exchange);
        } else refused(res, ["AccessDenied"], what);
      }
      expectOk(await ctx.http.send({ method: "HEAD", key }), "HeadObject after the anonymous DELETE");
      const head = await ctx.http.send({ method: "HEAD", key: other });
      ensure(
        head.status === 404,
        `The anonymous PUT wrote ${other} (HeadObject answered ${head.status})`,
        head.exchange,
      );
    },
  },
  {
    id: "signing.malformed-authorization-rejected",
    suite,
    law:
      "An Authorization that is not bce-auth-v1/ak/timestamp/expiration/signedHeaders/signature (wrong prefix, field count, timestamp or expiration) is refused with 400 InvalidHTTPAuthHeader",
    async run(ctx) {
      const { key } = await target(ctx);
      const breakers: [string, (parts: string[]) => string][] = [
        ["another prefix", (p) => ["bce-auth-v9", ...p.slice(1)].join("/")],
        ["a missing field", (p) => [...p.slice(0, 4), p[5]].join("/")],
        ["a timestamp that is not one", (p) => [...p.slice(0, 2), "yesterday", ...p.slice(3)].join("/")],
        ["an expiration that is not a number", (p) => [...p.slice(0, 3), "soon", ...p.slice(4)].join("/")],
      ];
      for (const [what, fn] of breakers) {
        const res = await ctx.http.send({
          method: "GET",
          key,
          mutate: (w) => setAuth(w, fn(authParts(w)).split("/")),
        });
        const e = errorOf(res);
        if (res.status !== 400 || e.code !== "InvalidHTTPAuthHeader") {
          throw new LawViolation(
            `An Authorization with ${what}: expected 400 InvalidHTTPAuthHeader, got ${seen(res)}`,
            res.exchange,
          );
        }
      }
    },
  },
  {
    id: "signing.session-token-accepted",
    suite,
    law:
      "A request signed with temporary (STS) credentials is accepted when it carries their session token, in the x-bce-security-token header or, for a presigned URL, the signed query parameter",
    async run(ctx) {
      const sts = needSts(ctx);
      const { key, data } = await target(ctx);
      for (const placement of ["header", "query"] as const) {
        const res = await ctx.http.send({ method: "GET", key, sign: { credentials: sts, placement } });
        if (res.status !== 200 || !bytesEqual(res.body, data)) {
          throw new LawViolation(
            `A GET signed with temporary credentials (token in the ${placement}) got ${
              seen(res)
            }, expected 200 with the object`,
            res.exchange,
          );
        }
      }
    },
  },
  {
    id: "signing.session-token-required",
    suite,
    law:
      "A request signed with temporary (STS) credentials but without their session token, or with another token, is refused, in the header and presigned alike",
    async run(ctx) {
      const sts = needSts(ctx);
      const { key } = await target(ctx);
      const bare = { accessKeyId: sts.accessKeyId, secretAccessKey: sts.secretAccessKey };
      const other = { ...sts, sessionToken: sts.sessionToken + "x" };
      const variants: [string, Credentials, "header" | "query"][] = [
        ["without a session token", bare, "header"],
        ["with another session token", other, "header"],
        ["presigned without a session token", bare, "query"],
        ["presigned with another session token", other, "query"],
      ];
      for (const [what, credentials, placement] of variants) {
        const res = await ctx.http.send({ method: "GET", key, sign: { credentials, placement } });
        ctx.finding(`sessionToken ${what}`, seen(res));
        if (res.status < 400 || res.status >= 500 || !errorOf(res).code) {
          throw new LawViolation(
            `A GET signed with temporary credentials ${what} got ${seen(res)}, expected a 4xx BOS error`,
            res.exchange,
          );
        }
      }
    },
  },
  {
    id: "signing.wrong-secret-rejected",
    suite,
    law: "A request signed with a wrong secret key is refused with 403 SignatureDoesNotMatch",
    numRuns: 15,
    async run(ctx) {
      const { key } = await target(ctx);
      const real = ctx.http.credentials.secretAccessKey;
      await ctx.property(
        [fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s !== real)],
        async (secret) => {
          const res = await ctx.http.send({
            method: "GET",
            key,
            sign: { credentials: { accessKeyId: ctx.http.credentials.accessKeyId, secretAccessKey: secret } },
          });
          refused(res, ["SignatureDoesNotMatch"], "A request signed with a wrong secret");
        },
      );
    },
  },
  {
    id: "signing.unknown-access-key-rejected",
    suite,
    law:
      "A request signed with an unknown access key is refused with 403 InvalidAccessKeyId or SignatureDoesNotMatch",
    numRuns: 12,
    async run(ctx) {
      const { key } = await target(ctx);
      await ctx.property([fc.stringMatching(/^[a-z0-9]{8,32}$/)], async (ak) => {
        const res = await ctx.http.send({
          method: "GET",
          key,
          sign: {
            credentials: {
              accessKeyId: "unknown" + ak,
              secretAccessKey: ctx.http.credentials.secretAccessKey,
            },
          },
        });
        ctx.finding("unknownAccessKeyAnswer", seen(res));
        refused(
          res,
          ["InvalidAccessKeyId", "SignatureDoesNotMatch"],
          "A request signed with an unknown access key",
        );
      });
    },
  },
  {
    id: "signing.expired-signature-rejected",
    suite,
    law: "A request whose signature validity window has passed is refused with 403 RequestExpired",
    numRuns: 12,
    async run(ctx) {
      const { key } = await target(ctx);
      await ctx.property(
        [fc.integer({ min: 60, max: 1800 }), fc.integer({ min: 120, max: 86400 })],
        async (expiration, pastBy) => {
          const timestamp = new Date(ctx.http.now().getTime() - (expiration + pastBy) * 1000);
          const res = await ctx.http.send({
            method: "GET",
            key,
            sign: { timestamp, expirationInSeconds: expiration },
          });
          ctx.finding("expiredAnswer", seen(res));
          refused(
            res,
            ["RequestExpired"],
            `A request signed ${expiration + pastBy} s ago valid for ${expiration} s`,
          );
        },
      );
    },
  },
  {
    id: "signing.future-timestamp-rejected",
    suite,
    law: "A request whose timestamp is far in the future (≥ 1 hour) is refused with 403 RequestTimeTooSkewed",
    numRuns: 12,
    async run(ctx) {
      const { key } = await target(ctx);
      await ctx.property([fc.integer({ min: 3600, max: 7 * 86400 })], async (ahead) => {
        const timestamp = new Date(ctx.http.now().getTime() + ahead * 1000);
        const res = await ctx.http.send({ method: "GET", key, sign: { timestamp } });
        ctx.finding("futureTimestampAnswer", seen(res));
        refused(res, ["RequestTimeTooSkewed"], `A request signed ${ahead} s in the future`);
      });
    },
  },
  ...SIGNING_WINDOW_CHECKS,
];

function signedMethod(method: string): Partial<RawRequest> {
  // Sign as `method`, then send GET (mutate restores GET before sending).
  return { method };
}

async function sendPresigned(
  ctx: CheckContext,
  key: string,
  path: string,
  rawAuthorization = false,
  timestamp = ctx.http.now(),
  expirationInSeconds = 600,
): Promise<HttpResponse> {
  const url = await presignUrl({
    accessKeyId: ctx.http.credentials.accessKeyId,
    secretAccessKey: ctx.http.credentials.secretAccessKey,
    sessionToken: ctx.http.credentials.sessionToken,
    url: ctx.http.originOf(ctx.http.bucket) + path,
    timestamp,
    expirationInSeconds,
  });
  let query = url.slice(url.indexOf("?") + 1);
  if (rawAuthorization) {
    query = query.replace(/authorization=([^&]*)/, (_m, v) => "authorization=" + decodeURIComponent(v));
  }
  return await ctx.http.send({ method: "GET", key, rawPath: path, query, sign: false });
}
