/**
 * Signing with BCE authentication v1 (`bce-auth-v1`): the signing key, the authorization string of a
 * request and presigned URLs. Pure functions of their input (the clock is a parameter), separate from
 * any transport. The computation lives in `signer.ts` (the `Signer` and its SHA-256), loaded on the
 * first signature, so code that only holds a client does not carry it up front.
 *
 * @module
 */
import type { SignableRequest } from "./canonical.ts";

/** The authorization scheme and version every string starts with. */
export const AUTH_VERSION = "bce-auth-v1";

/**
 * An access key pair, with the session token of temporary (STS) credentials: what the client signs
 * with, the reference server accepts and the conformance kit runs under.
 */
export interface Credentials {
  /** Access key id (AK). */
  accessKeyId: string;
  /** Secret access key (SK). */
  secretAccessKey: string;
  /** STS session token, sent as `x-bce-security-token`. */
  sessionToken?: string;
}

/** Everything {@link createAuthorization} needs. */
export interface AuthorizationInput extends SignableRequest {
  /** Access key id (AK). */
  accessKeyId: string;
  /** Secret access key (SK). */
  secretAccessKey: string;
  /** When the signature becomes valid; second precision. */
  timestamp: Date;
  /** Validity window in seconds from `timestamp`; default 1800; `-1` never expires. */
  expirationInSeconds?: number;
}

/**
 * The default validity of a signature, in seconds.
 *
 * @example
 * ```ts
 * import { createAuthorization, DEFAULT_EXPIRATION_SECONDS, parseAuthorization } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * const authorization = await createAuthorization({
 *   accessKeyId: "ak",
 *   secretAccessKey: "sk",
 *   method: "GET",
 *   path: "/",
 *   headers: { host: "bj.bcebos.com" },
 *   timestamp: new Date(),
 * });
 * assert.equal(DEFAULT_EXPIRATION_SECONDS, 1800);
 * assert.equal(parseAuthorization(authorization)?.expirationInSeconds, DEFAULT_EXPIRATION_SECONDS);
 * ```
 */
export const DEFAULT_EXPIRATION_SECONDS = 1800;

/** What the async functions here use of `signer.ts`. */
interface SignerModule {
  hmacHex(key: string, message: string): string;
  createAuthorizationSync(input: AuthorizationInput): string;
  presignUrlSync(input: PresignInput): string;
}

/** The signer module, once loaded (the async functions here load it on first use). */
let signerModule: SignerModule | undefined;
let signerLoading: Promise<SignerModule> | undefined;

/** Runs `fn` with the signer module: at once when it is loaded, else after loading it. */
function withSigner<T>(fn: (m: SignerModule) => T): Promise<T> {
  if (signerModule) {
    try {
      return Promise.resolve(fn(signerModule));
    } catch (e) {
      return Promise.reject(e);
    }
  }
  signerLoading ??= import("./signer.ts").then((m) => (signerModule = m));
  return signerLoading.then(fn);
}

/**
 * The signing key: lower-case hex of HMAC-SHA256(SK, authStringPrefix).
 *
 * @param secretAccessKey The SK.
 * @param authStringPrefix `bce-auth-v1/{ak}/{timestamp}/{expiration}`.
 * @returns 64 lower-case hex characters.
 *
 * @example
 * ```ts
 * import { signingKey } from "@boskit/boskit";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 *
 * const key = await signingKey("my_sk", "bce-auth-v1/my_ak/2014-06-13T05:57:36Z/1800");
 * assertEquals(key, "b358d27f22640783b887965f17e6cf57ce5b44e3e44ed171a934df6daff52a7c");
 * ```
 */
export function signingKey(secretAccessKey: string, authStringPrefix: string): Promise<string> {
  return withSigner((m) => m.hmacHex(secretAccessKey, authStringPrefix));
}

// ---------------------------------------------------------------------------------------------
// Authorization

/**
 * Formats a date as a BCE timestamp `yyyy-mm-ddThh:mm:ssZ` (UTC, whole seconds).
 *
 * @param date The instant.
 * @returns The timestamp text.
 *
 * @example
 * ```ts
 * import { formatTimestamp } from "@boskit/boskit";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 *
 * assertEquals(formatTimestamp(new Date(1402639056789)), "2014-06-13T05:57:36Z");
 * ```
 */
export function formatTimestamp(date: Date): string {
  const t = date.getTime();
  if (Number.isNaN(t)) throw new RangeError("Timestamp must be a valid date, got Invalid Date");
  const second = Math.floor(t / 1000);
  if (second === lastSecond) return lastText;
  // Years 1970-9999 from the day number (H. Hinnant's civil-from-days); others through toISOString.
  const text = second >= 0 && second < 253402300800
    ? civilTimestamp(second)
    : date.toISOString().replace(/\.\d{3}Z$/, "Z");
  lastSecond = second;
  lastText = text;
  return text;
}

let lastSecond = NaN;
let lastText = "";
const TWO_DIGITS = /* @__PURE__ */ Array.from({ length: 100 }, (_, i) => String(i).padStart(2, "0"));

