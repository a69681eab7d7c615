// Put, read, list, presign and delete: the everyday calls.
// Run: deno run -A examples/quickstart.ts   (against the embedded reference server)
import { BosError } from "../mod.ts";
import { exampleEnv } from "./_endpoint.ts";

const { client, bucket, close } = await exampleEnv();
try {
  const put = await client.putObject(bucket, "docs/hello.txt", "Hello, BOS!\n", {
    contentType: "text/plain",
    userMeta: { author: "张三" },
  });
  console.log("put etag", put.etag);

  const meta = await client.headObject(bucket, "docs/hello.txt");
  console.log("size", meta.contentLength, "type", meta.contentType, "author", meta.userMeta.author);

  const text = await (await client.getObject(bucket, "docs/hello.txt", { range: { start: 0, end: 4 } }))
    .text();
  console.log("first five bytes:", text);

  for await (const o of client.listAllObjects(bucket, { prefix: "docs/" })) {
    console.log("listed", o.key, o.size);
  }

  const url = await client.presignUrl(bucket, "docs/hello.txt", { expirationInSeconds: 60 });
  console.log("presigned GET:", (await (await fetch(url)).text()).trim());

  await client.deleteObject(bucket, "docs/hello.txt");
  try {
    await client.headObject(bucket, "docs/hello.txt");
  } catch (e) {
    if (e instanceof BosError) console.log("after delete:", e.status, e.code);
  }
} finally {
  await close();
}
