/**
 * The BOS operation table: for each operation its HTTP method, level (service, bucket or object),
 * the query parameters and headers that select it and that it requires, whether repeating it is
 * safe, and its success status. One table, read by the client (to build requests), the reference
 * server (to route them) and the conformance kit (to address operations and recognise them).
 *
 * Routing rule ({@link findOperation}): among the entries with the request's method and level, the
 * first (in table order) whose selectors match wins. An entry's selectors are its `flag` and
 * `required` query parameters (any one present selects it) and its `selectHeader` (must be present);
 * an entry without selectors is the default for its method and level. Table order is therefore
 * priority: `POST /key?uploads&uploadId=…` is InitiateMultipartUpload, as on BOS.
 *
 * @module
 */
import type { ServiceErrorCode } from "./errors.ts";

/** The HTTP methods BOS operations use. */
export type HttpMethod = "GET" | "HEAD" | "PUT" | "POST" | "DELETE" | "OPTIONS";

/** What a request addresses: the service (no bucket), a bucket (no key) or an object. */
export type OperationLevel = "service" | "bucket" | "object";

/**
 * The role of a query parameter: `flag` is a bare sub-resource marker (`?uploads`, sent without a
 * value), `required` a value the operation needs (`uploadId`), `optional` one it may take.
 */
export type QueryRole = "flag" | "required" | "optional";

/** One row of the operation table. */
export interface OperationSpec {
  /** The BOS operation name. */
  readonly name: string;
  /** HTTP method. */
  readonly method: HttpMethod;
  /** Service, bucket or object level. */
  readonly level: OperationLevel;
  /** Query parameters by role; the `flag` and `required` ones select the operation. */
  readonly query: Readonly<Record<string, QueryRole>>;
  /** A header whose presence selects the operation (and which it requires). */
  readonly selectHeader?: string;
  /** Headers the request must carry (besides `host`, `authorization` and `x-bce-date`). */
  readonly requiredHeaders: readonly string[];
  /** Whether sending the request twice has the effect of sending it once (the client retries those). */
  readonly idempotent: boolean;
  /** The status of a successful answer. */
  readonly successStatus: number;
  /** The code of a 404 answer without a body (HEAD), the resource that was missing. */
  readonly notFound: ServiceErrorCode;
  /** What a success carries: a JSON body, the object's bytes, or nothing. */
  readonly response: "json" | "bytes" | "none";
}

const CONTENT_LENGTH = ["content-length"] as const;
const COPY_SOURCE = "x-bce-copy-source";
const NONE: readonly string[] = [];
const LIST_QUERY = {
  prefix: "optional",
  delimiter: "optional",
  marker: "optional",
  maxKeys: "optional",
} as const;
const RESPONSE_OVERRIDES = {
  responseContentType: "optional",
  responseContentDisposition: "optional",
  responseContentLanguage: "optional",
  responseExpires: "optional",
  responseCacheControl: "optional",
  responseContentEncoding: "optional",
} as const;

/** A BOS operation name: a row of {@link OPERATION_TABLE}. */
export type OperationName =
  | "ListBuckets"
  | "PutBucketCors"
  | "PutBucket"
  | "HeadBucket"
  | "DeleteBucketCors"
  | "DeleteBucket"
  | "GetBucketLocation"
  | "GetBucketCors"
  | "ListMultipartUploads"
  | "ListObjects"
  | "DeleteMultipleObjects"
  | "UploadPartCopy"
  | "UploadPart"
  | "CopyObject"
  | "PutObject"
  | "ListParts"
  | "GetObject"
  | "HeadObject"
  | "AbortMultipartUpload"
  | "DeleteObject"
  | "InitiateMultipartUpload"
  | "CompleteMultipartUpload"
  | "AppendObject"
  | "OptionsObject";

/** A row of the table: an operation's spec without its name (the key). */
export type OperationRow = Omit<OperationSpec, "name">;

/**
 * The operation table, in routing priority order within each method and level. Add an operation
 * here first: the client, the server's router and the kit find it by its name.
 *
 * @example The wire shape of an operation
 * ```ts
 * import { OPERATION_TABLE } from "@boskit/boskit/protocol";
 * import assert from "node:assert/strict";
 *
 * const append = OPERATION_TABLE.AppendObject;
 * assert.equal(append.method, "POST");
 * assert.deepEqual(append.query, { append: "flag", offset: "optional" });
 * assert.equal(append.idempotent, false); // an append without an offset must not be repeated blindly
 * ```
 */
