/**
 * Broken endpoints for the protocol edges (canonical query order, anonymous and malformed
 * authorization, presigned URLs, Date and request-id headers, error statuses and bodies, bucket life
 * cycle and naming, CORS on every answer): each the reference server with one realistic vendor bug that
 * a per-area law catches. Kept apart from `_zoo.ts` (module size); `zoo_test.ts` runs every zoo file.
 *
 * @module
 */
import { verifyAuthorization } from "../protocol/signing/verify.ts";
import {
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
  type ZooEntry,
} from "./_zoo.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** The broken endpoints of the protocol edges. */
export const PROTO_ZOO: readonly ZooEntry[] = [
  {
    name: "query-sorted-by-name",
    description:
      "sorts the canonical query by parameter name, not as key=value strings: refuses requests whose parameter names share a prefix (text, text1)",
    expectFailing: ["signing.extra-query-parameters-accepted"],
    make: (c) => {
      const h = base(c);
      return async (req) => {
        const p = await parse(req);
        const items = p.query.split("&").filter((x) => x && !/^authorization=/i.test(x)).map((x) => ({
          name: decodeURIComponent(x.split("=")[0]),
          item: x.includes("=") ? x : x + "=",
        }));
        const order = (key: "name" | "item") =>
          [...items].sort((a, b) => (a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : 0)).map((x) => x.item).join(
            "&",
          );
        const res = await h(rebuild(p));
        if (order("name") === order("item") || res.status >= 400) return res;
        // The signature it computes differs from the client's: it answers as to a bad signature.
        const bad = p.headers.get("authorization")?.replace(/.$/, (x) => (x === "0" ? "1" : "0"));
        if (bad) p.headers.set("authorization", bad);
        else p.query = p.query.replace(/(authorization=[^&]*)/, (m) => m.slice(0, -1) + "0");
        return await h(rebuild(p));
      };
    },
  },
  {
    name: "date-header-iso-8601",
    description: "writes the Date response header in ISO 8601 (2026-12-01T19:33:20Z) instead of RFC 1123",
    expectFailing: ["errors.every-response-has-http-date"],
    make: (c) =>
      responses(c, (_p, res) => {
        const headers = new Headers(res.headers);
        headers.set("date", new Date().toISOString().replace(/\.\d{3}Z$/, "Z"));
        return new Response(res.body, { status: res.status, headers });
      }),
  },
  {
    name: "request-id-reused",
    description: "answers every request with the same x-bce-request-id (and requestId)",
    expectFailing: ["errors.every-response-has-request-id"],
    make: (c) =>
      responses(c, async (_p, res) => {
        const id = "7b0c0a52-0000-4000-8000-000000000000";
        const r = res.status >= 400 ? await withJson(res, (j) => void (j.requestId = id)) : res;
        const headers = new Headers(r.headers);
        headers.set("x-bce-request-id", id);
        return new Response(r.body, { status: r.status, headers });
      }),
  },
  {
    name: "method-not-allowed-as-html",
    description: "answers a method BOS does not define with its web server's 405 HTML page",
    expectFailing: ["errors.error-body-has-code-message-request-id"],
    make: (c) =>
      responses(c, (_p, res) => {
        if (res.status !== 405) return res;
        const headers = new Headers(res.headers);
        headers.set("content-type", "text/html");
        headers.delete("content-length");
        return new Response("<html><body><h1>405 Not Allowed</h1></body></html>", { status: 405, headers });
      }),
  },
  {
    name: "anonymous-requests-allowed",
    description: "treats a request without any authorization as the bucket owner's (a proxy signs them)",
    expectFailing: ["signing.anonymous-request-refused"],
    make: (c) =>
      requests(c, (p) => {
        const signed = p.headers.has("authorization") || /(^|&)authorization=/i.test(p.query);
        return signed || p.method === "OPTIONS" ? rebuild(p) : resign(p, c);
      }),
  },
  {
    name: "malformed-authorization-is-signature-mismatch",
    description: "answers an Authorization it cannot parse with 403 SignatureDoesNotMatch",
    expectFailing: ["signing.malformed-authorization-rejected"],
    make: (c) =>
      responses(c, async (_p, res) => {
        if (res.status !== 400) return res;
        let code = false;
        const r = await withJson(res, (j) => {
          if (j.code === "InvalidHTTPAuthHeader") (j.code = "SignatureDoesNotMatch"), (code = true);
        });
        return code ? new Response(r.body, { status: 403, headers: r.headers }) : r;
      }),
  },
  {
    name: "delete-missing-bucket-is-204",
    description: "DeleteBucket of a bucket that is not there answers 204",
    expectFailing: ["buckets.life-cycle-seen-by-every-reader"],
    make: (c) =>
      responses(
        c,
        (p, res) =>
          operationOf(p) === "DeleteBucket" && res.status === 404
            ? new Response(null, { status: 204, headers: { "x-bce-request-id": crypto.randomUUID() } })
            : res,
      ),
  },
  {
    name: "create-existing-bucket-is-200",
    description: "PutBucket of a bucket that already exists answers 200 (S3's us-east-1 behaviour)",
    expectFailing: ["buckets.life-cycle-seen-by-every-reader"],
    make: (c) =>
      responses(
        c,
        (p, res) =>
          operationOf(p) === "PutBucket" && res.status === 409
            ? new Response(null, {
              status: 200,
              headers: { location: "bj", "x-bce-request-id": crypto.randomUUID() },
            })
            : res,
      ),
  },
  {
    name: "location-constraint-capitalised",
    description: "GetBucketLocation answers S3's LocationConstraint instead of locationConstraint",
    expectFailing: ["buckets.life-cycle-seen-by-every-reader"],
    make: (c) =>
      responses(
        c,
        (p, res) =>
          operationOf(p) === "GetBucketLocation" && res.status === 200
            ? withJson(res, (j) => {
              j.LocationConstraint = j.locationConstraint;
              delete j.locationConstraint;
            })
            : res,
      ),
  },
  {
    name: "put-bucket-without-location",
    description: "PutBucket answers without the Location header",
    expectFailing: ["buckets.life-cycle-seen-by-every-reader"],
    make: (c) =>
      responses(c, (p, res) => {
        if (operationOf(p) !== "PutBucket") return res;
        const headers = new Headers(res.headers);
        headers.delete("location");
        return new Response(res.body, { status: res.status, headers });
      }),
  },
  {
    name: "deleted-bucket-still-listed",
    description: "ListBuckets keeps listing a bucket after DeleteBucket (a stale bucket index)",
    expectFailing: ["buckets.life-cycle-seen-by-every-reader"],
    make: (c) => {
      const h = base(c);
      const gone = new Map<string, unknown>();
      return async (req) => {
        const p = await parse(req);
        const op = operationOf(p);
        if (op === "ListBuckets") {
          return withJson(await h(rebuild(p)), (j) => void (j.buckets as unknown[]).push(...gone.values()));
        }
        if (op === "DeleteBucket") {
          const listed = await (await h(await resign({ ...p, path: "/", query: "", method: "GET" }, c)))
            .json();
          const res = await h(rebuild(p));
          const name = p.path.split("/").filter(Boolean).at(-1);
          const entry = (listed.buckets as Array<{ name: string }>).find((b) => b.name === name);
          if (res.status === 204 && entry) gone.set(entry.name, entry);
          return res;
        }
        return await h(rebuild(p));
      };
    },
  },
  {
    name: "list-buckets-without-creation-date",
    description: "ListBuckets leaves out creationDate",
    expectFailing: ["buckets.life-cycle-seen-by-every-reader"],
    make: (c) =>
      responses(c, (p, res) =>
        operationOf(p) === "ListBuckets" && res.status === 200
          ? withJson(res, (j) => {
            for (const b of (j.buckets as Record<string, unknown>[] | undefined) ?? []) delete b.creationDate;
          })
          : res),
  },
  {
    name: "bucket-names-upper-case-accepted",
    description: "PutBucket accepts upper-case letters and _ in bucket names (and stores them folded)",
    expectFailing: ["buckets.naming-rules-enforced-at-boundaries"],
    make: (c) =>
      requests(c, (p) => {
        // Every request to such a bucket is folded alike, so the bucket can be deleted again.
        const segment = p.path.split("/")[1] ?? "";
        if (/[A-Z_]/.test(segment)) {
          const folded = segment.toLowerCase().replaceAll("_", "-");
          return resign({ ...p, path: "/" + folded + p.path.slice(1 + segment.length) }, c);
        }
        return rebuild(p);
      }),
  },
  {
    name: "bucket-name-limit-62",
    description: "refuses bucket names of 63 characters (a limit of 62)",
    expectFailing: ["buckets.naming-rules-enforced-at-boundaries"],
    make: (c) => {
      const h = base(c);
      return async (req) => {
        const p = await parse(req);
        const segments = p.path.split("/").filter(Boolean);
        if (p.method === "PUT" && !p.query && segments.length === 1 && segments[0].length === 63) {
          const requestId = crypto.randomUUID();
          return new Response(
            JSON.stringify({ code: "InvalidBucketName", message: "The bucket name is too long", requestId }),
            { status: 400, headers: { "content-type": "application/json", "x-bce-request-id": requestId } },
          );
        }
        return await h(rebuild(p));
      };
    },
  },
  {
    name: "delete-bucket-aborts-uploads",
    description:
      "DeleteBucket of a bucket holding only unfinished multipart uploads aborts them and deletes it (uploads kept apart from objects)",
    expectFailing: ["buckets.unfinished-upload-keeps-bucket"],
    make: (c) => {
      const h = base(c);
      return async (req) => {
        const p = await parse(req);
        const res = await h(rebuild(p));
        if (operationOf(p) !== "DeleteBucket" || res.status !== 409) return res;
        const get = (query: string) => resign({ ...p, method: "GET", query, body: new Uint8Array() }, c);
        const objects = await (await h(await get(""))).json() as { contents?: unknown[] };
        if (objects.contents?.length) return res;
        const uploads = await (await h(await get("uploads"))).json() as {
          uploads?: Array<{ key: string; uploadId: string }>;
        };
        for (const u of uploads.uploads ?? []) {
          const path = p.path.replace(/\/$/, "") + "/" + u.key.split("/").map(encodeURIComponent).join("/");
          await h(await resign({ ...p, method: "DELETE", path, query: `uploadId=${u.uploadId}` }, c));
        }
        return await h(await resign(p, c));
      };
    },
  },
  {
    name: "cors-headers-only-on-get",
    description: "actual requests other than GET (PUT, HEAD) get no Access-Control-* headers",
    expectFailing: ["cors.actual-requests-carry-allow-origin"],
    make: (c) =>
      responses(c, (p, res) => {
        if (p.method === "GET" || p.method === "OPTIONS") return res;
        const headers = new Headers(res.headers);
        headers.delete("access-control-allow-origin");
        headers.delete("access-control-expose-headers");
        return new Response(res.body, { status: res.status, headers });
      }),
  },
  {
    name: "cors-without-vary",
    description: "answers that depend on Origin carry no Vary header",
    expectFailing: ["cors.actual-requests-carry-allow-origin"],
    make: (c) =>
      responses(c, (_p, res) => {
        if (!res.headers.has("vary")) return res;
        const headers = new Headers(res.headers);
        headers.delete("vary");
        return new Response(res.body, { status: res.status, headers });
      }),
  },
  {
    name: "cors-rule-count-unlimited",
    description: "PutBucketCors accepts more than 100 rules (and keeps the first 100)",
    expectFailing: ["cors.invalid-configuration-rejected"],
    make: (c) =>
      requests(c, async (p) => {
        if (operationOf(p) !== "PutBucketCors") return rebuild(p);
        try {
          const j = JSON.parse(dec.decode(p.body)) as { corsConfiguration: unknown[] };
          if (j.corsConfiguration.length <= 100) return rebuild(p);
          j.corsConfiguration = j.corsConfiguration.slice(0, 100);
          return await resign({ ...p, body: enc.encode(JSON.stringify(j)) }, c);
        } catch {
          return rebuild(p);
        }
      }),
  },
  {
    name: "cors-rule-headers-case-sensitive",
    description:
      "lower-cases the requested header names but not the rule's: an allowedHeaders entry with upper case never matches",
    expectFailing: ["cors.preflight-header-mismatch-refused"],
    make: (c) =>
      requests(c, async (p) => {
        if (operationOf(p) !== "PutBucketCors") return rebuild(p);
        try {
          const j = JSON.parse(dec.decode(p.body)) as { corsConfiguration: { allowedHeaders?: string[] }[] };
          // What it matches against is the rule as written; no lower-cased request name equals it.
          for (const r of j.corsConfiguration) {
            r.allowedHeaders = r.allowedHeaders?.map((x) => (/[A-Z]/.test(x) ? "x-unmatchable-" + x : x));
          }
          return await resign({ ...p, body: enc.encode(JSON.stringify(j)) }, c);
        } catch {
          return rebuild(p);
        }
      }),
  },
  {
    name: "list-objects-typed-text-plain",
    description:
      "ListObjects answers its JSON with Content-Type text/plain (the JS SDK then does not parse it)",
    expectFailing: ["buckets.json-answers-typed-as-json"],
    make: (c) =>
      responses(c, (p, res) => {
        if (!isListObjects(p) || res.status !== 200) return res;
        const headers = new Headers(res.headers);
        headers.set("content-type", "text/plain; charset=utf-8");
        return new Response(res.body, { status: res.status, headers });
      }),
  },
  {
    name: "presigned-urls-verified-as-get",
    description: "verifies every presigned URL as a GET: a URL presigned for GET also deletes and overwrites",
    expectFailing: ["signing.tampered-presigned-url-rejected"],
    make: (c) =>
      requests(c, async (p) => {
        const authorization = queryParams(p.query).get("authorization");
        if (!authorization) return rebuild(p);
        const r = await verifyAuthorization({
          method: "GET",
          path: p.path,
          query: p.query,
          headers: withHost(p),
          authorization,
          lookupSecret: (ak) => (ak === c.accessKeyId ? c.secretAccessKey : undefined),
        });
        return r.ok ? await resign(p, c) : rebuild(p);
      }),
  },
  {
    name: "presigned-query-not-signed",
    description: "verifies a presigned URL without its other query parameters (they can be added freely)",
    expectFailing: ["signing.tampered-presigned-url-rejected"],
    make: (c) =>
      requests(c, async (p) => {
        const authorization = queryParams(p.query).get("authorization");
        if (!authorization) return rebuild(p);
        const r = await verifyAuthorization({
          method: p.method,
          path: p.path,
          query: p.query.split("&").filter((x) => /^(authorization|x-bce-security-token)=/i.test(x)).join(
            "&",
          ),
          headers: withHost(p),
          authorization,
          lookupSecret: (ak) => (ak === c.accessKeyId ? c.secretAccessKey : undefined),
        });
        return r.ok ? await resign(p, c) : rebuild(p);
      }),
  },
  {
    name: "put-bucket-body-refused",
    description: 'PutBucket with a body (the Go SDK\'s {"enableMultiAz":false}) answers 400 MalformedXML',
    expectFailing: ["buckets.life-cycle-seen-by-every-reader"],
    make: (c) => {
      const h = base(c);
      return async (req) => {
        const p = await parse(req);
        if (operationOf(p) !== "PutBucket" || p.body.length === 0) return await h(rebuild(p));
        const requestId = crypto.randomUUID();
        return new Response(
          JSON.stringify({
            code: "MalformedXML",
            message: "CreateBucketConfiguration is not valid",
            requestId,
          }),
          { status: 400, headers: { "content-type": "application/json", "x-bce-request-id": requestId } },
        );
      };
    },
  },
  {
    name: "v1-prefix-only-for-objects",
    description: "strips the /v1 prefix from object paths only: /v1/<bucket> is taken for a bucket named v1",
    expectFailing: ["buckets.v1-prefix-accepted-for-bucket-operations"],
    make: (c) => {
      const h = base(c);
      return async (req) => {
        const p = await parse(req);
        if (!/^\/v1\/[^/]+\/?$/.test(p.path)) return await h(rebuild(p));
        const requestId = crypto.randomUUID();
        return new Response(
          p.method === "HEAD"
            ? null
            : JSON.stringify({ code: "NoSuchKey", message: "The specified key does not exist", requestId }),
          { status: 404, headers: { "content-type": "application/json", "x-bce-request-id": requestId } },
        );
      };
    },
  },
  {
    name: "default-set-without-content-md5",
    description:
      "leaves content-md5 out of the default signed set (empty signedHeaders): refuses such uploads that carry Content-MD5",
    expectFailing: ["signing.default-signed-header-list-accepted"],
    make: (c) =>
      requests(c, (p) => {
        const authorization = p.headers.get("authorization");
        if (authorization?.split("/")[4] === "" && p.headers.has("content-md5")) {
          // The signature it computes lacks the header the client signed: it is never the client's.
          p.headers.set("authorization", authorization.replace(/.$/, (x) => (x === "0" ? "1" : "0")));
        }
        return rebuild(p);
      }),
  },
  {
    name: "write-creates-missing-bucket",
    description:
      "PutObject and InitiateMultipartUpload into a bucket that does not exist create it (mkdir -p)",
    expectFailing: ["errors.missing-bucket-is-no-such-bucket"],
    make: (c) => {
      const h = base(c);
      return async (req) => {
        const p = await parse(req);
        const op = operationOf(p);
        const target = objectOf(p);
        if ((op === "PutObject" || op === "InitiateMultipartUpload") && target) {
          const bucketPath = p.path.slice(0, p.path.length - p.path.replace(/^\/(v1\/)?[^/]+/, "").length);
          await h(
            await resign({ ...p, method: "PUT", path: bucketPath, query: "", body: new Uint8Array() }, c),
          );
        }
        return await h(rebuild(p));
      };
    },
  },
  {
    name: "cors-origin-port-ignored",
    description:
      "matches preflight origins without their port (https://a.example.com:8443 passes for https://a.example.com)",
    expectFailing: ["cors.preflight-origin-mismatch-refused"],
    make: (c) => {
      const h = base(c);
      return async (req) => {
        const p = await parse(req);
        const origin = p.headers.get("origin");
        if (p.method !== "OPTIONS" || !origin || !/:\d+$/.test(origin)) return await h(rebuild(p));
        p.headers.set("origin", origin.replace(/:\d+$/, ""));
        const res = await h(rebuild(p));
        if (!res.headers.has("access-control-allow-origin")) return res;
        const headers = new Headers(res.headers);
        headers.set("access-control-allow-origin", origin);
        return new Response(res.body, { status: res.status, headers });
      };
    },
  },
  {
    name: "cors-origin-matched-as-prefix",
    description:
      "matches rule origins as unanchored patterns: https://a.example.com.evil.example.net passes for https://*.example.com",
    expectFailing: ["cors.preflight-origin-mismatch-refused"],
    make: (c) => {
      const h = base(c);
      return async (req) => {
        const p = await parse(req);
        const origin = p.headers.get("origin");
        if (p.method !== "OPTIONS" || !origin) return await h(rebuild(p));
        const bucketPath = "/" + (p.path.split("/")[1] ?? "");
        const get = await h(
          await resign({ ...p, method: "GET", path: bucketPath, query: "cors", headers: new Headers() }, c),
        );
        const rules = get.status === 200
          ? ((await get.json()).corsConfiguration as { allowedOrigins: string[] }[])
          : [];
        for (const pattern of rules.flatMap((r) => r.allowedOrigins)) {
          const re = new RegExp(
            "^" + pattern.split("*").map((x) => x.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*"),
          );
          const m = re.exec(origin);
          if (!m || m[0] === origin) continue;
          p.headers.set("origin", m[0]);
          const res = await h(rebuild(p));
          if (!res.headers.has("access-control-allow-origin")) return res;
          const headers = new Headers(res.headers);
          headers.set("access-control-allow-origin", origin);
          return new Response(res.body, { status: res.status, headers });
        }
        return await h(rebuild(p));
      };
    },
  },
  {
    name: "cors-rules-outlive-bucket",
    description: "keeps a deleted bucket's CORS rules and gives them to the next bucket of that name",
    expectFailing: ["buckets.recreated-bucket-starts-empty"],
    make: (c) => {
      const h = base(c);
      const kept = new Map<string, Uint8Array<ArrayBuffer>>();
      return async (req) => {
        const p = await parse(req);
        const op = operationOf(p);
        if (op !== "DeleteBucket" && op !== "PutBucket") return await h(rebuild(p));
        const cors = (method: string, body = new Uint8Array()) =>
          resign({ ...p, method, query: "cors", body, headers: new Headers() }, c);
        const rules = op === "DeleteBucket" ? await h(await cors("GET")) : undefined;
        const res = await h(rebuild(p));
        if (op === "DeleteBucket" && res.status === 204 && rules?.status === 200) {
          kept.set(p.path, new Uint8Array(await rules.arrayBuffer()));
        }
        if (op === "PutBucket" && res.status === 200 && kept.has(p.path)) {
          await h(await cors("PUT", kept.get(p.path)));
        }
        return res;
      };
    },
  },
  {
    name: "method-not-allowed-is-501",
    description:
      "answers a method BOS does not define with 501 NotImplemented instead of 405 MethodNotAllowed",
    expectFailing: ["errors.each-failure-has-its-documented-code"],
    make: (c) =>
      responses(c, async (_p, res) => {
        if (res.status !== 405) return res;
        const r = await withJson(res, (j) => void (j.code = "NotImplemented"));
        return new Response(r.body, { status: 501, headers: r.headers });
      }),
  },
];
