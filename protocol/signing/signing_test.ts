import assert from "node:assert/strict";
import fc from "fast-check";
import {
  canonicalHeaders,
  canonicalQueryString,
  canonicalRequest,
  canonicalUri,
  createAuthorization,
  createAuthorizationSync,
  formatTimestamp,
  isWellFormedPercentEncoding,
  parseAuthorization,
  presignUrl,
  Signer,
  signingKey,
  uriEncode,
  verifyAuthorization,
} from "../mod.ts";

// ---------------------------------------------------------------------------------------------
// Fixtures: every vector in fixtures/signing/ reproduces exactly.

interface Vector {
  name: string;
  kind: "authorization" | "presign";
  source: string;
  // deno-lint-ignore no-explicit-any
  input: any;
  canonicalRequest: string;
  signingKey: string;
  signature: string;
  authorization: string;
  alsoValid: string[];
  url?: string;
}

const fixtureDir = new URL("../../fixtures/signing/", import.meta.url);
const vectors: Vector[] = [];
for (const entry of Deno.readDirSync(fixtureDir)) {
  if (!entry.name.endsWith(".json")) continue;
  vectors.push(JSON.parse(Deno.readTextFileSync(new URL(entry.name, fixtureDir))));
}
vectors.sort((a, b) => a.name.localeCompare(b.name));

Deno.test("fixtures: the signing vector directory holds the spec's worked examples", () => {
  assert(vectors.length >= 9, `expected at least 9 vectors, found ${vectors.length}`);
  for (const v of vectors) {
    assert(v.source.length > 10, `${v.name} must say where its values come from`);
    assert.match(v.signature, /^[0-9a-f]{64}$/);
    assert(v.authorization.endsWith("/" + v.signature), `${v.name}: authorization ends with the signature`);
  }
});

function prefixOf(authorization: string): string {
  return authorization.split("/").slice(0, 4).join("/");
}

for (const v of vectors) {
  Deno.test(`fixture ${v.name}: canonical request, signing key, signature and verification all match`, async () => {
    const timestamp = new Date(v.input.timestamp);
    assert.equal(await signingKey(v.input.secretAccessKey, prefixOf(v.authorization)), v.signingKey);
    const lookupSecret = (ak: string) => ak === v.input.accessKeyId ? v.input.secretAccessKey : undefined;
    if (v.kind === "authorization") {
      const request = { ...v.input, timestamp };
      assert.equal(canonicalRequest(request), v.canonicalRequest);
      const auth = await createAuthorization(request);
      assert.equal(auth, v.authorization);
      for (const spelling of [v.authorization, ...v.alsoValid]) {
        const result = await verifyAuthorization({
          authorization: spelling,
          method: v.input.method,
          path: v.input.path,
          query: v.input.query,
          headers: v.input.headers,
          lookupSecret,
          now: timestamp,
        });
        assert.equal(result.ok, true, `${spelling} must verify: ${JSON.stringify(result)}`);
      }
    } else {
      const url = await presignUrl({ ...v.input, timestamp });
      assert.equal(url, v.url);
      const parsed = new URL(url);
      const rawQuery = url.slice(url.indexOf("?") + 1);
      const authorization = decodeURIComponent(parsed.searchParams.get("authorization")!);
      assert.equal(authorization, v.authorization);
      for (const spelling of [authorization, ...v.alsoValid]) {
        const result = await verifyAuthorization({
          authorization: spelling,
          method: v.input.method,
          path: parsed.pathname,
          query: rawQuery,
          headers: new Headers({ host: parsed.host }),
          lookupSecret,
          now: timestamp,
        });
        assert.equal(result.ok, true, `${spelling} must verify: ${JSON.stringify(result)}`);
      }
      assert.equal(
        canonicalRequest({
          method: v.input.method,
          path: parsed.pathname,
          query: rawQuery,
          headers: { host: parsed.host },
        }),
        v.canonicalRequest,
      );
    }
  });
}

// ---------------------------------------------------------------------------------------------
// UriEncode

Deno.test("uriEncode: every byte 0x00-0xFF is kept only if unreserved, otherwise %XY with upper-case hex", () => {
  const unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
  for (let b = 0; b <= 0xff; b++) {
    const expected = unreserved.includes(String.fromCharCode(b))
      ? String.fromCharCode(b)
      : "%" + b.toString(16).toUpperCase().padStart(2, "0");
    assert.equal(uriEncode(new Uint8Array([b])), expected, `byte 0x${b.toString(16)}`);
    if (b < 0x80) assert.equal(uriEncode(String.fromCharCode(b)), expected, `char 0x${b.toString(16)}`);
    const slash = b === 0x2f ? "/" : expected;
    assert.equal(uriEncode(new Uint8Array([b]), true), slash);
  }
});

