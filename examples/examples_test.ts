// Every example runs to completion against the embedded reference server and prints what it promises.
import assert from "node:assert/strict";

const cases: [string, RegExp[]][] = [
  ["quickstart.ts", [
    /author 张三/,
    /first five bytes: Hello/,
    /presigned GET: Hello, BOS!/,
    /after delete: 404 NoSuchKey/,
  ]],
  ["upload_resume.ts", [
    /interrupted: The operation was aborted: simulated crash/,
    /MD5 of the object matches the source: true/,
  ]],
  ["append_log.ts", [/object type Appendable/, /stopped$/m]],
];

for (const [file, expected] of cases) {
  Deno.test(`example ${file} runs and prints its results`, async () => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", new URL(file, import.meta.url).pathname],
      stdout: "piped",
      stderr: "piped",
      env: { BOS_ENDPOINT: "" },
    }).output();
    const stdout = new TextDecoder().decode(out.stdout);
    assert(out.success, `${file} failed:\n${stdout}\n${new TextDecoder().decode(out.stderr)}`);
    for (const re of expected) assert.match(stdout, re);
  });
}
