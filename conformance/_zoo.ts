/**
 * A zoo of deliberately broken endpoints: the reference handler wrapped to misbehave in one way each
 * (requests rewritten and re-signed, responses rewritten, or a shifted profile). The zoo test proves
 * that each one fails the check meant to catch it — the kit has teeth.
 *
 * @module
 */
import { makeProfile } from "../protocol/limits.ts";
import { createAuthorization } from "../protocol/signing/sign.ts";
import { verifyAuthorization } from "../protocol/signing/verify.ts";
import type { OperationName } from "../protocol/operations.ts";
import { createHandler, parseQuery, resolveOperation, resolveTarget } from "../server/mod.ts";
import type { Credentials } from "./_http.ts";
import { compareUtf8 } from "./model/listing.ts";

/** A fetch handler. */
export type Handler = (req: Request) => Promise<Response>;

/** One broken endpoint. */
export interface ZooEntry {
  /** Short name. */
  name: string;
  /** How it misbehaves. */
  description: string;
  /** Checks that must fail against it. */
  expectFailing: string[];
  /** Whether it must be run with temporary credentials (a session token). */
  sessionToken?: boolean;
  /** Builds the handler for these credentials. */
  make(credentials: Credentials): Handler;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

interface Parsed {
  method: string;
  origin: string;
  host: string;
  path: string;
  query: string;
  headers: Headers;
  body: Uint8Array;
}

async function parse(req: Request): Promise<Parsed> {
  const m = /^([a-z]+:\/\/)([^/?#]+)([^?#]*)(?:\?([^#]*))?/i.exec(req.url)!;
  const body = req.body ? new Uint8Array(await req.arrayBuffer()) : new Uint8Array();
  return {
    method: req.method,
    origin: m[1] + m[2],
    host: req.headers.get("host") ?? m[2],
    path: m[3] || "/",
    query: m[4] ?? "",
    headers: new Headers(req.headers),
    body,
  };
}

function queryParams(query: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of query.split("&")) {
    if (!part) continue;
    const i = part.indexOf("=");
    const k = decodeURIComponent(i < 0 ? part : part.slice(0, i));
    out.set(k, i < 0 ? "" : decodeURIComponent(part.slice(i + 1)));
  }
  return out;
}

/** Builds a request from parts, re-signed with the zoo's own credentials (as a broken proxy would). */
async function resign(p: Parsed, credentials: Credentials): Promise<Request> {
  const headers = new Headers(p.headers);
  headers.delete("authorization");
  const query = p.query.split("&").filter((x) => x && !/^authorization=/i.test(x)).join("&");
  const now = new Date();
  headers.set("x-bce-date", now.toISOString().replace(/\.\d{3}Z$/, "Z"));
  const signed = new Headers(headers);
  signed.set("host", p.host);
  if (p.body.length > 0) signed.set("content-length", String(p.body.length));
  else signed.delete("content-length");
  const names: string[] = [];
  signed.forEach((v, k) => {
    if (
      v.trim() && (k === "host" || k === "content-length" || k === "content-type" || k.startsWith("x-bce-"))
    ) names.push(k);
  });
  headers.set(
    "authorization",
    await createAuthorization({
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      method: p.method,
      path: p.path,
      query,
      headers: signed,
      headersToSign: names,
      timestamp: now,
    }),
  );
  if (p.body.length > 0) headers.set("content-length", String(p.body.length));
  else headers.delete("content-length");
  return new Request(p.origin + p.path + (query ? "?" + query : ""), {
    method: p.method,
    headers,
    body: p.method === "GET" || p.method === "HEAD" || p.body.length === 0
      ? undefined
      : p.body as Uint8Array<ArrayBuffer>,
  });
}

function rebuild(p: Parsed, changes: Partial<Parsed> = {}): Request {
  const q = { ...p, ...changes };
  return new Request(q.origin + q.path + (q.query ? "?" + q.query : ""), {
    method: q.method,
    headers: q.headers,
    body: q.method === "GET" || q.method === "HEAD" || q.body.length === 0
      ? undefined
      : q.body as Uint8Array<ArrayBuffer>,
  });
}

async function withJson(res: Response, fn: (j: Record<string, unknown>) => void): Promise<Response> {
  const text = await res.text();
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(text);
  } catch {
    return new Response(text, res);
  }
  fn(j);
  const headers = new Headers(res.headers);
  headers.delete("content-length");
  return new Response(JSON.stringify(j), { status: res.status, headers });
}

function withHost(p: Parsed): Headers {
  const h = new Headers(p.headers);
  h.set("host", p.host);
  return h;
}

/**
 * The operation a request is, routed exactly as the reference server routes it (the operation table),
 * or `undefined` for one the server would refuse before any operation (bad URI, 405, 501).
 */
function operationOf(p: Parsed): OperationName | undefined {
  try {
    return resolveOperation(p.method, resolveTarget(p.host, p.path), parseQuery(p.query), p.headers);
  } catch {
    return undefined;
  }
}

/**
 * The bucket and key a request addresses, resolved exactly as the reference server resolves them
 * (path-style or virtual-host, `/v1` prefix, key decoding), or `undefined` when it names no object or
 * the server would refuse its path.
 */
function objectOf(p: Parsed): { bucket: string; key: string } | undefined {
  try {
    const t = resolveTarget(p.host, p.path);
    return t.bucket !== undefined && t.key ? { bucket: t.bucket, key: t.key } : undefined;
  } catch {
    return undefined;
  }
}

function isListObjects(p: Parsed): boolean {
  return operationOf(p) === "ListObjects";
}

function base(credentials: Credentials, profile?: Parameters<typeof makeProfile>[0]): Handler {
  return createHandler({
    credentials: [credentials],
    ...(profile ? { profile: makeProfile(profile) } : {}),
    onInternalError: () => {},
  });
}

function responses(
  credentials: Credentials,
  fn: (p: Parsed, res: Response) => Response | Promise<Response>,
): Handler {
  const h = base(credentials);
  return async (req) => {
    const p = await parse(req);
    return await fn(p, await h(rebuild(p)));
  };
}

function requests(credentials: Credentials, fn: (p: Parsed) => Request | Promise<Request>): Handler {
  const h = base(credentials);
  return async (req) => await h(await fn(await parse(req)));
}

const flipHex = (s: string) => s.replace(/[0-9a-f](?=[^0-9a-f]*$)/, (c) => (c === "0" ? "1" : "0"));

/** The broken endpoints. */
export const ZOO: readonly ZooEntry[] = [
  {
    name: "append-offset-off-by-one",
    description: "x-bce-next-append-offset is one more than the length",
    expectFailing: ["offsets.next-append-offset-equals-length", "offsets.append-sequence-matches-model"],
    make: (c) =>
      responses(c, (_p, res) => {
        const v = res.headers.get("x-bce-next-append-offset");
        if (v === null) return res;
        const headers = new Headers(res.headers);
        headers.set("x-bce-next-append-offset", String(Number(v) + 1));
        return new Response(res.body, { status: res.status, headers });
      }),
  },
  {
    name: "next-marker-missing",
    description: "ListObjects never returns nextMarker",
    expectFailing: ["pagination.next-marker-present-iff-truncated", "pagination.listing-table-matches-bos"],
    make: (c) => responses(c, (p, res) => isListObjects(p) ? withJson(res, (j) => delete j.nextMarker) : res),
  },
  {
    name: "utf16-key-order",
    description: "ListObjects sorts keys by UTF-16 code units instead of UTF-8 bytes",
    expectFailing: ["pagination.keys-in-utf8-byte-order"],
    make: (c) =>
      responses(c, (p, res) =>
        isListObjects(p)
          ? withJson(res, (j) => {
            const contents = j.contents as Array<{ key: string }> | undefined;
            contents?.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
          })
          : res),
  },
  {
    name: "common-prefixes-not-counted",
    description: "ListObjects counts only keys toward maxKeys; common prefixes come on top",
    expectFailing: ["pagination.max-keys-counts-common-prefixes"],
    make: (c) => {
      const h = base(c);
      return async (req) => {
        const p = await parse(req);
        const q = queryParams(p.query);
        if (!isListObjects(p) || !q.has("delimiter")) return await h(rebuild(p));
        const maxKeys = Number(q.get("maxKeys") ?? 1000);
        q.set("maxKeys", "1000");
        const query = [...q].map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");
        const res = await h(await resign({ ...p, query }, c));
        return withJson(res, (j) => {
          const contents = (j.contents as Array<{ key: string }> | undefined) ?? [];
          const cps = (j.commonPrefixes as Array<{ prefix: string }> | undefined) ?? [];
          const entries = [
            ...contents.map((e) => ({ name: e.key, e, key: true })),
            ...cps.map((e) => ({ name: e.prefix, e, key: false })),
          ].sort((a, b) => compareUtf8(a.name, b.name));
          const keep: typeof entries = [];
          let keys = 0;
          let truncated = false;
          for (const e of entries) {
            if (e.key && keys === maxKeys) {
              truncated = true;
              break;
            }
            keep.push(e);
            if (e.key) keys++;
          }
          j.contents = keep.filter((e) => e.key).map((e) => e.e);
          j.commonPrefixes = keep.filter((e) => !e.key).map((e) => e.e);
          j.maxKeys = maxKeys;
          j.isTruncated = truncated || j.isTruncated === true;
          if (j.isTruncated) j.nextMarker = keep.filter((e) => e.key).at(-1)?.name ?? keep.at(-1)?.name;
          else delete j.nextMarker;
        });
      };
    },
  },
  {
    name: "metadata-limit-off-by-one",
    description: "accepts 2049 bytes of user metadata",
    expectFailing: ["metadata.one-byte-over-limit-rejected", "metadata.measured-limit-equals-profile"],
    make: (c) => base(c, { maxUserMetadataSize: 2049 }),
  },
  {
    name: "signature-not-checked",
    description: "accepts any signature (a proxy re-signs every request)",
    expectFailing: [
      "signing.tampered-signature-rejected",
      "signing.wrong-secret-rejected",
      "signing.tampered-path-rejected",
    ],
    make: (c) => requests(c, (p) => resign(p, c)),
  },
  {
    name: "session-token-not-checked",
    description: "accepts temporary credentials without their session token or with another one",
    sessionToken: true,
    expectFailing: ["signing.session-token-required"],
    make: (c) =>
      requests(c, (p) => {
        // A proxy that puts the right token on every request and re-signs it.
        p.headers.set("x-bce-security-token", c.sessionToken!);
        return resign(p, c);
      }),
  },
  {
    name: "query-not-signed",
    description: "also accepts signatures computed without the query string",
    expectFailing: ["signing.unsigned-query-rejected"],
    make: (c) =>
      requests(c, async (p) => {
        const authorization = p.headers.get("authorization");
        if (!authorization) return rebuild(p);
        const r = await verifyAuthorization({
          method: p.method,
          path: p.path,
          query: "",
          headers: withHost(p),
          authorization,
          lookupSecret: (ak) => (ak === c.accessKeyId ? c.secretAccessKey : undefined),
        });
        return r.ok ? await resign(p, c) : rebuild(p);
      }),
  },
  {
    name: "entity-too-small-not-enforced",
    description: "CompleteMultipartUpload accepts non-last parts of any size",
    expectFailing: [
      "part_math.small-non-last-part-rejected-at-complete",
      "part_math.non-last-part-one-byte-below-minimum-rejected",
    ],
    make: (c) => base(c, { minPartSize: 0 }),
  },
  {
    name: "wrong-etag",
    description: "PutObject answers an ETag that is not the MD5 of the body",
    expectFailing: ["objects.etag-is-md5"],
    make: (c) =>
      responses(c, (p, res) => {
        const etag = res.headers.get("etag");
        if (operationOf(p) !== "PutObject" || etag === null) return res;
        const headers = new Headers(res.headers);
        headers.set("etag", flipHex(etag));
        return new Response(res.body, { status: res.status, headers });
      }),
  },
  {
    name: "range-off-by-one",
    description: "Range bytes=a-b returns one byte too many",
    expectFailing: ["offsets.range-returns-exact-bytes"],
    make: (c) =>
      requests(c, (p) => {
        const range = p.headers.get("range");
        const m = range && /^bytes=(\d+)-(\d+)$/.exec(range);
        if (m) p.headers.set("range", `bytes=${m[1]}-${Number(m[2]) + 1}`);
        return rebuild(p);
      }),
  },
  {
    name: "copy-if-match-ignored",
    description: "CopyObject ignores x-bce-copy-source-if-match",
    expectFailing: ["copy.if-match-failure-is-412"],
    make: (c) =>
      requests(c, (p) => {
        if (!p.headers.has("x-bce-copy-source-if-match")) return rebuild(p);
        p.headers.delete("x-bce-copy-source-if-match");
        return resign(p, c);
      }),
  },
  {
    name: "error-without-request-id",
    description: "error bodies lack requestId",
    expectFailing: [
      "errors.error-body-has-code-message-request-id",
      "errors.request-id-in-body-matches-header",
    ],
    make: (c) =>
      responses(c, (_p, res) => res.status >= 400 ? withJson(res, (j) => delete j.requestId) : res),
  },
  {
    name: "head-missing-is-403",
    description: "HEAD of a missing key answers 403",
    expectFailing: ["objects.head-missing-key-is-404-without-body"],
    make: (c) =>
      responses(
        c,
        (p, res) =>
          operationOf(p) === "HeadObject" && res.status === 404
            ? new Response(null, { status: 403, headers: res.headers })
            : res,
      ),
  },
  {
    name: "batch-delete-hides-missing",
    description: "DeleteMultipleObjects does not report missing keys",
    expectFailing: ["objects.batch-delete-reports-missing-keys"],
    make: (c) =>
      responses(
        c,
        (p, res) =>
          operationOf(p) === "DeleteMultipleObjects"
            ? new Response(null, { status: 200, headers: res.headers })
            : res,
      ),
  },
  {
    name: "expired-accepted",
    description: "accepts signatures whose validity window has passed",
    expectFailing: ["signing.expired-signature-rejected", "signing.expired-presigned-url-rejected"],
    make: (c) =>
      requests(c, async (p) => {
        const authorization = p.headers.get("authorization") ?? queryParams(p.query).get("authorization");
        if (!authorization) return rebuild(p);
        const r = await verifyAuthorization({
          method: p.method,
          path: p.path,
          query: p.query,
          headers: withHost(p),
          authorization,
          lookupSecret: (ak) => (ak === c.accessKeyId ? c.secretAccessKey : undefined),
        });
        return !r.ok && r.reason === "expired" ? await resign(p, c) : rebuild(p);
      }),
  },
  {
    name: "bucket-not-empty-ignored",
    description: "DeleteBucket of a non-empty bucket answers 204 (and does nothing)",
    expectFailing: ["objects.bucket-not-empty-refused"],
    make: (c) =>
      responses(
        c,
        (p, res) =>
          operationOf(p) === "DeleteBucket" && res.status === 409
            ? new Response(null, { status: 204, headers: res.headers })
            : res,
      ),
  },
  {
    name: "part-order-not-checked",
    description: "CompleteMultipartUpload sorts and de-duplicates the part list instead of refusing it",
    expectFailing: ["part_math.unordered-part-list-rejected"],
    make: (c) =>
      requests(c, (p) => {
        if (operationOf(p) !== "CompleteMultipartUpload") return rebuild(p);
        try {
          const j = JSON.parse(dec.decode(p.body)) as { parts: Array<{ partNumber: number }> };
          const seen = new Set<number>();
          j.parts = j.parts.sort((a, b) => a.partNumber - b.partNumber).filter((x) =>
            !seen.has(x.partNumber) && seen.add(x.partNumber)
          );
          return resign({ ...p, body: enc.encode(JSON.stringify(j)) }, c);
        } catch {
          return rebuild(p);
        }
      }),
  },
  {
    name: "list-parts-ignores-marker",
    description: "ListParts ignores partNumberMarker",
    expectFailing: ["pagination.list-parts-pages-equal-model"],
    make: (c) =>
      requests(c, (p) => {
        const q = queryParams(p.query);
        if (operationOf(p) !== "ListParts" || !q.has("partNumberMarker")) return rebuild(p);
        q.delete("partNumberMarker");
        return resign({
          ...p,
          query: [...q].map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&"),
        }, c);
      }),
  },
  {
    name: "get-corrupts-last-byte",
    description: "GetObject flips the last byte of the body",
    expectFailing: ["objects.content-round-trips"],
    make: (c) =>
      responses(c, async (p, res) => {
        if (operationOf(p) !== "GetObject" || res.status !== 200 || p.query !== "") return res;
        const body = new Uint8Array(await res.arrayBuffer());
        if (body.length > 0) body[body.length - 1] ^= 0xff;
        return new Response(body, { status: res.status, headers: res.headers });
      }),
  },
  {
    name: "metadata-double-encoded",
    description: "returns metadata values UTF-8-encoded twice (bytes read as Latin-1, then encoded again)",
    expectFailing: ["metadata.random-metadata-round-trips"],
    make: (c) =>
      responses(c, (_p, res) => {
        let changed = false;
        const headers = new Headers();
        res.headers.forEach((v, k) => {
          if (k.startsWith("x-bce-meta-") && /[\x80-\xff]/.test(v)) {
            changed = true;
            v = [...enc.encode(v)].map((b) => String.fromCharCode(b)).join("");
          }
          headers.set(k, v);
        });
        return changed ? new Response(res.body, { status: res.status, headers }) : res;
      }),
  },
  {
    name: "key-length-unlimited",
    description: "accepts keys of 2048 bytes",
    expectFailing: ["objects.over-long-key-rejected", "objects.measured-key-length-equals-profile"],
    make: (c) => base(c, { maxKeyLength: 2048 }),
  },
  {
    name: "range-past-end-is-200",
    description: "a Range past the end answers 200 with the whole object",
    expectFailing: ["offsets.range-past-end-rejected"],
    make: (c) => {
      const h = base(c);
      return async (req) => {
        const p = await parse(req);
        const res = await h(rebuild(p));
        if (res.status !== 416) return res;
        p.headers.delete("range");
        return await h(rebuild(p));
      };
    },
  },
  {
    name: "delete-missing-is-204",
    description: "DeleteObject of a missing key answers 204 (S3 style)",
    expectFailing: ["objects.delete-missing-key-is-no-such-key"],
    make: (c) =>
      responses(
        c,
        (p, res) =>
          operationOf(p) === "DeleteObject" && res.status === 404
            ? new Response(null, { status: 204, headers: res.headers })
            : res,
      ),
  },
  {
    name: "append-offset-not-checked",
    description: "AppendObject appends at the end whatever offset is given",
    expectFailing: ["offsets.wrong-append-offset-rejected", "offsets.append-sequence-matches-model"],
    make: (c) => {
      const h = base(c);
      return async (req) => {
        const p = await parse(req);
        const q = queryParams(p.query);
        if (operationOf(p) !== "AppendObject" || !q.has("offset")) return await h(rebuild(p));
        const head = await h(
          await resign(
            { ...p, method: "HEAD", query: "", body: new Uint8Array(), headers: new Headers() },
            c,
          ),
        );
        if (head.status !== 200 || head.headers.get("x-bce-object-type") !== "Appendable") {
          return await h(rebuild(p));
        }
        q.set("offset", head.headers.get("content-length") ?? "0");
        const query = [...q].map((
          [k, v],
        ) => (v === "" ? encodeURIComponent(k) : `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)).join(
          "&",
        );
        return await h(await resign({ ...p, query }, c));
      };
    },
  },
  {
    name: "if-none-match-ignored",
    description: "GetObject ignores If-None-Match",
    expectFailing: ["objects.if-none-match-matching-is-304"],
    make: (c) =>
      requests(c, (p) => {
        p.headers.delete("if-none-match");
        return rebuild(p);
      }),
  },
  {
    name: "min-part-size-5mib",
    description: "enforces the older 5 MiB minimum part size",
    expectFailing: [
      "part_math.measured-min-part-size-equals-profile",
      "part_math.non-last-part-of-exactly-minimum-accepted",
    ],
    make: (c) => base(c, { minPartSize: 5 * 1024 * 1024 }),
  },
  {
    name: "listing-omits-echoes",
    description: "ListObjects leaves out prefix and marker when they were not given",
    expectFailing: ["pagination.response-echoes-parameters"],
    make: (c) =>
      responses(c, (p, res) =>
        isListObjects(p)
          ? withJson(res, (j) => {
            if (j.prefix === "") delete j.prefix;
            if (j.marker === "") delete j.marker;
          })
          : res),
  },
  {
    name: "marker-inclusive",
    description: "ListObjects starts at the marker instead of after it",
    expectFailing: ["pagination.marker-is-exclusive"],
    make: (c) => {
      const h = base(c);
      return async (req) => {
        const p = await parse(req);
        const q = queryParams(p.query);
        const marker = q.get("marker");
        if (!isListObjects(p) || !marker) return await h(rebuild(p));
        const res = await h(await resign({ ...p, query: p.query.replace(/(^|&)marker=[^&]*/, "") }, c));
        return withJson(res, (j) => {
          const contents = (j.contents as Array<{ key: string }> | undefined) ?? [];
          j.contents = contents.filter((e) => compareUtf8(e.key, marker) >= 0);
        });
      };
    },
  },
  {
    name: "cors-preflight-ignores-headers",
    description: "grants a preflight whatever Access-Control-Request-Headers asks for",
    expectFailing: ["cors.preflight-header-mismatch-refused"],
    make: (c) =>
      requests(c, (p) => {
        if (p.method === "OPTIONS") p.headers.delete("access-control-request-headers");
        return rebuild(p);
      }),
  },
  {
    name: "cors-preflight-ignores-method",
    description: "grants a preflight for any method once the origin matches",
    expectFailing: ["cors.preflight-method-mismatch-refused"],
    make: (c) =>
      requests(c, (p) => {
        if (p.method === "OPTIONS" && p.headers.has("access-control-request-method")) {
          p.headers.set("access-control-request-method", "GET");
        }
        return rebuild(p);
      }),
  },
  {
    name: "cors-origin-case-insensitive",
    description: "matches preflight origins without regard to case",
    expectFailing: ["cors.preflight-origin-mismatch-refused"],
    make: (c) =>
      requests(c, (p) => {
        const origin = p.headers.get("origin");
        if (p.method === "OPTIONS" && origin) p.headers.set("origin", origin.toLowerCase());
        return rebuild(p);
      }),
  },
  {
    name: "cors-refusal-leaks-headers",
    description: "a refused preflight still carries Access-Control-Allow-Origin: *",
    expectFailing: ["cors.preflight-without-rules-refused", "cors.preflight-origin-mismatch-refused"],
    make: (c) =>
      responses(c, (p, res) => {
        if (p.method !== "OPTIONS" || res.status !== 403) return res;
        const headers = new Headers(res.headers);
        headers.set("access-control-allow-origin", "*");
        return new Response(res.body, { status: res.status, headers });
      }),
  },
  {
    name: "cors-errors-without-allow-origin",
    description:
      "error responses to allowed origins lack Access-Control-Allow-Origin (a page cannot read the code)",
    expectFailing: ["cors.actual-requests-carry-allow-origin"],
    make: (c) =>
      responses(c, (p, res) => {
        if (p.method === "OPTIONS" || res.status < 400) return res;
        const headers = new Headers(res.headers);
        headers.delete("access-control-allow-origin");
        return new Response(res.body, { status: res.status, headers });
      }),
  },
  {
    name: "cors-drops-expose-headers",
    description: "GetBucketCors leaves out allowedExposeHeaders",
    expectFailing: ["cors.configuration-round-trips"],
    make: (c) =>
      responses(
        c,
        (p, res) =>
          operationOf(p) === "GetBucketCors" && res.status === 200
            ? withJson(res, (j) => {
              for (const r of (j.corsConfiguration as Record<string, unknown>[] | undefined) ?? []) {
                delete r.allowedExposeHeaders;
              }
            })
            : res,
      ),
  },
  {
    name: "cors-accepts-lowercase-methods",
    description: "PutBucketCors accepts lower-case methods (and stores them upper-cased)",
    expectFailing: ["cors.invalid-configuration-rejected"],
    make: (c) =>
      requests(c, (p) => {
        if (operationOf(p) !== "PutBucketCors") return rebuild(p);
        try {
          const j = JSON.parse(dec.decode(p.body)) as { corsConfiguration: { allowedMethods?: string[] }[] };
          for (const r of j.corsConfiguration) {
            r.allowedMethods = r.allowedMethods?.map((m) => m.toUpperCase());
          }
          return resign({ ...p, body: enc.encode(JSON.stringify(j)) }, c);
        } catch {
          return rebuild(p);
        }
      }),
  },
  {
    name: "cors-delete-ignored",
    description: "DeleteBucketCors answers 204 and keeps the rules",
    expectFailing: ["cors.deleted-configuration-is-404"],
    make: (c) => {
      const h = base(c);
      return async (req) => {
        const p = await parse(req);
        if (operationOf(p) === "DeleteBucketCors") return new Response(null, { status: 204 });
        return await h(rebuild(p));
      };
    },
  },
  {
    name: "cors-preflight-without-allow-headers",
    description:
      "a granted preflight leaves out Access-Control-Allow-Headers (the browser then refuses the request)",
    expectFailing: ["cors.preflight-granted-by-matching-rule"],
    make: (c) =>
      responses(c, (p, res) => {
        if (p.method !== "OPTIONS" || res.status !== 200) return res;
        const headers = new Headers(res.headers);
        headers.delete("access-control-allow-headers");
        return new Response(res.body, { status: res.status, headers });
      }),
  },
  {
    name: "cors-last-rule-wins",
    description: "tries the rules last to first (and hides it by answering GetBucketCors in the order given)",
    expectFailing: ["cors.first-matching-rule-wins"],
    make: (c) => {
      const h = base(c);
      return async (req) => {
        const p = await parse(req);
        const op = operationOf(p);
        if (op === "PutBucketCors") {
          try {
            const j = JSON.parse(dec.decode(p.body)) as { corsConfiguration: unknown[] };
            j.corsConfiguration.reverse();
            return await h(await resign({ ...p, body: enc.encode(JSON.stringify(j)) }, c));
          } catch {
            return await h(rebuild(p));
          }
        }
        const res = await h(rebuild(p));
        if (op !== "GetBucketCors" || res.status !== 200) return res;
        return withJson(res, (j) => void (j.corsConfiguration as unknown[] | undefined)?.reverse());
      };
    },
  },
];

// Helpers for the other zoo files (_zoo_data.ts, _zoo_proto.ts, _zoo_model.ts).
export type { Parsed };
export {
  base,
  isListObjects,
  objectOf,
  operationOf,
  parse,
  queryParams,
  rebuild,
  requests,
  resign,
  responses,
  withHost,
  withJson,
};