Deno.test("uriEncode: code points 0x80-0x7FF encode as their two UTF-8 bytes", () => {
  assert.equal(uriEncode("é"), "%C3%A9");
  assert.equal(uriEncode("\u0080"), "%C2%80");
  assert.equal(uriEncode("\u07ff"), "%DF%BF");
});

Deno.test("uriEncode: astral code points encode as their four UTF-8 bytes", () => {
  assert.equal(uriEncode("😀"), "%F0%9F%98%80");
  assert.equal(uriEncode("𝄞"), "%F0%9D%84%9E");
  assert.equal(uriEncode("\u{10ffff}"), "%F4%8F%BF%BF");
  assert.equal(uriEncode("a😀/b", true), "a%F0%9F%98%80/b");
  // A lone surrogate is not valid UTF-16; it is encoded as U+FFFD, as TextEncoder does.
  assert.equal(uriEncode("\ud800"), "%EF%BF%BD");
});

Deno.test("uriEncode: the documentation and JS SDK examples", () => {
  assert.equal(
    uriEncode("this is an example for 测试"),
    "this%20is%20an%20example%20for%20%E6%B5%8B%E8%AF%95",
  );
  assert.equal(
    uriEncode("!'()*this is an example for 测试"),
    "%21%27%28%29%2Athis%20is%20an%20example%20for%20%E6%B5%8B%E8%AF%95",
  );
  assert.equal(uriEncode("a+b =c"), "a%2Bb%20%3Dc");
});

Deno.test("canonicalQueryString: sorted as whole key=value strings, bare keys get =, authorization dropped", () => {
  assert.equal(
    canonicalQueryString("text&text1=%E6%B5%8B%E8%AF%95&text10=test"),
    "text10=test&text1=%E6%B5%8B%E8%AF%95&text=",
  );
  assert.equal(canonicalQueryString({ A: "A", B: null, C: "" }), "A=A&B=&C=");
  assert.equal(canonicalQueryString({ "a-b": "2", a: "1" }), "a-b=2&a=1");
  assert.equal(canonicalQueryString("uploads"), "uploads=");
  assert.equal(canonicalQueryString("AUTHORIZATION=x&Authorization&append"), "append=");
  assert.equal(canonicalQueryString("k=%7e%2a"), "k=~%2A");
  assert.equal(canonicalQueryString({ skip: undefined }), "");
  assert.equal(canonicalQueryString([["b", "1"], ["a", "2"], ["a", "1"]]), "a=1&a=2&b=1");
});

Deno.test("canonicalHeaders: JS SDK example; trimmed values; empty values skipped; default set", () => {
  const c = canonicalHeaders({ Host: "localhost", "x-bce-a": "a/b:c", C: "", "Content-MD5": "MD5" });
  assert.equal(c.canonical, "content-md5:MD5\nhost:localhost\nx-bce-a:a%2Fb%3Ac");
  const t = canonicalHeaders({ host: "h", "x-bce-meta-a": "\u3000 v w\u00a0\ufeff", "x-bce-meta-b": "   " });
  assert.equal(t.canonical, "host:h\nx-bce-meta-a:v%20w");
  assert.deepEqual(t.signedHeaders, ["host", "x-bce-meta-a"]);
  const d = canonicalHeaders({ host: "h", date: "x", "user-agent": "y", "content-length": 3 });
  assert.deepEqual(d.signedHeaders, ["content-length", "host"]);
});

Deno.test("canonicalHeaders: Headers values are wire bytes, plain-object values are UTF-8 text", () => {
  const wire = canonicalHeaders(new Headers({ host: "h", "x-bce-meta-a": " \u00e5\u00bc\u00a0 " }));
  const text = canonicalHeaders({ host: "h", "x-bce-meta-a": "张" });
  assert.equal(wire.canonical, text.canonical);
  assert.equal(text.canonical, "host:h\nx-bce-meta-a:%E5%BC%A0");
  // U+3000 (E3 80 80 on the wire) is trimmed like the JS SDK trims text; invalid UTF-8 keeps its bytes.
  assert.equal(canonicalHeaders(new Headers({ "x-bce-a": "v\u00e3\u0080\u0080" })).canonical, "x-bce-a:v");
  assert.equal(canonicalHeaders(new Headers({ "x-bce-a": "\u00ff\u00a0" })).canonical, "x-bce-a:%FF%A0");
});

