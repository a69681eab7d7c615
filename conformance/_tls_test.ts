import assert from "node:assert/strict";
import { createHandler } from "../server/mod.ts";
import { randomCredentials, runConformance } from "./mod.ts";
import { hasOpenssl, makeCertificates, serveHandler } from "./testdata/endpoints.ts";

const ignore = !(await hasOpenssl());
const ONLY = [
  "objects.content-round-trips",
  "signing.presigned-url-accepted",
  "metadata.random-metadata-round-trips",
];

Deno.test({
  name:
    "tls: a private CA (--ca) is trusted, without it the probe names the TLS failure, --insecure skips verification",
  ignore,
  async fn() {
    const dir = await Deno.makeTempDir();
    const credentials = randomCredentials();
    const certs = await makeCertificates(dir);
    const server = serveHandler(createHandler({ credentials: [credentials] }), certs);
    try {
      const withCa = await runConformance({
        endpoint: server.url,
        credentials,
        caCerts: [certs.ca],
        only: ONLY,
        seed: 1,
      });
      assert.equal(withCa.status, "passed", withCa.error);
      assert.equal(withCa.tls, "ca");
      assert.equal(withCa.summary.pass, ONLY.length);

      const without = await runConformance({ endpoint: server.url, credentials, only: ONLY });
      assert.equal(without.status, "error");
      assert.equal(without.probe.failed, "reachable");
      assert.match(
        without.probe.diagnosis,
        new RegExp(`Cannot reach ${server.url}/: TLS failed \\(.*(UnknownIssuer|certificate)`),
      );
      assert.match(without.probe.diagnosis, /use --ca FILE, or --insecure/);
      assert.equal(without.results.length, 0);

      const insecure = await runConformance({
        endpoint: server.url,
        credentials,
        insecure: true,
        only: ONLY,
        seed: 1,
      });
      assert.equal(
        insecure.status,
        "passed",
        JSON.stringify(insecure.results.filter((r) => r.status !== "PASS"), null, 1),
      );
      assert.equal(insecure.tls, "insecure");
      assert.deepEqual(
        insecure.results.map((r) => [r.id, r.status, r.counterexample]),
        withCa.results.map((r) => [r.id, r.status, r.counterexample]),
      );
    } finally {
      await server.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
