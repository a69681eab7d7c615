/**
 * Verifying BCE v1 signatures the way BOS does: parse the authorization string, check its time window,
 * recompute the signature over the listed headers and compare in constant time.
 *
 * @module
 */
import { buildCanonical, type SignableRequest } from "./canonical.ts";
import { AUTH_VERSION, formatTimestamp, parseTimestamp } from "./sign.ts";
import type { ServiceErrorCode } from "../errors.ts";
import { percentDecode } from "../encoding.ts";

/** The SHA-256 of `_sha256.ts`, loaded with the first verification (it is not needed before). */
let sha: Promise<typeof import("../_sha256.ts")> | undefined;

/** Why a signature was refused. */
export type VerifyFailureReason =
  | "malformed"
  | "unknown-key"
  | "expired"
  | "not-yet-valid"
  | "signature-mismatch";

/** A parsed authorization string. */
export interface ParsedAuthorization {
  /** The AK. */
  accessKeyId: string;
  /** When the signature becomes valid. */
  timestamp: Date;
  /** The timestamp exactly as written. */
  timestampText: string;
  /** Validity in seconds, `-1` for never. */
  expirationInSeconds: number;
  /** Signed header names as listed (may be empty: the default set). */
  signedHeaders: string[];
  /** 64 lower-case hex characters. */
  signature: string;
}

/**
 * Parses `bce-auth-v1/{ak}/{timestamp}/{expiration}/{signedHeaders}/{signature}`.
 *
 * @param authorization The header or decoded query value.
 * @returns The parts, or `undefined` when the string is malformed.
 *
 * @example
 * ```ts
 * import { parseAuthorization } from "@boskit/boskit";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 *
 * const p = parseAuthorization("bce-auth-v1/ak/2015-04-27T08:23:49Z/1800//" + "0".repeat(64));
 * assertEquals(p?.signedHeaders, []);
 * ```
 */
export function parseAuthorization(authorization: string): ParsedAuthorization | undefined {
  const parts = authorization.trim().split("/");
  if (parts.length !== 6 || parts[0] !== AUTH_VERSION) return undefined;
  const [, accessKeyId, timestampText, exp, headers, signature] = parts;
  if (accessKeyId === "") return undefined;
  const timestamp = parseTimestamp(timestampText);
  if (!timestamp) return undefined;
  if (!/^(-1|0|[1-9]\d{0,9})$/.test(exp)) return undefined;
  if (!/^[0-9a-fA-F]{64}$/.test(signature)) return undefined;
  const signedHeaders = headers === "" ? [] : headers.split(";").map((h) => h.trim().toLowerCase());
  if (signedHeaders.some((h) => h === "")) return undefined;
  return {
    accessKeyId,
    timestamp,
    timestampText,
    expirationInSeconds: Number(exp),
    signedHeaders,
    signature: signature.toLowerCase(),
  };
}

/** Everything {@link verifyAuthorization} needs. */
export interface VerifyInput extends Omit<SignableRequest, "headersToSign"> {
  /** The `Authorization` header, or the percent-decoded `authorization` query parameter. */
  authorization: string;
  /** Looks up the SK of an AK; `undefined` when the AK is unknown. */
  lookupSecret: (accessKeyId: string) => string | undefined | Promise<string | undefined>;
  /** The server's clock; default now. */
  now?: Date;
  /** How far in the future a timestamp may be before it is refused; default 900 s (15 minutes). */
  clockSkewSeconds?: number;
}

/** The result of {@link verifyAuthorization}. */
export type VerifyResult =
  | { ok: true; accessKeyId: string; parsed: ParsedAuthorization }
  | {
    ok: false;
    reason: VerifyFailureReason;
    /** The BOS error code a server answers with. */
    code: ServiceErrorCode;
    /** The HTTP status that goes with `code`. */
    status: number;
    /** A sentence saying what was wrong (never contains a secret). */
    message: string;
    /** The canonical request the server computed (for `signature-mismatch` only). */
    canonicalRequest?: string;
  };