Deno.test("canonicalUri: decodes the wire path to bytes and re-encodes it; + is not a space; // is kept", () => {
  assert.equal(canonicalUri("/example/测试"), "/example/%E6%B5%8B%E8%AF%95");
  assert.equal(canonicalUri("/a+b%20c"), "/a%2Bb%20c");
  assert.equal(canonicalUri("/a//b"), "/a//b");
  assert.equal(canonicalUri("/a%2Fb"), "/a/b");
  assert.equal(canonicalUri("/%41%7e"), "/A~");
  assert.equal(canonicalUri(""), "/");
  assert.equal(canonicalUri("bucket/key"), "/bucket/key");
  assert.equal(canonicalUri("/100%"), "/100%25");
  assert.equal(canonicalUri("/%zz"), "/%25zz");
});

Deno.test("isWellFormedPercentEncoding: rejects a % not followed by two hex digits", () => {
  assert(isWellFormedPercentEncoding("/a%2Fb%e6"));
  assert(!isWellFormedPercentEncoding("/a%"));
  assert(!isWellFormedPercentEncoding("/a%g0"));
});

Deno.test("createAuthorization: refuses invalid expirations and dates with a clear error", async () => {
  const base = { accessKeyId: "a", secretAccessKey: "s", method: "GET", path: "/" };
  await assert.rejects(
    createAuthorization({ ...base, timestamp: new Date(0), expirationInSeconds: -2 }),
    /Expiration must be an integer/,
  );
  await assert.rejects(createAuthorization({ ...base, timestamp: new Date(NaN) }), /valid date/);
});

Deno.test("parseAuthorization: refuses every malformed shape", () => {
  const sig = "a".repeat(64);
  const good = `bce-auth-v1/ak/2015-04-27T08:23:49Z/1800/host/${sig}`;
  assert(parseAuthorization(good));
  for (
    const bad of [
      "",
      "bce-auth-v2/ak/2015-04-27T08:23:49Z/1800/host/" + sig,
      "bce-auth-v1/ak/2015-04-27T08:23:49Z/1800/" + sig,
      "bce-auth-v1//2015-04-27T08:23:49Z/1800/host/" + sig,
      "bce-auth-v1/ak/2015-04-27 08:23:49/1800/host/" + sig,
      "bce-auth-v1/ak/2015-02-30T08:23:49Z/1800/host/" + sig,
      "bce-auth-v1/ak/2015-04-27T08:23:49Z/18x0/host/" + sig,
      "bce-auth-v1/ak/2015-04-27T08:23:49Z/-2/host/" + sig,
      "bce-auth-v1/ak/2015-04-27T08:23:49Z/1800/host/" + sig.slice(1),
      "bce-auth-v1/ak/2015-04-27T08:23:49Z/1800/host;;x/" + sig,
      good + "/extra",
    ]
  ) {
    assert.equal(parseAuthorization(bad), undefined, bad);
  }
});

// ---------------------------------------------------------------------------------------------
// Properties

const AK = "prop-ak";
const SK = "prop-sk";
const lookupSecret = (ak: string) => (ak === AK ? SK : undefined);
const T0 = new Date("2024-01-02T03:04:05Z");

const headerName = fc.stringMatching(/^x-bce-[a-z0-9-]{1,12}$/);
const headerValue = fc.string({ minLength: 1, maxLength: 20 }).map((s) => s.trim()).filter((s) => s !== "");
const queryKey = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,10}$/).filter((k) =>
  k.toLowerCase() !== "authorization"
);
const pathArb = fc.array(fc.string({ unit: "grapheme", minLength: 1, maxLength: 8 }), {
  minLength: 1,
  maxLength: 4,
})
  .map((segments) => "/" + segments.join("/"));

const requestArb = fc.record({
  method: fc.constantFrom("GET", "PUT", "POST", "DELETE", "HEAD"),
  path: pathArb,
  query: fc.dictionary(queryKey, fc.string({ maxLength: 10 }), { maxKeys: 4 }),
  headers: fc.dictionary(headerName, headerValue, { minKeys: 1, maxKeys: 4 }),
  expirationInSeconds: fc.integer({ min: 1, max: 100000 }),
});

