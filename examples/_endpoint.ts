// Where the examples run: a real BOS-compatible endpoint when BOS_ENDPOINT is set (with BOS_AK,
// BOS_SK and BOS_BUCKET), otherwise the reference server started in-process on a free port.
import { BosClient, type Credentials, type FetchLike } from "../mod.ts";
import { LOCAL_CREDENTIALS, serve } from "../server/mod.ts";

export interface ExampleEnvOptions {
  /**
   * Keep the embedded server's data in this directory (filesystem store) and use a fixed bucket, so
   * that a second run of the program sees what the first one left. Ignored with BOS_ENDPOINT.
   */
  dataDir?: string;
  /** The `fetch` the client uses (default the global one). */
  fetch?: FetchLike;
}

export interface ExampleEnv {
  client: BosClient;
  bucket: string;
  endpoint: string;
  credentials: Credentials;
  /** Whether this is the in-process reference server (nothing outlives the process unless `dataDir`). */
  embedded: boolean;
  close(): Promise<void>;
}

export async function exampleEnv(options: ExampleEnvOptions = {}): Promise<ExampleEnv> {
  const endpoint = Deno.env.get("BOS_ENDPOINT");
  if (endpoint) {
    const bucket = Deno.env.get("BOS_BUCKET");
    if (!bucket) throw new Error("Set BOS_BUCKET along with BOS_ENDPOINT");
    const credentials = {
      accessKeyId: Deno.env.get("BOS_AK") ?? "",
      secretAccessKey: Deno.env.get("BOS_SK") ?? "",
    };
    const client = new BosClient({ endpoint, credentials, fetch: options.fetch });
    return { client, bucket, endpoint, credentials, embedded: false, close: async () => {} };
  }
  const server = await serve({ hostname: "127.0.0.1", port: 0, dataDir: options.dataDir });
  const credentials = { ...LOCAL_CREDENTIALS };
  const client = new BosClient({ endpoint: server.url, credentials, fetch: options.fetch });
  const bucket = options.dataDir ? "boskit-examples" : "examples-" + crypto.randomUUID().slice(0, 8);
  await client.headBucket(bucket).catch(() => client.createBucket(bucket));
  return { client, bucket, endpoint: server.url, credentials, embedded: true, close: () => server.close() };
}
