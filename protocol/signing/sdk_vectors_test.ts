// The signer against the official SDKs: every vector fixtures/signing/generate/generate.mjs wrote from
// @baiducloud/sdk and bce-sdk-go (fixtures/signing/generated/), and, when the JS SDK is installed
// (BOS_JS_SDK_NODE_MODULES, as .ci/run sets it), a property comparing the two signers on random inputs.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import fc from "fast-check";
import {
  canonicalRequest,
  createAuthorization,
  createAuthorizationSync,
  presignUrl,
  Signer,
  signingKey,
  verifyAuthorization,
} from "../mod.ts";

interface GeneratedVector {
  name: string;
  kind: "authorization" | "presign";
  source: string;
  follows: "both" | "js" | "go" | "documented";
  note?: string;
  // deno-lint-ignore no-explicit-any
  input: any;
  canonicalRequest?: string;
  signingKey: string;
  signature: string;
  authorization: string;
  alsoValid: string[];
  sdk?: { js?: string; go?: string };
}

const dir = new URL("../../fixtures/signing/generated/", import.meta.url);
const files: Array<{ file: string; vectors: GeneratedVector[] }> = [];
for (const entry of Deno.readDirSync(dir)) {
  if (entry.name.endsWith(".json")) {
    files.push({
      file: entry.name,
      vectors: JSON.parse(Deno.readTextFileSync(new URL(entry.name, dir))).vectors,
    });
  }
}
files.sort((a, b) => a.file.localeCompare(b.file));

const prefixOf = (authorization: string) => authorization.split("/").slice(0, 4).join("/");

/** Every way the vector can fail, as sentences. */
async function problems(v: GeneratedVector): Promise<string[]> {
  const out: string[] = [];
  const timestamp = new Date(v.input.timestamp);
  const lookupSecret = (ak: string) => ak === v.input.accessKeyId ? v.input.secretAccessKey : undefined;
  if (await signingKey(v.input.secretAccessKey, prefixOf(v.authorization)) !== v.signingKey) {
    out.push("signing key differs");
  }
  let request: { method: string; path: string; query: unknown; headers: unknown };
  if (v.kind === "presign") {
    const url = await presignUrl({ ...v.input, timestamp });
    const parsed = new URL(url);
    const authorization = decodeURIComponent(/[?&]authorization=([^&]*)/.exec(url)![1]);
    if (authorization !== v.authorization) out.push(`presignUrl signed ${authorization}`);
    const query = parsed.search.slice(1).split("&").filter((p) => !p.startsWith("authorization=")).join("&");
    request = {
      method: v.input.method,
      path: parsed.pathname,
      query,
      headers: { ...v.input.headers, host: parsed.host },
    };
  } else {
    request = v.input;
    const input = { ...v.input, timestamp };
    for (
      const [how, got] of [
        ["createAuthorization", await createAuthorization(input)],
        ["createAuthorizationSync", createAuthorizationSync(input)],
        ["Signer", new Signer(input).authorization(input)],
      ]
    ) if (got !== v.authorization) out.push(`${how} gave ${got}`);
    if (v.canonicalRequest !== undefined && canonicalRequest(input) !== v.canonicalRequest) {
      out.push(`canonical request ${JSON.stringify(canonicalRequest(input))}`);
    }
  }
  // Every spelling of the signature verifies: boskit's, the other SDK spellings of the same signature.
  for (const spelling of [v.authorization, ...v.alsoValid]) {
    const r = await verifyAuthorization(
      {
        ...(request as { method: string; path: string }),
        authorization: spelling,
        lookupSecret,
        now: timestamp,
      } as Parameters<typeof verifyAuthorization>[0],
    );
    if (!r.ok) out.push(`${spelling} does not verify: ${r.message}`);
  }
  return out;
}

for (const { file, vectors } of files) {
  Deno.test(`generated vectors ${file}: boskit's signer gives each authorization and verifies every spelling`, async () => {
    assert(vectors.length > 0, `${file} holds no vectors`);
    const failed: string[] = [];
    for (const v of vectors) {
      assert(
        v.source.length > 20 && v.follows,
        `${v.name} must say where it comes from and whose form it follows`,
      );
      for (const p of await problems(v)) failed.push(`${v.name}: ${p}`);
    }
    assert.deepEqual(failed, []);
  });
}

Deno.test("generated vectors: both SDKs are represented, with every documented divergence", () => {
  const all = files.flatMap((f) => f.vectors);
  assert(all.filter((v) => v.follows === "both" && v.sdk?.go && v.sdk?.js).length >= 100);
  assert(all.some((v) => v.kind === "presign" && v.follows === "go"));
  assert(all.some((v) => v.kind === "presign" && v.follows === "js"));
  for (
    const why of [
      "mixed-case-list",
      "request-id-header",
      "authorization-listed",
      "query-key-encoding",
      "empty-list",
    ]
  ) {
    assert(all.some((v) => v.name.startsWith(why) && v.note), `no vector for ${why}`);
  }
});

