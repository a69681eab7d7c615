// An existing BOS client, the official JS SDK (@baiducloud/sdk from npm), runs its everyday calls
// against `serve()` over a real socket. `.ci/run` installs the SDK and sets BOS_JS_SDK_NODE_MODULES;
// locally: `npm install --prefix /tmp/sdk @baiducloud/sdk@1.0.7` and set it to /tmp/sdk/node_modules.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { serve } from "./mod.ts";

const modules = Deno.env.get("BOS_JS_SDK_NODE_MODULES");
let available = false;
if (modules) {
  try {
    available = Deno.statSync(`${modules}/@baiducloud/sdk/package.json`).isFile;
  } catch { /* not installed */ }
}

Deno.test({
  name: available
    ? "the official JS SDK creates a bucket, puts, gets, lists, appends, uploads multipart, copies with conditions and deletes"
    : "the official JS SDK end-to-end (skipped: set BOS_JS_SDK_NODE_MODULES to a node_modules with @baiducloud/sdk)",
  ignore: !available,
  async fn() {
    const ak = "sdk-ak";
    const sk = "sdk-sk-" + crypto.randomUUID();
    const server = await serve({
      hostname: "127.0.0.1",
      port: 0,
      credentials: [{ accessKeyId: ak, secretAccessKey: sk }],
    });
    try {
      const script = fileURLToPath(new URL("./testdata/official_js_sdk.cjs", import.meta.url));
      const out = await new Deno.Command("node", {
        args: [script, server.url, ak, sk],
        env: { NODE_PATH: modules! },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stdout = new TextDecoder().decode(out.stdout);
      assert(out.success, `the SDK script failed:\n${stdout}\n${new TextDecoder().decode(out.stderr)}`);
      assert.equal(stdout.trim().split("\n").filter((l) => l.startsWith("ok ")).length, 8, stdout);
    } finally {
      await server.close();
    }
  },
});
