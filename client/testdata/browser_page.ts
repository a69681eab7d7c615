// The page of the browser test (client/browser_test.ts), bundled for the browser platform and served
// from another origin than the reference server: it drives BosClient as a web app would and returns
// what it saw for the test to check. Configuration comes from the query string.
import { BosClient, BosError, type ProgressEvent } from "../../mod.ts";

const params = new URLSearchParams(location.search);
const endpoint = params.get("endpoint")!;
const bucket = params.get("bucket")!;
const hidden = params.get("hidden")!;

/** The rule a web app needs: its origin, every method, the headers the client sends, and exposed headers. */
const RULE = {
  allowedOrigins: [location.origin],
  allowedMethods: ["GET", "PUT", "DELETE", "POST", "HEAD"] as ("GET" | "PUT" | "DELETE" | "POST" | "HEAD")[],
  allowedHeaders: [
    "authorization",
    "content-type",
    "content-md5",
    "x-bce-*",
    "range",
    "if-match",
    "if-none-match",
  ],
  allowedExposeHeaders: [
    "ETag",
    "Content-Range",
    "Content-MD5",
    "x-bce-request-id",
    "x-bce-debug-id",
    "x-bce-next-append-offset",
    "x-bce-object-type",
    "x-bce-storage-class",
    "x-bce-content-crc32",
    "x-bce-error-code",
    "x-bce-error-message",
    "x-bce-meta-*",
  ],
  maxAgeSeconds: 60,
};

async function run(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const client = new BosClient({
    endpoint,
    credentials: { accessKeyId: "boskit-local-ak", secretAccessKey: "boskit-local-sk" },
    retry: { maxAttempts: 2 },
  });
  out.streamingUploads = client.streamingUploads;
  await client.createBucket(bucket);
  await client.putBucketCors(bucket, [RULE]);
  out.rules = await client.getBucketCors(bucket);

  const put = await client.putObject(bucket, "notes/hello.txt", "Hello, browser", {
    contentType: "text/plain",
    userMeta: { author: "Zoë" },
  });
  out.putEtag = put.etag;
  const whole = await client.getObject(bucket, "notes/hello.txt");
  out.wholeText = await whole.text();
  out.wholeStatus = whole.status;
  // A HEAD right after a GET: must come from the server with the metadata (no cached 304).
  const head = await client.headObject(bucket, "notes/hello.txt");
  out.head = {
    etag: head.etag,
    contentLength: head.contentLength,
    author: head.userMeta.author,
    cacheControl: head.cacheControl ?? null,
    requestId: head.requestId ?? null,
  };
  const range = await client.getObject(bucket, "notes/hello.txt", { range: { start: 0, end: 4 } });
  out.range = { text: await range.text(), status: range.status, contentRange: range.contentRange };
  // Overwrite, then read again: the new bytes, not a cached copy.
  await client.putObject(bucket, "notes/hello.txt", "Hello again", { contentType: "text/plain" });
  const again = await client.getObject(bucket, "notes/hello.txt");
  out.afterOverwrite = await again.text();
  out.afterOverwriteMeta = (await client.headObject(bucket, "notes/hello.txt")).userMeta;
  out.json = await (await (async () => {
    await client.putObject(bucket, "data.json", JSON.stringify({ a: 1 }), {
      contentType: "application/json",
    });
    return client.getObject(bucket, "data.json");
  })()).json();
  const blob = await (await client.getObject(bucket, "data.json")).blob();
  out.blobType = blob.type;

  // Multipart upload of a Blob of three parts, with progress.
  const size = 300 * 1024 + 123;
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + 7) & 0xff;
  const events: ProgressEvent[] = [];
  const up = await client.upload(bucket, "big/blob.bin", new Blob([bytes]), {
    partSize: 100 * 1024,
    concurrency: 2,
    onProgress: (e) => events.push(e),
  });
  out.upload = {
    multipart: up.multipart,
    partCount: up.partCount,
    size: up.size,
    events: events.length,
    lastTransferred: events.at(-1)?.transferred,
    monotonic: events.every((e, i) => i === 0 || e.transferred > events[i - 1].transferred),
    partial: events.filter((e) => e.transferred % (100 * 1024) !== 0 && e.transferred !== size).length,
  };
  const back = new Uint8Array(await (await client.getObject(bucket, "big/blob.bin")).arrayBuffer());
  out.uploadRoundTrip = back.length === size && back.every((b, i) => b === bytes[i]);

  // A failing multipart upload (the test injects a fault on its part 2) leaves no upload behind.
  const failed = await client.upload(bucket, "fail/blob.bin", new Blob([bytes]), { partSize: 100 * 1024 })
    .then(() => "no error", (e) => (e instanceof BosError ? `${e.status} ${e.code}` : String(e)));
  out.failedUpload = failed;
  const left: string[] = [];
  for await (const u of client.listAllMultipartUploads(bucket)) left.push(u.key);
  out.uploadsLeft = left;

  const listed: string[] = [];
  for await (const o of client.listAllObjects(bucket)) listed.push(o.key);
  out.listed = listed;
  const page = await client.listObjects(bucket, { prefix: "notes/", maxKeys: 10 });
  out.listedPrefix = page.contents.map((o) => o.key);

  // A BOS error is readable cross-origin: its status and code.
  out.missing = await client.getObject(bucket, "no/such/key").then(
    () => "no error",
    (e) => (e instanceof BosError ? `${e.status} ${e.code}` : String(e)),
  );

  // A bucket whose rule exposes no header: the client says which header CORS hides.
  await client.createBucket(hidden);
  await client.putBucketCors(hidden, [{ ...RULE, allowedExposeHeaders: undefined }]);
  out.hiddenPut = await client.putObject(hidden, "x.txt", "x").then(
    () => "no error",
    (e) => (e instanceof BosError ? `${e.code}: ${e.message}` : String(e)),
  );
  await client.deleteObject(hidden, "x.txt");
  await client.deleteBucket(hidden);

  const del = await client.deleteObjects(bucket, ["big/blob.bin", "data.json"]);
  out.deleted = del.deleted;
  await client.deleteObject(bucket, "notes/hello.txt");
  const empty: string[] = [];
  for await (const o of client.listAllObjects(bucket)) empty.push(o.key);
  out.afterDelete = empty;
  return out;
}

(globalThis as unknown as { runBoskit: () => Promise<Record<string, unknown>> }).runBoskit = () =>
  run().catch((e) => ({
    error: e instanceof BosError ? `${e.status} ${e.code}: ${e.message}` : String(e?.stack ?? e),
  }));
(globalThis as unknown as { boskitReady: boolean }).boskitReady = true;
