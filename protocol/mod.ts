/**
 * The BOS wire protocol without a client: BCE v1 signing (authorization strings, presigned URLs,
 * canonical requests) and its verification, the operation table, and the encodings and header
 * byte strings requests are made of. The client, the reference server and the conformance kit are
 * built on these; import them directly to sign requests of your own, write a proxy, or route BOS
 * requests. Nothing here touches the network.
 *
 * @example Sign a request and verify it, as a client and a server would
 * ```ts
 * import { createAuthorization, verifyAuthorization } from "@boskit/boskit/protocol";
 * import assert from "node:assert/strict";
 *
 * const request = { method: "GET", path: "/my-bucket/a.txt", headers: { host: "bj.bcebos.com" } };
 * const authorization = await createAuthorization({
 *   ...request,
 *   accessKeyId: "ak",
 *   secretAccessKey: "sk",
 *   timestamp: new Date(),
 * });
 * const result = await verifyAuthorization({ ...request, authorization, lookupSecret: () => "sk" });
 * assert.equal(result.ok, true);
 * ```
 *
 * @example Which operation a request is, from the operation table
 * ```ts
 * import { findOperation, OPERATION_TABLE } from "@boskit/boskit/protocol";
 * import assert from "node:assert/strict";
 *
 * const name = findOperation("POST", "object", ["append", "offset"], () => false);
 * assert.equal(name, "AppendObject");
 * assert.equal(OPERATION_TABLE[name!].successStatus, 200);
 * ```
 *
 * @module
 */

// Signing.
export {
  AUTH_VERSION,
  createAuthorization,
  DEFAULT_EXPIRATION_SECONDS,
  formatTimestamp,
  parseTimestamp,
  presignUrl,
  signingKey,
} from "./signing/sign.ts";
export type { AuthorizationInput, Credentials, PresignInput } from "./signing/sign.ts";
export { createAuthorizationSync, Signer } from "./signing/signer.ts";
export type { SignInput } from "./signing/signer.ts";
export {
  canonicalHeaders,
  canonicalQueryString,
  canonicalRequest,
  canonicalUri,
} from "./signing/canonical.ts";
export type { CanonicalHeaders, HeadersInput, QueryInput, SignableRequest } from "./signing/canonical.ts";
export { constantTimeEqual, parseAuthorization, verifyAuthorization } from "./signing/verify.ts";
export type {
  ParsedAuthorization,
  VerifyFailureReason,
  VerifyInput,
  VerifyResult,
} from "./signing/verify.ts";

// The operation table.
export {
  findOperation,
  OPERATION_NAMES,
  OPERATION_TABLE,
  operationQuery,
  operationSpec,
} from "./operations.ts";
export type {
  HttpMethod,
  OperationLevel,
  OperationName,
  OperationRow,
  OperationSpec,
  QueryRole,
} from "./operations.ts";

// CORS configurations (the rules client and server share).
export {
  CORS_METHODS,
  corsOriginMatches,
  matchCorsRule,
  MAX_CORS_RULES,
  openCorsRules,
  parseCorsConfiguration,
} from "./cors.ts";
export type { CorsConfiguration, CorsMethod, CorsProblem, CorsRequest, CorsRule } from "./cors.ts";

// Encodings and header byte strings.
export { isWellFormedPercentEncoding, parseHttpDate, parseIsoDate, unquote, uriEncode } from "./encoding.ts";
export { fromHeaderByteString, toHeaderByteString, trimHeaderByteString } from "./headers.ts";
