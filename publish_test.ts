// What `deno publish` ships: the library and its docs, never test helpers, deliberately broken
// servers (the conformance zoo), recorded SDK fixtures, benchmarks, examples or lock files — read
// from the file list `deno publish --dry-run` prints.
import assert from "node:assert/strict";

Deno.test("publish: the dry run ships the entry points and no test helper, zoo, fixture recording or lock file", async () => {
  const root = new URL(".", import.meta.url);
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["publish", "--dry-run", "--allow-dirty"],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  assert(out.success, text);
  const shipped = [...text.matchAll(/file:\/\/(\S+)/g)].map((m) => m[1].slice(root.pathname.length));
  assert(shipped.length > 20, "the dry run lists its files");
  for (
    const entry of [
      "mod.ts",
      "server/mod.ts",
      "conformance/mod.ts",
      "protocol/mod.ts",
      "README.md",
      "LICENSE",
    ]
  ) {
    assert(shipped.includes(entry), `${entry} is published`);
  }
  const unwanted = shipped.filter((f) =>
    /_test\.ts$|(^|\/)testdata\/|_test_util\.ts$|_zoo\.ts$|(^|\/)deno\.lock$|^\.git|^bench\/|^examples\/|^fixtures\/operations\/|^\.ci\//
      .test(f)
  );
  assert.deepEqual(unwanted, [], "publish.exclude in deno.json must leave these out");
});
