// Private: the BosError of a failed response (JSON body, HEAD headers or status). Apart from the
// rest of `_response.ts` so the pipeline, which loads up front, carries only this.
import { BosError } from "../protocol/errors.ts";
import type { ServiceErrorCode } from "../protocol/errors.ts";

function optional(h: Headers, name: string): string | undefined {
  const v = h.get(name);
  return v === null ? undefined : v;
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
