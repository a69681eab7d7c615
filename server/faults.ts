/**
 * Fault injection (the storage-testbench idea): a request header or a registered fault plan makes
 * the server answer an error status, reset the connection, truncate or stall a response, and it
 * records which faults were consumed so a test can prove that a client retried. Off unless the
 * server runs with `faults: true`. The contract is in server/README.md.
 *
 * @module
 */
import type { ServiceErrorCode } from "../protocol/errors.ts";
import { BosHttpError } from "./_http.ts";
import type { Operation } from "./router.ts";

/** One parsed fault instruction. */
export type Fault =
  | { kind: "status"; status: number; text: string }
  | { kind: "reset"; text: string }
  | { kind: "truncate"; after: number; text: string }
  | { kind: "stall"; after: number; text: string };

/**
 * Parses an instruction: a status `400`..`599`, `reset`, `truncate-after-N` or `stall-after-N`.
 *
 * @param text The instruction.
 * @returns The fault, or `undefined` when the text is not an instruction.
 *
 * @example
 * ```ts
 * import { parseFault } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(parseFault("truncate-after-1000"), { kind: "truncate", after: 1000, text: "truncate-after-1000" });
 * assert.equal(parseFault("explode"), undefined);
 * ```
 */
export function parseFault(text: string): Fault | undefined {
  const t = text.trim().toLowerCase();
  if (/^[45]\d\d$/.test(t)) return { kind: "status", status: Number(t), text: t };
  if (t === "reset") return { kind: "reset", text: t };
  const m = /^(truncate|stall)-after-(\d{1,15})$/.exec(t);
  if (m) return { kind: m[1] === "truncate" ? "truncate" : "stall", after: Number(m[2]), text: t };
  return undefined;
}

/** Which requests a plan applies to; absent fields match anything. */
export interface FaultMatch {
  /** HTTP method to match (`PUT`, …); any when omitted. */
  method?: string;
  /** BOS operation name to match (`UploadPart`, …); any when omitted. */
  operation?: string;
  /** Bucket to match; any when omitted. */
  bucket?: string;
  /** Object key to match; any when omitted. */
  key?: string;
  /** Part number to match (UploadPart / UploadPartCopy); any when omitted. */
  partNumber?: number;
}

/** A consumed fault, as `GET /_boskit/faults` reports it. */
export interface ConsumedFault {
  /** The instruction applied (`503`, `reset`, `truncate-after-N`, …). */
  fault: string;
  /** The BOS operation of the request it was applied to. */
  operation: string;
  /** The HTTP method of that request. */
  method: string;
  /** The request path as received. */
  path: string;
  /** ISO 8601 time with milliseconds. */
  at: string;
}

/** A registered plan. */
export interface FaultPlan {
  /** The plan's id, as returned when it was registered. */
  id: string;
  /** Which requests consume the plan's faults. */
  match: FaultMatch;
  /** Faults not consumed yet, in order. */
  faults: string[];
  /** Faults already applied, oldest first. */
  consumed: ConsumedFault[];
}

/** What a request looks like to the fault matcher. */
export interface FaultRequest {
  /** HTTP method. */
  method: string;
  /** BOS operation the router resolved. */
  operation: Operation;
  /** Bucket, when the request names one. */
  bucket?: string;
  /** Object key, when the request names one. */
  key?: string;
  /** Part number of UploadPart / UploadPartCopy. */
  partNumber?: number;
  /** The request path as received. */
  path: string;
}

const MATCH_FIELDS = new Set(["method", "operation", "bucket", "key", "partNumber"]);

/**
 * The fault plans of one server.
 *
 * @example
 * ```ts
 * import { FaultRegistry } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const registry = new FaultRegistry();
 * registry.register({ match: { operation: "GetObject" }, faults: ["503", "reset"] });
 * const f = registry.take({ method: "GET", operation: "GetObject", path: "/b/k" }, null);
 * assert.equal(f?.text, "503");
 * assert.equal(registry.list()[0].consumed.length, 1);
 * ```
 */
export class FaultRegistry {
  #plans: FaultPlan[] = [];
  #seq = 0;

