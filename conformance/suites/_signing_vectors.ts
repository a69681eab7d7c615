/**
 * The signing vectors (`fixtures/signing/`) and how the project's signer is checked against each:
 * canonical request, signing key, signature, authorization and presigned URL. Private to the signing
 * suite (kept apart for module size).
 *
 * @module
 */
import { canonicalRequest } from "../../protocol/signing/canonical.ts";
import { createAuthorization, presignUrl, signingKey } from "../../protocol/signing/sign.ts";
import { verifyAuthorization } from "../../protocol/signing/verify.ts";
import { uriEncode } from "../../protocol/encoding.ts";

/** One signing vector as the fixtures store it. */
export interface VectorFile {
  name: string;
  kind?: "authorization" | "presign";
  input: {
    accessKeyId: string;
    secretAccessKey: string;
    method?: string;
    path?: string;
    url?: string;
    query?: Record<string, string | null> | string;
    headers?: Record<string, string>;
    timestamp: string;
    expirationInSeconds?: number;
    headersToSign?: string[];
    sessionToken?: string;
  };
  canonicalRequest?: string;
  signingKey?: string;
  signature?: string;
  authorization?: string;
  alsoValid?: string[];
  url?: string;
  presign?: Record<string, unknown>;
}

/** Every vector of `fixtures/signing/` (generated ones included), with the file it came from. */
export async function loadVectors(): Promise<Array<{ file: string; vector: VectorFile }>> {
  const out: Array<{ file: string; vector: VectorFile }> = [];
  // One vector per file at the top; sets generated from the official SDKs (`{ vectors: [...] }`) in
  // generated/ (present in the repository, not in the published package).
  for (const sub of ["", "generated/"]) {
    const dir = new URL("../../fixtures/signing/" + sub, import.meta.url);
    try {
      for await (const entry of Deno.readDir(dir)) {
        if (!entry.isFile || !entry.name.endsWith(".json")) continue;
        const json = JSON.parse(await Deno.readTextFile(new URL(entry.name, dir)));
        const vectors: VectorFile[] = Array.isArray(json.vectors) ? json.vectors : [json];
        for (const vector of vectors) out.push({ file: `${sub}${entry.name}#${vector.name}`, vector });
      }
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
  }
  return out.sort((a, b) => a.file < b.file ? -1 : 1);
}

/**
 * Checks one vector with the project's signer; returns the list of mismatches.
 *
 * @param v The vector.
 * @returns Sentences naming what differed.
 */
export async function checkVector(v: VectorFile): Promise<string[]> {
  const problems: string[] = [];
  const input = v.input;
  const timestamp = new Date(input.timestamp);
  const expiration = input.expirationInSeconds ?? 1800;
  const prefix = `bce-auth-v1/${input.accessKeyId}/${
    input.timestamp.replace(/\.\d{3}Z$/, "Z")
  }/${expiration}`;
  const presign = v.kind === "presign" || v.url !== undefined || v.presign !== undefined;
  let method = input.method ?? "GET";
  let path = input.path ?? "/";
  let query: Record<string, string | null> | string | undefined = input.query;
  let headers: Record<string, string> = input.headers ?? {};
  let headersToSign = input.headersToSign;
  if (presign) {
    const presignInput = { ...input, ...(v.presign ?? {}) } as VectorFile["input"];
    const url = presignInput.url ?? "";
    const got = await presignUrl({
      accessKeyId: presignInput.accessKeyId,
      secretAccessKey: presignInput.secretAccessKey,
      method: presignInput.method,
      url,
      timestamp,
      expirationInSeconds: expiration,
      sessionToken: presignInput.sessionToken,
      headers: presignInput.headers,
      headersToSign: presignInput.headersToSign,
    });
    if (v.url !== undefined && got !== v.url) problems.push(`presignUrl gave ${got}, expected ${v.url}`);
    const gotAuthorization = decodeURIComponent(/[?&]authorization=([^&]*)/.exec(got)?.[1] ?? "");
    if (v.authorization !== undefined && gotAuthorization !== v.authorization) {
      problems.push(`presignUrl signed ${gotAuthorization}, expected ${v.authorization}`);
    }
    const m = /^[a-z]+:\/\/([^/?#]+)([^?#]*)(?:\?([^#]*))?/i.exec(url);
    method = presignInput.method ?? "GET";
    path = m?.[2] || "/";
    query = m?.[3] ?? "";
    if (presignInput.sessionToken !== undefined) {
      query += (query ? "&" : "") + "x-bce-security-token=" + uriEncode(presignInput.sessionToken);
    }
    headers = { ...(presignInput.headers ?? {}), host: (m?.[1] ?? "").toLowerCase() };
    // What presignUrl signs: the default set of the headers, or the listed ones, with host.
    headersToSign = presignInput.headersToSign?.length ? [...presignInput.headersToSign, "host"] : undefined;
  }
  const request = { method, path, query, headers, headersToSign };
  if (v.canonicalRequest !== undefined) {
    const got = canonicalRequest(request);
    if (got !== v.canonicalRequest) {
      problems.push(
        `canonical request ${JSON.stringify(got)} differs from ${JSON.stringify(v.canonicalRequest)}`,
      );
    }
  }
  if (v.signingKey !== undefined) {
    const got = await signingKey(input.secretAccessKey, prefix);
    if (got !== v.signingKey) problems.push(`signing key ${got} differs from ${v.signingKey}`);
  }
  if (v.authorization !== undefined && !presign) {
    const got = await createAuthorization({
      ...request,
      accessKeyId: input.accessKeyId,
      secretAccessKey: input.secretAccessKey,
      timestamp,
      expirationInSeconds: expiration,
    });
    if (got !== v.authorization) problems.push(`authorization ${got} differs from ${v.authorization}`);
  }
  for (const spelling of [...(v.authorization ? [v.authorization] : []), ...(v.alsoValid ?? [])]) {
    const r = await verifyAuthorization({
      method,
      path,
      query,
      headers,
      authorization: spelling,
      lookupSecret: (ak) => ak === input.accessKeyId ? input.secretAccessKey : undefined,
      now: timestamp,
    });
    if (!r.ok) problems.push(`verifyAuthorization refused ${spelling}: ${r.message}`);
  }
  return problems;
}