/** `yyyy-mm-ddThh:mm:ssZ` of a non-negative Unix time in seconds before year 10000. */
function civilTimestamp(second: number): string {
  const days = Math.floor(second / 86400);
  let rest = second - days * 86400;
  const hh = Math.floor(rest / 3600);
  rest -= hh * 3600;
  const mi = Math.floor(rest / 60);
  const ss = rest - mi * 60;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return TWO_DIGITS[Math.floor(y / 100)] + TWO_DIGITS[y % 100] + "-" + TWO_DIGITS[m] + "-" + TWO_DIGITS[d] +
    "T" +
    TWO_DIGITS[hh] + ":" + TWO_DIGITS[mi] + ":" + TWO_DIGITS[ss] + "Z";
}

/**
 * Parses a BCE timestamp `yyyy-mm-ddThh:mm:ssZ`; returns `undefined` when it is not exactly that form.
 *
 * @param text The timestamp text.
 * @returns The instant, or `undefined`.
 *
 * @example
 * ```ts
 * import { parseTimestamp } from "@boskit/boskit";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 *
 * assertEquals(parseTimestamp("2014-06-13T05:57:36Z")?.getTime(), 1402639056000);
 * assertEquals(parseTimestamp("2014-06-13 05:57:36"), undefined);
 * ```
 */
export function parseTimestamp(text: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  const t = Date.UTC(y, mo - 1, d, h, mi, s);
  const date = new Date(t);
  if (
    date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d ||
    h > 23 || mi > 59 || s > 59
  ) return undefined;
  return date;
}

/** Throws a `RangeError` unless `expirationInSeconds` is an integer ≥ -1. */
export function checkExpiration(expirationInSeconds: number): void {
  if (!Number.isInteger(expirationInSeconds) || expirationInSeconds < -1) {
    throw new RangeError(
      `Expiration must be an integer number of seconds (or -1 for never), got ${expirationInSeconds}`,
    );
  }
}

/**
 * Signs a request: returns the `Authorization` value
 * `bce-auth-v1/{ak}/{timestamp}/{expiration}/{signedHeaders}/{signature}`. With an explicit
 * `headersToSign` list the listed headers present and every `x-bce-*` header present are signed, as
 * the official JS and Go SDKs do. The synchronous form is `createAuthorizationSync`; a `Signer`
 * keeps the credentials compiled between calls (both in `@boskit/boskit/protocol`).
 *
 * @param input Credentials, timestamp, expiration and the request.
 * @returns The authorization string.
 *
 * @example The JS SDK's unit-test vector
 * ```ts
 * import { createAuthorization } from "@boskit/boskit";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 *
 * const auth = await createAuthorization({
 *   accessKeyId: "my_ak",
 *   secretAccessKey: "my_sk",
 *   method: "PUT",
 *   path: "/v1/bucket/object1",
 *   query: { A: null, b: "", C: "d" },
 *   headers: { Host: "bce.baidu.com", abc: "123", "x-bce-meta-key1": "ABC" },
 *   timestamp: new Date(1402639056000),
 * });
 * assertEquals(
 *   auth,
 *   "bce-auth-v1/my_ak/2014-06-13T05:57:36Z/1800/host;x-bce-meta-key1/80c9672aca2ea9af4bb40b9a8ff458d72df94e97d550840727f3a929af271d25",
 * );
 * ```
 */
export function createAuthorization(input: AuthorizationInput): Promise<string> {
  return withSigner((m) => m.createAuthorizationSync(input));
}

// ---------------------------------------------------------------------------------------------
// Presigned URLs

/** Everything {@link presignUrl} needs. */
export interface PresignInput {
  /** Access key id (AK). */
  accessKeyId: string;
  /** Secret access key (SK). */
  secretAccessKey: string;
  /** STS session token, added as the signed query parameter `x-bce-security-token`. */
  sessionToken?: string;
  /** HTTP method the URL is for; default `GET`. */
  method?: string;
  /**
   * The full URL (`https://host/path?query`) with the path as it will be sent (percent-encoded);
   * path-style, virtual-host and `/v1/<bucket>/<key>` forms all work.
   */
  url: string | URL;
  /** When the URL becomes valid. */
  timestamp: Date;
  /** Validity in seconds; default 1800; `-1` never expires. */
  expirationInSeconds?: number;
  /**
   * Headers the caller promises to send with the URL. Those of the default set (`content-type`,
   * `content-length`, `content-md5`, `x-bce-*`) are signed along with `host`, as the official SDKs
   * sign presigned URLs; list others in `headersToSign`.
   */
  headers?: Record<string, string | number>;
  /** Names of further headers among `headers` to sign (`host` and every `x-bce-*` header are signed anyway). */
  headersToSign?: readonly string[];
}

/**
 * Builds a presigned URL: the authorization string travels in the `authorization` query parameter,
 * signing `host` (plus the headers of the default set the caller promises to send, and any listed
 * in `headersToSign`).
 *
 * @param input Credentials, method, URL, timestamp and expiration.
 * @returns The URL with `authorization=` appended.
 *
 * @example A presigned GET valid for an hour
 * ```ts
 * import { presignUrl } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * const url = await presignUrl({
 *   accessKeyId: "my_ak",
 *   secretAccessKey: "my_sk",
 *   url: "https://bj.bcebos.com/v1/bucket/object1",
 *   timestamp: new Date(1402639056000),
 *   expirationInSeconds: 3600,
 * });
 * assert(url.startsWith("https://bj.bcebos.com/v1/bucket/object1?authorization=bce-auth-v1%2Fmy_ak%2F"));
 * ```
 */
export function presignUrl(input: PresignInput): Promise<string> {
  return withSigner((m) => m.presignUrlSync(input));
}