/**
 * Verifies a BCE v1 authorization against the request it came with: parses it, looks up the
 * secret, checks the time window, recomputes the signature over the listed headers (any order; an
 * empty list means the default set) and compares in constant time.
 *
 * @param input The authorization, the request as received, a secret lookup and the clock.
 * @returns `{ ok: true }` or the precise reason, BOS code and status of the refusal.
 *
 * @example
 * ```ts
 * import { createAuthorization, verifyAuthorization } from "@boskit/boskit";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 *
 * const request = { method: "GET", path: "/b/k", headers: { host: "localhost:8080" } };
 * const timestamp = new Date();
 * const authorization = await createAuthorization({
 *   ...request,
 *   accessKeyId: "ak",
 *   secretAccessKey: "sk",
 *   timestamp,
 * });
 * const result = await verifyAuthorization({
 *   ...request,
 *   authorization,
 *   lookupSecret: (ak) => ak === "ak" ? "sk" : undefined,
 * });
 * assertEquals(result.ok, true);
 * ```
 */
export async function verifyAuthorization(input: VerifyInput): Promise<VerifyResult> {
  const parsed = parseAuthorization(input.authorization);
  if (!parsed) {
    return fail("malformed", "InvalidHTTPAuthHeader", 400, "The authorization string is malformed");
  }
  const secret = await input.lookupSecret(parsed.accessKeyId);
  if (secret === undefined) {
    return fail("unknown-key", "InvalidAccessKeyId", 403, "The access key id does not exist");
  }
  const now = (input.now ?? new Date()).getTime();
  const skew = (input.clockSkewSeconds ?? 900) * 1000;
  const start = parsed.timestamp.getTime();
  if (parsed.expirationInSeconds !== -1) {
    if (start - now > skew) {
      return fail(
        "not-yet-valid",
        "RequestTimeTooSkewed",
        403,
        `The request timestamp ${parsed.timestampText} is too far ahead of the server time ${
          formatTimestamp(new Date(now))
        }`,
      );
    }
    if (now > start + parsed.expirationInSeconds * 1000) {
      return fail(
        "expired",
        "RequestExpired",
        403,
        `The request has expired: timestamp ${parsed.timestampText} plus ${parsed.expirationInSeconds} s is before ${
          formatTimestamp(new Date(now))
        }`,
      );
    }
  }
  const prefix =
    `${AUTH_VERSION}/${parsed.accessKeyId}/${parsed.timestampText}/${parsed.expirationInSeconds}`;
  const { text } = buildCanonical({
    method: input.method,
    path: input.path,
    query: input.query,
    headers: input.headers,
    // The JS SDK writes names as they appear in the canonical lines, UriEncoded (`x-bce-meta-a%2Ab`).
    headersToSign: parsed.signedHeaders.map((name) =>
      name.includes("%") ? percentDecode(name) ?? name : name
    ),
  }, true);
  const { derivedHexKey, hmacHexWith, hmacKey } = await (sha ??= import("../_sha256.ts"));
  const expected = hmacHexWith(derivedHexKey(hmacKey(secret), prefix), text);
  if (!constantTimeEqual(expected, parsed.signature)) {
    return {
      ...fail(
        "signature-mismatch",
        "SignatureDoesNotMatch",
        403,
        "The request signature we calculated does not match the signature you provided",
      ),
      canonicalRequest: text,
    };
  }
  return { ok: true, accessKeyId: parsed.accessKeyId, parsed };
}

function fail(reason: VerifyFailureReason, code: ServiceErrorCode, status: number, message: string) {
  return { ok: false as const, reason, code, status, message };
}

/**
 * Compares two strings in time that depends only on their lengths, not on where they differ.
 *
 * @param a First string.
 * @param b Second string.
 * @returns Whether they are equal.
 *
 * @example
 * ```ts
 * import { constantTimeEqual } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * assert(constantTimeEqual("abc", "abc"));
 * assert(!constantTimeEqual("abc", "abd"));
 * ```
 */
export function constantTimeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) diff |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0);
  return diff === 0;
}
