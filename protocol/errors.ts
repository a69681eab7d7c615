/**
 * The one error-code table of boskit and `BosError`, its one error type. The table holds every code a
 * BOS service answers with (HTTP status and the message the reference server sends) and the codes the
 * client uses when no response was received (status 0); the client, the reference server and the
 * conformance kit all take their codes from it, so a misspelt code is a type error.
 *
 * @module
 */

/**
 * Every error code with its HTTP status and a default message: BOS service codes, then the client-side
 * codes, which have status 0 (no response was received).
 *
 * @example A code's status and whether it comes from the service
 * ```ts
 * import { ERROR_CODES } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * assert.equal(ERROR_CODES.NoSuchKey.status, 404);
 * assert.equal(ERROR_CODES.OffsetIncorrect.status, 409);
 * assert.equal(ERROR_CODES.Timeout.status, 0); // raised by the client, never sent by a service
 * ```
 */
export const ERROR_CODES = {
  AccessDenied: { status: 403, message: "Access denied" },
  BadDigest: {
    status: 400,
    message: "The digest of the received data does not match the one in the request",
  },
  BucketAlreadyExists: { status: 409, message: "The requested bucket name is not available" },
  BucketNotEmpty: { status: 409, message: "The bucket you tried to delete is not empty" },
  EntityTooLarge: { status: 400, message: "Your proposed upload exceeds the maximum allowed object size" },
  EntityTooSmall: {
    status: 400,
    message: "Your proposed upload is smaller than the minimum allowed object size",
  },
  InappropriateJSON: { status: 400, message: "The JSON you provided does not fit this operation" },
  InternalError: { status: 500, message: "We encountered an internal error. Please try again" },
  InvalidAccessKeyId: { status: 403, message: "The access key id you provided does not exist" },
  InvalidArgument: { status: 400, message: "Invalid argument" },
  InvalidBucketName: { status: 400, message: "The specified bucket name is not valid" },
  InvalidDigest: { status: 400, message: "The Content-MD5 you specified is not valid" },
  InvalidHTTPAuthHeader: { status: 400, message: "The authorization header is malformed" },
  InvalidHTTPRequest: { status: 400, message: "There was an error in the body of your HTTP request" },
  InvalidObjectName: { status: 400, message: "The specified object name is not valid" },
  InvalidPart: { status: 400, message: "One or more of the specified parts could not be found" },
  InvalidPartOrder: { status: 400, message: "The list of parts was not in ascending order" },
  InvalidRange: { status: 416, message: "The requested range cannot be satisfied" },
  InvalidSessionToken: { status: 400, message: "The security token is not valid" },
  InvalidURI: { status: 400, message: "The URI could not be parsed" },
  MalformedJSON: { status: 400, message: "The JSON you provided was not well-formed" },
  MaxMessageLengthExceeded: { status: 400, message: "Your request was too big" },
  MetadataTooLarge: {
    status: 400,
    message: "Your metadata headers exceed the maximum allowed metadata size",
  },
  MethodNotAllowed: { status: 405, message: "The specified method is not allowed against this resource" },
  MissingContentLength: { status: 411, message: "You must provide the Content-Length HTTP header" },
  MissingDateHeader: { status: 400, message: "Neither Date nor x-bce-date is present" },
  NoSuchBucket: { status: 404, message: "The specified bucket does not exist" },
  NoSuchKey: { status: 404, message: "The specified key does not exist" },
  NoSuchUpload: { status: 404, message: "The specified multipart upload does not exist" },
  NotImplemented: {
    status: 501,
    message: "A header you provided implies functionality that is not implemented",
  },
  ObjectUnappendable: { status: 403, message: "The object is not appendable" },
  OffsetIncorrect: { status: 409, message: "The offset differs from the current length of the object" },
  PreconditionFailed: {
    status: 412,
    message: "At least one of the preconditions you specified did not hold",
  },
  RequestExpired: { status: 403, message: "The request has expired" },
  RequestTimeout: {
    status: 400,
    message: "Your socket connection to the server was not read from or written to in time",
  },
  RequestTimeTooSkewed: {
    status: 403,
    message: "The difference between the request time and the server time is too large",
  },
  ServiceUnavailable: { status: 503, message: "Please reduce your request rate" },
  SignatureDoesNotMatch: {
    status: 403,
    message: "The request signature we calculated does not match the signature you provided",
  },
  SlowDown: { status: 503, message: "Please reduce your request rate" },
  TooManyBuckets: { status: 400, message: "You have attempted to create more buckets than allowed" },
  NotAllowCopy: { status: 400, message: "This object cannot be copied this way" },
  RequestRateLimitExceeded: { status: 429, message: "The request rate limit of the bucket was exceeded" },
  InvalidRequest: { status: 400, message: "Invalid request" },
  OperationAborted: { status: 409, message: "A conflicting operation is in progress on this resource" },
  BadGateway: { status: 502, message: "Bad gateway" },
  GatewayTimeout: { status: 504, message: "Gateway timeout" },
  FileAlreadyExists: { status: 409, message: "The object already exists and x-bce-forbid-overwrite is set" },
  NoSuchCORSConfiguration: { status: 404, message: "The bucket has no CORS configuration" },
  // Client-side codes: raised before or instead of a response (status 0).
  NetworkError: { status: 0, message: "The request failed before a complete response was received" },
  Timeout: { status: 0, message: "The request timed out" },
  Aborted: { status: 0, message: "The operation was aborted" },
  MalformedResponse: { status: 0, message: "The response could not be understood" },
  MissingHeader: {
    status: 0,
    message:
      "The response lacks a header the client needs (in a browser: the bucket's CORS rule does not expose it)",
  },
  CheckpointMismatch: { status: 0, message: "The upload checkpoint does not match this upload" },
  UploadFailed: { status: 0, message: "The upload failed" },
  PaginationStuck: { status: 0, message: "A truncated listing page did not advance its marker" },
  NotSupported: { status: 0, message: "This runtime does not support the operation" },
  FileError: { status: 0, message: "A local file could not be read or written" },
} as const satisfies Record<string, { status: number; message: string }>;

