// Conditional copy: CopyObject only if the source is still the version you expect (x-bce-copy-source-if-*).
// Run: deno run -A examples/conditional_copy.ts   (a refused copy is a BosError 412 PreconditionFailed)
import { BosError, type CopyObjectOptions } from "../mod.ts";
import { exampleEnv } from "./_endpoint.ts";

const { client, bucket, close } = await exampleEnv();
const source = "examples/copy/config.json";
const target = "examples/copy/config.backup.json";
try {
  const stale = await client.putObject(bucket, source, '{"version":1}');
  await client.putObject(bucket, source, '{"version":2}'); // someone changed the source meanwhile
  const current = await client.headObject(bucket, source);
  const hourAgo = new Date(Date.now() - 3600_000);
  console.log("stale etag", stale.etag, "current etag", current.etag);

  const attempts: [string, CopyObjectOptions][] = [
    ["if-match the current ETag", { ifMatch: current.etag }],
    ["if-match a stale ETag", { ifMatch: stale.etag }],
    ["if-none-match the current ETag", { ifNoneMatch: current.etag }],
    ["if-none-match a stale ETag", { ifNoneMatch: stale.etag }],
    ["if-unmodified-since its Last-Modified", { ifUnmodifiedSince: current.lastModified }],
    ["if-unmodified-since an hour ago", { ifUnmodifiedSince: hourAgo }],
    ["if-modified-since an hour ago", { ifModifiedSince: hourAgo }],
    ["if-modified-since its Last-Modified", { ifModifiedSince: current.lastModified }],
  ];
  for (const [label, condition] of attempts) {
    try {
      const copy = await client.copyObject(bucket, source, bucket, target, condition);
      console.log(`${label}: copied, etag ${copy.etag}`);
    } catch (e) {
      if (!(e instanceof BosError && e.code === "PreconditionFailed")) throw e;
      console.log(`${label}: refused, ${e.status} ${e.code}`);
    }
  }
} finally {
  await client.deleteObjects(bucket, [source, target]).catch(() => {});
  await close();
}
