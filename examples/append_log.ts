// Log-style writes with AppendObject: the appender tracks the next offset for you across appends.
// Run: deno run -A examples/append_log.ts
import { exampleEnv } from "./_endpoint.ts";

const { client, bucket, close } = await exampleEnv();
const key = "examples/append/app.log";
try {
  const log = client.appender(bucket, key, { contentType: "text/plain" }); // the first append creates it
  for (const line of ["started", "listening", "stopped"]) {
    await log.append(`${new Date().toISOString()} ${line}\n`);
  }
  const meta = await client.headObject(bucket, key);
  console.log(
    "object type",
    meta.objectType,
    "next append offset",
    meta.nextAppendOffset,
    "= offset",
    log.offset,
  );
  console.log((await (await client.getObject(bucket, key)).text()).trimEnd());
} finally {
  await client.deleteObject(bucket, key).catch(() => {});
  await close();
}