export const OPERATION_TABLE: Readonly<Record<OperationName, OperationRow>> = {
  // Service level.
  ListBuckets: op("GET", "service", {}, { response: "json", notFound: "NoSuchKey" }),
  // Bucket level.
  PutBucketCors: op("PUT", "bucket", { cors: "flag" }, { response: "none" }),
  PutBucket: op("PUT", "bucket", {}, { response: "none" }),
  HeadBucket: op("HEAD", "bucket", {}, { response: "none" }),
  DeleteBucketCors: op("DELETE", "bucket", { cors: "flag" }, { successStatus: 204, response: "none" }),
  DeleteBucket: op("DELETE", "bucket", {}, { successStatus: 204, response: "none" }),
  GetBucketLocation: op("GET", "bucket", { location: "flag" }, { response: "json" }),
  GetBucketCors: op("GET", "bucket", { cors: "flag" }, { response: "json" }),
  ListMultipartUploads: op(
    "GET",
    "bucket",
    {
      uploads: "flag",
      prefix: "optional",
      delimiter: "optional",
      keyMarker: "optional",
      maxUploads: "optional",
    },
    { response: "json" },
  ),
  ListObjects: op("GET", "bucket", LIST_QUERY, { response: "json" }),
  DeleteMultipleObjects: op("POST", "bucket", { delete: "flag" }, { response: "json" }),
  // Object level.
  UploadPartCopy: op("PUT", "object", { partNumber: "required", uploadId: "required" }, {
    selectHeader: COPY_SOURCE,
    notFound: "NoSuchUpload",
    response: "json",
  }),
  UploadPart: op("PUT", "object", { partNumber: "required", uploadId: "required" }, {
    requiredHeaders: CONTENT_LENGTH,
    notFound: "NoSuchUpload",
    response: "none",
  }),
  CopyObject: op("PUT", "object", {}, { selectHeader: COPY_SOURCE, notFound: "NoSuchKey", response: "json" }),
  PutObject: op("PUT", "object", {}, { requiredHeaders: CONTENT_LENGTH, response: "none" }),
  ListParts: op(
    "GET",
    "object",
    { uploadId: "required", maxParts: "optional", partNumberMarker: "optional" },
    {
      notFound: "NoSuchUpload",
      response: "json",
    },
  ),
  GetObject: op("GET", "object", RESPONSE_OVERRIDES, { notFound: "NoSuchKey", response: "bytes" }),
  HeadObject: op("HEAD", "object", {}, { notFound: "NoSuchKey", response: "none" }),
  AbortMultipartUpload: op("DELETE", "object", { uploadId: "required" }, {
    successStatus: 204,
    notFound: "NoSuchUpload",
    response: "none",
  }),
  DeleteObject: op("DELETE", "object", {}, { successStatus: 204, notFound: "NoSuchKey", response: "none" }),
  InitiateMultipartUpload: op("POST", "object", { uploads: "flag" }, { response: "json" }),
  CompleteMultipartUpload: op("POST", "object", { uploadId: "required" }, {
    idempotent: false,
    notFound: "NoSuchUpload",
    response: "json",
  }),
  AppendObject: op("POST", "object", { append: "flag", offset: "optional" }, {
    requiredHeaders: CONTENT_LENGTH,
    idempotent: false,
    notFound: "NoSuchKey",
    response: "none",
  }),
  // The CORS preflight: answered without authentication (buckets.md §9).
  OptionsObject: op("OPTIONS", "object", {}, { response: "none" }),
};

/** Every operation name, in table order. */
export const OPERATION_NAMES: readonly OperationName[] = Object.keys(OPERATION_TABLE) as OperationName[];

function op(
  method: HttpMethod,
  level: OperationLevel,
  query: Readonly<Record<string, QueryRole>>,
  rest: Partial<Omit<OperationSpec, "name" | "method" | "level" | "query">> & Pick<OperationSpec, "response">,
): OperationRow {
  return {
    method,
    level,
    query,
    selectHeader: rest.selectHeader,
    requiredHeaders: rest.requiredHeaders ?? NONE,
    idempotent: rest.idempotent ?? true,
    successStatus: rest.successStatus ?? 200,
    notFound: rest.notFound ?? "NoSuchBucket",
    response: rest.response,
  };
}

