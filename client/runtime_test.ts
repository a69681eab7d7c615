// Runs client/testdata/runtime_smoke.ts under Node (and Bun when available) against the reference
// server: the client is bundled with `deno bundle` (Node does not strip types) and executed there.
import assert from "node:assert/strict";
import { startHttpServer } from "./testdata/harness.ts";

async function has(cmd: string): Promise<boolean> {
  try {
    const out = await new Deno.Command(cmd, { args: ["--version"], stdout: "null", stderr: "null" }).output();
    return out.success;
  } catch {
    return false;
  }
}

// `.ci/run` installs Bun from npm and exports BUN; locally, set BUN or install it in node_modules.
const BUN = Deno.env.get("BUN") ?? "node_modules/.bin/bun";
const runtimes: [string, string][] = [];
if (await has("node")) runtimes.push(["Node", "node"]);
if (await has(BUN)) runtimes.push(["Bun", BUN]);
else {
  Deno.test({
    name: "runtime: the bundled client passes the smoke script under Bun (no bun binary: set BUN)",
    ignore: true,
    fn() {},
  });
}

let bundle: Promise<string> | undefined;
function bundled(): Promise<string> {
  bundle ??= (async () => {
    const dir = await Deno.makeTempDir();
    const out = `${dir}/smoke.mjs`;
    const r = await new Deno.Command(Deno.execPath(), {
      args: [
        "bundle",
        "--platform",
        "deno",
        "-o",
        out,
        new URL("./testdata/runtime_smoke.ts", import.meta.url).pathname,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert(r.success, new TextDecoder().decode(r.stderr));
    return out;
  })();
  return bundle;
}

for (const [name, cmd] of runtimes) {
  Deno.test(`runtime: the bundled client passes the smoke script under ${name}`, async () => {
    const file = await bundled();
    const s = await startHttpServer();
    try {
      const r = await new Deno.Command(cmd, { args: [file, s.url], stdout: "piped", stderr: "piped" })
        .output();
      const out = new TextDecoder().decode(r.stdout);
      assert(r.success, `${name} failed:\n${out}\n${new TextDecoder().decode(r.stderr)}`);
      const report = JSON.parse(out.trim().split("\n").at(-1)!);
      assert.equal(report.ok, true);
      assert.equal(report.streamingUploads, true, `${name} streams request bodies with Content-Length`);
      assert(report.progressEvents > 4, "byte-level progress, not per part");
    } finally {
      await s.close();
    }
  });
}

Deno.test("runtime: the smoke script passes under Deno from source", async () => {
  const s = await startHttpServer();
  try {
    const r = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", new URL("./testdata/runtime_smoke.ts", import.meta.url).pathname, s.url],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const out = new TextDecoder().decode(r.stdout);
    assert(r.success, new TextDecoder().decode(r.stderr));
    const report = JSON.parse(out.trim().split("\n").at(-1)!);
    assert.equal(report.ok, true);
    assert.equal(report.streamingUploads, true, "Deno streams request bodies through node:http");
    assert(report.progressEvents > 4, "byte-level progress, not per part");
  } finally {
    await s.close();
  }
});