// ---------------------------------------------------------------------------------------------
// Law: boskit's authorization equals the official JS SDK's for the same inputs.

const modules = Deno.env.get("BOS_JS_SDK_NODE_MODULES");
let sdkAuth:
  | undefined
  | (new (ak: string, sk: string) => {
    generateAuthorization(
      method: string,
      resource: string,
      params: Record<string, string | null>,
      headers: Record<string, string>,
      timestamp: number,
      expirationInSeconds: number,
      headersToSign?: string[],
    ): string;
  });
let normalize: undefined | ((s: string, encodingSlash?: boolean) => string);
if (modules) {
  try {
    const require = createRequire(modules + "/");
    sdkAuth = require("@baiducloud/sdk/src/auth.js");
    normalize = require("@baiducloud/sdk/src/strings.js").normalize;
  } catch { /* not installed */ }
}

const token = fc.stringMatching(/^[a-z0-9][a-z0-9._~-]{0,10}$/);
const text = fc.string({ unit: "grapheme", maxLength: 16 });
const sdkRequestArb = fc.record({
  method: fc.constantFrom("GET", "PUT", "POST", "DELETE", "HEAD", "OPTIONS"),
  key: fc.string({ unit: "grapheme", minLength: 1, maxLength: 20 }),
  query: fc.dictionary(fc.stringMatching(/^[A-Za-z][A-Za-z0-9._~-]{0,10}$/), fc.option(text, { nil: null }), {
    maxKeys: 5,
  }),
  contentType: fc.option(fc.constantFrom("text/plain", "application/json; charset=utf-8"), {
    nil: undefined,
  }),
  meta: fc.dictionary(token, text, { maxKeys: 4 }),
  extra: fc.dictionary(fc.constantFrom("range", "user-agent", "if-match", "abc"), text, { maxKeys: 2 }),
  list: fc.option(
    fc.array(fc.constantFrom("host", "content-type", "content-length", "range", "content-md5"), {
      minLength: 1,
      maxLength: 4,
    }),
    { nil: undefined },
  ),
  seconds: fc.integer({ min: 946684800, max: 4102444799 }),
  expiration: fc.oneof(fc.constant(1800), fc.constant(-1), fc.integer({ min: 1, max: 604800 })),
  upper: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
});

Deno.test({
  name: sdkAuth
    ? "law: boskit's authorization equals @baiducloud/sdk's for the same request, header case, list and time"
    : "law: boskit's authorization equals @baiducloud/sdk's (skipped: set BOS_JS_SDK_NODE_MODULES)",
  ignore: !sdkAuth,
  async fn() {
    const Auth = sdkAuth!;
    await fc.assert(
      fc.asyncProperty(sdkRequestArb, async (r) => {
        const headers: Record<string, string> = {
          host: "bj.bcebos.com",
          "x-bce-date": "2026-11-24T08:00:00Z",
        };
        if (r.contentType) headers["content-type"] = r.contentType;
        for (const [name, value] of Object.entries(r.meta)) headers["x-bce-meta-" + name] = value;
        Object.assign(headers, r.extra);
        // Names in any case, each once (the SDK lower-cases them as boskit does).
        const cased = Object.fromEntries(
          Object.entries(headers).map(([n, v], i) => [r.upper[i % r.upper.length] ? n.toUpperCase() : n, v]),
        );
        const path = "/v1/bucket/" + normalize!(r.key, false);
        const list = r.list ? [...new Set([...r.list, "host"])] : undefined;
        const sdk = new Auth("ak", "sk").generateAuthorization(
          r.method,
          path,
          r.query,
          cased,
          r.seconds,
          r.expiration,
          list,
        );
        const ours = await createAuthorization({
          accessKeyId: "ak",
          secretAccessKey: "sk",
          method: r.method,
          path,
          query: r.query,
          headers: cased,
          headersToSign: list,
          timestamp: new Date(r.seconds * 1000),
          expirationInSeconds: r.expiration,
        });
        // The same signature; signedHeaders as the documentation writes it (the SDK orders the names
        // as its canonical lines, boskit sorts the names).
        const [sdkNames, sdkSignature] = sdk.split("/").slice(4);
        const [ourNames, ourSignature] = ours.split("/").slice(4);
        assert.equal(ourSignature, sdkSignature, `${ours}\n${sdk}`);
        assert.equal(ourNames, sdkNames.split(";").map(decodeURIComponent).sort().join(";"));
        assert.equal(ours.split("/").slice(0, 4).join("/"), sdk.split("/").slice(0, 4).join("/"));
      }),
      { numRuns: 300 },
    );
  },
});
