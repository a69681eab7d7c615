/**
 * Cross-origin access (buckets.md §9): the CORS configuration round-trips and is validated, a
 * preflight (OPTIONS, unauthenticated) is granted by the first rule whose origin, method and headers
 * all match and refused with 403 and no `Access-Control-*` header otherwise, and actual requests
 * from an allowed origin — successes and errors — carry `Access-Control-Allow-Origin`.
 *
 * These checks replace the bucket's CORS rules, so they run only in a bucket the kit created (not
 * with `--bucket`), one at a time (`serial: "cors"`, beside the other checks, none of which sends an
 * `Origin`); each removes the rules it set.
 *
 * @module
 */
import fc from "fast-check";
import { type CheckContext, type CheckDef, ensure, Skip } from "../_check.ts";
import type { HttpResponse } from "../_http.ts";
import { expectError, expectOk, expectStatus } from "../_ops.ts";

const suite = "cors" as const;
const METHODS = ["GET", "PUT", "DELETE", "POST", "HEAD"] as const;
const ORIGIN = "https://app.example.com";
/** Most rules a configuration may hold (buckets.md §9). */
const MAX_RULES = 100;

interface Rule {
  allowedOrigins: string[];
  allowedMethods: string[];
  allowedHeaders?: string[];
  allowedExposeHeaders?: string[];
  maxAgeSeconds?: number;
}

/** Refuses to touch the CORS rules of a bucket the run did not create. */
function ownBucket(ctx: CheckContext): void {
  if (!ctx.http.created.buckets.has(ctx.http.bucket)) {
    throw new Skip(
      "the CORS checks replace the bucket's CORS rules; they run only in a bucket the kit creates (without --bucket)",
    );
  }
}

