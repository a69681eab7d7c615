// A separate process that uploads a file with checkpoints, for the crash/resume test.
// Usage: deno run -A upload_file.ts <endpoint> <bucket> <key> <file> <checkpoint.json> [resume]
// Prints `progress <transferred> <total>` lines, `checkpoint <parts>` after each saved checkpoint,
// and at the end `done <etag> <uploadPartRequests>`.
import { BosClient, type FetchLike, type UploadCheckpoint } from "../../mod.ts";
import { LOCAL_CREDENTIALS } from "../../server/mod.ts";

const [endpoint, bucket, key, file, checkpointPath, mode] = Deno.args;
let uploadParts = 0;
const counting: FetchLike = (input, init) => {
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  if ((init?.method ?? "GET") === "PUT" && /[?&]partNumber=/.test(url)) uploadParts++;
  return fetch(input, init);
};
const client = new BosClient({ endpoint, credentials: LOCAL_CREDENTIALS, fetch: counting });
const resume = mode === "resume"
  ? JSON.parse(await Deno.readTextFile(checkpointPath)) as UploadCheckpoint
  : undefined;

const result = await client.uploadFile(bucket, key, file, {
  partSize: 4 * 1024 * 1024,
  concurrency: 2,
  resume,
  onProgress: ({ transferred, total }) => console.log(`progress ${transferred} ${total}`),
  onCheckpoint: async (cp) => {
    // Written atomically, as an application should: a crash never leaves half a checkpoint.
    await Deno.writeTextFile(checkpointPath + ".tmp", JSON.stringify(cp));
    await Deno.rename(checkpointPath + ".tmp", checkpointPath);
    console.log(`checkpoint ${cp.parts.length}`);
  },
});
console.log(`done ${result.etag} ${uploadParts}`);
