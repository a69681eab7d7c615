// Private: reading responses — BOS errors from failed ones (JSON body, HEAD headers or status),
// errors hidden in 200 bodies, JSON fields, and releasing bodies nobody reads.
import { BosError } from "../protocol/errors.ts";
import type { ServiceErrorCode } from "../protocol/errors.ts";

function optional(h: Headers, name: string): string | undefined {
  const v = h.get(name);
  return v === null ? undefined : v;
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

/** What the pipeline knows about the failed request, to name a body-less error. */
export interface ErrorContext {
  /** BOS operation name, for messages. */
  op: string;
  method: string;
  /** The code for a 404 without a body: NoSuchKey / NoSuchBucket / NoSuchUpload. */
  notFound: ServiceErrorCode;
}

const STATUS_CODES: Record<number, string> = {
  304: "NotModified",
  400: "InvalidHTTPRequest",
  403: "AccessDenied",
  405: "MethodNotAllowed",
  408: "RequestTimeout",
  409: "Conflict",
  411: "MissingContentLength",
  412: "PreconditionFailed",
  416: "InvalidRange",
  429: "SlowDown",
  500: "InternalError",
  501: "NotImplemented",
  502: "BadGateway",
  503: "ServiceUnavailable",
  504: "GatewayTimeout",
};

/** Builds the BosError of a non-2xx response, reading (and so releasing) its body. */
export async function errorFromResponse(res: Response, ctx: ErrorContext): Promise<BosError> {
  const h = res.headers;
  let code: string | undefined;
  let message: string | undefined;
  let requestId = optional(h, "x-bce-request-id");
  let text = "";
  if (ctx.method !== "HEAD" && res.body) {
    try {
      text = await res.text();
    } catch {
      // A body that breaks off still leaves the status.
    }
  } else {
    await res.body?.cancel().catch(() => {});
  }
  if (text) {
    try {
      const j = JSON.parse(text);
      if (j && typeof j === "object") {
        if (typeof j.code === "string" && j.code) code = j.code;
        if (typeof j.message === "string" && j.message) message = j.message;
        if (typeof j.requestId === "string" && j.requestId) requestId ??= j.requestId;
      }
    } catch {
      // not JSON
    }
  }
  code ??= optional(h, "x-bce-error-code") ??
    (res.status === 404 ? ctx.notFound : STATUS_CODES[res.status]) ??
    `Http${res.status}`;
  message ??= optional(h, "x-bce-error-message") ??
    (text && text.length < 300 && !text.trimStart().startsWith("{") ? text.trim() : undefined) ??
    `${ctx.op} failed with HTTP ${res.status}${res.statusText ? " " + res.statusText : ""}`;
  return new BosError({
    status: res.status,
    code,
    message,
    requestId,
    debugId: optional(h, "x-bce-debug-id"),
  });
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
