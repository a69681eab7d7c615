/**
 * Broken endpoints for the protocol edges, round 2 (the validity window, header canonicalisation,
 * session tokens on presigned URLs, request ids on HEAD errors): each the reference server with one
 * realistic vendor bug that a per-area law catches. `zoo_test.ts` runs every zoo file.
 *
 * @module
 */
import {
  base,
  objectOf,
  operationOf,
  parse,
  type Parsed,
  queryParams,
  rebuild,
  requests,
  resign,
  responses,
  withJson,
  type ZooEntry,
} from "./_zoo.ts";

/** Makes the request's signature one the server cannot reproduce (as a wrong canonical form would). */
function spoil(p: Parsed): void {
  const a = p.headers.get("authorization");
  if (a) p.headers.set("authorization", a.replace(/.$/, (x) => (x === "0" ? "1" : "0")));
}

/** The authorization's timestamp (ms) and expiration, from the header or the query. */
function window(p: Parsed): { presigned: boolean; timestamp: number; expiration: number } {
  const header = p.headers.get("authorization");
  const parts = (header ?? queryParams(p.query).get("authorization") ?? "").split("/");
  return { presigned: !header, timestamp: Date.parse(parts[2] ?? ""), expiration: Number(parts[3]) };
}

const CLASSES = ["STANDARD", "STANDARD_IA", "COLD", "ARCHIVE", "MAZ_STANDARD", "MAZ_STANDARD_IA"];

function refusal(code: string, message: string, head: boolean, status = 403): Response {
  const requestId = crypto.randomUUID();
  return new Response(head ? null : JSON.stringify({ code, message, requestId }), {
    status,
    headers: { "content-type": "application/json", "x-bce-request-id": requestId },
  });
}

function withoutRequestId(res: Response): Response {
  const headers = new Headers(res.headers);
  headers.delete("x-bce-request-id");
  return new Response(null, { status: res.status, headers });
}

