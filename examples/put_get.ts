// Put an object with a content type and UTF-8 user metadata; read back its metadata, body and a range.
// Run: deno run -A examples/put_get.ts   (embedded reference server; BOS_ENDPOINT etc. for a real one)
import { BosError } from "../mod.ts";
import { exampleEnv } from "./_endpoint.ts";

const { client, bucket, close } = await exampleEnv();
const key = "examples/put-get/hello.txt";
try {
  const put = await client.putObject(bucket, key, "Hello, BOS!\n", {
    contentType: "text/plain; charset=utf-8",
    userMeta: { author: "张三", reviewed: "yes" }, // sent as x-bce-meta-*; the 2 KB budget is checked first
  });
  console.log("put etag", put.etag);

  const meta = await client.headObject(bucket, key);
  console.log(
    "size",
    meta.contentLength,
    "type",
    meta.contentType,
    "metadata",
    JSON.stringify(meta.userMeta),
  );

  const whole = await client.getObject(bucket, key);
  console.log("body:", JSON.stringify(await whole.text()), "author", whole.userMeta.author);

  const part = await client.getObject(bucket, key, { range: { start: 0, end: 4 } });
  console.log("bytes 0-4:", await part.text(), "status", part.status, "of", part.contentRange?.total);

  await client.deleteObject(bucket, key);
  await client.headObject(bucket, key).catch((e) => {
    if (e instanceof BosError) console.log("after delete:", e.status, e.code);
  });
} finally {
  await client.deleteObject(bucket, key).catch(() => {}); // if something above failed
  await close();
}
