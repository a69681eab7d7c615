import assert from "node:assert/strict";

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("./cli.ts", import.meta.url).pathname, ...args],
    stdout: "piped",
    stderr: "piped",
    env: { BOS_AK: "", BOS_SK: "" },
  }).output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

Deno.test("cli: usage errors exit 2 with a clear message", async () => {
  for (
    const [args, message] of [
      [["--only", "no-such-check"], /Unknown check or suite "no-such-check"/],
      [["--reporter", "xml"], /--reporter must be one of pretty, json, junit/],
      [["--num-runs", "0"], /--num-runs must be an integer ≥ 1/],
      [["--endpoint", "http://127.0.0.1:9"], /needs credentials/],
      [["--path", "1:2"], /--path needs --seed/],
      [["--bogus"], /Unknown option/],
      [["--max-object-size", "12Q"], /--max-object-size must be a size of at least 1024 bytes/],
      [["--max-object-size", "10"], /--max-object-size must be a size/],
    ] as Array<[string[], RegExp]>
  ) {
    const r = await cli(...args);
    assert.equal(r.code, 2, args.join(" "));
    assert.match(r.stderr, message);
  }
});

Deno.test("cli: --list prints every check with its law", async () => {
  const r = await cli("--list");
  assert.equal(r.code, 0);
  assert.match(r.stdout, /pagination.concatenated-pages-equal-model \(property\)\n {4}\S/);
  assert.match(r.stdout, /signing.vectors-reproduced-by-project-signer \(example, local\)/);
  assert.match(r.stdout, /model.objects-match-model \(property\)\n {4}\S/);
});

Deno.test("cli: a selected run against the embedded server exits 0 and the json reporter prints one object per check", async () => {
  const r = await cli("--only", "objects.etag-is-md5,errors", "--reporter", "json", "--seed", "7");
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
  assert(lines.length >= 2);
  assert(lines.every((l) => l.status === "PASS"));
  assert.equal(lines.find((l) => l.name === "objects.etag-is-md5").seed, 7);
});