/** An error code of the table: a BOS service code or a client-side one. */
export type BosErrorCode = keyof typeof ERROR_CODES;

/** An error code a BOS service answers with (status 400-599): what the reference server may send. */
export type ServiceErrorCode = {
  [K in BosErrorCode]: (typeof ERROR_CODES)[K]["status"] extends 0 ? never : K;
}[BosErrorCode];

/** A code the client raises when no response was received (status 0). */
export type ClientErrorCode = Exclude<BosErrorCode, ServiceErrorCode>;

/**
 * A code as found on an error: one of the table, or any other text a service sent (the string
 * intersection keeps editor completion for the known codes).
 */
export type AnyErrorCode = BosErrorCode | (string & Record<never, never>);

/** Fields of a {@link BosError}. */
export interface BosErrorInit {
  /** HTTP status; 0 when no response was received (client-side validation, network failure, abort). */
  status: number;
  /** BOS error code (`NoSuchKey`, …) or a client code (`NetworkError`, `Aborted`, `Timeout`, `InvalidArgument`). */
  code: AnyErrorCode;
  /** What went wrong. */
  message: string;
  /** `x-bce-request-id` / `requestId` of the failed request, when a response was received. */
  requestId?: string;
  /** `x-bce-debug-id` of the failed response, when present. */
  debugId?: string;
  /** The underlying error (network failure, abort reason, parse error). */
  cause?: unknown;
}

/**
 * The error every boskit operation fails with: the HTTP status, the BOS error code, the message and
 * the request id of the response (or status 0 and a client code when no response came back).
 *
 * @example Telling a missing key from other failures
 * ```ts
 * import { BosError } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * const err = new BosError({ status: 404, code: "NoSuchKey", message: "The specified key does not exist", requestId: "r-1" });
 * assert(err instanceof BosError);
 * assert.equal(err.code, "NoSuchKey");
 * assert.match(String(err), /NoSuchKey/);
 * ```
 */
export class BosError extends Error {
  /** HTTP status; 0 when no response was received. */
  readonly status: number;
  /** BOS error code, or a client code when no response was received. */
  readonly code: AnyErrorCode;
  /** Request id of the failed request, when known. */
  readonly requestId?: string;
  /** Debug id of the failed response, when known. */
  readonly debugId?: string;

  /**
   * Creates an error.
   *
   * @param init Status, code, message, request id and cause.
   */
  constructor(init: BosErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "BosError";
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId;
    this.debugId = init.debugId;
  }

  /**
   * `BosError [404 NoSuchKey]: message (request id …)`.
   *
   * @example
   * ```ts
   * import { BosError } from "@boskit/boskit";
   * import assert from "node:assert/strict";
   *
   * const err = new BosError({
   *   status: 404,
   *   code: "NoSuchKey",
   *   message: "The specified key does not exist",
   *   requestId: "r-1",
   * });
   * assert.equal(
   *   err.toString(),
   *   "BosError [404 NoSuchKey]: The specified key does not exist (request id r-1)",
   * );
   * ```
   */
  override toString(): string {
    const where = this.status ? `${this.status} ${this.code}` : this.code;
    return `${this.name} [${where}]: ${this.message}${
      this.requestId ? ` (request id ${this.requestId})` : ""
    }`;
  }
}
