import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { uriEncode } from "../protocol/encoding.ts";
import { createAuthorization, formatTimestamp } from "../protocol/signing/sign.ts";
import { type BosHandler, createHandler, LOCAL_CREDENTIALS } from "./mod.ts";
import { splitRawUrl } from "./router.ts";

const HOST = "127.0.0.1:8080";

const printable = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 40,
});
const latin1 = fc.string({
  unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c)),
  maxLength: 60,
});

const segment = fc.oneof(
  fc.constantFrom(
    "fz",
    "fz2",
    "obj",
    "v1",
    "_boskit",
    "",
    ".",
    "..",
    "%2e%2e",
    "a%2F..%2Fb",
    "%00",
    "%zz",
    "%",
    "%E6%B5",
    "%FF",
    "测试",
    "a b",
    "%2F",
    "x".repeat(1100),
  ),
  printable.map((s) => s.replace(/[#?%]/g, "_")),
);
const path = fc.oneof(
  {
    arbitrary: fc.constantFrom(
      "/fz",
      "/fz/obj",
      "/fz/new",
      "/v1/fz/obj",
      "/",
      "/fz/dir/x",
      "/fz2",
      "/fz/%E6%B5%8B",
    ),
    weight: 3,
  },
  { arbitrary: fc.array(segment, { minLength: 0, maxLength: 4 }).map((a) => "/" + a.join("/")), weight: 2 },
);

const queryKey = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      "uploads",
      "append",
      "offset",
      "partNumber",
      "uploadId",
      "delete",
      "maxKeys",
      "prefix",
      "delimiter",
    ),
  },
  fc.constantFrom(
    "uploads",
    "append",
    "offset",
    "partNumber",
    "uploadId",
    "delete",
    "location",
    "cors",
    "acl",
    "maxKeys",
    "marker",
    "prefix",
    "delimiter",
    "keyMarker",
    "maxUploads",
    "maxParts",
    "partNumberMarker",
    "responseContentType",
    "responseExpires",
    "authorization",
    "x-bce-security-token",
    "versionId",
    "%zz",
    "",
  ),
  printable.map((s) => s.replace(/[#&=]/g, "_")),
);
const queryValue = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom("", "1", "2", "0", "fixture-upload", "d", "/", "obj") },
  fc.constantFrom(
    "",
    "0",
    "1",
    "-1",
    "10001",
    "99999999999999999999",
    "%zz",
    "%E6",
    "a/b",
    "fixture-upload",
    "\u6d4b",
    "%0A",
  ),
  printable.map((s) => s.replace(/[#&]/g, "_")),
);
const query = fc.array(fc.tuple(queryKey, fc.option(queryValue)), { maxLength: 3 }).map((items) =>
  items.map(([k, v]) => v === null ? k : `${k}=${v}`).join("&")
);

const headerPair = fc.oneof(
  {
    weight: 20,
    arbitrary: fc.tuple(
      fc.constantFrom(
        "content-type",
        "content-md5",
        "x-bce-content-sha256",
        "x-bce-content-crc32",
        "x-bce-content-crc32c",
        "range",
        "if-match",
        "if-none-match",
        "if-modified-since",
        "if-unmodified-since",
        "x-bce-copy-source",
        "x-bce-copy-source-range",
        "x-bce-copy-source-if-match",
        "x-bce-metadata-directive",
        "x-bce-storage-class",
        "x-bce-meta-a",
        "x-bce-meta-B",
        "cache-control",
        "expires",
        "x-bce-forbid-overwrite",
        "content-length",
        "x-bce-security-token",
        "x-boskit-fault",
        "transfer-encoding",
        "x-bce-content-crc32c-flag",
      ),
      fc.oneof(
        latin1,
        fc.constantFrom(
          "bytes=0-1",
          "bytes=-5",
          "/fz/obj",
          "/fz/%zz",
          "STANDARD",
          "ARCHIVE",
          "replace",
          "0",
          "5",
          "-1",
          "true",
          "*",
        ),
      ),
    ),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(
      fc.constant("x-bce-meta-big"),
      fc.integer({ min: 1, max: 5000 }).map((n) => "v".repeat(n)),
    ),
  },
  { weight: 1, arbitrary: fc.tuple(fc.constant("x-huge"), fc.constant("h".repeat(70_000))) },
);

const jsonBody = fc.oneof(
  fc.constant('{"parts":[{"partNumber":1,"eTag":"d41d8cd98f00b204e9800998ecf8427e"}'),
  fc.constant('{"objects":[{"key":"obj"},{"key":""}]}'),
  fc.constant('{"parts":[{"partNumber":2,"eTag":"x"},{"partNumber":1,"eTag":"y"}]}'),
  fc.constant('{"objects":'),
  fc.constant('{"match":{},"faults":["503"]}'),
  fc.constant("null"),
  fc.constant("[]"),
  fc.json(),
);
const body = fc.option(fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  jsonBody.map((s) => new TextEncoder().encode(s)),
  fc.nat({ max: 300 }).chain((n) => jsonBody.map((s) => new TextEncoder().encode(s).slice(0, n))),
));

const method = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom("GET", "PUT", "POST", "DELETE", "HEAD") },
  { weight: 1, arbitrary: fc.constantFrom("PATCH", "OPTIONS", "PROPFIND", "get", "Put") },
);

const signing = fc.constantFrom(
  "correct",
  "correct",
  "correct",
  "correct",
  "correct",
  "correct",
  "none",
  "wrong-secret",
  "garbage",
  "presign",
  "expired",
);

const hostileRequest = fc.record({
  method,
  path,
  query,
  headers: fc.array(headerPair, { maxLength: 5 }),
  body,
  signing,
  contentLength: fc.boolean(),
});

type Hostile = typeof hostileRequest extends fc.Arbitrary<infer T> ? T : never;

async function build(h: Hostile): Promise<Request | undefined> {
  const m = h.method.toUpperCase() === "GET" || h.method.toUpperCase() === "HEAD" ? h.method : h.method;
  const hasBody = h.body !== null && !["GET", "HEAD"].includes(m.toUpperCase());
  let probe: Request;
  try {
    probe = new Request(`http://${HOST}${h.path}${h.query ? "?" + h.query : ""}`, { method: m });
  } catch {
    return undefined; // not expressible as a Request
  }
  const raw = splitRawUrl(probe.url);
  const headers = new Headers();
  try {
    for (const [k, v] of h.headers) headers.append(k, v);
  } catch {
    return undefined;
  }
  if (hasBody && h.contentLength && !headers.has("content-length")) {
    headers.set("content-length", String(h.body!.byteLength));
  }
  const timestamp = h.signing === "expired" ? new Date(Date.now() - 86_400_000) : new Date();
  headers.set("x-bce-date", formatTimestamp(timestamp));
  let q = raw.query;
  if (h.signing !== "none" && h.signing !== "garbage") {
    const presign = h.signing === "presign";
    const signHeaders = new Headers(headers);
    signHeaders.set("host", HOST);
    const auth = await createAuthorization({
      accessKeyId: LOCAL_CREDENTIALS.accessKeyId,
      secretAccessKey: h.signing === "wrong-secret" ? "wrong" : LOCAL_CREDENTIALS.secretAccessKey,
      method: m.toUpperCase(),
      path: raw.path,
      query: raw.query,
      headers: presign ? new Headers({ host: HOST }) : signHeaders,
      headersToSign: presign ? ["host"] : undefined,
      timestamp,
    });
    if (presign) q += (q ? "&" : "") + "authorization=" + uriEncode(auth);
    else headers.set("authorization", auth);
  } else if (h.signing === "garbage") {
    headers.set("authorization", "bce-auth-v1/" + "x/".repeat(6));
  }
  try {
    return new Request(`http://${HOST}${raw.path}${q ? "?" + q : ""}`, {
      method: m,
      headers,
      body: hasBody ? h.body as BodyInit : undefined,
    });
  } catch {
    return undefined;
  }
}

async function check(handler: BosHandler, h: Hostile): Promise<void> {
  const req = await build(h);
  if (!req) return;
  const isHead = req.method.toUpperCase() === "HEAD";
  const res = await handler(req);
  const text = isHead ? "" : await res.text();
  const s = res.status;
  assert.ok(
    (s >= 200 && s < 300) || s === 304 || (s >= 400 && s < 500) || s === 501,
    `status ${s} for ${req.method} ${req.url}: ${text.slice(0, 300)}`,
  );
  assert.ok(res.headers.get("x-bce-request-id"));
  assert.equal(res.headers.get("server"), "BceBos");
  if (s >= 400) {
    if (isHead) {
      assert.ok(res.headers.get("x-bce-error-code"));
    } else {
      const err = JSON.parse(text);
      assert.equal(typeof err.code, "string");
      assert.equal(typeof err.message, "string");
      assert.equal(err.requestId, res.headers.get("x-bce-request-id"));
      if (s === 501) assert.equal(err.code, "NotImplemented");
    }
  }
}

async function fixture(handler: BosHandler): Promise<void> {
  const timestamp = new Date();
  for (
    const [method, p, b] of [["PUT", "/fz", undefined], ["PUT", "/fz/obj", "fixture"], [
      "POST",
      "/fz/obj?append",
      "ap",
    ]] as const
  ) {
    const [path, q = ""] = p.split("?");
    const headers = new Headers({ host: HOST, "x-bce-date": formatTimestamp(timestamp) });
    if (b) headers.set("content-length", String(b.length));
    headers.set(
      "authorization",
      await createAuthorization({ ...LOCAL_CREDENTIALS, method, path, query: q, headers, timestamp }),
    );
    await (await handler(new Request(`http://${HOST}${p}`, { method, headers, body: b }))).body?.cancel();
  }
}

function onInternalError(err: unknown): void {
  throw err instanceof Error ? err : new Error(String(err));
}

Deno.test("fuzz: hostile requests (memory backend) never get a 500, an exception or a non-BOS error shape", async () => {
  let internal: unknown;
  const handler = createHandler({ onInternalError: (e) => internal ??= e });
  await fixture(handler);
  let n = 0;
  await fc.assert(
    fc.asyncProperty(hostileRequest, async (h) => {
      if (++n % 50 === 0) await fixture(handler);
      await check(handler, h);
      assert.equal(internal, undefined, `internal error: ${internal}`);
    }),
    { numRuns: 9000 },
  );
  await handler.close();
});

Deno.test("fuzz: hostile requests against the fs backend write nothing outside the data directory", async () => {
  const parent = await Deno.makeTempDir({ prefix: "boskit-fuzz-" });
  const dataDir = join(parent, "data");
  try {
    const handler = createHandler({ dataDir, onInternalError });
    await handler.ready;
    await fixture(handler);
    let n = 0;
    await fc.assert(
      fc.asyncProperty(hostileRequest, async (h) => {
        if (++n % 50 === 0) await fixture(handler);
        await check(handler, h);
      }),
      { numRuns: 3000 },
    );
    await handler.close();
    assert.deepEqual(readdirSync(parent), ["data"]);
    assert.deepEqual(readdirSync(dataDir).sort(), [
      "blobs",
      "boskit-data.json",
      "buckets",
      "objects",
      "tmp",
      "uploads",
    ]);
    for (const f of readdirSync(join(dataDir, "buckets"))) assert.match(f, /^[a-z0-9-]{3,63}\.json$/);
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});
