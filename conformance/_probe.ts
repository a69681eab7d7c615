/**
 * The probe that runs before any suite: is the endpoint reachable, does it speak BOS (errors as BOS
 * JSON with a code and a request id; ListBuckets in BOS JSON), and does it accept the credentials?
 * When one of these does not hold, no law can be judged: the run ends with one line saying which.
 *
 * @module
 */
import type { Exchange, HttpContext, HttpResponse, RawRequest } from "./_http.ts";
import { describeFetchError } from "./_http.ts";
import type { ProbeResult, ProbeStep } from "./_results.ts";

/** Codes with which BOS refuses credentials (or their signature). */
const CREDENTIAL_CODES = new Set([
  "InvalidAccessKeyId",
  "SignatureDoesNotMatch",
  "AccessDenied",
  "InvalidSessionToken",
  "RequestExpired",
]);

class NoAnswer extends Error {}

/** The system's reason in words a person searches for, from a fetch failure. */
export function networkReason(e: unknown): string {
  const raw = describeFetchError(e);
  if (/refused/i.test(raw)) return `connection refused (${raw})`;
  if (/dns|lookup|name or service not known|getaddrinfo|nodename|no such host/i.test(raw)) {
    return `DNS lookup failed (${raw})`;
  }
  if (/certificate|tls|ssl|handshake|peer/i.test(raw)) {
    return `TLS failed (${raw}); for a private CA use --ca FILE, or --insecure to skip verification`;
  }
  if (/reset|broken pipe|connection closed|unexpected eof|incomplete/i.test(raw)) {
    return `the connection was closed (${raw})`;
  }
  return raw;
}

