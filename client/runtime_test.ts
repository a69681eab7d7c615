// The runtime matrix: client/testdata/runtime_integration.ts starts the reference server in its own
// runtime with `serve()` and drives it with BosClient (put, get/head, multipart with progress, abort +
// resume, listing, copy, append, retries, files, delete) on the memory and the filesystem store. It runs
// under Deno from source, and under Node and Bun as one `deno bundle` output (Node does not strip types).
// `.ci/run` installs Bun from npm, exports BUN and sets BOSKIT_REQUIRE_RUNTIMES=1, which turns a missing
// node or bun into a failure instead of a skipped test.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const config = fileURLToPath(new URL("../deno.json", import.meta.url));
const script = fileURLToPath(new URL("./testdata/runtime_integration.ts", import.meta.url));
const required = Deno.env.get("BOSKIT_REQUIRE_RUNTIMES") === "1";
// A run takes a few seconds; one that does not end means close() left a handle open.
const RUN_TIMEOUT_MS = 120_000;

const STEPS = [
  "createBucket",
  "putObject",
  "getObject+headObject",
  "putObject over 128 MiB",
  "upload multipart with progress",
  "upload abort + resume",
  "listObjects pagination",
  "copyObject with if-match",
  "appendObject + appender",
  "retries after injected faults, abort of a failed upload",
  "uploadFile + downloadFile",
  "client-side validation",
  "connection failures name the endpoint and the reason",
  "deleteObject + deleteObjects + deleteBucket",
];

async function works(cmd: string): Promise<boolean> {
  try {
    const out = await new Deno.Command(cmd, { args: ["--version"], stdout: "null", stderr: "null" }).output();
    return out.success;
  } catch {
    return false;
  }
}

/** The first command of `candidates` that runs, or undefined. */
async function find(candidates: (string | undefined)[]): Promise<string | undefined> {
  for (const c of candidates) {
    if (c && (!c.includes("/") || existsSync(c)) && await works(c)) return c;
  }
  return undefined;
}

const node = await find([Deno.env.get("NODE"), "node"]);
// `.ci/run` installs Bun into .ci/.tools/bun and exports BUN; locally, set BUN or install it there.
const bun = await find([
  Deno.env.get("BUN"),
  `${root}.ci/.tools/bun/node_modules/.bin/bun`,
  `${root}node_modules/.bin/bun`,
  "bun",
]);

let bundle: Promise<string> | undefined;
/** Bundles the script once; `--platform deno` keeps `node:` imports external, which Node and Bun resolve. */
function bundled(): Promise<string> {
  bundle ??= (async () => {
    const dir = await Deno.makeTempDir({ prefix: "boskit-runtime-" });
    globalThis.addEventListener("unload", () => {
      try {
        Deno.removeSync(dir, { recursive: true });
      } catch { /* already gone */ }
    });
    const out = `${dir}/runtime_integration.mjs`;
    const r = await new Deno.Command(Deno.execPath(), {
      args: ["bundle", "--config", config, "--platform", "deno", "-o", out, script],
      cwd: root,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert(r.success, `deno bundle failed:\n${new TextDecoder().decode(r.stderr)}`);
    return out;
  })();
  return bundle;
}

interface Report {
  ok: boolean;
  runtime: { name: string; version: string; server: string };
  stores: string[];
  steps: string[];
  streamingUploads: boolean;
  progressEvents: number;
  truncatedBodyFailsRead: boolean;
  ms: number;
}

async function run(cmd: string, args: string[], label: string): Promise<Report> {
  const r = await new Deno.Command(cmd, {
    args,
    cwd: root,
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(RUN_TIMEOUT_MS),
  }).output();
  const out = new TextDecoder().decode(r.stdout);
  const err = new TextDecoder().decode(r.stderr);
  const how = r.signal ? `was killed (${r.signal}; over ${RUN_TIMEOUT_MS} ms?)` : `exited with ${r.code}`;
  assert(r.success, `${label} ${how}:\n${out}\n${err}`);
  const last = out.trim().split("\n").at(-1) ?? "";
  let report: Report;
  try {
    report = JSON.parse(last);
  } catch {
    assert.fail(`${label} did not end with a JSON line:\n${out}\n${err}`);
  }
  return report;
}

function checkReport(report: Report, runtime: string, server: string): void {
  assert.equal(report.ok, true);
  assert.equal(report.runtime.name, runtime);
  assert.equal(report.runtime.server, server, `serve() uses ${server} under ${runtime}`);
  assert.deepEqual(report.stores, ["memory", "fs"], "the whole script ran on both stores");
  assert.deepEqual(report.steps, STEPS);
  assert.equal(report.streamingUploads, true, "request bodies are streamed with a Content-Length");
  assert(report.progressEvents > 4, `byte-level progress, not per part (${report.progressEvents} events)`);
  assert.equal(report.truncatedBodyFailsRead, true, "a cut-off body fails the read");
}

Deno.test("runtime: under Deno (from source), serve() on node:http passes the client integration script on both stores", async () => {
  const report = await run(Deno.execPath(), ["run", "-A", "--config", config, script], "Deno");
  checkReport(report, "deno", "node:http");
});

const matrix: { name: string; runtime: string; server: string; cmd: string | undefined; hint: string }[] = [
  { name: "Node", runtime: "node", server: "node:http", cmd: node, hint: "node on PATH or NODE" },
  {
    name: "Bun",
    runtime: "bun",
    server: "node:http",
    cmd: bun,
    hint:
      "BUN, or `npm install --prefix .ci/.tools/bun bun@1.4.5` + `node node_modules/bun/install.js` there",
  },
];

for (const { name, runtime, server, cmd, hint } of matrix) {
  const title =
    `runtime: under ${name} (bundled), serve() on ${server} passes the client integration script on both stores`;
  if (cmd === undefined && !required) {
    Deno.test({ name: `${title} (skipped: no ${runtime} binary; ${hint})`, ignore: true, fn() {} });
    continue;
  }
  Deno.test(title, async () => {
    assert(cmd, `BOSKIT_REQUIRE_RUNTIMES=1 but no ${runtime} binary was found (${hint})`);
    const report = await run(cmd, [await bundled()], name);
    checkReport(report, runtime, server);
    if (runtime === "node") {
      assert(Number(report.runtime.version.split(".")[0]) >= 20, `Node 20+, got ${report.runtime.version}`);
    }
  });
}