/**
 * The table entry of an operation (with its name).
 *
 * @param name The operation name.
 * @returns Its spec.
 *
 * @example
 * ```ts
 * import { operationSpec } from "@boskit/boskit/protocol";
 * import assert from "node:assert/strict";
 *
 * assert.equal(operationSpec("DeleteObject").successStatus, 204);
 * ```
 */
export function operationSpec(name: OperationName): OperationSpec {
  return { name, ...OPERATION_TABLE[name] };
}

interface Route {
  name: OperationName;
  /** Flags and required parameters: any one present selects the entry (none: the default). */
  selectors: string[];
  selectHeader?: string;
}

let ROUTES: Map<string, Route[]> | undefined;

/** The routes by `METHOD level`, built on first use (the client never routes). */
function routes(): Map<string, Route[]> {
  if (ROUTES) return ROUTES;
  ROUTES = new Map();
  for (const name of OPERATION_NAMES) {
    const spec: OperationSpec = { name, ...OPERATION_TABLE[name] };
    const k = spec.method + " " + spec.level;
    const selectors = Object.entries(spec.query).filter(([, role]) => role !== "optional").map(([q]) => q);
    ROUTES.set(k, [...(ROUTES.get(k) ?? []), { name, selectors, selectHeader: spec.selectHeader }]);
  }
  return ROUTES;
}

/**
 * Routes a request: the operation of the table its method, level, query parameter names and headers
 * select (see the module doc for the rule), or `undefined` when none does (a server answers 405).
 *
 * @param method HTTP method (any case).
 * @param level What the request addresses.
 * @param queryNames The names of the query parameters present (values do not matter).
 * @param hasHeader Whether a request header is present.
 * @returns The operation name, or `undefined`.
 *
 * @example Query parameters and a header select among the PUTs on an object
 * ```ts
 * import { findOperation } from "@boskit/boskit/protocol";
 * import assert from "node:assert/strict";
 *
 * const headers = new Headers({ "x-bce-copy-source": "/src-bucket/a.txt" });
 * const has = (name: string) => headers.has(name);
 * assert.equal(findOperation("PUT", "object", ["partNumber", "uploadId"], has), "UploadPartCopy");
 * assert.equal(findOperation("PUT", "object", [], has), "CopyObject");
 * assert.equal(findOperation("PUT", "object", [], () => false), "PutObject");
 * assert.equal(findOperation("PATCH", "object", [], () => false), undefined);
 * ```
 */
export function findOperation(
  method: string,
  level: OperationLevel,
  queryNames: Iterable<string>,
  hasHeader: (name: string) => boolean,
): OperationName | undefined {
  const candidates = routes().get(method.toUpperCase() + " " + level);
  if (!candidates) return undefined;
  const present = new Set(queryNames);
  for (const r of candidates) {
    if (r.selectors.length > 0 && !r.selectors.some((q) => present.has(q))) continue;
    if (r.selectHeader !== undefined && !hasHeader(r.selectHeader)) continue;
    return r.name;
  }
  return undefined;
}

/**
 * The query of a request for an operation: its flags (as bare parameters, `null`) followed by the
 * given values, in the form the client and the kit send (`null` = bare flag, `undefined` = omitted).
 * A value for a parameter the operation does not take is refused, so a typo cannot go unnoticed.
 *
 * @param name The operation.
 * @param values Values of its required and optional parameters.
 * @returns The query to send.
 *
 * @example
 * ```ts
 * import { operationQuery } from "@boskit/boskit/protocol";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(operationQuery("AppendObject", { offset: 5 }), { append: null, offset: 5 });
 * assert.deepEqual(operationQuery("ListObjects", { prefix: "a/", marker: undefined }), { prefix: "a/", marker: undefined });
 * assert.throws(() => operationQuery("ListObjects", { maxkeys: 10 }), /does not take/);
 * ```
 */
export function operationQuery(
  name: OperationName,
  values: Record<string, string | number | null | undefined> = {},
): Record<string, string | number | null | undefined> {
  const spec: OperationSpec = { name, ...OPERATION_TABLE[name] };
  const out: Record<string, string | number | null | undefined> = {};
  for (const [param, role] of Object.entries(spec.query)) if (role === "flag") out[param] = null;
  for (const [param, value] of Object.entries(values)) {
    if (!(param in spec.query)) {
      throw new TypeError(
        `${name} does not take the query parameter ${JSON.stringify(param)}; it takes ${
          Object.keys(spec.query).join(", ") || "none"
        }`,
      );
    }
    if (spec.query[param] !== "flag") out[param] = value;
  }
  return out;
}
