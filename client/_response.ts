// Private: reading successful responses — errors hidden in 200 bodies, JSON fields, and releasing
// bodies nobody reads (the errors of failed responses are `_error_response.ts`).
import { BosError } from "../protocol/errors.ts";

function optional(h: Headers, name: string): string | undefined {
  const v = h.get(name);
  return v === null ? undefined : v;
}

/** The headers a browser client needs exposed, named in the MissingHeader message. */
const EXPOSE = '"ETag", "Content-Range", "x-bce-request-id", "x-bce-next-append-offset", "x-bce-meta-*"';

/**
 * A header the client needs, or a `MissingHeader` error: in a browser, a cross-origin response shows
 * a script only the CORS-safelisted headers and those the bucket's rule exposes.
 */
export function requireHeader(h: Headers, name: string, op: string, status = 200): string {
  const v = h.get(name);
  if (v !== null && v !== "") return v;
  throw new BosError({
    status,
    code: "MissingHeader",
    message:
      `${op} answered without the ${name} header the client needs; in a browser, the bucket's CORS rule must expose it (allowedExposeHeaders: [${EXPOSE}], sent as Access-Control-Expose-Headers)`,
    requestId: h.get("x-bce-request-id") ?? undefined,
  });
}

/**
 * For reads in a browser (a `cors` response): the ETag must be readable, else the rule exposes too
 * little and the metadata would read as empty; `MissingHeader` says which header to expose.
 */
export function requireExposed(res: Response, op: string): void {
  if (res.type === "cors") requireHeader(res.headers, "etag", op, res.status);
}

/** After a successful response whose body is not needed: release it and return the headers. */
export async function drain(res: Response): Promise<Headers> {
  await res.body?.cancel().catch(() => {});
  return res.headers;
}

/** The JSON body of a successful response (an error inside a 200 body is thrown). */
export async function json(res: Response): Promise<Record<string, unknown>> {
  const text = await res.text();
  return jsonOrEmbeddedError(text, res);
}

/**
 * Throws the BosError hidden in a 200 response body (CopyObject, UploadPartCopy, Complete), or
 * returns the parsed JSON.
 */
export function jsonOrEmbeddedError(text: string, res: Response): Record<string, unknown> {
  let j: unknown = {};
  if (text.trim() !== "") {
    try {
      j = JSON.parse(text);
    } catch (cause) {
      throw new BosError({
        status: res.status,
        code: "MalformedResponse",
        message: `The response body is not JSON: ${JSON.stringify(text.slice(0, 200))}`,
        requestId: optional(res.headers, "x-bce-request-id"),
        cause,
      });
    }
  }
  if (!j || typeof j !== "object") j = {};
  const o = j as Record<string, unknown>;
  if (typeof o.code === "string" && o.code !== "") {
    throw new BosError({
      status: res.status,
      code: o.code,
      message: typeof o.message === "string" ? o.message : `The operation failed with ${o.code}`,
      requestId: (typeof o.requestId === "string" ? o.requestId : undefined) ??
        optional(res.headers, "x-bce-request-id"),
      debugId: optional(res.headers, "x-bce-debug-id"),
    });
  }
  return o;
}

/** A string field of parsed JSON, or the fallback. */
export function str(v: unknown, fallback = ""): string {
  return typeof v === "string" ? v : fallback;
}

/** A numeric field (number or digit string) of parsed JSON, or the fallback. */
export function num(v: unknown, fallback = 0): number {
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
  return Number.isFinite(n) ? n : fallback;
}

/** The object elements of an array field of parsed JSON (`[]` when absent). */
export function arr(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v) ? v.filter((x) => x && typeof x === "object") : [];
}