function putCors(ctx: CheckContext, body: unknown): Promise<HttpResponse> {
  return ctx.http.send({
    method: "PUT",
    key: undefined,
    query: { cors: null },
    headers: { "content-type": "application/json; charset=utf-8" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

const getCors = (ctx: CheckContext) => ctx.http.send({ method: "GET", query: { cors: null } });
const deleteCors = (ctx: CheckContext) => ctx.http.send({ method: "DELETE", query: { cors: null } });

/** Sets `rules`, runs `fn`, and removes the rules again whatever happens. */
async function withRules(ctx: CheckContext, rules: Rule[], fn: () => Promise<void>): Promise<void> {
  ownBucket(ctx);
  expectOk(await putCors(ctx, { corsConfiguration: rules }), "PutBucketCors");
  try {
    await fn();
  } finally {
    await deleteCors(ctx).catch(() => {});
  }
}

function preflight(
  ctx: CheckContext,
  origin: string,
  method: string,
  headers: string[] = [],
): Promise<HttpResponse> {
  const h: Record<string, string> = { origin, "access-control-request-method": method };
  if (headers.length) h["access-control-request-headers"] = headers.join(",");
  return ctx.http.send({ method: "OPTIONS", key: ctx.ns + "object", headers: h, sign: false });
}

/** The names of the response's `Access-Control-*` headers. */
function corsHeaders(r: HttpResponse): string[] {
  const names: string[] = [];
  r.headers.forEach((_v, k) => {
    if (k.startsWith("access-control-")) names.push(k);
  });
  return names;
}

function expectGranted(r: HttpResponse, origin: string, what: string): void {
  ensure(r.status === 200, `${what}: expected 200, got ${r.status}`, r.exchange);
  ensure(
    r.headers.get("access-control-allow-origin") === origin,
    `${what}: Access-Control-Allow-Origin is ${
      r.headers.get("access-control-allow-origin")
    }, expected ${origin}`,
    r.exchange,
  );
}

function expectRefused(r: HttpResponse, what: string): void {
  ensure(r.status === 403, `${what}: expected 403, got ${r.status}`, r.exchange);
  const leaked = corsHeaders(r);
  ensure(leaked.length === 0, `${what}: a refused preflight carries ${leaked.join(", ")}`, r.exchange);
}

const list = (r: HttpResponse, name: string) =>
  (r.headers.get(name) ?? "").split(",").map((v) => v.trim().toLowerCase()).filter((v) => v !== "");

const token = fc.stringMatching(/^[a-z][a-z0-9-]{0,14}$/);
const ruleArb: fc.Arbitrary<Rule> = fc.record({
  allowedOrigins: fc.array(
    fc.oneof(
      fc.constant("*"),
      token.map((t) => `https://${t}.example.com`),
      token.map((t) => `https://*.${t}.example.com`),
    ),
    { minLength: 1, maxLength: 3 },
  ),
  allowedMethods: fc.uniqueArray(fc.constantFrom(...METHODS), { minLength: 1 }),
  allowedHeaders: fc.option(
    fc.array(fc.oneof(token, fc.constant("*"), fc.constant("x-bce-*")), { maxLength: 3 }),
    {
      nil: undefined,
    },
  ),
  allowedExposeHeaders: fc.option(fc.array(fc.oneof(token, fc.constant("ETag")), { maxLength: 3 }), {
    nil: undefined,
  }),
  maxAgeSeconds: fc.option(fc.nat({ max: 86400 }), { nil: undefined }),
}, { requiredKeys: ["allowedOrigins", "allowedMethods"] });

/** A rule without its absent optional fields (how the rules read back). */
const clean = (r: Rule) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined));

/**
 * The CORS checks. Each sets the bucket's rules, which every other CORS check reads, so they run
 * exclusive (alone, after the concurrent checks).
 */
export const CORS_CHECKS: CheckDef[] = ([
  {
    id: "cors.configuration-round-trips",
    suite,
    law:
      "GetBucketCors answers the rules PutBucketCors set, in order, each with the fields it was given (a second PUT replaces them all)",
    numRuns: 10,
    async run(ctx) {
      ownBucket(ctx);
      try {
        await ctx.property([fc.array(ruleArb, { minLength: 1, maxLength: 4 })], async (rules) => {
          expectOk(await putCors(ctx, { corsConfiguration: rules }), "PutBucketCors");
          const got = await getCors(ctx);
          expectOk(got, "GetBucketCors");
          const seen = (got.json() as { corsConfiguration?: Rule[] } | undefined)?.corsConfiguration;
          ensure(
            JSON.stringify(seen?.map(clean)) === JSON.stringify(rules.map(clean)),
            `GetBucketCors answered ${JSON.stringify(seen)}, PutBucketCors set ${JSON.stringify(rules)}`,
            got.exchange,
          );
        });
      } finally {
        await deleteCors(ctx).catch(() => {});
      }
    },
  },
  {
    id: "cors.deleted-configuration-is-404",
    suite,
    law: "After DeleteBucketCors (2xx, also when repeated) GetBucketCors answers 404",
    async run(ctx) {
      ownBucket(ctx);
      expectOk(
        await putCors(ctx, { corsConfiguration: [{ allowedOrigins: ["*"], allowedMethods: ["GET"] }] }),
        "PutBucketCors",
      );
      for (let i = 0; i < 2; i++) expectStatus(await deleteCors(ctx), [200, 204], "DeleteBucketCors");
      const got = await getCors(ctx);
      expectStatus(got, 404, "GetBucketCors without rules");
      const code = (got.json() as { code?: string } | undefined)?.code;
      if (code) ctx.finding("corsNotFoundCode", code, "the code of GetBucketCors on a bucket without rules");
    },
  },
  {
    id: "cors.invalid-configuration-rejected",
    suite,
    law:
      "PutBucketCors refuses with 400 a body that is not JSON (MalformedJSON) and rules BOS refuses (InvalidArgument): no rule, a method not upper-case, an origin with two *, no allowedMethods, more than 100 rules (100 are accepted)",
    async run(ctx) {
      ownBucket(ctx);
      try {
        expectError(
          await putCors(ctx, "{not json"),
          400,
          "MalformedJSON",
          "PutBucketCors with a body that is not JSON",
        );
        const bad: [string, unknown][] = [
          ["no rule", { corsConfiguration: [] }],
          ["a lower-case method", {
            corsConfiguration: [{ allowedOrigins: ["*"], allowedMethods: ["get"] }],
          }],
          ["two * in an origin", {
            corsConfiguration: [{ allowedOrigins: ["https://*.*.com"], allowedMethods: ["GET"] }],
          }],
          ["no allowedMethods", { corsConfiguration: [{ allowedOrigins: ["*"] }] }],
        ];
        for (const [what, body] of bad) {
          expectError(await putCors(ctx, body), 400, "InvalidArgument", `PutBucketCors with ${what}`);
        }
        const rule = { allowedOrigins: ["*"], allowedMethods: ["GET"] };
        expectError(
          await putCors(ctx, { corsConfiguration: Array.from({ length: MAX_RULES + 1 }, () => rule) }),
          400,
          "InvalidArgument",
          `PutBucketCors with ${MAX_RULES + 1} rules`,
        );
        expectStatus(
          await getCors(ctx),
          404,
          "GetBucketCors after refused configurations (nothing was stored)",
        );
        expectOk(
          await putCors(ctx, { corsConfiguration: Array.from({ length: MAX_RULES }, () => rule) }),
          `PutBucketCors with ${MAX_RULES} rules`,
        );
      } finally {
        await deleteCors(ctx).catch(() => {});
      }
    },
  },
  {
    id: "cors.preflight-granted-by-matching-rule",
    suite,
    law:
      "A preflight whose origin, method and headers a rule allows answers 200 with Access-Control-Allow-Origin (the origin), -Allow-Methods (the rule's), -Allow-Headers (the requested ones), -Expose-Headers and -Max-Age (the rule's), without authentication",
    async run(ctx) {
      const rule = {
        allowedOrigins: [ORIGIN],
        allowedMethods: ["GET", "PUT"],
        allowedHeaders: ["authorization", "x-bce-*", "content-type"],
        allowedExposeHeaders: ["ETag", "x-bce-request-id"],
        maxAgeSeconds: 600,
      };
      await withRules(ctx, [rule], async () => {
        const r = await preflight(ctx, ORIGIN, "PUT", ["Authorization", "x-bce-date", "Content-Type"]);
        expectGranted(r, ORIGIN, "Preflight PUT with allowed headers");
        const methods = list(r, "access-control-allow-methods");
        ensure(methods.includes("get") && methods.includes("put"), `Allow-Methods is ${methods}`, r.exchange);
        const allowed = list(r, "access-control-allow-headers");
        for (const h of ["authorization", "x-bce-date", "content-type"]) {
          ensure(allowed.includes(h), `Allow-Headers ${allowed} lacks ${h}`, r.exchange);
        }
        const exposed = list(r, "access-control-expose-headers");
        ensure(
          exposed.includes("etag") && exposed.includes("x-bce-request-id"),
          `Expose-Headers is ${exposed}`,
          r.exchange,
        );
        ensure(
          r.headers.get("access-control-max-age") === "600",
          `Max-Age is ${r.headers.get("access-control-max-age")}`,
          r.exchange,
        );
      });
    },
  },
  {
    id: "cors.preflight-origin-mismatch-refused",
    suite,
    law:
      "A preflight from an origin no rule allows (origins match whole, port included, case-sensitively, * once as a wildcard) answers 403 without any Access-Control-* header",
    numRuns: 12,
    async run(ctx) {
      await withRules(
        ctx,
        [{ allowedOrigins: ["https://*.example.com"], allowedMethods: ["GET"] }],
        async () => {
          await ctx.property([token], async (sub) => {
            expectGranted(
              await preflight(ctx, `https://${sub}.example.com`, "GET"),
              `https://${sub}.example.com`,
              "Preflight from a matching subdomain",
            );
            expectRefused(
              await preflight(ctx, `https://${sub}.example.org`, "GET"),
              "Preflight from another domain",
            );
            expectRefused(
              await preflight(ctx, `https://${sub}.EXAMPLE.com`, "GET"),
              "Preflight from the origin in another case",
            );
            expectRefused(
              await preflight(ctx, `http://${sub}.example.com`, "GET"),
              "Preflight from another scheme",
            );
            expectRefused(
              await preflight(ctx, `https://${sub}.example.com.evil.example.net`, "GET"),
              "Preflight from an origin that only starts like an allowed one",
            );
            expectRefused(
              await preflight(ctx, `https://${sub}.example.com:8443`, "GET"),
              "Preflight from an allowed host on another port",
            );
          });
        },
      );
    },
  },
  {
    id: "cors.preflight-method-mismatch-refused",
    suite,
    law:
      "A preflight for a method the matching origin's rule does not allow answers 403 without any Access-Control-* header",
    async run(ctx) {
      await withRules(ctx, [{ allowedOrigins: [ORIGIN], allowedMethods: ["GET", "HEAD"] }], async () => {
        expectGranted(await preflight(ctx, ORIGIN, "GET"), ORIGIN, "Preflight GET");
        for (const m of ["PUT", "DELETE", "POST", "get"]) {
          expectRefused(await preflight(ctx, ORIGIN, m), `Preflight ${m} where the rule allows GET and HEAD`);
        }
      });
    },
  },
  {
    id: "cors.preflight-header-mismatch-refused",
    suite,
    law:
      "A preflight asking for any header the rule does not allow answers 403 without any Access-Control-* header; header names match case-insensitively",
    async run(ctx) {
      await withRules(ctx, [{
        allowedOrigins: [ORIGIN],
        allowedMethods: ["PUT"],
        allowedHeaders: ["Content-Type", "x-bce-*"],
      }], async () => {
        expectGranted(
          await preflight(ctx, ORIGIN, "PUT", ["content-type", "X-BCE-Date"]),
          ORIGIN,
          "Preflight with allowed headers",
        );
        expectRefused(
          await preflight(ctx, ORIGIN, "PUT", ["content-type", "authorization"]),
          "Preflight with one header not allowed",
        );
        expectRefused(
          await preflight(ctx, ORIGIN, "PUT", ["x-other"]),
          "Preflight with a header outside x-bce-*",
        );
      });
    },
  },
  {
    id: "cors.preflight-without-rules-refused",
    suite,
    law: "A preflight to a bucket without CORS rules answers 403 without any Access-Control-* header",
    async run(ctx) {
      ownBucket(ctx);
      await deleteCors(ctx);
      expectRefused(await preflight(ctx, ORIGIN, "GET"), "Preflight to a bucket without rules");
    },
  },
  {
    id: "cors.first-matching-rule-wins",
    suite,
    law:
      "The first rule that matches answers the preflight: its methods are the Allow-Methods, later rules are not consulted",
    async run(ctx) {
      const rules = [
        { allowedOrigins: [ORIGIN], allowedMethods: ["GET"], maxAgeSeconds: 1 },
        { allowedOrigins: ["*"], allowedMethods: ["GET", "PUT", "DELETE"], maxAgeSeconds: 2 },
      ];
      await withRules(ctx, rules, async () => {
        const get = await preflight(ctx, ORIGIN, "GET");
        expectGranted(get, ORIGIN, "Preflight GET");
        ensure(
          get.headers.get("access-control-max-age") === "1",
          "The first rule (Max-Age 1) did not answer the GET",
          get.exchange,
        );
        const put = await preflight(ctx, ORIGIN, "PUT");
        expectGranted(put, ORIGIN, "Preflight PUT");
        ensure(
          put.headers.get("access-control-max-age") === "2",
          "The second rule (Max-Age 2) did not answer the PUT",
          put.exchange,
        );
        ensure(
          list(put, "access-control-allow-methods").includes("delete"),
          "Allow-Methods is not the second rule's",
          put.exchange,
        );
      });
    },
  },
  {
    id: "cors.actual-requests-carry-allow-origin",
    suite,
    law:
      "An actual request (PUT, GET, HEAD) with an allowed Origin gets Access-Control-Allow-Origin (the origin), the exposed headers and Vary: Origin, on a success and on an error alike, so a page can read BOS's error code",
    async run(ctx) {
      const rule = {
        allowedOrigins: [ORIGIN],
        allowedMethods: ["GET", "PUT", "HEAD"],
        allowedExposeHeaders: ["ETag", "x-bce-request-id"],
      };
      await withRules(ctx, [rule], async () => {
        const key = ctx.ns + "object";
        const answers: [string, HttpResponse][] = [
          [
            "PutObject",
            await ctx.http.send({ method: "PUT", key, body: "cross-origin", headers: { origin: ORIGIN } }),
          ],
          ["GetObject", await ctx.http.send({ method: "GET", key, headers: { origin: ORIGIN } })],
          ["HeadObject", await ctx.http.send({ method: "HEAD", key, headers: { origin: ORIGIN } })],
        ];
        for (const [what, ok] of answers) {
          expectOk(ok, `${what} with Origin`);
          ensure(
            ok.headers.get("access-control-allow-origin") === ORIGIN,
            `${what}: Access-Control-Allow-Origin is ${ok.headers.get("access-control-allow-origin")}`,
            ok.exchange,
          );
          ensure(
            list(ok, "access-control-expose-headers").includes("etag"),
            `${what}: ETag is not exposed`,
            ok.exchange,
          );
          ensure(
            list(ok, "vary").includes("origin"),
            `${what}: Vary is ${
              JSON.stringify(ok.headers.get("vary"))
            }, expected it to name Origin (the answer depends on it)`,
            ok.exchange,
          );
        }
        const missing = await ctx.http.send({
          method: "GET",
          key: ctx.ns + "missing",
          headers: { origin: ORIGIN },
        });
        expectStatus(missing, 404, "GetObject of a missing key with Origin");
        ensure(
          missing.headers.get("access-control-allow-origin") === ORIGIN,
          `The 404 error carries Access-Control-Allow-Origin ${
            missing.headers.get("access-control-allow-origin")
          }`,
          missing.exchange,
        );
        const other = await ctx.http.send({
          method: "GET",
          key,
          headers: { origin: "https://other.example.net" },
        });
        ensure(
          !other.headers.has("access-control-allow-origin"),
          "A request from an origin no rule allows got Access-Control-Allow-Origin",
          other.exchange,
        );
      });
    },
  },
] satisfies CheckDef[]).map((c): CheckDef => ({ ...c, serial: "cors" }));
