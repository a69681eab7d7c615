/**
 * Small BOS operations on the kit's raw request layer, addressed through the operation table (each
 * helper names its operation; the method and sub-resource flags come from the table), and the
 * expectations checks share.
 *
 * @module
 */
import type { BosErrorCode } from "../protocol/errors.ts";
import { toBase64, toHex, unquote } from "../protocol/encoding.ts";
import { hash } from "../protocol/hash.ts";
import { OPERATION_TABLE, type OperationName, operationQuery } from "../protocol/operations.ts";
import { LawViolation } from "./_check.ts";
import type { HttpContext, HttpResponse, RawRequest } from "./_http.ts";

export { unquote };

/** What a check gives for a table operation: everything of a raw request but the method. */
export type OperationRequest = Omit<RawRequest, "method" | "query"> & {
  /** The operation's required and optional query values (its flags are added). */
  query?: Record<string, string | number | null | undefined>;
};

/**
 * The raw request of a table operation: its method and sub-resource flags from the operation table,
 * the query values checked against what the operation takes.
 *
 * @param op The operation.
 * @param request Bucket, key, query values, headers, body, signing.
 * @returns The raw request.
 */
export function operationRequest(op: OperationName, request: OperationRequest = {}): RawRequest {
  return { ...request, method: OPERATION_TABLE[op].method, query: operationQuery(op, request.query) };
}

/** Sends one table operation on the raw layer. */
export function sendOperation(
  http: HttpContext,
  op: OperationName,
  request: OperationRequest = {},
): Promise<HttpResponse> {
  return http.send(operationRequest(op, request));
}

const enc = new TextEncoder();

/** Bytes of a string (UTF-8) or the bytes themselves. */
export function bytesOf(data: Uint8Array | string): Uint8Array {
  return typeof data === "string" ? enc.encode(data) : data;
}

/** Lower-case hex MD5. */
export async function md5Hex(data: Uint8Array | string): Promise<string> {
  return toHex(await hash("md5", bytesOf(data)));
}

/** Base64 MD5 (Content-MD5). */
export async function md5Base64(data: Uint8Array | string): Promise<string> {
  return toBase64(await hash("md5", bytesOf(data)));
}

/** Whether two byte arrays are equal. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Where two byte arrays first differ, for messages. */
export function describeDifference(actual: Uint8Array, expected: Uint8Array): string {
  let i = 0;
  while (i < actual.length && i < expected.length && actual[i] === expected[i]) i++;
  return `got ${actual.length} bytes, expected ${expected.length}; first difference at byte ${i}`;
}

/** Deterministic pseudo-random bytes (fast, for large bodies). */
export function patternBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

/** The error body of a response, when it has one. */
export interface ErrorBody {
  /** BOS error code. */
  code?: string;
  /** Message. */
  message?: string;
  /** Request id. */
  requestId?: string;
}

/** Parses an error body. */
export function errorOf(res: HttpResponse): ErrorBody {
  const j = res.json();
  if (j && typeof j === "object") return j as ErrorBody;
  return {};
}

/** Short text for status and code: `404 NoSuchKey`. */
export function seen(res: HttpResponse): string {
  const e = errorOf(res);
  return `${res.status}${e.code ? " " + e.code : ""}`;
}

/**
 * Requires a status (or one of several).
 *
 * @param res The response.
 * @param status Accepted statuses.
 * @param what What the request was, for the message.
 */
export function expectStatus(res: HttpResponse, status: number | number[], what: string): void {
  const ok = Array.isArray(status) ? status.includes(res.status) : res.status === status;
  if (!ok) {
    throw new LawViolation(
      `${what}: expected HTTP ${Array.isArray(status) ? status.join(" or ") : status}, got ${seen(res)}`,
      res.exchange,
    );
  }
}

/** Requires a 2xx status. */
export function expectOk(res: HttpResponse, what: string): void {
  if (res.status < 200 || res.status > 299) {
    throw new LawViolation(`${what}: expected success, got ${seen(res)}`, res.exchange);
  }
}

/**
 * Requires an error status and code (any of `codes`).
 *
 * @param res The response.
 * @param status Expected status.
 * @param codes Accepted codes.
 * @param what What the request was.
 */
export function expectError(
  res: HttpResponse,
  status: number,
  codes: BosErrorCode | BosErrorCode[],
  what: string,
): void {
  const list: readonly string[] = Array.isArray(codes) ? codes : [codes];
  const e = errorOf(res);
  if (res.status !== status || !list.includes(e.code ?? "")) {
    throw new LawViolation(
      `${what}: expected ${status} ${list.join(" or ")}, got ${seen(res)}`,
      res.exchange,
    );
  }
}

/** PUT an object. */
export function putObject(
  http: HttpContext,
  key: string,
  body: Uint8Array | string,
  headers: Record<string, string> = {},
  extra: Partial<RawRequest> = {},
): Promise<HttpResponse> {
  return http.send({ ...operationRequest("PutObject", { key, body: bytesOf(body), headers }), ...extra });
}

/** PUT an object and require success. */
export async function mustPut(
  http: HttpContext,
  key: string,
  body: Uint8Array | string,
  headers: Record<string, string> = {},
): Promise<HttpResponse> {
  const r = await putObject(http, key, body, headers);
  expectOk(r, `PutObject ${key}`);
  return r;
}

/** GET an object. */
export function getObject(
  http: HttpContext,
  key: string,
  headers: Record<string, string> = {},
): Promise<HttpResponse> {
  return sendOperation(http, "GetObject", { key, headers });
}

