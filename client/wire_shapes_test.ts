// The client against the official SDKs' wire shapes (fixtures/operations/): for each operation the
// SDKs send, boskit's client sends the same method, path and query parameter names (given the same
// optional values), and the operation table routes its request to the same operation.
import assert from "node:assert/strict";
import { BosClient } from "./client.ts";
import type { FetchLike } from "./pipeline.ts";
import {
  findOperation,
  OPERATION_TABLE,
  type OperationLevel,
  type OperationName,
} from "../protocol/operations.ts";

interface FixtureRequest {
  operation: OperationName;
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
}

const BUCKET = "sdk-bucket";
const KEY = "dir/a b+.txt";
const num = (q: URLSearchParams, name: string) => (q.has(name) ? Number(q.get(name)) : undefined);
const str = (q: URLSearchParams, name: string) => q.get(name) ?? undefined;

/** The client call for each operation, with the optional values the SDK's request carried. */
const CALLS: Record<OperationName, (c: BosClient, q: URLSearchParams, key: string) => Promise<unknown>> = {
  ListBuckets: (c) => c.listBuckets(),
  PutBucket: (c) => c.createBucket(BUCKET),
  HeadBucket: (c) => c.headBucket(BUCKET),
  DeleteBucket: (c) => c.deleteBucket(BUCKET),
  GetBucketLocation: (c) => c.getBucketLocation(BUCKET),
  PutBucketCors: (c) => c.putBucketCors(BUCKET, [{ allowedOrigins: ["*"], allowedMethods: ["GET"] }]),
  GetBucketCors: (c) => c.getBucketCors(BUCKET),
  DeleteBucketCors: (c) => c.deleteBucketCors(BUCKET),
  ListObjects: (c, q) =>
    c.listObjects(BUCKET, {
      prefix: str(q, "prefix"),
      delimiter: str(q, "delimiter"),
      marker: str(q, "marker"),
      maxKeys: num(q, "maxKeys"),
    }),
  ListMultipartUploads: (c, q) =>
    c.listMultipartUploads(BUCKET, {
      prefix: str(q, "prefix"),
      delimiter: str(q, "delimiter"),
      keyMarker: str(q, "keyMarker"),
      maxUploads: num(q, "maxUploads"),
    }),
  DeleteMultipleObjects: (c) => c.deleteObjects(BUCKET, [KEY, "src.txt"]),
  PutObject: (c, _q, key) => c.putObject(BUCKET, key, "hello", { contentType: "text/plain" }),
  GetObject: (c, q, key) =>
    c.getObject(BUCKET, key, { response: { contentType: str(q, "responseContentType") } }),
  HeadObject: (c, _q, key) => c.headObject(BUCKET, key),
  DeleteObject: (c, _q, key) => c.deleteObject(BUCKET, key),
  CopyObject: (c, _q, key) => c.copyObject(BUCKET, "src.txt", BUCKET, key),
  AppendObject: (c, q, key) => c.appendObject(BUCKET, key, "hello", { offset: num(q, "offset") }),
  InitiateMultipartUpload: (c, _q, key) => c.initiateMultipartUpload(BUCKET, key),
  UploadPart: (c, q, key) => c.uploadPart(BUCKET, key, "upload-1", num(q, "partNumber")!, "part"),
  UploadPartCopy: (c, q, key) =>
    c.uploadPartCopy(BUCKET, "src.txt", BUCKET, key, "upload-1", num(q, "partNumber")!, {
      range: { start: 0, end: 9 },
    }),
  CompleteMultipartUpload: (c, _q, key) =>
    c.completeMultipartUpload(BUCKET, key, "upload-1", [{ partNumber: 1, etag: "0".repeat(32) }]),
  AbortMultipartUpload: (c, _q, key) => c.abortMultipartUpload(BUCKET, key, "upload-1"),
  ListParts: (c, q, key) =>
    c.listParts(BUCKET, key, "upload-1", {
      maxParts: num(q, "maxParts"),
      partNumberMarker: num(q, "partNumberMarker"),
    }),
  OptionsObject: (c, _q, key) =>
    c.optionsObject(BUCKET, key, {
      origin: "https://app.example.com",
      method: "PUT",
      headers: ["content-type"],
    }),
};

/** A fetch that records the request and answers a minimal success for its operation. */
function recordingClient(): { client: BosClient; seen: Request[] } {
  const seen: Request[] = [];
  const fetch: FetchLike = (input, init) => {
    const req = new Request(input, init);
    seen.push(req);
    const body = JSON.stringify({
      uploadId: "upload-1",
      eTag: "0".repeat(32),
      locationConstraint: "bj",
      corsConfiguration: [{ allowedOrigins: ["*"], allowedMethods: ["GET"] }],
    });
    const status = req.method === "DELETE" ? 204 : 200;
    if (req.method === "OPTIONS") return Promise.resolve(new Response(null, { status: 200 }));
    return Promise.resolve(
      new Response(req.method === "HEAD" || status === 204 ? null : body, {
        status,
        headers: { "content-type": "application/json", etag: "0".repeat(32) },
      }),
    );
  };
  return {
    client: new BosClient({
      endpoint: "http://127.0.0.1:8080",
      credentials: { accessKeyId: "my_ak", secretAccessKey: "my_sk" },
      fetch,
      retry: { maxAttempts: 1 },
    }),
    seen,
  };
}

function levelOf(path: string): OperationLevel {
  if (path === "/") return "service";
  const slash = path.indexOf("/", 1);
  return slash < 0 ? "bucket" : "object";
}

const names = (query: string) =>
  query.split("&").filter((p) => p !== "").map((p) => decodeURIComponent(p.split("=")[0])).sort();

for (const file of ["js-sdk.json", "go-sdk.json"]) {
  Deno.test(`client: for every request of fixtures/operations/${file}, the client sends the same method, path and query names`, async () => {
    const fixture = JSON.parse(
      await Deno.readTextFile(new URL(`../fixtures/operations/${file}`, import.meta.url)),
    ) as { requests: FixtureRequest[] };
    for (const r of fixture.requests) {
      const { client, seen } = recordingClient();
      const key = decodeURIComponent(r.path.split("/").slice(2).join("/")) || KEY;
      await CALLS[r.operation](client, new URLSearchParams(r.query), key);
      assert.equal(seen.length, 1, r.operation);
      const sent = new URL(seen[0].url);
      const what = `${r.operation} (${r.method} ${r.path}?${r.query})`;
      assert.equal(seen[0].method, r.method, what);
      assert.equal(sent.pathname, r.path, what);
      assert.deepEqual(names(sent.search.slice(1)), names(r.query), what);
      const routed = findOperation(
        seen[0].method,
        levelOf(sent.pathname),
        names(sent.search.slice(1)),
        (h) => seen[0].headers.has(h),
      );
      assert.equal(routed, r.operation, what);
      for (const h of OPERATION_TABLE[r.operation].requiredHeaders) {
        assert(seen[0].headers.has(h), `${what}: ${h}`);
      }
    }
  });
}
