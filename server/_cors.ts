/**
 * Cross-origin access (buckets.md §9): the preflight (`OPTIONS`, answered without authentication)
 * and the `Access-Control-*` headers of actual requests, from the bucket's CORS rules or, for a
 * bucket without rules of its own (or no bucket), the server's default rules (`cors` option,
 * `deno task serve --cors`).
 *
 * An anonymous preflight learns only whether a rule allows its origin, method and headers, and that
 * rule's methods, exposed headers and max age: a missing bucket, a bucket without rules and a rule
 * that does not match all answer the same 403.
 *
 * @module
 */
import { type CorsRule, matchCorsRule } from "../protocol/cors.ts";
import { isValidBucketName } from "../protocol/limits.ts";
import { BosHttpError, emptyResponse, errorResponse, type ResponseContext } from "./_http.ts";
import type { Store } from "./store/types.ts";

/** The rules that govern a bucket: its own, else the server's defaults (also for no bucket at all). */
export function corsRulesFor(
  store: Store | undefined,
  bucket: string | undefined,
  defaults: readonly CorsRule[],
): readonly CorsRule[] {
  const own = bucket !== undefined && isValidBucketName(bucket) ? store?.getBucket(bucket)?.cors : undefined;
  return own && own.length > 0 ? own : defaults;
}

const PREFLIGHT_VARY = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";

/** The header names of `Access-Control-Request-Headers` (comma-separated, any case). */
function requestedHeaders(headers: Headers): string[] {
  return (headers.get("access-control-request-headers") ?? "").split(",").map((h) => h.trim())
    .filter((h) => h !== "");
}

/**
 * Answers a preflight: 200 with the matching rule's `Access-Control-*` headers, or 403
 * `AccessDenied` without any (no rule matches, no rules, no bucket). A request that is not a
 * preflight at all (no `Origin` or no `Access-Control-Request-Method`) → 400 `InvalidArgument` (the
 * handler sends such an OPTIONS through authentication instead, so it is refused like any request).
 */
export function preflight(rctx: ResponseContext, headers: Headers, rules: readonly CorsRule[]): Response {
  const origin = headers.get("origin");
  const method = headers.get("access-control-request-method");
  if (!origin || !method) {
    return errorResponse(
      rctx,
      new BosHttpError(
        "InvalidArgument",
        "A CORS preflight (OPTIONS) needs the Origin and Access-Control-Request-Method headers",
      ),
    );
  }
  const wanted = requestedHeaders(headers);
  const rule = matchCorsRule(rules, { origin, method, headers: wanted });
  if (!rule) {
    const res = errorResponse(
      rctx,
      new BosHttpError(
        "AccessDenied",
        "CORS preflight refused: no CORS rule of this bucket allows this origin, method and headers",
      ),
    );
    res.headers.set("vary", PREFLIGHT_VARY);
    return res;
  }
  const h = new Headers({
    "access-control-allow-origin": origin,
    "access-control-allow-methods": rule.allowedMethods.join(", "),
    "access-control-allow-credentials": "true",
    vary: PREFLIGHT_VARY,
  });
  if (wanted.length > 0) h.set("access-control-allow-headers", wanted.join(", "));
  if (rule.allowedExposeHeaders?.length) {
    h.set("access-control-expose-headers", rule.allowedExposeHeaders.join(", "));
  }
  if (rule.maxAgeSeconds !== undefined) h.set("access-control-max-age", String(rule.maxAgeSeconds));
  return emptyResponse(rctx, 200, h);
}

/**
 * The exposed header names of an actual response: the rule's names as written, and for each pattern
 * with a `*` (`x-bce-meta-*`, or `*` alone) the response's header names it matches — browsers take
 * `Access-Control-Expose-Headers` literally, so a wildcard is expanded here.
 */
function exposed(rule: CorsRule, res: Headers): string[] {
  const out = new Set<string>();
  for (const pattern of rule.allowedExposeHeaders ?? []) {
    const p = pattern.toLowerCase();
    const star = p.indexOf("*");
    if (star < 0) {
      out.add(pattern);
      continue;
    }
    const prefix = p.slice(0, star);
    const suffix = p.slice(star + 1);
    res.forEach((_v, name) => {
      if (name.length >= prefix.length + suffix.length && name.startsWith(prefix) && name.endsWith(suffix)) {
        out.add(name);
      }
    });
  }
  return [...out];
}

/**
 * Adds the CORS headers of an actual request to its response (success or error): when a rule
 * allows the `Origin` and the method, `Access-Control-Allow-Origin` (the origin), `-Allow-Credentials`
 * and `-Expose-Headers`; `Vary: Origin` whenever rules apply, matched or not.
 */
export function withCorsHeaders(
  res: Response,
  origin: string,
  method: string,
  rules: readonly CorsRule[],
): Response {
  if (rules.length === 0) return res;
  let headers = res.headers;
  try {
    headers.append("vary", "Origin");
  } catch {
    // Immutable headers (a response built elsewhere): copy them.
    headers = new Headers(res.headers);
    headers.append("vary", "Origin");
    res = new Response(res.body, { status: res.status, statusText: res.statusText, headers });
  }
  const rule = matchCorsRule(rules, { origin, method });
  if (!rule) return res;
  const names = exposed(rule, headers);
  headers.set("access-control-allow-origin", origin);
  headers.set("access-control-allow-credentials", "true");
  if (names.length > 0) headers.set("access-control-expose-headers", names.join(", "));
  return res;
}
