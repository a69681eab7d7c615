/**
 * Response building: BOS error bodies, the headers every response carries, date formats.
 *
 * @module
 */
import { ERROR_CODES, type ServiceErrorCode } from "../protocol/errors.ts";
import { formatTimestamp } from "../protocol/signing/sign.ts";

/** A BOS error to answer with; thrown anywhere below the handler. */
export class BosHttpError extends Error {
  /** BOS error code. */
  readonly code: ServiceErrorCode;
  /** HTTP status. */
  readonly status: number;
  /** Extra response headers. */
  readonly headers?: Record<string, string>;

  /**
   * @param code A service code of the error table (its status is the default).
   * @param message The message; default the table's message.
   * @param status Overrides the table's status.
   * @param headers Extra response headers.
   */
  constructor(code: ServiceErrorCode, message?: string, status?: number, headers?: Record<string, string>) {
    const known = ERROR_CODES[code];
    super(message ?? known.message);
    this.code = code;
    this.status = status ?? known.status;
    this.headers = headers;
  }
}

/** Throws a {@link BosHttpError}. */
export function fail(code: ServiceErrorCode, message?: string): never {
  throw new BosHttpError(code, message);
}

/** Per-request identity and clock. */
export interface ResponseContext {
  /** `x-bce-request-id` and `requestId`. */
  requestId: string;
  /** `x-bce-debug-id`. */
  debugId: string;
  /** The request method (HEAD answers carry no body). */
  method: string;
  /** The server clock. */
  now: () => Date;
}

/** RFC 1123 date (`Wed, 06 Apr 2016 06:34:40 GMT`). */
export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

/** ISO 8601 UTC seconds (`2016-04-06T06:34:40Z`). */
export function isoDate(ms: number): string {
  return formatTimestamp(new Date(ms));
}

/** The headers every response carries. */
export function baseHeaders(ctx: ResponseContext, extra?: HeadersInit): Headers {
  const h = new Headers(extra);
  h.set("x-bce-request-id", ctx.requestId);
  h.set("x-bce-debug-id", ctx.debugId);
  h.set("date", ctx.now().toUTCString());
  h.set("server", "BceBos");
  return h;
}

const JSON_TYPE = "application/json; charset=utf-8";
const enc = new TextEncoder();

/** A JSON response (`Content-Type: application/json; charset=utf-8`). */
export function jsonResponse(
  ctx: ResponseContext,
  body: unknown,
  status = 200,
  extra?: HeadersInit,
): Response {
  const bytes = enc.encode(JSON.stringify(body));
  const h = baseHeaders(ctx, extra);
  h.set("content-type", JSON_TYPE);
  h.set("content-length", String(bytes.byteLength));
  return new Response(ctx.method === "HEAD" ? null : bytes, { status, headers: h });
}

/** An empty response. */
export function emptyResponse(ctx: ResponseContext, status = 200, extra?: HeadersInit): Response {
  const h = baseHeaders(ctx, extra);
  if (status !== 204 && status !== 304 && !h.has("content-length")) h.set("content-length", "0");
  return new Response(null, { status, headers: h });
}

/**
 * A BOS error response: JSON `{code, message, requestId}`; for HEAD no body, the code and message in
 * `x-bce-error-code` / `x-bce-error-message`.
 */
export function errorResponse(ctx: ResponseContext, err: BosHttpError): Response {
  const h = baseHeaders(ctx, err.headers);
  h.set("content-type", JSON_TYPE);
  if (ctx.method === "HEAD") {
    h.set("x-bce-error-code", err.code);
    h.set("x-bce-error-message", headerSafe(err.message));
    return new Response(null, { status: err.status, headers: h });
  }
  const bytes = enc.encode(
    JSON.stringify({ code: err.code, message: err.message, requestId: ctx.requestId }),
  );
  h.set("content-length", String(bytes.byteLength));
  return new Response(bytes, { status: err.status, headers: h });
}

/** Makes text usable as a header value (printable ASCII only). */
export function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, "?").slice(0, 1024);
}
