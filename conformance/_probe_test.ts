import assert from "node:assert/strict";
import { serve } from "../server/mod.ts";
import { listChecks, randomCredentials, runConformance } from "./mod.ts";
import { notBosEndpoints } from "./testdata/endpoints.ts";

Deno.test("probe: an endpoint that answers 200 to everything, one that answers HTML 404s and a closed port are diagnosed, and no check runs", async () => {
  for (const { name, server, diagnosis } of notBosEndpoints()) {
    try {
      const report = await runConformance({
        endpoint: server.url,
        credentials: { accessKeyId: "ak", secretAccessKey: "sk" },
      });
      assert.equal(report.status, "error", name);
      assert.equal(report.probe.ok, false, name);
      assert.match(report.probe.diagnosis, diagnosis, name);
      assert(report.probe.diagnosis.includes(server.url), `${name}: the diagnosis names the endpoint`);
      assert(!report.probe.diagnosis.includes("\n"), `${name}: one line`);
      assert.equal(report.error, report.probe.diagnosis);
      assert.deepEqual(report.results, [], `${name}: no check ran`);
      assert.equal(report.summary.notRun, listChecks().length, `${name}: every check is counted as not run`);
      assert.deepEqual(report.limits, [], `${name}: no limit measured`);
      // Two probe requests at most: nothing created, nothing measured on a server that is not BOS.
      assert(server.requests <= 2, `${name}: ${server.requests} requests`);
      assert.deepEqual(report.leftBehind, []);
    } finally {
      await server.close();
    }
  }
});

Deno.test("probe: refused credentials are named as such (wrong access key, wrong secret), no check runs", async () => {
  const credentials = randomCredentials();
  const server = await serve({ port: 0, hostname: "127.0.0.1", credentials: [credentials] });
  try {
    for (
      const [wrong, code] of [
        [{ ...credentials, accessKeyId: "nobody" }, /InvalidAccessKeyId; check the access key id/],
        [{ ...credentials, secretAccessKey: "wrong" }, /SignatureDoesNotMatch; check the secret key/],
      ] as const
    ) {
      const report = await runConformance({ endpoint: server.url, credentials: wrong });
      assert.equal(report.status, "error");
      assert.equal(report.probe.failed, "credentials");
      assert.match(
        report.probe.diagnosis,
        /does not accept the credentials: ListBuckets \(GET .*\/\) answered 403/,
      );
      assert.match(report.probe.diagnosis, code);
      assert.deepEqual(
        report.probe.steps.map((s) => [s.name, s.ok]),
        [["reachable", true], ["speaks-bos", true], ["credentials", false]],
      );
      assert.equal(report.results.length, 0);
    }
  } finally {
    await server.close();
  }
});

Deno.test("probe: the reference server passes with three steps, and the run record carries the diagnosis", async () => {
  const report = await runConformance({ only: ["errors.missing-bucket-is-no-such-bucket"] });
  assert.equal(report.probe.ok, true);
  assert.deepEqual(report.probe.steps.map((s) => s.name), ["reachable", "speaks-bos", "credentials"]);
  assert.match(report.probe.diagnosis, /speaks BOS and accepts the credentials/);
  assert.equal(report.status, "passed");
});
