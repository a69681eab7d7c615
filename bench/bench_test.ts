// `deno task bench` on a tiny size: every figure is produced, the JSON is complete and the memory
// figure is computed from the fixed part schedule. No timing is asserted (timings belong to the bench).
import assert from "node:assert/strict";

Deno.test("bench: a small run prints all nine figures and writes them as JSON", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const json = `${dir}/bench.json`;
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        new URL("./mod.ts", import.meta.url).pathname,
        "--size",
        "8",
        "--runs",
        "1",
        "--json",
        json,
        // Figure 7 with a short relay delay and two suites: the full figure takes minutes.
        "--relay-ms",
        "2",
        "--relay-only",
        "errors,copy",
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(out.stdout);
    assert(out.success, `bench failed:\n${stdout}\n${new TextDecoder().decode(out.stderr)}`);
    const report = JSON.parse(await Deno.readTextFile(json));
    const figures: { figure: string; ratio: number | null }[] = report.figures;
    const numbers = new Set(figures.map((f) => f.figure.split(".")[0]));
    // Figures 1, 2 and 4 need Node/Bun and the SDK; CI has them, so all nine must be there.
    const need = Deno.env.get("BOSKIT_REQUIRE_RUNTIMES") === "1"
      ? ["1", "2", "3", "4", "5", "6", "7", "8", "9"]
      : ["3", "5", "6", "7", "8", "9"];
    for (const n of need) assert(numbers.has(n), `figure ${n} missing:\n${stdout}`);
    for (const f of figures) if (f.ratio !== null) assert(Number.isFinite(f.ratio) && f.ratio > 0, f.figure);
    assert.equal(report.sizeMiB, 8);
    assert(report.outcomes.every((o: { peakRssMiB: number }) => o.peakRssMiB > 0));
    assert.match(stdout, /figure\s+measured\s+baseline\s+ratio/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
