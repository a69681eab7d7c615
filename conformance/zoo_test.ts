import assert from "node:assert/strict";
import { createHandler } from "../server/mod.ts";
import { type Handler, ZOO as AREA_ZOO } from "./_zoo.ts";
import { DATA_ZOO } from "./_zoo_data.ts";
import { PROTO_ZOO } from "./_zoo_proto.ts";
import { READS_ZOO } from "./_zoo_reads.ts";
import { WIRE_ZOO } from "./_zoo_wire.ts";
import { randomCredentials, runConformance } from "./mod.ts";

const SEED = Number(Deno.env.get("ZOO_SEED") ?? 20261124);
const ZOO = [...AREA_ZOO, ...DATA_ZOO, ...PROTO_ZOO, ...READS_ZOO, ...WIRE_ZOO];

function stsCredentials() {
  return { ...randomCredentials(), sessionToken: "zoo/" + crypto.randomUUID() + "+=" };
}

for (const entry of ZOO) {
  Deno.test(`zoo: ${entry.name} (${entry.description}) fails ${entry.expectFailing.join(", ")}`, async () => {
    const credentials = entry.sessionToken ? stsCredentials() : randomCredentials();
    const report = await runConformance({
      handler: entry.make(credentials),
      credentials,
      only: entry.expectFailing,
      seed: SEED,
    });
    for (const id of entry.expectFailing) {
      const r = report.results.find((x) => x.id === id);
      assert(r, `check ${id} did not run`);
      assert.equal(r.status, "FAIL", `${entry.name} should fail ${id}, got ${r.status}`);
      assert(r.replay?.includes(`--only ${id}`), "a failure carries a replay command");
    }
  });
}

Deno.test("zoo: the zoo holds at least 15 broken endpoints with distinct names", () => {
  assert(ZOO.length >= 15);
  assert.equal(new Set(ZOO.map((z) => z.name)).size, ZOO.length);
});

Deno.test("zoo: the unbroken reference handler passes every check", async () => {
  const credentials = randomCredentials();
  const report = await runConformance({
    handler: createHandler({ credentials: [credentials] }),
    credentials,
    seed: SEED,
  });
  const failed = report.results.filter((r) => r.status === "FAIL").map((r) => `${r.id}: ${r.message}`);
  assert.deepEqual(failed, []);
  assert.equal(report.summary.fail, 0);
});

Deno.test("zoo: a pass-through wrapper (request rebuilt, re-signed) passes every check", async () => {
  const credentials = randomCredentials();
  // The zoo's plumbing itself must not break anything: use a wrapper that changes nothing.
  const identity = ZOO.find((z) => z.name === "copy-if-match-ignored")!;
  const handler: Handler = identity.make(credentials);
  const report = await runConformance({
    handler,
    credentials,
    seed: SEED,
    // The wrapper drops x-bce-copy-source-if-match: the laws aimed at that fail (CopyObject's and
    // UploadPartCopy's), and so does the model suite.
    skip: ["copy.if-match-failure-is-412", "copy.upload-part-copy-honours-conditions", "model"],
  });
  const failed = report.results.filter((r) => r.status === "FAIL").map((r) => `${r.id}: ${r.message}`);
  assert.deepEqual(failed, []);
});

Deno.test("zoo: the unbroken reference handler passes the session-token checks with temporary credentials", async () => {
  const credentials = stsCredentials();
  const report = await runConformance({
    handler: createHandler({ credentials: [credentials] }),
    credentials,
    only: ["signing.session-token-accepted", "signing.session-token-required"],
    seed: SEED,
  });
  assert.deepEqual(report.results.map((r) => [r.id, r.status]), [
    ["signing.session-token-accepted", "PASS"],
    ["signing.session-token-required", "PASS"],
  ]);
});