  /**
   * Registers a plan from the JSON body of `POST /_boskit/faults`; bad input → 400.
   *
   * @param body The plan: `{ match?: { method, operation, bucket, key, partNumber }, faults: [...] }`.
   * @returns The plan id.
   *
   * @example
   * ```ts
   * import { FaultRegistry } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const registry = new FaultRegistry();
   * const id = registry.register({
   *   match: { operation: "PutObject", key: "a.txt" },
   *   faults: ["503", "reset"],
   * });
   * assert.equal(registry.list()[0].id, id);
   * assert.throws(() => registry.register({ faults: ["teapot"] }), /Unknown fault instruction/);
   * ```
   */
  register(body: unknown): string {
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw new BosHttpError("InappropriateJSON", "A fault plan must be a JSON object with match and faults");
    }
    const { match = {}, faults } = body as { match?: unknown; faults?: unknown };
    if (typeof match !== "object" || match === null || Array.isArray(match)) {
      throw new BosHttpError("InappropriateJSON", "match must be a JSON object");
    }
    const m: FaultMatch = {};
    for (const [k, v] of Object.entries(match)) {
      if (!MATCH_FIELDS.has(k)) {
        throw new BosHttpError(
          "InappropriateJSON",
          `Unknown match field ${JSON.stringify(k)}; use method, operation, bucket, key or partNumber`,
        );
      }
      if (k === "partNumber") {
        if (typeof v !== "number" || !Number.isInteger(v)) {
          throw new BosHttpError(
            "InappropriateJSON",
            `match.partNumber must be an integer, got ${JSON.stringify(v)}`,
          );
        }
        m.partNumber = v;
      } else {
        if (typeof v !== "string") {
          throw new BosHttpError(
            "InappropriateJSON",
            `match.${k} must be a string, got ${JSON.stringify(v)}`,
          );
        }
        (m as Record<string, string>)[k] = k === "method" ? v.toUpperCase() : v;
      }
    }
    if (!Array.isArray(faults) || faults.length === 0) {
      throw new BosHttpError("InappropriateJSON", "faults must be a non-empty array of instructions");
    }
    const list: string[] = [];
    for (const f of faults) {
      const parsed = typeof f === "string" || typeof f === "number" ? parseFault(String(f)) : undefined;
      if (!parsed) {
        throw new BosHttpError(
          "InvalidArgument",
          `Unknown fault instruction ${
            JSON.stringify(f)
          }; use a 4xx/5xx status, reset, truncate-after-N or stall-after-N`,
        );
      }
      list.push(parsed.text);
    }
    const id = `plan-${++this.#seq}-${crypto.randomUUID().slice(0, 8)}`;
    this.#plans.push({ id, match: m, faults: list, consumed: [] });
    return id;
  }

  /**
   * Every plan (with remaining faults and consumption records).
   *
   * @returns Copies of the plans, in registration order.
   *
   * @example
   * ```ts
   * import { FaultRegistry } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const registry = new FaultRegistry();
   * registry.register({ faults: ["500", "reset"] });
   * registry.take({ method: "GET", operation: "GetObject", path: "/b/k" }, null);
   * const [plan] = registry.list();
   * assert.deepEqual(plan.faults, ["reset"]);
   * assert.equal(plan.consumed[0].fault, "500");
   * assert.equal(plan.consumed[0].operation, "GetObject");
   * ```
   */
  list(): FaultPlan[] {
    return this.#plans.map((p) => ({
      ...p,
      match: { ...p.match },
      faults: [...p.faults],
      consumed: [...p.consumed],
    }));
  }

  /**
   * Removes every plan.
   *
   * @example
   * ```ts
   * import { FaultRegistry } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const registry = new FaultRegistry();
   * registry.register({ faults: ["500"] });
   * registry.clear();
   * assert.deepEqual(registry.list(), []);
   * ```
   */
  clear(): void {
    this.#plans = [];
  }

  /**
   * The fault for a request: the `x-boskit-fault` header when given (not recorded in any plan),
   * else the next fault of the first matching plan with faults left (consumed and recorded).
   *
   * @param request What the request looks like to the matcher.
   * @param header The `x-boskit-fault` request header, or `null`.
   * @returns The fault to apply, or `undefined`.
   *
   * @example
   * ```ts
   * import { FaultRegistry, type FaultRequest } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const registry = new FaultRegistry();
   * registry.register({ match: { partNumber: 2 }, faults: ["reset"] });
   * const request: FaultRequest = {
   *   method: "PUT",
   *   operation: "UploadPart",
   *   bucket: "b",
   *   key: "k",
   *   partNumber: 2,
   *   path: "/b/k",
   * };
   * assert.equal(registry.take(request, null)?.text, "reset");
   * assert.equal(registry.take(request, null), undefined); // the plan is used up
   * assert.equal(registry.take(request, "503")?.text, "503"); // the header wins and is not recorded
   * ```
   */
  take(request: FaultRequest, header: string | null): Fault | undefined {
    if (header !== null && header.trim() !== "") {
      const f = parseFault(header);
      if (!f) {
        throw new BosHttpError(
          "InvalidArgument",
          `Unknown x-boskit-fault instruction ${JSON.stringify(header.slice(0, 60))}`,
        );
      }
      return f;
    }
    for (const plan of this.#plans) {
      if (plan.faults.length === 0 || !matches(plan.match, request)) continue;
      const text = plan.faults.shift()!;
      plan.consumed.push({
        fault: text,
        operation: request.operation,
        method: request.method,
        path: request.path,
        at: new Date().toISOString(),
      });
      return parseFault(text);
    }
    return undefined;
  }
}

