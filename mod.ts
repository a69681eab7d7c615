/**
 * boskit: a Baidu Object Storage (BOS) toolkit on Web standards — BCE v1 signing, a complete
 * client, a reference server and a conformance kit.
 *
 * The quick start below runs against the embedded reference server; against real BOS, pass your region's
 * endpoint (`https://bj.bcebos.com`, …) and your own keys instead.
 *
 * @example Quick start: the client against the embedded reference server
 * ```ts
 * import { BosClient } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve(); // a local BOS-compatible endpoint on a free port
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * await client.putObject("my-bucket", "hello.txt", "Hello, BOS", { contentType: "text/plain" });
 * const object = await client.getObject("my-bucket", "hello.txt");
 * assert.equal(await object.text(), "Hello, BOS");
 * assert.equal(object.contentType, "text/plain");
 * await server.close();
 * ```
 *
 * @example Signing a request
 * ```ts
 * import { createAuthorization } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * const auth = await createAuthorization({
 *   accessKeyId: "my_ak",
 *   secretAccessKey: "my_sk",
 *   method: "GET",
 *   path: "/v1/bucket/object1",
 *   headers: { Host: "bj.bcebos.com" },
 *   timestamp: new Date("2014-06-13T05:57:36Z"),
 * });
 * assert.equal(auth.split("/")[5], "44dc0833bf36a7ae3e1296e0b8a761f6a0ce0edd74efdfc52100254bd68e2e17");
 * ```
 *
 * @module
 */
export * from "./client/signer.ts";
export * from "./client/errors.ts";
export * from "./client/limits.ts";
export * from "./client/metadata.ts";
export * from "./client/hash.ts";
export * from "./client/client.ts";
export * from "./client/types.ts";
export * from "./client/retry.ts";
export * from "./client/part_plan.ts";
export * from "./client/list.ts";
export * from "./client/upload.ts";
export * from "./client/download.ts";
