/**
 * boskit: a Baidu Object Storage (BOS) toolkit on Web standards — BCE v1 signing, a complete
 * client, a reference server and a conformance kit.
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