function matches(m: FaultMatch, r: FaultRequest): boolean {
  return (m.method === undefined || m.method === r.method) &&
    (m.operation === undefined || m.operation === r.operation) &&
    (m.bucket === undefined || m.bucket === r.bucket) &&
    (m.key === undefined || m.key === r.key) &&
    (m.partNumber === undefined || m.partNumber === r.partNumber);
}

const FAULT_CODES: Record<number, ServiceErrorCode> = {
  400: "InvalidArgument",
  403: "AccessDenied",
  404: "NoSuchKey",
  405: "MethodNotAllowed",
  408: "RequestTimeout",
  409: "OperationAborted",
  411: "MissingContentLength",
  412: "PreconditionFailed",
  416: "InvalidRange",
  429: "RequestRateLimitExceeded",
  500: "InternalError",
  501: "NotImplemented",
  502: "BadGateway",
  503: "ServiceUnavailable",
  504: "GatewayTimeout",
};

/**
 * The BOS error an injected status answers with.
 *
 * @example
 * ```ts
 * import { faultError } from "./faults.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(faultError(503).code, "ServiceUnavailable");
 * ```
 */
export function faultError(status: number): BosHttpError {
  const code = FAULT_CODES[status] ?? (status >= 500 ? "InternalError" : "InvalidRequest");
  return new BosHttpError(code, `Injected fault: ${status} ${code}`, status);
}

/**
 * A body that errors on first read (in-process: the client sees a failed body read).
 *
 * @example
 * ```ts
 * import { resetBody } from "./faults.ts";
 * import assert from "node:assert/strict";
 *
 * await assert.rejects(() => new Response(resetBody()).arrayBuffer());
 * ```
 */
export function resetBody(): ReadableStream<Uint8Array> {
  return new ReadableStream({
    pull(controller) {
      controller.error(new TypeError("Injected fault: connection reset"));
    },
  });
}

/**
 * Passes the first `after` bytes of `body`, then errors (`truncate`) or stalls until `signal`
 * aborts or the reader cancels (`stall`). Uses no timers.
 *
 * @example
 * ```ts
 * import { limitBody } from "./faults.ts";
 * import assert from "node:assert/strict";
 *
 * const body = new Response("0123456789").body;
 * const reader = limitBody(body, 4, "truncate", new AbortController().signal).getReader();
 * assert.equal(new TextDecoder().decode((await reader.read()).value), "0123");
 * await assert.rejects(() => reader.read());
 * ```
 */
export function limitBody(
  body: ReadableStream<Uint8Array> | null,
  after: number,
  mode: "truncate" | "stall",
  signal: AbortSignal,
): ReadableStream<Uint8Array> {
  const reader = body?.getReader();
  let sent = 0;
  let release: (() => void) | undefined;
  const stop = () => release?.();
  signal.addEventListener("abort", stop, { once: true });
  const cleanup = () => {
    signal.removeEventListener("abort", stop);
    reader?.cancel().catch(() => {});
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (sent < after && reader) {
        const r = await reader.read().catch(() => ({ done: true as const, value: undefined }));
        if (!r.done) {
          const chunk = r.value.byteLength > after - sent ? r.value.subarray(0, after - sent) : r.value;
          sent += chunk.byteLength;
          controller.enqueue(chunk);
          return;
        }
      }
      if (mode === "truncate") {
        cleanup();
        controller.error(new TypeError(`Injected fault: connection dropped after ${sent} bytes`));
        return;
      }
      if (!signal.aborted) await new Promise<void>((resolve) => release = resolve);
      cleanup();
      controller.error(new TypeError(`Injected fault: stalled after ${sent} bytes`));
    },
    cancel() {
      stop();
      cleanup();
    },
  }, { highWaterMark: 0 });
}
