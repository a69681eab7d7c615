/**
 * A bucket's CORS configuration (buckets.md §9): the JSON shape of PutBucketCors / GetBucketCors and
 * the one set of rules a configuration must satisfy, checked by the client before sending and
 * enforced by the reference server.
 *
 * @module
 */
import type { ServiceErrorCode } from "./errors.ts";

/** The methods a CORS rule may allow (case-sensitive, no wildcard). */
export const CORS_METHODS: readonly CorsMethod[] = ["GET", "PUT", "DELETE", "POST", "HEAD"];

/** A method a CORS rule may allow. */
export type CorsMethod = "GET" | "PUT" | "DELETE" | "POST" | "HEAD";

/** The most rules one bucket may have. */
export const MAX_CORS_RULES = 100;

/** One CORS rule of a bucket, as BOS stores it. */
export interface CorsRule {
  /** Origins allowed (`*`, `https://*.example.com`, `abc*` as a prefix); each holds at most one `*`. */
  allowedOrigins: string[];
  /** Methods allowed. */
  allowedMethods: CorsMethod[];
  /** Request headers a preflight may ask for (`*` allows any). */
  allowedHeaders?: string[];
  /** Response headers a browser script may read. */
  allowedExposeHeaders?: string[];
  /** How long a browser may cache the preflight answer, in seconds. */
  maxAgeSeconds?: number;
}

/** The body of PutBucketCors and GetBucketCors. */
export interface CorsConfiguration {
  /** The rules, tried in order. */
  corsConfiguration: CorsRule[];
}

/** Why a CORS configuration is refused: the BOS code and a sentence naming the value. */
export interface CorsProblem {
  /** `InvalidArgument` (BOS answers a malformed value with it). */
  code: ServiceErrorCode;
  /** What is wrong and what to do. */
  message: string;
}

/**
 * Checks a parsed PutBucketCors body (`{"corsConfiguration": [rule, …]}`) and returns the rules in
 * their canonical form (only the known fields, in a fixed order), or the problem.
 *
 * @param body The parsed JSON body.
 * @returns `{ rules }` or `{ problem }`.
 *
 * @example
 * ```ts
 * import { parseCorsConfiguration } from "@boskit/boskit/protocol";
 * import assert from "node:assert/strict";
 *
 * const ok = parseCorsConfiguration({
 *   corsConfiguration: [{ allowedOrigins: ["https://app.example.com"], allowedMethods: ["GET", "PUT"] }],
 * });
 * assert.deepEqual(ok, {
 *   rules: [{ allowedOrigins: ["https://app.example.com"], allowedMethods: ["GET", "PUT"] }],
 * });
 * const bad = parseCorsConfiguration({ corsConfiguration: [{ allowedOrigins: ["*"], allowedMethods: ["get"] }] });
 * assert.equal("problem" in bad && bad.problem.code, "InvalidArgument");
 * ```
 */
export function parseCorsConfiguration(body: unknown): { rules: CorsRule[] } | { problem: CorsProblem } {
  const problem = (message: string) => ({ problem: { code: "InvalidArgument" as const, message } });
  const list = (body as { corsConfiguration?: unknown } | null)?.corsConfiguration;
  if (typeof body !== "object" || body === null || Array.isArray(body) || !Array.isArray(list)) {
    return problem('The CORS configuration must be a JSON object with a "corsConfiguration" array of rules');
  }
  if (list.length === 0) {
    return problem(
      "The CORS configuration needs at least one rule; use DeleteBucketCors to remove every rule",
    );
  }
  if (list.length > MAX_CORS_RULES) {
    return problem(`A bucket may have at most ${MAX_CORS_RULES} CORS rules, got ${list.length}`);
  }
  const rules: CorsRule[] = [];
  for (const [i, raw] of list.entries()) {
    const at = `CORS rule ${i + 1}`;
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
      return problem(`${at} must be a JSON object`);
    }
    const r = raw as Record<string, unknown>;
    const origins = strings(r.allowedOrigins);
    if (!origins || origins.length === 0) {
      return problem(
        `${at} needs allowedOrigins, a non-empty list of origins such as "https://app.example.com" or "*"`,
      );
    }
    const twoStars = origins.find((o) => o.split("*").length > 2);
    if (twoStars !== undefined) {
      return problem(`${at}: an allowed origin may hold at most one "*", got ${JSON.stringify(twoStars)}`);
    }
    const methods = strings(r.allowedMethods);
    if (!methods || methods.length === 0) {
      return problem(`${at} needs allowedMethods, a non-empty list among ${CORS_METHODS.join(", ")}`);
    }
    const badMethod = methods.find((m) => !(CORS_METHODS as readonly string[]).includes(m));
    if (badMethod !== undefined) {
      return problem(
        `${at}: allowed methods must be among ${CORS_METHODS.join(", ")} (upper case), got ${
          JSON.stringify(badMethod)
        }`,
      );
    }
    const rule: CorsRule = { allowedOrigins: origins, allowedMethods: methods as CorsMethod[] };
    for (const field of ["allowedHeaders", "allowedExposeHeaders"] as const) {
      if (r[field] === undefined) continue;
      const values = strings(r[field]);
      if (!values) return problem(`${at}: ${field} must be a list of non-empty header names`);
      rule[field] = values;
    }
    if (r.maxAgeSeconds !== undefined) {
      const n = r.maxAgeSeconds;
      if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) {
        return problem(`${at}: maxAgeSeconds must be a non-negative integer, got ${JSON.stringify(n)}`);
      }
      rule.maxAgeSeconds = n;
    }
    rules.push(rule);
  }
  return { rules };
}

