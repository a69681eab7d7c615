import assert from "node:assert/strict";
import fc from "fast-check";
import {
  CORS_METHODS,
  corsOriginMatches,
  type CorsRule,
  matchCorsRule,
  MAX_CORS_RULES,
  openCorsRules,
  parseCorsConfiguration,
} from "./cors.ts";

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

Deno.test("law: an origin pattern with one * matches exactly the origins that start with its prefix and end with its suffix", () => {
  const part = fc.stringMatching(/^[a-zA-Z0-9.:/-]{0,12}$/);
  fc.assert(fc.property(part, part, part, (prefix, middle, suffix) => {
    const origin = prefix + middle + suffix;
    assert(corsOriginMatches(`${prefix}*${suffix}`, origin));
    assert(corsOriginMatches("*", origin));
    assert.equal(corsOriginMatches(origin, origin), true);
    // Case-sensitive: changing the case of a letter of a literal pattern breaks the match.
    const flipped = origin.replace(
      /[a-zA-Z]/,
      (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()),
    );
    if (flipped !== origin) assert.equal(corsOriginMatches(flipped, origin), false);
  }));
  assert.equal(corsOriginMatches("https://*.example.com", "https://example.com"), false);
  assert.equal(corsOriginMatches("ab*ba", "aba"), false, "prefix and suffix may not overlap");
});

Deno.test("law: a rule matches iff origin, method and every requested header match; the first such rule is chosen", () => {
  const header = fc.stringMatching(/^[a-z][a-z-]{0,8}$/);
  fc.assert(fc.property(
    fc.array(header, { maxLength: 4 }),
    fc.array(header, { maxLength: 4 }),
    fc.constantFrom(...CORS_METHODS),
    (allowed, requested, method) => {
      const rule: CorsRule = {
        allowedOrigins: ["https://a.example"],
        allowedMethods: [method],
        allowedHeaders: allowed,
      };
      const request = { origin: "https://a.example", method, headers: requested.map((h) => h.toUpperCase()) };
      const expected = requested.every((h) => allowed.includes(h));
      assert.equal(matchCorsRule([rule], request) === rule, expected);
      assert.equal(matchCorsRule([rule], { ...request, method: method.toLowerCase() }), undefined);
      assert.equal(matchCorsRule([rule], { ...request, origin: "https://b.example" }), undefined);
      const open: CorsRule = { ...rule, allowedHeaders: ["*"] };
      assert.equal(matchCorsRule([rule, open], request), expected ? rule : open);
    },
  ));
});

Deno.test("openCorsRules: every method and header from the given origins, every header exposed", () => {
  const [rule] = openCorsRules(["http://localhost:5173"]);
  assert.deepEqual(rule.allowedMethods, [...CORS_METHODS]);
  assert(
    matchCorsRule([rule], { origin: "http://localhost:5173", method: "DELETE", headers: ["x-anything"] }),
  );
  assert.equal(matchCorsRule([rule], { origin: "http://localhost:5174", method: "GET" }), undefined);
  assert("rules" in parseCorsConfiguration({ corsConfiguration: openCorsRules() }));
});