/** Sends one request on a context of its own with a time limit; network failures become NoAnswer. */
async function sendWithin(
  root: HttpContext,
  request: RawRequest,
  timeoutMs: number,
): Promise<{ res?: HttpResponse; reason?: string; exchange?: Exchange }> {
  const http = root.forCheck();
  const timer = setTimeout(
    () => http.halt(new NoAnswer(`no answer within ${timeoutMs / 1000} s`)),
    timeoutMs,
  );
  try {
    return { res: await http.send(request) };
  } catch (e) {
    if (e instanceof NoAnswer) return { reason: e.message, exchange: http.pendingExchanges()[0] };
    const exchange = (e as { exchange?: Exchange }).exchange;
    if (exchange) return { reason: networkReason((e as { cause?: unknown }).cause ?? e), exchange };
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

/** A BOS JSON error body, when the response carries one. */
function bosError(res: HttpResponse): { code: string; requestId?: string } | undefined {
  const j = res.json() as { code?: unknown; requestId?: unknown } | undefined;
  if (!j || typeof j !== "object" || typeof j.code !== "string" || j.code === "") return undefined;
  const requestId = typeof j.requestId === "string" && j.requestId !== ""
    ? j.requestId
    : res.headers.get("x-bce-request-id") ?? undefined;
  return { code: j.code, requestId };
}

function describe(res: HttpResponse): string {
  const type = res.headers.get("content-type");
  const body = res.text().replace(/\s+/g, " ").trim().slice(0, 80);
  return `${res.status}${type ? ` ${type}` : ""}${
    body ? ` "${body}${res.body.length > 80 ? "…" : ""}"` : ""
  }`;
}

function randomName(): string {
  return "boskit-probe-" +
    [...crypto.getRandomValues(new Uint8Array(6))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Probes an endpoint: three signed requests (ListBuckets, ListObjects of a bucket that cannot exist,
 * and HeadBucket of `bucket` when ListBuckets is refused for lack of permission). Measures the clock
 * offset from the `Date` header and sets it on `http` when it exceeds 30 s.
 *
 * @param http The run's context.
 * @param options `timeoutMs` per request; `bucket` the run works in, when it is given.
 * @returns What was found.
 */
export async function probeEndpoint(
  http: HttpContext,
  options: { timeoutMs: number; bucket?: string },
): Promise<ProbeResult> {
  const steps: ProbeStep[] = [];
  const endpoint = http.endpoint;
  const fail = (name: ProbeStep["name"], detail: string, diagnosis: string, exchange?: Exchange) => {
    steps.push({ name, ok: false, detail, ...(exchange ? { exchange } : {}) });
    return { ok: false, failed: name, diagnosis, steps, ...clock() };
  };
  let clockOffsetMs: number | undefined;
  const clock = () => (clockOffsetMs === undefined ? {} : { clockOffsetMs });
  const noteClock = (res: HttpResponse) => {
    const date = Date.parse(res.headers.get("date") ?? "");
    if (Number.isNaN(date)) return;
    const offset = date - Date.now();
    if (Math.abs(offset) > 30_000) {
      clockOffsetMs = offset;
      http.clockOffsetMs = offset;
    }
  };

  // 1. Reachable: ListBuckets, signed.
  const listUrl = http.originOf(null) + "/";
  let list = await sendWithin(http, { method: "GET", bucket: null }, options.timeoutMs);
  if (!list.res) {
    return fail("reachable", list.reason!, `Cannot reach ${listUrl}: ${list.reason}`, list.exchange);
  }
  noteClock(list.res);
  if (bosError(list.res)?.code === "RequestTimeTooSkewed" && clockOffsetMs !== undefined) {
    list = await sendWithin(http, { method: "GET", bucket: null }, options.timeoutMs);
    if (!list.res) {
      return fail("reachable", list.reason!, `Cannot reach ${listUrl}: ${list.reason}`, list.exchange);
    }
  }
  steps.push({ name: "reachable", ok: true, detail: `GET ${listUrl} answered ${list.res.status}` });

  // 2. Speaks BOS: a request that must fail answers a BOS JSON error with a code and a request id.
  const missing = randomName();
  const miss = await sendWithin(
    http,
    { method: "GET", bucket: missing, query: { maxKeys: 1 } },
    options.timeoutMs,
  );
  const missUrl = `${http.originOf(missing)}${http.pathOf(missing)}`;
  if (!miss.res) {
    return fail("reachable", miss.reason!, `Cannot reach ${missUrl}: ${miss.reason}`, miss.exchange);
  }
  const notBos = (detail: string, exchange: Exchange) =>
    fail(
      "speaks-bos",
      detail,
      `${endpoint} does not speak BOS: ${detail}; check the endpoint URL (and --addressing)`,
      exchange,
    );
  if (miss.res.status < 400) {
    return notBos(
      `ListObjects of a bucket that does not exist (GET ${missUrl}) answered ${
        describe(miss.res)
      }, where BOS answers 404 NoSuchBucket with a JSON error`,
      miss.res.exchange,
    );
  }
  const missError = bosError(miss.res);
  if (!missError) {
    return notBos(
      `an error response (GET ${missUrl}) is ${
        describe(miss.res)
      }, not a BOS JSON error {code, message, requestId}`,
      miss.res.exchange,
    );
  }
  if (!missError.requestId) {
    return notBos(
      `the error ${miss.res.status} ${missError.code} (GET ${missUrl}) carries no request id (x-bce-request-id)`,
      miss.res.exchange,
    );
  }

  // 3. Credentials: ListBuckets answers 200 with BOS JSON (or, for a bucket-scoped key, HeadBucket does).
  const listError = bosError(list.res);
  if (list.res.status === 200) {
    const j = list.res.json() as { buckets?: unknown } | undefined;
    if (!j || typeof j !== "object" || !Array.isArray(j.buckets)) {
      return notBos(
        `ListBuckets (GET ${listUrl}) answered ${describe(list.res)}, not BOS JSON with a buckets list`,
        list.res.exchange,
      );
    }
    steps.push(
      { name: "speaks-bos", ok: true, detail: `errors are BOS JSON (${miss.res.status} ${missError.code})` },
      {
        name: "credentials",
        ok: true,
        detail: `ListBuckets answered 200 with ${j.buckets.length} bucket(s)`,
      },
    );
    return { ok: true, diagnosis: `${endpoint} speaks BOS and accepts the credentials`, steps, ...clock() };
  }
  if (!listError) {
    return notBos(
      `ListBuckets (GET ${listUrl}) answered ${describe(list.res)}, not BOS JSON`,
      list.res.exchange,
    );
  }
  steps.push({
    name: "speaks-bos",
    ok: true,
    detail: `errors are BOS JSON (${miss.res.status} ${missError.code})`,
  });
  if (listError.code === "AccessDenied" && options.bucket !== undefined) {
    const head = await sendWithin(http, { method: "HEAD", bucket: options.bucket }, options.timeoutMs);
    if (head.res?.status === 200) {
      steps.push({
        name: "credentials",
        ok: true,
        detail: `ListBuckets is denied, but HeadBucket ${options.bucket} answered 200`,
      });
      return {
        ok: true,
        diagnosis: `${endpoint} speaks BOS and the credentials may use the bucket ${options.bucket}`,
        steps,
        ...clock(),
      };
    }
  }
  const detail = `ListBuckets (GET ${listUrl}) answered ${list.res.status} ${listError.code}`;
  if (CREDENTIAL_CODES.has(listError.code) || list.res.status === 401 || list.res.status === 403) {
    const hint = listError.code === "SignatureDoesNotMatch"
      ? "check the secret key (or the endpoint does not verify BCE v1 signatures as BOS does)"
      : listError.code === "InvalidAccessKeyId"
      ? "check the access key id"
      : listError.code === "RequestTimeTooSkewed"
      ? "check this machine's clock"
      : "check the credentials and their permissions";
    return fail(
      "credentials",
      detail,
      `${endpoint} does not accept the credentials: ${detail}; ${hint}`,
      list.res.exchange,
    );
  }
  return fail(
    "credentials",
    detail,
    `${endpoint} could not be judged: ${detail} (request id ${listError.requestId ?? "none"})`,
    list.res.exchange,
  );
}