type Req = {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  expirationInSeconds: number;
};

function sign(req: Req, timestamp = T0): Promise<string> {
  return createAuthorization({
    ...req,
    headers: { ...req.headers, host: "bj.bcebos.com" },
    accessKeyId: AK,
    secretAccessKey: SK,
    timestamp,
  });
}

function signatureOf(auth: string): string {
  return auth.split("/")[5];
}

function shuffle<T>(items: T[], seed: number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

Deno.test("law: header name case and order do not change the signature", async () => {
  await fc.assert(
    fc.asyncProperty(
      requestArb,
      fc.integer(),
      fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
      async (req, seed, ups) => {
        const reordered: Record<string, string> = {};
        shuffle(Object.entries(req.headers), seed).forEach(([name, value], i) => {
          reordered[ups[i % ups.length] ? name.toUpperCase() : name] = value;
        });
        assert.equal(await sign({ ...req, headers: reordered }), await sign(req));
      },
    ),
    { numRuns: 100 },
  );
});

Deno.test("law: query parameter order does not change the signature", async () => {
  await fc.assert(
    fc.asyncProperty(requestArb, fc.integer(), async (req, seed) => {
      const reordered = Object.fromEntries(shuffle(Object.entries(req.query), seed));
      assert.equal(await sign({ ...req, query: reordered }), await sign(req));
      const raw = shuffle(Object.entries(req.query), seed).map(([k, v]) => `${uriEncode(k)}=${uriEncode(v)}`)
        .join("&");
      assert.equal(canonicalQueryString(raw), canonicalQueryString(req.query));
    }),
    { numRuns: 100 },
  );
});

/** Every way of changing exactly one signed element of a request. */
const tamperArb = fc.oneof(
  fc.constant({ kind: "method" as const }),
  fc.record({ kind: fc.constant("path" as const), at: fc.nat(), byte: fc.integer({ min: 0x21, max: 0x7e }) }),
  fc.record({ kind: fc.constant("query-key" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("query-value" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("query-add" as const), key: queryKey }),
  fc.record({ kind: fc.constant("header-value" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("timestamp" as const), delta: fc.integer({ min: 1, max: 600 }) }),
  fc.record({ kind: fc.constant("expiration" as const), delta: fc.integer({ min: 1, max: 100 }) }),
);

type Tamper = typeof tamperArb extends fc.Arbitrary<infer T> ? T : never;

/** Applies a tampering; returns undefined when it does not apply to this request. */
function tamper(req: Req, t: Tamper): { req: Req; timestamp: Date } | undefined {
  const copy: Req = { ...req, query: { ...req.query }, headers: { ...req.headers } };
  let timestamp = T0;
  switch (t.kind) {
    case "method":
      copy.method = req.method === "GET" ? "PUT" : "GET";
      break;
    case "path": {
      const bytes = new TextEncoder().encode(canonicalUri(req.path));
      const i = t.at % bytes.length;
      const replacement = String.fromCharCode(t.byte);
      const current = String.fromCharCode(bytes[i]);
      if (current === replacement || replacement === "%" || current === "%") return undefined;
      const encoded = canonicalUri(req.path);
      copy.path = encoded.slice(0, i) + replacement + encoded.slice(i + 1);
      if (canonicalUri(copy.path) === encoded) return undefined;
      break;
    }
    case "query-key": {
      const keys = Object.keys(req.query);
      if (keys.length === 0) return undefined;
      const k = keys[t.at % keys.length];
      const renamed = k + "x";
      if (renamed in copy.query) return undefined;
      copy.query[renamed] = copy.query[k];
      delete copy.query[k];
      break;
    }
    case "query-value": {
      const keys = Object.keys(req.query);
      if (keys.length === 0) return undefined;
      const k = keys[t.at % keys.length];
      copy.query[k] = copy.query[k] + "!";
      break;
    }
    case "query-add":
      if (t.key in copy.query) return undefined;
      copy.query[t.key] = "";
      break;
    case "header-value": {
      const names = Object.keys(req.headers);
      const n = names[t.at % names.length];
      copy.headers[n] = copy.headers[n] + "z";
      break;
    }
    case "timestamp":
      timestamp = new Date(T0.getTime() + t.delta * 1000);
      break;
    case "expiration":
      copy.expirationInSeconds = req.expirationInSeconds + t.delta;
      break;
  }
  return { req: copy, timestamp };
}

Deno.test("law: changing any one signed element (method, path byte, query key or value, header value, timestamp, expiration) changes the signature", async () => {
  await fc.assert(
    fc.asyncProperty(requestArb, tamperArb, async (req, t) => {
      const changed = tamper(req, t);
      fc.pre(changed !== undefined);
      const a = await sign(req);
      const b = await sign(changed!.req, changed!.timestamp);
      assert.notEqual(signatureOf(b), signatureOf(a));
    }),
    { numRuns: 300 },
  );
});

Deno.test("law: percent-encoded and raw spellings of the same path sign the same", async () => {
  const key = fc.string({ unit: "grapheme", minLength: 1, maxLength: 16 });
  await fc.assert(
    fc.asyncProperty(key, fc.boolean(), async (k, lower) => {
      let encoded = "/bucket/" + uriEncode(k, true);
      if (lower) encoded = encoded.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
      assert.equal(canonicalUri(encoded), "/bucket/" + uriEncode(k, true));
      // The raw spelling is unambiguous only when the key has no '%'.
      if (!k.includes("%")) {
        assert.equal(canonicalUri("/bucket/" + k), canonicalUri(encoded));
        const base = { method: "PUT", query: {}, headers: { "x-bce-date": "d" }, expirationInSeconds: 1800 };
        assert.equal(await sign({ ...base, path: "/bucket/" + k }), await sign({ ...base, path: encoded }));
      }
    }),
    { numRuns: 300 },
  );
});

function verifyReq(req: Req, authorization: string, now = T0) {
  return verifyAuthorization({
    authorization,
    method: req.method,
    path: req.path,
    query: req.query,
    headers: { ...req.headers, host: "bj.bcebos.com" },
    lookupSecret,
    now,
  });
}

Deno.test("law: verify(sign(x)) accepts, with the signed-header list in any order or empty for the default set", async () => {
  await fc.assert(
    fc.asyncProperty(requestArb, fc.integer(), async (req, seed) => {
      const auth = await sign(req);
      assert.equal((await verifyReq(req, auth)).ok, true);
      const parts = auth.split("/");
      const shuffled = [...parts];
      shuffled[4] = shuffle(parts[4].split(";"), seed).join(";");
      assert.equal((await verifyReq(req, shuffled.join("/"))).ok, true);
      const empty = [...parts];
      empty[4] = "";
      // Every header in these requests is in the default set, so the empty list means the same.
      assert.equal((await verifyReq(req, empty.join("/"))).ok, true);
    }),
    { numRuns: 100 },
  );
});

Deno.test("law: verify rejects every single-element tampering of the request with signature-mismatch", async () => {
  await fc.assert(
    fc.asyncProperty(
      requestArb,
      tamperArb.filter((t) => t.kind !== "timestamp" && t.kind !== "expiration"),
      async (req, t) => {
        const changed = tamper(req, t);
        fc.pre(changed !== undefined);
        const auth = await sign(req);
        const result = await verifyReq(changed!.req, auth);
        assert.equal(result.ok, false);
        if (!result.ok) {
          assert.equal(result.reason, "signature-mismatch");
          assert.equal(result.code, "SignatureDoesNotMatch");
          assert.equal(result.status, 403);
        }
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("law: verify rejects every single-element tampering of the authorization string", async () => {
  const authTamper = fc.oneof(
    fc.record({ field: fc.constant(1), value: fc.constant("other-ak") }),
    fc.record({
      field: fc.constant(2),
      value: fc.integer({ min: 1, max: 600 }).map((d) => formatTimestamp(new Date(T0.getTime() - d * 1000))),
    }),
    fc.record({ field: fc.constant(3), value: fc.integer({ min: 100001, max: 200000 }).map(String) }),
    fc.record({ field: fc.constant(4), value: fc.constant("host") }),
    fc.record({ field: fc.constant(5), value: fc.nat({ max: 63 }).map(String) }),
  );
  await fc.assert(
    fc.asyncProperty(requestArb, authTamper, async (r, t) => {
      // A long window, so that moving the timestamp back does not expire the request instead.
      const req = { ...r, expirationInSeconds: 100000 };
      const parts = (await sign(req)).split("/");
      if (t.field === 5) {
        const i = Number(t.value);
        const c = parts[5][i] === "0" ? "1" : "0";
        parts[5] = parts[5].slice(0, i) + c + parts[5].slice(i + 1);
      } else {
        if (parts[t.field] === t.value) return;
        parts[t.field] = t.value;
      }
      const result = await verifyReq(req, parts.join("/"));
      assert.equal(result.ok, false);
      if (!result.ok) {
        assert.equal(
          result.reason,
          t.field === 1 ? "unknown-key" : "signature-mismatch",
          JSON.stringify(result),
        );
      }
    }),
    { numRuns: 200 },
  );
});

Deno.test("law: a wrong secret is a signature mismatch", async () => {
  await fc.assert(
    fc.asyncProperty(requestArb, async (req) => {
      const auth = await createAuthorization({
        ...req,
        headers: { ...req.headers, host: "bj.bcebos.com" },
        accessKeyId: AK,
        secretAccessKey: SK + "-wrong",
        timestamp: T0,
      });
      const result = await verifyReq(req, auth);
      assert.equal(!result.ok && result.reason, "signature-mismatch");
    }),
    { numRuns: 50 },
  );
});

Deno.test("law: expired requests are rejected as expired, future ones beyond the skew window as not-yet-valid", async () => {
  await fc.assert(
    fc.asyncProperty(requestArb, fc.integer({ min: -100000, max: 100000 }), async (req, offset) => {
      const auth = await sign(req);
      const now = new Date(T0.getTime() + offset * 1000);
      const result = await verifyReq(req, auth, now);
      if (offset > req.expirationInSeconds) {
        assert.equal(!result.ok && result.reason, "expired");
        assert.equal(!result.ok && result.code, "RequestExpired");
      } else if (offset < -900) {
        assert.equal(!result.ok && result.reason, "not-yet-valid");
        assert.equal(!result.ok && result.code, "RequestTimeTooSkewed");
      } else {
        assert.equal(result.ok, true);
      }
    }),
    { numRuns: 200 },
  );
});

Deno.test("verify: expiration -1 never expires; the skew window is configurable", async () => {
  const req: Req = {
    method: "GET",
    path: "/b/k",
    query: {},
    headers: { "x-bce-date": "d" },
    expirationInSeconds: 1800,
  };
  const forever = await createAuthorization({
    ...req,
    headers: { ...req.headers, host: "bj.bcebos.com" },
    accessKeyId: AK,
    secretAccessKey: SK,
    timestamp: T0,
    expirationInSeconds: -1,
  });
  assert.equal((await verifyReq(req, forever, new Date(T0.getTime() + 10 * 365 * 86400e3))).ok, true);
  const auth = await sign(req);
  const early = await verifyAuthorization({
    authorization: auth,
    ...req,
    headers: { ...req.headers, host: "bj.bcebos.com" },
    lookupSecret,
    now: new Date(T0.getTime() - 60e3),
    clockSkewSeconds: 30,
  });
  assert.equal(!early.ok && early.reason, "not-yet-valid");
});

Deno.test("verify: a malformed authorization is reported as malformed with InvalidHTTPAuthHeader", async () => {
  const result = await verifyAuthorization({
    authorization: "Bearer abc",
    method: "GET",
    path: "/",
    lookupSecret,
  });
  assert.equal(!result.ok && result.reason, "malformed");
  assert.equal(!result.ok && result.code, "InvalidHTTPAuthHeader");
  assert.equal(!result.ok && result.status, 400);
});

Deno.test("presignUrl: STS token is a signed query parameter and the URL verifies; /v1 and custom ports work", async () => {
  const url = await presignUrl({
    accessKeyId: AK,
    secretAccessKey: SK,
    sessionToken: "tok/en+1=",
    method: "PUT",
    url: "http://127.0.0.1:8080/v1/bucket/%E6%B5%8B%20key?responseContentType=text%2Fplain",
    timestamp: T0,
    expirationInSeconds: -1,
    headers: { "content-type": "text/plain" },
  });
  assert.match(
    url,
    /^http:\/\/127\.0\.0\.1:8080\/v1\/bucket\/%E6%B5%8B%20key\?responseContentType=text%2Fplain&x-bce-security-token=tok%2Fen%2B1%3D&authorization=/,
  );
  const rawQuery = url.slice(url.indexOf("?") + 1);
  const authorization = decodeURIComponent(/authorization=([^&]*)/.exec(rawQuery)![1]);
  assert.equal(authorization.split("/")[4], "content-type;host");
  const ok = await verifyAuthorization({
    authorization,
    method: "PUT",
    path: "/v1/bucket/%E6%B5%8B%20key",
    query: rawQuery,
    headers: new Headers({ host: "127.0.0.1:8080", "content-type": "text/plain" }),
    lookupSecret,
    now: T0,
  });
  assert.equal(ok.ok, true);
  const tampered = await verifyAuthorization({
    authorization,
    method: "PUT",
    path: "/v1/bucket/%E6%B5%8B%20key",
    query: rawQuery.replace("tok%2Fen", "tok%2Fem"),
    headers: new Headers({ host: "127.0.0.1:8080", "content-type": "text/plain" }),
    lookupSecret,
    now: T0,
  });
  assert.equal(tampered.ok, false);
});

Deno.test("presignUrl: default ports are dropped from the signed host, an existing authorization is replaced", async () => {
  const url = await presignUrl({
    accessKeyId: AK,
    secretAccessKey: SK,
    url: "https://bj.bcebos.com:443/b/k?authorization=old",
    timestamp: T0,
  });
  assert(url.startsWith("https://bj.bcebos.com/b/k?authorization=bce-auth-v1"));
  assert.equal(url.match(/authorization=/g)!.length, 1);
  await assert.rejects(
    presignUrl({ accessKeyId: AK, secretAccessKey: SK, url: "/relative", timestamp: T0 }),
    /absolute/,
  );
});

// ---------------------------------------------------------------------------------------------
// Explicit header lists (issue 14): the listed headers plus every x-bce-* header, as the JS and Go SDKs

Deno.test("createAuthorization: an explicit list signs the listed headers present (any case) plus every x-bce-* header", async () => {
  const request = {
    accessKeyId: AK,
    secretAccessKey: SK,
    method: "GET",
    path: "/b/k",
    headers: {
      Host: "bj.bcebos.com",
      "Content-Type": "text/plain",
      "x-bce-date": "2024-01-02T03:04:05Z",
      "X-Bce-Meta-A": "1",
      Range: "bytes=0-9",
      "x-bce-meta-empty": " ",
    },
    timestamp: T0,
  };
  const auth = await createAuthorization({ ...request, headersToSign: ["HOST", " range ", "absent"] });
  assert.equal(auth.split("/")[4], "host;range;x-bce-date;x-bce-meta-a");
  assert.equal(
    canonicalHeaders(request.headers, ["HOST", "range"]).canonical,
    "host:bj.bcebos.com\nrange:bytes%3D0-9\nx-bce-date:2024-01-02T03%3A04%3A05Z\nx-bce-meta-a:1",
  );
  const result = await verifyAuthorization({ ...request, authorization: auth, lookupSecret, now: T0 });
  assert.equal(result.ok, true);
});

Deno.test("createAuthorization: a list selecting no header is refused, never an empty signedHeaders field (which means the default set)", async () => {
  const request = {
    accessKeyId: AK,
    secretAccessKey: SK,
    method: "PUT",
    path: "/b/k",
    headers: { "content-length": "5", "content-type": "text/plain" },
    timestamp: T0,
  };
  await assert.rejects(
    createAuthorization({ ...request, headersToSign: ["content-md5"] }),
    (e: Error) => e instanceof RangeError && /headersToSign \["content-md5"\]/.test(e.message),
  );
  // Without a list (or with an empty one) the default set is written out: never `//` either.
  assert.equal((await createAuthorization(request)).split("/")[4], "content-length;content-type");
  assert.equal(
    (await createAuthorization({ ...request, headersToSign: [] })).split("/")[4],
    "content-length;content-type",
  );
});

Deno.test("createAuthorization: the authorization header is never signed, even when listed", async () => {
  const headers = { host: "h", authorization: "bce-auth-v1/old", "x-bce-date": "2024-01-02T03:04:05Z" };
  const auth = await createAuthorization({
    accessKeyId: AK,
    secretAccessKey: SK,
    method: "GET",
    path: "/",
    headers,
    headersToSign: ["host", "authorization"],
    timestamp: T0,
  });
  assert.equal(auth.split("/")[4], "host;x-bce-date");
  const result = await verifyAuthorization({
    method: "GET",
    path: "/",
    headers,
    authorization: auth,
    lookupSecret,
    now: T0,
  });
  assert.equal(result.ok, true);
});

Deno.test("verify: a signedHeaders list is taken exactly (a Java-SDK list without x-bce-date verifies); JS-SDK encoded names verify", async () => {
  // Signed over host only: what the Java SDK writes for an explicit list ["host"].
  const onlyHost = await createAuthorization({
    accessKeyId: AK,
    secretAccessKey: SK,
    method: "GET",
    path: "/b/k",
    headers: { host: "h" },
    timestamp: T0,
  });
  assert.equal(onlyHost.split("/")[4], "host");
  const request = {
    method: "GET",
    path: "/b/k",
    headers: { host: "h", "x-bce-date": "2024-01-02T03:04:05Z" },
  };
  assert.equal(
    (await verifyAuthorization({ ...request, authorization: onlyHost, lookupSecret, now: T0 })).ok,
    true,
  );
  // `x-bce-meta-a*b` written as the JS SDK lists it: x-bce-meta-a%2Ab.
  const headers = { host: "h", "x-bce-meta-a*b": "1" };
  const auth = await createAuthorization({
    accessKeyId: AK,
    secretAccessKey: SK,
    method: "GET",
    path: "/",
    headers,
    timestamp: T0,
  });
  assert.equal(auth.split("/")[4], "host;x-bce-meta-a*b");
  const js = auth.replace("/host;x-bce-meta-a*b/", "/host;x-bce-meta-a%2Ab/");
  const result = await verifyAuthorization({
    method: "GET",
    path: "/",
    headers,
    authorization: js,
    lookupSecret,
    now: T0,
  });
  assert.equal(result.ok, true);
});

Deno.test("law: with any explicit list the signedHeaders field is the listed headers present plus every x-bce-* header present, and verifies", async () => {
  await fc.assert(
    fc.asyncProperty(
      requestArb,
      fc.subarray(["host", "Content-Type", "content-length", "range", "absent", "x-bce-meta-zz"], {
        minLength: 1,
      }),
      fc.option(fc.constantFrom("text/plain", " image/png "), { nil: undefined }),
      async (req, list, type) => {
        const headers: Record<string, string> = { ...req.headers, host: "bj.bcebos.com", range: "bytes=1-2" };
        if (type) headers["content-type"] = type;
        const auth = await createAuthorization({
          ...req,
          headers,
          headersToSign: list,
          accessKeyId: AK,
          secretAccessKey: SK,
          timestamp: T0,
        });
        const lower = list.map((n) => n.toLowerCase());
        const expected = Object.keys(headers).filter((n) => n.startsWith("x-bce-") || lower.includes(n))
          .sort();
        assert.deepEqual(auth.split("/")[4].split(";"), expected);
        const result = await verifyAuthorization({
          ...req,
          headers,
          authorization: auth,
          lookupSecret,
          now: T0,
        });
        assert.equal(result.ok, true);
      },
    ),
    { numRuns: 150 },
  );
});

Deno.test("presignUrl: the given headers of the default set are signed (as both SDKs sign presigned URLs), others only when listed", async () => {
  const base = {
    accessKeyId: AK,
    secretAccessKey: SK,
    url: "https://bj.bcebos.com/b/k",
    timestamp: T0,
    headers: { "Content-Type": "text/plain", Range: "bytes=0-1", "x-bce-meta-a": "1", Host: "ignored" },
  };
  const names = (url: string) => decodeURIComponent(/authorization=([^&]*)/.exec(url)![1]).split("/")[4];
  assert.equal(names(await presignUrl(base)), "content-type;host;x-bce-meta-a");
  assert.equal(names(await presignUrl({ ...base, headersToSign: ["range"] })), "host;range;x-bce-meta-a");
});

Deno.test("Signer: the same authorizations as createAuthorization, synchronously; refuses credentials without strings", () => {
  const signer = new Signer({ accessKeyId: AK, secretAccessKey: SK });
  for (let i = 0; i < 6; i++) {
    const input = {
      method: "PUT",
      path: "/b/k" + i,
      headers: { host: "h", "x-bce-date": formatTimestamp(new Date(T0.getTime() + (i >> 1) * 1000)) },
      timestamp: new Date(T0.getTime() + (i >> 1) * 1000),
      expirationInSeconds: i % 2 ? -1 : undefined,
    };
    assert.equal(
      signer.authorization(input),
      createAuthorizationSync({ ...input, accessKeyId: AK, secretAccessKey: SK }),
    );
  }
  assert.throws(
    () => new Signer({ accessKeyId: "", secretAccessKey: "x" }),
    /non-empty accessKeyId/,
  );
});
