/**
 * Signing with BCE authentication v1 (`bce-auth-v1`): the signing key, the authorization string of a
 * request and presigned URLs. Pure functions of their input (the clock is a parameter), separate from
 * any transport.
 *
 * @module
 */
import { uriEncode } from "../encoding.ts";
import { derivedHexKey, hmacHexWith, type HmacKey, hmacKey } from "../_sha256.ts";
import { loadNodeCrypto, type NodeCrypto, nodeCryptoIfLoaded } from "../_node_crypto.ts";
import { buildCanonical, type SignableRequest } from "./canonical.ts";

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

/**
 * Lower-case hex HMAC-SHA256 of `message` under `key` (both UTF-8).
 *
 * @param key The key.
 * @param message The message.
 * @returns 64 hex characters.
 */
export function hmacHex(key: string, message: string): string {
  return hmacHexWith(hmacKey(key), message);
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
  return Promise.resolve(hmacHex(secretAccessKey, authStringPrefix));
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
const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, "0"));

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

function checkExpiration(expirationInSeconds: number): void {
  if (!Number.isInteger(expirationInSeconds) || expirationInSeconds < -1) {
    throw new RangeError(
      `Expiration must be an integer number of seconds (or -1 for never), got ${expirationInSeconds}`,
    );
  }
}

/** A request to sign with a {@link Signer}: the request, the time it is signed at and its validity. */
export interface SignInput extends SignableRequest {
  /** When the signature becomes valid; second precision. */
  timestamp: Date;
  /** Validity window in seconds from `timestamp`; default 1800; `-1` never expires. */
  expirationInSeconds?: number;
}

/** How many derived signing keys (one per timestamp and expiration) a {@link Signer} keeps. */
const DERIVED_KEYS = 4;

/**
 * Whether the second HMAC (over the canonical request) goes to `node:crypto` once it is loaded: on
 * Node and Bun its native HMAC beats JavaScript SHA-256 for a few hundred bytes; Deno's `node:crypto`
 * costs a call into the runtime that makes it slower than the JavaScript one.
 */
const NATIVE_HMAC = !("Deno" in globalThis);

/** A derived signing key, in the forms asked for so far. */
interface DerivedKey {
  prefix: string;
  /** Compiled, for the JavaScript HMAC. */
  key?: HmacKey;
  /** As hex text, for `node:crypto`. */
  hex?: string;
}

/**
 * A signer for one access key pair: the secret is compiled once into HMAC state, the signing key of
 * each (timestamp, expiration) is derived once and kept for the few most recent ones, and every call
 * is synchronous (a pure computation, no promise, no `node:crypto`, no Web Crypto). This is the fast
 * form of {@link createAuthorization}, for code that signs many requests.
 *
 * @example Sign requests with one signer
 * ```ts
 * import { Signer } from "@boskit/boskit/protocol";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 *
 * const signer = new Signer({ accessKeyId: "my_ak", secretAccessKey: "my_sk" });
 * const authorization = signer.authorization({
 *   method: "PUT",
 *   path: "/v1/bucket/object1",
 *   query: { A: null, b: "", C: "d" },
 *   headers: { Host: "bce.baidu.com", abc: "123", "x-bce-meta-key1": "ABC" },
 *   timestamp: new Date(1402639056000),
 * });
 * assertEquals(
 *   authorization,
 *   "bce-auth-v1/my_ak/2014-06-13T05:57:36Z/1800/host;x-bce-meta-key1/80c9672aca2ea9af4bb40b9a8ff458d72df94e97d550840727f3a929af271d25",
 * );
 * ```
 */
export class Signer {
  /** The access key id (AK) every authorization names. */
  readonly accessKeyId: string;
  /** The STS session token, added to presigned URLs as `x-bce-security-token`. */
  readonly sessionToken: string | undefined;
  readonly #secret: HmacKey;
  /** Recently derived signing keys (a ring; `#next` is the slot written next). */
  readonly #derived: DerivedKey[] = [];
  #next = 0;

  /**
   * Compiles the credentials.
   *
   * @param credentials The access key pair (and session token, for presigned URLs).
   */
  constructor(credentials: Credentials) {
    const { accessKeyId, secretAccessKey, sessionToken } = credentials ?? {};
    if (typeof accessKeyId !== "string" || accessKeyId === "" || typeof secretAccessKey !== "string") {
      throw new TypeError("Credentials must have a non-empty accessKeyId and a secretAccessKey string");
    }
    this.accessKeyId = accessKeyId;
    this.sessionToken = sessionToken;
    this.#secret = hmacKey(secretAccessKey);
    if (NATIVE_HMAC && nodeCryptoIfLoaded() === null) loadNodeCrypto();
  }

