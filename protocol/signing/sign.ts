/**
 * Signing with BCE authentication v1 (`bce-auth-v1`): the signing key, the authorization string of a
 * request and presigned URLs. Pure functions of their input (the clock is a parameter), separate from
 * any transport.
 *
 * @module
 */
import { toHex, uriEncode } from "../encoding.ts";
import { loadNodeCrypto, nodeCryptoIfLoaded } from "../_node_crypto.ts";
import { buildCanonical, type SignableRequest } from "./canonical.ts";

/** The authorization scheme and version every string starts with. */
export const AUTH_VERSION = "bce-auth-v1";
const enc = new TextEncoder();

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

/** Lower-case hex HMAC-SHA256 of `message` under `key` (both UTF-8). */
export async function hmacHex(key: string, message: string): Promise<string> {
  // node:crypto's synchronous HMAC where the runtime has it: Web Crypto costs a promise (and in Deno
  // a thread hop) per call, which dominates for the few hundred bytes a signature covers.
  const node = nodeCryptoIfLoaded() ?? (await loadNodeCrypto());
  if (node) return node.createHmac("sha256", key).update(message).digest("hex");
  const k = await crypto.subtle.importKey(
    "raw",
    enc.encode(key),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return toHex(new Uint8Array(await crypto.subtle.sign("HMAC", k, enc.encode(message))));
}

const SIGNING_KEY_CACHE_LIMIT = 256;
const signingKeyCache = new Map<string, Promise<string>>();

/**
 * The signing key: lower-case hex of HMAC-SHA256(SK, authStringPrefix). Cached per (secret, prefix).
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
  const cacheKey = secretAccessKey + "\n" + authStringPrefix;
  let key = signingKeyCache.get(cacheKey);
  if (!key) {
    if (signingKeyCache.size >= SIGNING_KEY_CACHE_LIMIT) signingKeyCache.clear();
    key = hmacHex(secretAccessKey, authStringPrefix);
    signingKeyCache.set(cacheKey, key);
    key.catch(() => signingKeyCache.delete(cacheKey));
  }
  return key;
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
  if (Number.isNaN(date.getTime())) throw new RangeError("Timestamp must be a valid date, got Invalid Date");
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
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

/**
 * Signs a request: returns the `Authorization` value
 * `bce-auth-v1/{ak}/{timestamp}/{expiration}/{signedHeaders}/{signature}`.
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
export async function createAuthorization(input: AuthorizationInput): Promise<string> {
  const expiration = input.expirationInSeconds ?? DEFAULT_EXPIRATION_SECONDS;
  checkExpiration(expiration);
  const prefix = `${AUTH_VERSION}/${input.accessKeyId}/${formatTimestamp(input.timestamp)}/${expiration}`;
  const { text, signedHeaders } = buildCanonical(input);
  const key = await signingKey(input.secretAccessKey, prefix);
  const signature = await hmacHex(key, text);
  return `${prefix}/${signedHeaders.join(";")}/${signature}`;
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
  /** Extra headers the caller promises to send with the URL (signed along with `host`). */
  headers?: Record<string, string | number>;
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
 * signing `host` (plus any headers the caller promises to send).
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
export async function presignUrl(input: PresignInput): Promise<string> {
  const { origin, host, path, query } = splitUrl(input.url);
  let rawQuery = query.split("&").filter((p) => p !== "" && !/^authorization(=|$)/i.test(p)).join("&");
  if (input.sessionToken !== undefined) {
    rawQuery += (rawQuery ? "&" : "") + "x-bce-security-token=" + uriEncode(input.sessionToken);
  }
  const headers: Record<string, string | number> = { ...input.headers, host };
  const authorization = await createAuthorization({
    accessKeyId: input.accessKeyId,
    secretAccessKey: input.secretAccessKey,
    method: input.method ?? "GET",
    path,
    query: rawQuery,
    headers,
    headersToSign: Object.keys(headers),
    timestamp: input.timestamp,
    expirationInSeconds: input.expirationInSeconds,
  });
  return `${origin}${path}?${rawQuery ? rawQuery + "&" : ""}authorization=${uriEncode(authorization)}`;
}
