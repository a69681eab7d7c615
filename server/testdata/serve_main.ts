// Starts the reference server in this runtime and prints one JSON line of URLs: `serve` (what
// `serve()` picks) and, under Bun, `native` (the handler given to `Bun.serve` directly). Runs until
// stdin closes. server/socket_test.ts runs it under Node and Bun (bundled) to probe the sockets with
// raw HTTP.
import process from "node:process";
import { createHandler, serve } from "../mod.ts";

// deno-lint-ignore no-explicit-any
const g = globalThis as any;
const server = await serve({ port: 0 });
const urls: Record<string, string> = { serve: server.url };
let native: { stop(force?: boolean): unknown } | undefined;
const handler = createHandler();
if (g.Bun) {
  native = g.Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: handler, idleTimeout: 0 });
  urls.native = `http://127.0.0.1:${(native as unknown as { port: number }).port}`;
}
console.log(JSON.stringify(urls));
process.stdin.resume();
process.stdin.on("end", async () => {
  await server.close();
  await handler.close();
  native?.stop(true);
  process.exit(0);
});