/** A list of non-empty strings, or `undefined` when the value is not one. */
function strings(value: unknown): string[] | undefined {
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string" || v === "")) return undefined;
  return [...value];
}

/** A CORS request as the rules see it: the origin, the method asked for and the headers it will send. */
export interface CorsRequest {
  /** The `Origin` header. */
  origin: string;
  /** The method: `Access-Control-Request-Method` of a preflight, the request's own method otherwise. */
  method: string;
  /** Header names of `Access-Control-Request-Headers` (any case); none for an actual request. */
  headers?: readonly string[];
}

/**
 * Whether a pattern with at most one `*` matches a value: without `*` the two are equal, with one the
 * value starts with what precedes it and ends with what follows it (`*` alone matches anything).
 */
function wildcardMatches(pattern: string, value: string): boolean {
  const star = pattern.indexOf("*");
  if (star < 0) return pattern === value;
  const prefix = pattern.slice(0, star);
  const suffix = pattern.slice(star + 1);
  return value.length >= prefix.length + suffix.length && value.startsWith(prefix) && value.endsWith(suffix);
}

/**
 * Whether an allowed-origin pattern matches an origin, case-sensitively: `*` matches every origin,
 * `https://*.example.com` any subdomain, `abc*` any origin starting with `abc`.
 *
 * @param pattern An entry of `allowedOrigins` (at most one `*`).
 * @param origin The request's `Origin`.
 * @returns Whether it matches.
 *
 * @example
 * ```ts
 * import { corsOriginMatches } from "@boskit/boskit/protocol";
 * import assert from "node:assert/strict";
 *
 * assert(corsOriginMatches("https://*.example.com", "https://app.example.com"));
 * assert(!corsOriginMatches("https://*.example.com", "https://example.com"));
 * assert(!corsOriginMatches("https://App.example.com", "https://app.example.com")); // case-sensitive
 * ```
 */
export function corsOriginMatches(pattern: string, origin: string): boolean {
  return wildcardMatches(pattern, origin);
}

/**
 * The rule that answers a CORS request: the first whose origins match the origin, whose methods
 * include the method (case-sensitive), and whose `allowedHeaders` cover every requested header
 * (names compared case-insensitively; `*` and one-`*` patterns such as `x-bce-*` allowed).
 *
 * @param rules The bucket's rules, in order.
 * @param request Origin, method and requested headers.
 * @returns The first matching rule, or `undefined` (the request is refused).
 *
 * @example The first rule that covers origin, method and every header wins
 * ```ts
 * import { matchCorsRule } from "@boskit/boskit/protocol";
 * import assert from "node:assert/strict";
 *
 * const rules = [
 *   { allowedOrigins: ["https://app.example.com"], allowedMethods: ["GET" as const] },
 *   { allowedOrigins: ["https://*.example.com"], allowedMethods: ["GET" as const, "PUT" as const], allowedHeaders: ["x-bce-*", "content-type"] },
 * ];
 * const put = { origin: "https://app.example.com", method: "PUT", headers: ["Content-Type", "x-bce-date"] };
 * assert.equal(matchCorsRule(rules, put), rules[1]);
 * assert.equal(matchCorsRule(rules, { ...put, headers: ["authorization"] }), undefined);
 * ```
 */
export function matchCorsRule(rules: readonly CorsRule[], request: CorsRequest): CorsRule | undefined {
  const wanted = (request.headers ?? []).map((h) => h.trim().toLowerCase()).filter((h) => h !== "");
  return rules.find((rule) =>
    rule.allowedOrigins.some((o) => wildcardMatches(o, request.origin)) &&
    (rule.allowedMethods as readonly string[]).includes(request.method) &&
    wanted.every((h) => (rule.allowedHeaders ?? []).some((a) => wildcardMatches(a.toLowerCase(), h)))
  );
}

/**
 * The rules behind "allow every origin, method and header, expose every response header": what
 * `deno task serve --cors '*'` gives every bucket that has no rules of its own, for local development.
 *
 * @param origins The allowed origins; default `["*"]`.
 * @returns One rule.
 *
 * @example
 * ```ts
 * import { matchCorsRule, openCorsRules } from "@boskit/boskit/protocol";
 * import assert from "node:assert/strict";
 *
 * const rules = openCorsRules(["http://localhost:5173"]);
 * assert(matchCorsRule(rules, { origin: "http://localhost:5173", method: "PUT", headers: ["authorization", "x-bce-date"] }));
 * assert.equal(matchCorsRule(rules, { origin: "https://evil.example", method: "GET" }), undefined);
 * ```
 */
export function openCorsRules(origins: readonly string[] = ["*"]): CorsRule[] {
  return [{
    allowedOrigins: [...origins],
    allowedMethods: [...CORS_METHODS],
    allowedHeaders: ["*"],
    allowedExposeHeaders: ["*"],
    maxAgeSeconds: 600,
  }];
}
