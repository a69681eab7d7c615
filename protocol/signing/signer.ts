/**
 * The BCE v1 signer itself: a {@link Signer} per credential (the secret compiled into HMAC state, the
 * signing key of each timestamp derived once), synchronous, on a small JavaScript SHA-256 (and
 * `node:crypto`'s HMAC for the second hash on Node and Bun, once loaded). `sign.ts` loads this module
 * on the first signature.
 *
 * @module
 */
import { uriEncode } from "../encoding.ts";
import { derivedHexBytes, derivedHexKey, hmacHexWith, type HmacKey, hmacKey } from "../_sha256.ts";
import { loadNodeCrypto, type NodeCrypto, nodeCryptoIfLoaded } from "../_node_crypto.ts";
import { buildCanonical, type SignableRequest } from "./canonical.ts";
import {
  AUTH_VERSION,
  type AuthorizationInput,
  checkExpiration,
  type Credentials,
  DEFAULT_EXPIRATION_SECONDS,
  formatTimestamp,
  type PresignInput,
} from "./sign.ts";

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
  /** As the bytes of its hex text, for `node:crypto`. */
  hex?: Uint8Array;
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
      entry.hex ??= derivedHexBytes(this.#secret, prefix);
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
const signers = /* @__PURE__ */ new Map<string, Signer>();
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

/**
 * A presigned URL, synchronously: what `presignUrl` (in `sign.ts`) resolves to.
 *
 * @param input Credentials, method, URL, timestamp and expiration.
 * @returns The URL with `authorization=` appended.
 */
export function presignUrlSync(input: PresignInput): string {
  const signer = input.sessionToken === undefined
    ? signerFor(input.accessKeyId, input.secretAccessKey)
    : new Signer(input);
  return signer.presignUrl(input);
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
