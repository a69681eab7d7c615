import assert from "node:assert/strict";
import fc from "fast-check";
import { CORS_METHODS, type CorsRule, MAX_CORS_RULES, parseCorsConfiguration } from "./cors.ts";

const origin = fc.oneof(
  fc.constant("*"),
  fc.webUrl({ withFragments: false, withQueryParameters: false }).map((u) => new URL(u).origin),
  fc.domain().map((d) => `https://*.${d}`),
);
const header = fc.stringMatching(/^[A-Za-z0-9-]{1,20}$/);
const rule: fc.Arbitrary<CorsRule> = fc.record({
  allowedOrigins: fc.array(origin, { minLength: 1, maxLength: 3 }),
  allowedMethods: fc.uniqueArray(fc.constantFrom(...CORS_METHODS), { minLength: 1 }),
  allowedHeaders: fc.option(fc.array(fc.oneof(header, fc.constant("*")), { maxLength: 3 }), {
    nil: undefined,
  }),
  allowedExposeHeaders: fc.option(fc.array(header, { maxLength: 3 }), { nil: undefined }),
  maxAgeSeconds: fc.option(fc.nat(), { nil: undefined }),
}, { requiredKeys: ["allowedOrigins", "allowedMethods"] });

Deno.test("law: a valid configuration parses to itself, and parsing is idempotent", () => {
  fc.assert(fc.property(fc.array(rule, { minLength: 1, maxLength: 5 }), (rules) => {
    const parsed = parseCorsConfiguration({ corsConfiguration: rules });
    assert("rules" in parsed);
    const clean = rules.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)));
    assert.deepEqual(parsed.rules, clean);
    assert.deepEqual(parseCorsConfiguration({ corsConfiguration: parsed.rules }), parsed);
  }));
});

Deno.test("law: breaking any required part of one rule makes the whole configuration InvalidArgument", () => {
  const breaks: ((r: CorsRule) => unknown)[] = [
    (r) => ({ ...r, allowedOrigins: [] }),
    (r) => ({ ...r, allowedOrigins: ["a*b*c"] }),
    (r) => ({ ...r, allowedMethods: ["get"] }),
    (r) => ({ ...r, allowedMethods: [] }),
    (r) => ({ ...r, allowedHeaders: "*" }),
    (r) => ({ ...r, allowedExposeHeaders: [""] }),
    (r) => ({ ...r, maxAgeSeconds: -5 }),
    (r) => ({ ...r, maxAgeSeconds: "60" }),
    ({ allowedOrigins: _o, ...r }) => r,
  ];
  fc.assert(
    fc.property(
      fc.array(rule, { minLength: 1, maxLength: 4 }),
      fc.nat(),
      fc.constantFrom(...breaks),
      (rules, at, brk) => {
        const list: unknown[] = [...rules];
        list[at % list.length] = brk(rules[at % list.length]);
        const parsed = parseCorsConfiguration({ corsConfiguration: list });
        assert("problem" in parsed);
        assert.equal(parsed.problem.code, "InvalidArgument");
        assert.match(parsed.problem.message, new RegExp(`CORS rule ${(at % list.length) + 1}\\b`));
      },
    ),
  );
});

Deno.test("parseCorsConfiguration: shape, count and the empty list", () => {
  const one = { allowedOrigins: ["*"], allowedMethods: ["GET"] };
  for (const body of [null, [], "x", { rules: [one] }, { corsConfiguration: {} }]) {
    const parsed = parseCorsConfiguration(body);
    assert("problem" in parsed, JSON.stringify(body));
  }
  const empty = parseCorsConfiguration({ corsConfiguration: [] });
  assert("problem" in empty && /DeleteBucketCors/.test(empty.problem.message));
  assert("rules" in parseCorsConfiguration({ corsConfiguration: Array(MAX_CORS_RULES).fill(one) }));
  assert("problem" in parseCorsConfiguration({ corsConfiguration: Array(MAX_CORS_RULES + 1).fill(one) }));
});
