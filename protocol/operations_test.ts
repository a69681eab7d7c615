import assert from "node:assert/strict";
import fc from "fast-check";
import { ERROR_CODES } from "./errors.ts";
import {
  findOperation,
  OPERATION_NAMES,
  OPERATION_TABLE,
  type OperationLevel,
  type OperationName,
  operationQuery,
  operationSpec,
} from "./operations.ts";

interface FixtureRequest {
  operation: OperationName;
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
}

async function fixture(name: string): Promise<{ source: string; requests: FixtureRequest[] }> {
  return JSON.parse(await Deno.readTextFile(new URL(`../fixtures/operations/${name}`, import.meta.url)));
}

/** Level of a path-style path: `/` service, `/<bucket>` bucket, `/<bucket>/<key>` object. */
function levelOf(path: string): OperationLevel {
  const rest = path.replace(/^\/v1(?=\/|$)/, "") || "/";
  if (rest === "/") return "service";
  const slash = rest.indexOf("/", 1);
  return slash < 0 || slash === rest.length - 1 ? "bucket" : "object";
}

const queryNames = (query: string) =>
  query.split("&").filter((p) => p !== "").map((p) => decodeURIComponent(p.split("=")[0]));

for (const file of ["js-sdk.json", "go-sdk.json"]) {
  Deno.test(`operation table: every request of fixtures/operations/${file} routes to the operation it is`, async () => {
    const { requests } = await fixture(file);
    assert(requests.length >= 20, "the fixture holds the SDK's operations");
    for (const r of requests) {
      const headers = new Headers(r.headers);
      const got = findOperation(r.method, levelOf(r.path), queryNames(r.query), (h) => headers.has(h));
      assert.equal(got, r.operation, `${r.method} ${r.path}?${r.query}`);
      const spec = OPERATION_TABLE[r.operation];
      for (const [name, role] of Object.entries(spec.query)) {
        if (role !== "optional") assert(queryNames(r.query).includes(name), `${r.operation} sends ${name}`);
      }
      if (spec.selectHeader) {
        assert(headers.has(spec.selectHeader), `${r.operation} sends ${spec.selectHeader}`);
      }
    }
  });
}

Deno.test("operation table: the JS SDK recording sends Content-Length where the table requires it", async () => {
  const { requests } = await fixture("js-sdk.json");
  for (const r of requests as (FixtureRequest & { headerNames: string[] })[]) {
    for (const h of OPERATION_TABLE[r.operation].requiredHeaders) {
      assert(r.headerNames.includes(h), `${r.operation} carries ${h}`);
    }
  }
});

Deno.test("operation table: the recordings cover every operation of the table", async () => {
  const seen = new Set<string>();
  for (const file of ["js-sdk.json", "go-sdk.json"]) {
    for (const r of (await fixture(file)).requests) seen.add(r.operation);
  }
  assert.deepEqual(OPERATION_NAMES.filter((n) => !seen.has(n)), []);
});

Deno.test("operation table: each row is well-formed (method, level, a service 404 code, a 2xx status)", () => {
  for (const name of OPERATION_NAMES) {
    const spec = operationSpec(name);
    assert.equal(spec.name, name);
    assert(["GET", "HEAD", "PUT", "POST", "DELETE", "OPTIONS"].includes(spec.method), name);
    assert(ERROR_CODES[spec.notFound].status === 404, `${name}: notFound ${spec.notFound} is a 404 code`);
    assert(spec.successStatus >= 200 && spec.successStatus < 300, name);
    if (spec.method === "HEAD") assert.equal(spec.response, "none", `${name}: HEAD answers carry no body`);
  }
});

Deno.test("law: each operation is what its own request shape routes to (table order never shadows a row)", () => {
  for (const name of OPERATION_NAMES) {
    const spec = OPERATION_TABLE[name];
    const selecting = Object.entries(spec.query).filter(([, r]) => r !== "optional").map(([q]) => q);
    const has = (h: string) => h === spec.selectHeader;
    assert.equal(findOperation(spec.method, spec.level, selecting, has), name);
  }
});

Deno.test("law: optional parameters never change the operation a request routes to", () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...OPERATION_NAMES),
      fc.uniqueArray(
        fc.constantFrom("prefix", "marker", "maxKeys", "offset", "responseContentType", "keyMarker"),
      ),
      (name, extra) => {
        const spec = OPERATION_TABLE[name];
        const optional = extra.filter((q) => spec.query[q] === "optional");
        const selecting = Object.entries(spec.query).filter(([, r]) => r !== "optional").map(([q]) => q);
        const has = (h: string) => h === spec.selectHeader;
        return findOperation(spec.method, spec.level, [...selecting, ...optional], has) === name;
      },
    ),
  );
});

Deno.test("routing: the priorities BOS has (Initiate over Complete, Location over the uploads list, copy header)", () => {
  const none = () => false;
  assert.equal(findOperation("POST", "object", ["uploads", "uploadId"], none), "InitiateMultipartUpload");
  assert.equal(findOperation("GET", "bucket", ["location", "uploads"], none), "GetBucketLocation");
  assert.equal(findOperation("PUT", "object", ["partNumber"], none), "UploadPart");
  assert.equal(
    findOperation("put", "object", ["uploadId"], (h) => h === "x-bce-copy-source"),
    "UploadPartCopy",
  );
  assert.equal(findOperation("GET", "service", ["location"], none), "ListBuckets");
  assert.equal(findOperation("POST", "bucket", [], none), undefined);
  assert.equal(findOperation("POST", "object", [], none), undefined);
  assert.equal(findOperation("OPTIONS", "object", [], none), "OptionsObject");
  assert.equal(findOperation("OPTIONS", "bucket", [], none), undefined);
});

Deno.test("operationQuery: flags first and bare, values kept, unknown parameters refused", () => {
  assert.deepEqual(operationQuery("ListMultipartUploads", { prefix: "a" }), { uploads: null, prefix: "a" });
  assert.deepEqual(operationQuery("UploadPart", { partNumber: 1, uploadId: "u" }), {
    partNumber: 1,
    uploadId: "u",
  });
  assert.deepEqual(operationQuery("GetBucketCors"), { cors: null });
  assert.throws(
    () => operationQuery("GetObject", { uploadId: "u" }),
    /GetObject does not take the query parameter "uploadId"/,
  );
});
