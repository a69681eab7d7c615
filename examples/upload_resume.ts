// A multipart upload of a stream with byte progress, interrupted at ~40% and resumed from its
// checkpoint; the result is checked by MD5 against the source.
// Run: deno run -A examples/upload_resume.ts
import { hash, toHex, type UploadCheckpoint } from "../mod.ts";
import { exampleEnv } from "./_endpoint.ts";

const SIZE = 24 * 1024 * 1024;
const data = new Uint8Array(SIZE);
for (let i = 0; i < SIZE; i += 65536) crypto.getRandomValues(data.subarray(i, i + 65536));

const { client, bucket, close } = await exampleEnv();
try {
  let checkpoint: UploadCheckpoint | undefined;
  const stop = new AbortController();
  try {
    await client.upload(bucket, "big.bin", data, {
      partSize: 2 * 1024 * 1024,
      concurrency: 2,
      onCheckpoint: (cp) => void (checkpoint = structuredClone(cp)), // save it to disk in real code
      onProgress: ({ transferred, total }) => {
        if (transferred >= SIZE * 0.4) stop.abort(new Error("simulated crash"));
        void total;
      },
      signal: stop.signal,
    });
  } catch (e) {
    console.log("interrupted:", (e as Error).message);
  }
  console.log("parts done before the interruption:", checkpoint?.parts.length);

  let resumedBytes = 0;
  const result = await client.upload(bucket, "big.bin", data, {
    partSize: 2 * 1024 * 1024,
    resume: checkpoint,
    onProgress: ({ increment }) => void (resumedBytes += increment),
  });
  console.log("completed, etag", result.etag);

  const downloaded = await (await client.getObject(bucket, "big.bin")).bytes();
  const same = toHex(await hash("md5", downloaded)) === toHex(await hash("md5", data));
  console.log("MD5 of the object matches the source:", same);
  if (!same) Deno.exit(1);
} finally {
  await close();
}
