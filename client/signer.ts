// Moved to protocol/signing/ and protocol/encoding.ts (issue 13). This re-export keeps branches written
// against the old path compiling while they are merged; import the new paths, and delete this file once
// nothing imports it.
export * from "../protocol/signing/canonical.ts";
export * from "../protocol/signing/sign.ts";
export * from "../protocol/signing/verify.ts";
export { isWellFormedPercentEncoding, uriEncode } from "../protocol/encoding.ts";
