/**
 * Broken endpoints for the object data paths (digests, conditional writes, forbid-overwrite, response
 * overrides, UploadPartCopy conditions, listing and delete limits, Abort and append offset parsing): each
 * the reference server with one realistic vendor bug that a per-area law catches. Kept apart from
 * `_zoo.ts` (module size); `zoo_test.ts` runs both.
 *
 * @module
 */
import {
  base,
  operationOf,
  queryParams,
  rebuild,
  requests,
  resign,
  responses,
  withJson,
  type ZooEntry,
} from "./_zoo.ts";

/** The broken endpoints of the object data paths. */
export const DATA_ZOO: readonly ZooEntry[] = [
  {
    name: "forbid-overwrite-ignored",
    description: "PutObject ignores x-bce-forbid-overwrite: true and overwrites the existing object",
    expectFailing: ["objects.forbid-overwrite-refuses-existing-key"],
    make: (c) =>
      requests(c, (p) => {
        if (operationOf(p) !== "PutObject" || !p.headers.has("x-bce-forbid-overwrite")) return rebuild(p);
        p.headers.delete("x-bce-forbid-overwrite");
        return resign(p, c);
      }),
  },
  {
    name: "put-crc32-not-verified",
    description:
      "PutObject ignores a mismatching x-bce-content-crc32 (only Content-MD5 and SHA-256 are checked)",
    expectFailing: ["objects.wrong-digest-rejected-on-every-write-path"],
    make: (c) =>
      requests(c, (p) => {
        if (operationOf(p) !== "PutObject" || !p.headers.has("x-bce-content-crc32")) return rebuild(p);
        p.headers.delete("x-bce-content-crc32");
        return resign(p, c);
      }),
  },
  {
    name: "append-content-md5-not-verified",
    description:
      "AppendObject ignores a mismatching Content-MD5 (the check lives in the PutObject path only)",
    expectFailing: ["objects.wrong-digest-rejected-on-every-write-path"],
    make: (c) =>
      requests(c, (p) => {
        if (operationOf(p) !== "AppendObject" || !p.headers.has("content-md5")) return rebuild(p);
        p.headers.delete("content-md5");
        return resign(p, c);
      }),
  },
  {
    name: "upload-part-sha256-not-verified",
    description: "UploadPart ignores a mismatching x-bce-content-sha256",
    expectFailing: ["objects.wrong-digest-rejected-on-every-write-path"],
    make: (c) =>
      requests(c, (p) => {
        if (operationOf(p) !== "UploadPart" || !p.headers.has("x-bce-content-sha256")) return rebuild(p);
        p.headers.delete("x-bce-content-sha256");
        return resign(p, c);
      }),
  },
  {
    name: "response-expires-override-ignored",
    description: "GetObject applies responseContentType and responseCacheControl but ignores responseExpires",
    expectFailing: ["objects.response-header-overrides-applied"],
    make: (c) =>
      requests(c, (p) => {
        const q = queryParams(p.query);
        if (operationOf(p) !== "GetObject" || !q.has("responseExpires")) return rebuild(p);
        q.delete("responseExpires");
        return resign({
          ...p,
          query: [...q].map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&"),
        }, c);
      }),
  },
  {
    name: "upload-part-copy-ignores-conditions",
    description: "UploadPartCopy ignores the x-bce-copy-source-if-* conditions (CopyObject honours them)",
    expectFailing: ["copy.upload-part-copy-honours-conditions"],
    make: (c) =>
      requests(c, (p) => {
        const names = [...p.headers.keys()].filter((k) => k.startsWith("x-bce-copy-source-if-"));
        if (operationOf(p) !== "UploadPartCopy" || names.length === 0) return rebuild(p);
        for (const k of names) p.headers.delete(k);
        return resign(p, c);
      }),
  },
  {
    name: "list-parts-max-parts-not-capped",
    description: "ListParts echoes a maxParts above 1000 as given instead of the 1000 it applies",
    expectFailing: ["pagination.max-parts-and-uploads-above-limit-capped"],
    make: (c) =>
      responses(c, (p, res) => {
        const asked = Number(queryParams(p.query).get("maxParts"));
        return operationOf(p) === "ListParts" && asked > 1000
          ? withJson(res, (j) => (j.maxParts = asked))
          : res;
      }),
  },
  {
    name: "batch-delete-limit-off-by-one",
    description: "DeleteMultipleObjects accepts 1001 keys",
    expectFailing: ["objects.batch-delete-key-limit"],
    make: (c) => base(c, { maxDeleteObjects: 1001 }),
  },
  {
    name: "abort-is-idempotent",
    description:
      "AbortMultipartUpload of an upload already aborted answers 204 (S3-style idempotence) instead of 404",
    expectFailing: ["multipart.abort-removes-upload"],
    make: (c) =>
      responses(
        c,
        (p, res) =>
          operationOf(p) === "AbortMultipartUpload" && res.status === 404
            ? new Response(null, { status: 204, headers: res.headers })
            : res,
      ),
  },
  {
    name: "append-offset-parsed-leniently",
    description: "AppendObject reads offset with parseInt semantics: -1, abc and 0x0 become 0",
    expectFailing: ["offsets.malformed-append-offset-rejected"],
    make: (c) =>
      requests(c, (p) => {
        const q = queryParams(p.query);
        const raw = q.get("offset");
        if (operationOf(p) !== "AppendObject" || raw === undefined || /^\d+$/.test(raw)) return rebuild(p);
        q.set("offset", String(Math.max(0, Number.parseInt(raw, 10) || 0)));
        const query = [...q].map((
          [k, v],
        ) => (v === "" ? encodeURIComponent(k) : `${encodeURIComponent(k)}=${encodeURIComponent(v)}`))
          .join("&");
        return resign({ ...p, query }, c);
      }),
  },
  {
    name: "put-if-none-match-ignored",
    description: "PutObject ignores If-None-Match (If-None-Match: * does not stop an overwrite)",
    expectFailing: ["objects.conditional-writes-honoured"],
    make: (c) =>
      requests(c, (p) => {
        if (operationOf(p) !== "PutObject" || !p.headers.has("if-none-match")) return rebuild(p);
        p.headers.delete("if-none-match");
        return resign(p, c);
      }),
  },
  {
    name: "crc32c-flag-ignored",
    description:
      "x-bce-content-crc32c-flag: true is ignored: no x-bce-content-crc32c comes back unless one was sent",
    expectFailing: ["objects.wrong-digest-rejected-on-every-write-path"],
    make: (c) =>
      requests(c, (p) => {
        if (!p.headers.has("x-bce-content-crc32c-flag")) return rebuild(p);
        p.headers.delete("x-bce-content-crc32c-flag");
        return resign(p, c);
      }),
  },
];