/** HEAD an object. */
export function headObject(http: HttpContext, key: string): Promise<HttpResponse> {
  return sendOperation(http, "HeadObject", { key });
}

/** DELETE an object. */
export function deleteObject(http: HttpContext, key: string): Promise<HttpResponse> {
  return sendOperation(http, "DeleteObject", { key });
}

/** Deletes keys, ignoring failures (cleanup inside a check). */
export async function deleteQuietly(http: HttpContext, keys: Iterable<string>): Promise<void> {
  const list = [...keys];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(16, list.length) }, async () => {
      while (next < list.length) {
        const key = list[next++];
        try {
          await sendOperation(http, "DeleteObject", { key });
        } catch { /* final cleanup retries */ }
      }
    }),
  );
}

/** Puts many objects, 16 at a time, requiring success. */
export async function putMany(
  http: HttpContext,
  objects: Array<[string, Uint8Array | string]>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(16, objects.length) }, async () => {
      while (next < objects.length) {
        const [key, body] = objects[next++];
        await mustPut(http, key, body);
      }
    }),
  );
}

/** Starts a multipart upload and returns its id (tracked for cleanup). */
export async function initiate(
  http: HttpContext,
  key: string,
  headers: Record<string, string> = {},
): Promise<string> {
  const r = await sendOperation(http, "InitiateMultipartUpload", { key, headers });
  expectOk(r, `InitiateMultipartUpload ${key}`);
  const id = (r.json() as { uploadId?: string } | undefined)?.uploadId;
  if (typeof id !== "string" || id === "") {
    throw new LawViolation("InitiateMultipartUpload answered without an uploadId", r.exchange);
  }
  http.trackUpload(http.bucket, key, id);
  return id;
}

/** Uploads a part. */
export function uploadPart(
  http: HttpContext,
  key: string,
  uploadId: string,
  partNumber: number | string,
  body: Uint8Array | string,
): Promise<HttpResponse> {
  return sendOperation(http, "UploadPart", { key, query: { partNumber, uploadId }, body: bytesOf(body) });
}

/** Uploads a part, requires success, returns its ETag (unquoted). */
export async function mustUploadPart(
  http: HttpContext,
  key: string,
  uploadId: string,
  partNumber: number,
  body: Uint8Array | string,
): Promise<string> {
  const r = await uploadPart(http, key, uploadId, partNumber, body);
  expectOk(r, `UploadPart ${partNumber}`);
  const etag = unquote(r.headers.get("etag"));
  if (!etag) throw new LawViolation(`UploadPart ${partNumber} answered without an ETag`, r.exchange);
  return etag;
}

/** Completes an upload with the given part list (forgets the upload when it succeeds). */
export async function complete(
  http: HttpContext,
  key: string,
  uploadId: string,
  parts: Array<{ partNumber: number; eTag: string }>,
  headers: Record<string, string> = {},
): Promise<HttpResponse> {
  const r = await sendOperation(http, "CompleteMultipartUpload", {
    key,
    query: { uploadId },
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ parts }),
  });
  if (r.status === 200) http.untrackUpload(http.bucket, key, uploadId);
  return r;
}

/** Aborts an upload, ignoring the answer. */
/**
 * Runs `fn` with a fresh multipart upload of `key` and aborts the upload afterwards, whatever happens
 * (a completed upload's abort is a harmless 404).
 */
export async function withUpload<T>(
  http: HttpContext,
  key: string,
  fn: (uploadId: string) => Promise<T>,
  headers: Record<string, string> = {},
): Promise<T> {
  const uploadId = await initiate(http, key, headers);
  try {
    return await fn(uploadId);
  } finally {
    await abortQuietly(http, key, uploadId);
  }
}

export async function abortQuietly(http: HttpContext, key: string, uploadId: string): Promise<void> {
  try {
    const r = await sendOperation(http, "AbortMultipartUpload", { key, query: { uploadId } });
    if (r.status === 204 || r.status === 200 || r.status === 404) {
      http.untrackUpload(http.bucket, key, uploadId);
    }
  } catch { /* final cleanup retries */ }
}

/** A ListObjects page. */
export interface ListPage {
  /** Keys. */
  contents: Array<{ key: string; eTag?: string; size?: number }>;
  /** Common prefixes. */
  commonPrefixes?: Array<{ prefix: string }>;
  /** More entries follow. */
  isTruncated: boolean;
  /** Marker for the next page. */
  nextMarker?: string;
  /** Echoed fields. */
  prefix?: string;
  /** Echoed marker. */
  marker?: string;
  /** Echoed maxKeys. */
  maxKeys?: number;
  /** Echoed delimiter. */
  delimiter?: string;
}

/** Lists one page of objects. */
export async function listObjects(
  http: HttpContext,
  params: { prefix?: string; delimiter?: string; marker?: string; maxKeys?: number },
): Promise<{ res: HttpResponse; page: ListPage }> {
  const res = await sendOperation(http, "ListObjects", {
    query: {
      prefix: params.prefix,
      delimiter: params.delimiter,
      marker: params.marker,
      maxKeys: params.maxKeys,
    },
  });
  expectStatus(res, 200, "ListObjects");
  const page = res.json() as ListPage | undefined;
  if (!page || typeof page !== "object" || typeof page.isTruncated !== "boolean") {
    throw new LawViolation("ListObjects answered without a JSON body carrying isTruncated", res.exchange);
  }
  page.contents ??= [];
  return { res, page };
}