/** The broken endpoints of the protocol edges, round 2. */
export const WIRE_ZOO: readonly ZooEntry[] = [
  {
    name: "header-inner-whitespace-collapsed",
    description:
      "canonicalises header values as SigV4 does, collapsing inner runs of spaces: refuses requests whose signed values hold them",
    expectFailing: ["signing.header-values-canonicalised-as-documented"],
    make: (c) =>
      requests(c, (p) => {
        let collapsed = false;
        p.headers.forEach((v, k) => {
          if (/^(x-bce-|content-type$|content-md5$)/.test(k) && /\s\s/.test(v.trim())) collapsed = true;
        });
        if (collapsed) spoil(p);
        return rebuild(p);
      }),
  },
  {
    name: "header-signature-15-minute-skew",
    description:
      "applies S3's 15-minute clock skew to header-signed requests: a signature older than 15 minutes is refused RequestTimeTooSkewed though its expiration has not passed",
    expectFailing: ["signing.signature-accepted-throughout-its-window"],
    make: (c) => {
      const h = base(c);
      return async (req) => {
        const p = await parse(req);
        const res = await h(rebuild(p));
        const w = window(p);
        if (res.status >= 400 || w.presigned || Date.now() - w.timestamp <= 900_000) return res;
        return refusal(
          "RequestTimeTooSkewed",
          "The difference between the request time and the server's time is too large",
          p.method === "HEAD",
        );
      };
    },
  },
  {
    name: "signature-window-fixed-300s",
    description:
      "ignores the expiration field (but -1): every signature, header or presigned, expires 300 s after its timestamp",
    expectFailing: ["signing.signature-accepted-throughout-its-window"],
    make: (c) => {
      const h = base(c);
      return async (req) => {
        const p = await parse(req);
        const res = await h(rebuild(p));
        const w = window(p);
        if (res.status >= 400 || w.expiration === -1 || Date.now() - w.timestamp <= 300_000) return res;
        return refusal("RequestExpired", "The request has expired", p.method === "HEAD");
      };
    },
  },
  {
    name: "future-timestamp-without-tolerance",
    description: "refuses any timestamp ahead of its clock by more than 2 s (no skew tolerance)",
    expectFailing: ["signing.signature-accepted-throughout-its-window"],
    make: (c) => {
      const h = base(c);
      return async (req) => {
        const p = await parse(req);
        if (window(p).timestamp - Date.now() > 2000) {
          return refusal(
            "RequestTimeTooSkewed",
            "The request time is ahead of the server's time",
            p.method === "HEAD",
          );
        }
        return await h(rebuild(p));
      };
    },
  },
  {
    name: "head-refusal-without-request-id",
    description: "HEAD requests refused by its authentication layer (403, no body) carry no x-bce-request-id",
    expectFailing: ["errors.every-response-has-request-id"],
    make: (c) =>
      responses(c, (p, res) => (p.method === "HEAD" && res.status === 403 ? withoutRequestId(res) : res)),
  },
  {
    name: "head-missing-bucket-without-request-id",
    description: "HeadBucket of a missing bucket answers 404 without x-bce-request-id",
    expectFailing: ["errors.every-response-has-request-id"],
    make: (c) =>
      responses(
        c,
        (p, res) => p.method === "HEAD" && res.status === 404 && !objectOf(p) ? withoutRequestId(res) : res,
      ),
  },
  {
    name: "presigned-session-token-not-checked",
    description:
      "checks the session token only in the x-bce-security-token header: a presigned URL with any token in its query is accepted",
    sessionToken: true,
    expectFailing: ["signing.session-token-required"],
    make: (c) =>
      requests(c, (p) => {
        const q = queryParams(p.query);
        const token = q.get("x-bce-security-token");
        if (!q.has("authorization") || token === undefined || token === c.sessionToken) return rebuild(p);
        const query = p.query.replace(
          /x-bce-security-token=[^&]*/i,
          "x-bce-security-token=" + encodeURIComponent(c.sessionToken!),
        );
        return resign({ ...p, query }, c);
      }),
  },
  {
    name: "presigned-session-token-optional",
    description: "accepts a presigned URL of temporary credentials that carries no session token",
    sessionToken: true,
    expectFailing: ["signing.session-token-required"],
    make: (c) =>
      requests(c, (p) => {
        const q = queryParams(p.query);
        if (!q.has("authorization") || q.has("x-bce-security-token")) return rebuild(p);
        const headers = new Headers(p.headers);
        headers.set("x-bce-security-token", c.sessionToken!);
        return resign({ ...p, headers }, c);
      }),
  },
  {
    name: "initiate-unknown-storage-class-ignored",
    description:
      "InitiateMultipartUpload ignores an unknown x-bce-storage-class (the upload, and the object, are STANDARD)",
    expectFailing: ["errors.each-failure-has-its-documented-code"],
    make: (c) =>
      requests(c, (p) => {
        const sc = p.headers.get("x-bce-storage-class");
        if (operationOf(p) !== "InitiateMultipartUpload" || !sc || CLASSES.includes(sc)) return rebuild(p);
        p.headers.delete("x-bce-storage-class");
        return resign(p, c);
      }),
  },
  {
    name: "copy-unknown-storage-class-ignored",
    description: "CopyObject ignores an unknown x-bce-storage-class (the copy keeps the source's class)",
    expectFailing: ["errors.each-failure-has-its-documented-code"],
    make: (c) =>
      requests(c, (p) => {
        const sc = p.headers.get("x-bce-storage-class");
        if (operationOf(p) !== "CopyObject" || !sc || CLASSES.includes(sc)) return rebuild(p);
        p.headers.delete("x-bce-storage-class");
        return resign(p, c);
      }),
  },
  {
    name: "complete-bad-json-is-invalid-argument",
    description:
      "CompleteMultipartUpload with a body that is not JSON answers 400 InvalidArgument, not MalformedJSON",
    expectFailing: ["errors.each-failure-has-its-documented-code"],
    make: (c) =>
      responses(
        c,
        (p, res) =>
          operationOf(p) === "CompleteMultipartUpload" && res.status === 400
            ? withJson(res, (j) => void (j.code === "MalformedJSON" && (j.code = "InvalidArgument")))
            : res,
      ),
  },
  {
    name: "batch-delete-bad-json-is-malformed-xml",
    description:
      "DeleteMultipleObjects with a body that is not JSON answers S3's 400 MalformedXML, not MalformedJSON",
    expectFailing: ["errors.each-failure-has-its-documented-code"],
    make: (c) =>
      responses(
        c,
        (p, res) =>
          operationOf(p) === "DeleteMultipleObjects" && res.status === 400
            ? withJson(res, (j) => void (j.code === "MalformedJSON" && (j.code = "MalformedXML")))
            : res,
      ),
  },
  {
    name: "complete-unknown-part-fields-refused",
    description:
      "CompleteMultipartUpload refuses parts with fields other than partNumber and eTag (the JS SDK's partSize) with 400 MalformedJSON",
    expectFailing: ["signing.js-sdk-request-habits-accepted"],
    make: (c) => {
      const h = base(c);
      return async (req) => {
        const p = await parse(req);
        if (operationOf(p) === "CompleteMultipartUpload") {
          try {
            const j = JSON.parse(new TextDecoder().decode(p.body)) as { parts?: object[] };
            const strict = (j.parts ?? []).every((x) =>
              Object.keys(x).every((k) => k === "partNumber" || k === "eTag")
            );
            if (!strict) return refusal("MalformedJSON", "Unknown field in the part list", false, 400);
          } catch {
            // not JSON: the server's own answer
          }
        }
        return await h(rebuild(p));
      };
    },
  },
  {
    name: "request-id-header-replaced",
    description:
      "its gateway replaces a request's x-bce-request-id with its own before verifying: requests that sign one (the JS SDK does) are refused",
    expectFailing: ["signing.js-sdk-request-habits-accepted"],
    make: (c) =>
      requests(c, (p) => {
        if (p.headers.has("x-bce-request-id")) p.headers.set("x-bce-request-id", crypto.randomUUID());
        return rebuild(p);
      }),
  },
  {
    name: "content-type-on-get-refused",
    description:
      "refuses a GET or HEAD that carries a Content-Type (the JS SDK signs one on every request) with 400",
    expectFailing: ["signing.js-sdk-request-habits-accepted"],
    make: (c) => {
      const h = base(c);
      return async (req) => {
        const p = await parse(req);
        if (
          (p.method === "GET" || p.method === "HEAD") &&
          p.headers.get("content-type")?.startsWith("application/json")
        ) {
          return refusal("InvalidArgument", "A GET request has no body to type", p.method === "HEAD", 400);
        }
        return await h(rebuild(p));
      };
    },
  },
  {
    name: "empty-range-unsatisfiable",
    description: "answers a GET with an empty Range header (the JS SDK's getObject) 416 InvalidRange",
    expectFailing: ["signing.js-sdk-request-habits-accepted"],
    make: (c) => {
      const h = base(c);
      return async (req) => {
        const p = await parse(req);
        if (p.method === "GET" && p.headers.has("range") && p.headers.get("range")!.trim() === "") {
          return refusal("InvalidRange", "The requested range is not satisfiable", false, 416);
        }
        return await h(rebuild(p));
      };
    },
  },
  {
    name: "path-plus-decoded-as-space",
    description:
      "decodes the request path as a form: a raw + in the path is a space (RFC 3986 paths have no such rule), so a key written as %2B is not found when spelt with +",
    expectFailing: ["signing.lower-case-percent-escapes-accepted"],
    make: (c) =>
      requests(
        c,
        (p) => (objectOf(p) && p.path.includes("+")
          ? resign({ ...p, path: p.path.replaceAll("+", "%20") }, c)
          : rebuild(p)),
      ),
  },
  {
    name: "expiration-capped-at-one-hour",
    description:
      "caps every expiration at 3600 s: a presigned URL valid for a day stops working after an hour",
    expectFailing: ["signing.signature-accepted-throughout-its-window"],
    make: (c) => {
      const h = base(c);
      return async (req) => {
        const p = await parse(req);
        const res = await h(rebuild(p));
        const w = window(p);
        if (res.status >= 400 || w.expiration <= 3600 || Date.now() - w.timestamp <= 3600_000) return res;
        return refusal("RequestExpired", "The request has expired", p.method === "HEAD");
      };
    },
  },
];
