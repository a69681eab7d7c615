// Where the examples run: a real BOS-compatible endpoint when BOS_ENDPOINT is set (with BOS_AK,
// BOS_SK and BOS_BUCKET), otherwise the reference server started in-process on a free port.
import { BosClient } from "../mod.ts";
import { LOCAL_CREDENTIALS, serve } from "../server/mod.ts";

export interface ExampleEnv {
  client: BosClient;
  bucket: string;
  close(): Promise<void>;
}

export async function exampleEnv(): Promise<ExampleEnv> {
  const endpoint = Deno.env.get("BOS_ENDPOINT");
  if (endpoint) {
    const bucket = Deno.env.get("BOS_BUCKET");
    if (!bucket) throw new Error("Set BOS_BUCKET along with BOS_ENDPOINT");
    const client = new BosClient({
      endpoint,
      credentials: {
        accessKeyId: Deno.env.get("BOS_AK") ?? "",
        secretAccessKey: Deno.env.get("BOS_SK") ?? "",
      },
    });
    return { client, bucket, close: async () => {} };
  }
  const server = await serve({ hostname: "127.0.0.1", port: 0 });
  const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
  const bucket = "examples-" + crypto.randomUUID().slice(0, 8);
  await client.createBucket(bucket);
  return { client, bucket, close: () => server.close() };
}
