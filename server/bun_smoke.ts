/**
 * Bun smoke run: starts the reference handler with `Bun.serve` and does a signed put/get.
 * Run with `bun run server/bun_smoke.ts`; prints `bun smoke ok` and exits 0 on success.
 *
 * @module
 */
import { createAuthorization, formatTimestamp } from "../client/signer.ts";
import { createHandler, LOCAL_CREDENTIALS } from "./mod.ts";

interface BunLike {
  serve(options: { hostname: string; port: number; fetch: (req: Request) => Promise<Response> }): {
    port: number;
    stop(force?: boolean): unknown;
  };
}

const Bun = (globalThis as unknown as { Bun?: BunLike }).Bun;
if (!Bun) throw new Error("bun_smoke.ts must run under Bun");

const handler = createHandler();
const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: handler });
const host = `127.0.0.1:${server.port}`;

async function call(method: string, path: string, body?: string): Promise<Response> {
  const timestamp = new Date();
  const headers = new Headers({ host, "x-bce-date": formatTimestamp(timestamp) });
  if (body !== undefined) headers.set("content-length", String(new TextEncoder().encode(body).byteLength));
  headers.set(
    "authorization",
    await createAuthorization({ ...LOCAL_CREDENTIALS, method, path, headers, timestamp }),
  );
  headers.delete("host");
  return await fetch(`http://${host}${path}`, { method, headers, body });
}

try {
  const mk = await call("PUT", "/bun-bucket");
  if (mk.status !== 200) throw new Error(`PutBucket answered ${mk.status}: ${await mk.text()}`);
  const put = await call("PUT", "/bun-bucket/hello.txt", "hello from bun");
  if (put.status !== 200) throw new Error(`PutObject answered ${put.status}: ${await put.text()}`);
  const get = await call("GET", "/bun-bucket/hello.txt");
  const text = await get.text();
  if (get.status !== 200 || text !== "hello from bun") {
    throw new Error(`GetObject answered ${get.status}: ${text}`);
  }
  console.log("bun smoke ok");
} finally {
  server.stop(true);
  await handler.close();
}