  /** The signing key of an auth string prefix (derived once while it is recent). */
  #derivedKey(prefix: string): DerivedKey {
    const ring = this.#derived;
    for (let i = 0; i < ring.length; i++) if (ring[i].prefix === prefix) return ring[i];
    const entry: DerivedKey = { prefix };
    ring[this.#next] = entry;
    this.#next = (this.#next + 1) % DERIVED_KEYS;
    return entry;
  }

  /** The signature of a canonical request under the signing key of `prefix`. */
  #signature(prefix: string, canonical: string): string {
    const entry = this.#derivedKey(prefix);
    const native: NodeCrypto | undefined | null = NATIVE_HMAC ? nodeCryptoIfLoaded() : undefined;
    if (native) {
      entry.hex ??= hmacHexWith(this.#secret, prefix);
      return native.createHmac("sha256", entry.hex).update(canonical).digest("hex");
    }
    entry.key ??= derivedHexKey(this.#secret, prefix);
    return hmacHexWith(entry.key, canonical);
  }

  /**
   * Signs a request: the `Authorization` value
   * `bce-auth-v1/{ak}/{timestamp}/{expiration}/{signedHeaders}/{signature}`. The `signedHeaders`
   * field always lists the signed names (never empty while a header is signed); with an explicit
   * `headersToSign` list it names the listed headers present plus every `x-bce-*` header present.
   *
   * @param input The request, the timestamp and the validity.
   * @returns The authorization string.
   * @throws {RangeError} For an invalid expiration or date, or an explicit `headersToSign` list
   *   that selects no header of the request (its `signedHeaders` field would be empty, which a
   *   verifier reads as the default set).
   *
   * @example An explicit list still signs every x-bce-* header
   * ```ts
   * import { Signer } from "@boskit/boskit/protocol";
   * import assert from "node:assert/strict";
   *
   * const signer = new Signer({ accessKeyId: "ak", secretAccessKey: "sk" });
   * const authorization = signer.authorization({
   *   method: "GET",
   *   path: "/bucket/key",
   *   headers: { host: "bj.bcebos.com", "x-bce-date": "2026-11-24T08:00:00Z", range: "bytes=0-9" },
   *   headersToSign: ["host"],
   *   timestamp: new Date("2026-11-24T08:00:00Z"),
   * });
   * assert.equal(authorization.split("/")[4], "host;x-bce-date");
   * ```
   */
  authorization(input: SignInput): string {
    const expiration = input.expirationInSeconds ?? DEFAULT_EXPIRATION_SECONDS;
    if (expiration !== DEFAULT_EXPIRATION_SECONDS) checkExpiration(expiration);
    const prefix = AUTH_VERSION + "/" + this.accessKeyId + "/" + formatTimestamp(input.timestamp) + "/" +
      expiration;
    const { text, signedHeaders } = buildCanonical(input);
    if (signedHeaders.length === 0 && input.headersToSign !== undefined && input.headersToSign.length > 0) {
      throw new RangeError(
        `No header of the request is in headersToSign ${
          JSON.stringify(input.headersToSign)
        } and none is an x-bce-* header; sign host at least (an empty signedHeaders field means the default set)`,
      );
    }
    return prefix + "/" + signedHeaders.join(";") + "/" + this.#signature(prefix, text);
  }

  /**
   * Builds a presigned URL with these credentials (the session token, if any, becomes the signed
   * query parameter `x-bce-security-token`); see {@link presignUrl}.
   *
   * @param input Method, URL, headers, timestamp and expiration.
   * @returns The URL with `authorization=` appended.
   *
   * @example A presigned GET
   * ```ts
   * import { Signer } from "@boskit/boskit/protocol";
   * import assert from "node:assert/strict";
   *
   * const signer = new Signer({ accessKeyId: "my_ak", secretAccessKey: "my_sk" });
   * const url = signer.presignUrl({ url: "https://bj.bcebos.com/v1/bucket/object1", timestamp: new Date() });
   * assert(url.startsWith("https://bj.bcebos.com/v1/bucket/object1?authorization=bce-auth-v1%2Fmy_ak%2F"));
   * ```
   */
  presignUrl(input: Omit<PresignInput, "accessKeyId" | "secretAccessKey" | "sessionToken">): string {
    const { origin, host, path, query } = splitUrl(input.url);
    let rawQuery = query.split("&").filter((p) => p !== "" && !/^authorization(=|$)/i.test(p)).join("&");
    if (this.sessionToken !== undefined) {
      rawQuery += (rawQuery ? "&" : "") + "x-bce-security-token=" + uriEncode(this.sessionToken);
    }
    const headers: Record<string, string | number> = {};
    for (const [name, value] of Object.entries(input.headers ?? {})) {
      if (name.trim().toLowerCase() !== "host") headers[name] = value;
    }
    headers.host = host;
    const authorization = this.authorization({
      method: input.method ?? "GET",
      path,
      query: rawQuery,
      headers,
      headersToSign: input.headersToSign && input.headersToSign.length > 0
        ? [...input.headersToSign, "host"]
        : undefined,
      timestamp: input.timestamp,
      expirationInSeconds: input.expirationInSeconds,
    });
    return `${origin}${path}?${rawQuery ? rawQuery + "&" : ""}authorization=${uriEncode(authorization)}`;
  }
}

/** The signer of the most recent credentials, and a few more. */
const signers = new Map<string, Signer>();
let lastSigner: { accessKeyId: string; secretAccessKey: string; signer: Signer } | undefined;

function signerFor(accessKeyId: string, secretAccessKey: string): Signer {
  if (
    lastSigner && lastSigner.accessKeyId === accessKeyId && lastSigner.secretAccessKey === secretAccessKey
  ) {
    return lastSigner.signer;
  }
  const id = accessKeyId + "\n" + secretAccessKey;
  let signer = signers.get(id);
  if (!signer) {
    if (signers.size >= 16) signers.clear();
    signer = new Signer({ accessKeyId, secretAccessKey });
    signers.set(id, signer);
  }
  lastSigner = { accessKeyId, secretAccessKey, signer };
  return signer;
}

/**
 * Signs a request: returns the `Authorization` value
 * `bce-auth-v1/{ak}/{timestamp}/{expiration}/{signedHeaders}/{signature}`. With an explicit
 * `headersToSign` list the listed headers present and every `x-bce-*` header present are signed, as
 * the official JS and Go SDKs do. The synchronous form is {@link createAuthorizationSync}; a
 * {@link Signer} keeps the credentials compiled between calls.
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
  try {
    return Promise.resolve(createAuthorizationSync(input));
  } catch (e) {
    return Promise.reject(e);
  }
}

/**
 * {@link createAuthorization}, synchronously.
 *
 * @param input Credentials, timestamp, expiration and the request.
 * @returns The authorization string.
 *
 * @example
 * ```ts
 * import { createAuthorizationSync } from "@boskit/boskit/protocol";
 * import assert from "node:assert/strict";
 *
 * const authorization = createAuthorizationSync({
 *   accessKeyId: "ak",
 *   secretAccessKey: "sk",
 *   method: "GET",
 *   path: "/bucket/key",
 *   headers: { host: "bj.bcebos.com" },
 *   timestamp: new Date("2026-11-24T08:00:00Z"),
 * });
 * assert(authorization.startsWith("bce-auth-v1/ak/2026-11-24T08:00:00Z/1800/host/"));
 * ```
 */
export function createAuthorizationSync(input: AuthorizationInput): string {
  return signerFor(input.accessKeyId, input.secretAccessKey).authorization(input);
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

function splitUrl(url: string | URL): { origin: string; host: string; path: string; query: string } {
  const text = typeof url === "string" ? url : url.href;
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]+)([^?#]*)(?:\?([^#]*))?/.exec(text);
  if (!m) throw new TypeError(`URL must be absolute (scheme://host/path), got ${JSON.stringify(text)}`);
  const scheme = m[1].toLowerCase();
  let host = m[2].replace(/^[^@]*@/, "").toLowerCase();
  if ((scheme === "http" && host.endsWith(":80")) || (scheme === "https" && host.endsWith(":443"))) {
    host = host.replace(/:\d+$/, "");
  }
  return { origin: `${scheme}://${host}`, host, path: m[3] || "/", query: m[4] ?? "" };
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
  try {
    const signer = input.sessionToken === undefined
      ? signerFor(input.accessKeyId, input.secretAccessKey)
      : new Signer(input);
    return Promise.resolve(signer.presignUrl(input));
  } catch (e) {
    return Promise.reject(e);
  }
}
