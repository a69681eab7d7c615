// Log-style writes with AppendObject: the appender tracks the offset for you.
// Run: deno run -A examples/append_log.ts
import { exampleEnv } from "./_endpoint.ts";

const { client, bucket, close } = await exampleEnv();
try {
  const log = client.appender(bucket, "logs/app.log", { contentType: "text/plain" });
  for (const line of ["started", "listening", "stopped"]) {
    await log.append(`${new Date().toISOString()} ${line}\n`);
  }
  const meta = await client.headObject(bucket, "logs/app.log");
  console.log(
    "object type",
    meta.objectType,
    "next append offset",
    meta.nextAppendOffset,
    "= offset",
    log.offset,
  );
  console.log((await (await client.getObject(bucket, "logs/app.log")).text()).trimEnd());
} finally {
  await close();
}
