// The conformance kit from code: choose checks, read the report (counts, findings, failures), save its JSON.
// Run: deno run -A examples/conformance_from_code.ts   (against BOS_ENDPOINT, or the embedded server)
import { formatJson, type Report, runConformance } from "../conformance/mod.ts";
import { makeProfile } from "../mod.ts";
import { createHandler, LOCAL_CREDENTIALS } from "../server/mod.ts";
import { exampleEnv } from "./_endpoint.ts";

function summarize(title: string, report: Report) {
  const { pass, fail, skip } = report.summary;
  console.log(
    `${title}: ${pass} passed, ${fail} failed, ${skip} skipped`,
    `(${report.requestCount} requests, seed ${report.seed})`,
  );
  for (const f of report.findings) console.log(`  measured ${f.name} = ${f.value} (${f.check})`);
  for (const r of report.results.filter((r) => r.status === "FAIL")) {
    console.log(`  FAIL ${r.id}${r.seed === undefined ? "" : ` (seed ${r.seed})`}: ${r.message}`);
    if (r.counterexample) console.log(`    counterexample: ${r.counterexample.slice(0, 100)}…`);
    if (r.replay) console.log(`    replay: ${r.replay}`);
  }
}

const env = await exampleEnv();
try {
  const report = await runConformance({
    endpoint: env.endpoint,
    credentials: env.credentials,
    bucket: env.bucket, // the kit works under a run prefix and deletes what it created
    only: ["pagination", "copy", "metadata"], // suites, check ids or id prefixes
    numRuns: 10, // per property; the default is larger
    seed: 42, // reproducible
  });
  summarize(env.embedded ? "reference server" : env.endpoint, report);

  const file = await Deno.makeTempFile({ prefix: "conformance-", suffix: ".jsonl" });
  await Deno.writeTextFile(file, formatJson(report)); // JSON lines: the run record, then one line per check
  const [run, ...checks] = (await Deno.readTextFile(file)).trim().split("\n").map((line) => JSON.parse(line));
  console.log(
    `JSON report: the run (status ${run.status}, seed ${run.seed}, probe: ${run.probe.diagnosis}),`,
    `then ${checks.length} checks; the first:`,
    JSON.stringify(checks[0]).slice(0, 120),
  );
  await Deno.remove(file);
} finally {
  await env.close();
}

// What a failure looks like: the reference server with a metadata limit one byte too generous.
const broken = createHandler({ profile: makeProfile({ maxUserMetadataSize: 2049 }) });
const failing = await runConformance({
  handler: broken,
  credentials: LOCAL_CREDENTIALS,
  only: ["metadata"],
  seed: 42,
});
summarize("a server that accepts 2049 bytes of metadata", failing);
await broken.close();
