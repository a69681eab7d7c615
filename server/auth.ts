/**
 * Signature verification for incoming requests, on top of `verifyAuthorization` from the protocol
 * core's signer (one canonicalisation for both sides).
 *
 * @module
 */
import type { Credentials } from "../protocol/signing/sign.ts";
import { verifyAuthorization } from "../protocol/signing/verify.ts";
import { BosHttpError } from "./_http.ts";
import { percentDecode } from "./router.ts";

/** @deprecated Use {@link Credentials} (one type for the client, the server and the kit). */
export type Credential = Credentials;

/** What {@link authenticate} needs from a request. */
export interface AuthRequest {
  /** HTTP method. */
  method: string;
  /** Raw path as sent. */
  path: string;
  /** Raw query string as sent (without `?`). */
  query: string;
  /** Request headers (a `host` header must be present; the caller fills it from the URL if missing). */
  headers: Headers;
}

/**
 * Verifies a request's BCE v1 signature (header or presigned `authorization` query parameter) and
 * STS token; throws a {@link BosHttpError} with the BOS code on failure.
 *
 * @param request The request as received.
 * @param credentials Accepted credentials.
 * @param now Server time.
 * @param clockSkewSeconds Allowed clock skew for future timestamps.
 * @returns The authenticated access key id.
 *
 * @example
 * ```ts
 * import { authenticate } from "@boskit/boskit/server";
 * import { createAuthorization } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * const headers = new Headers({ host: "127.0.0.1:8080" });
 * const authorization = await createAuthorization({ method: "GET", path: "/", headers, accessKeyId: "ak", secretAccessKey: "sk", timestamp: new Date() });
 * headers.set("authorization", authorization);
 * const ak = await authenticate({ method: "GET", path: "/", query: "", headers }, [{ accessKeyId: "ak", secretAccessKey: "sk" }], new Date(), 900);
 * assert.equal(ak, "ak");
 * ```
 */
export async function authenticate(
  request: AuthRequest,
  credentials: readonly Credentials[],
  now: Date,
  clockSkewSeconds: number,
): Promise<string> {
  let authorization = request.headers.get("authorization") ?? undefined;
  let tokenFromQuery: string | undefined;
  for (const item of request.query.split("&")) {
    const eq = item.indexOf("=");
    const rawKey = eq < 0 ? item : item.slice(0, eq);
    const key = percentDecode(rawKey)?.toLowerCase();
    const value = percentDecode(eq < 0 ? "" : item.slice(eq + 1));
    if (key === "authorization" && authorization === undefined && value !== undefined) authorization = value;
    if (key === "x-bce-security-token" && tokenFromQuery === undefined) tokenFromQuery = value;
  }
  if (authorization === undefined || authorization.trim() === "") {
    throw new BosHttpError(
      "AccessDenied",
      "Anonymous access is not allowed: the request carries no authorization",
    );
  }
  const result = await verifyAuthorization({
    authorization,
    method: request.method,
    path: request.path,
    query: request.query,
    headers: request.headers,
    lookupSecret: (ak) => credentials.find((c) => c.accessKeyId === ak)?.secretAccessKey,
    now,
    clockSkewSeconds,
  });
  if (!result.ok) throw new BosHttpError(result.code, result.message, result.status);
  const credential = credentials.find((c) => c.accessKeyId === result.accessKeyId)!;
  const token = request.headers.get("x-bce-security-token") ?? tokenFromQuery;
  if (credential.sessionToken !== undefined) {
    if (token !== credential.sessionToken) {
      throw new BosHttpError(
        "InvalidSessionToken",
        token === undefined
          ? `The access key ${credential.accessKeyId} is temporary and needs x-bce-security-token`
          : `The security token does not belong to the access key ${credential.accessKeyId}`,
      );
    }
  } else if (token !== undefined && token !== "") {
    throw new BosHttpError(
      "InvalidSessionToken",
      `The access key ${credential.accessKeyId} is permanent and takes no x-bce-security-token`,
    );
  }
  return result.accessKeyId;
}
