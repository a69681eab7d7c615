/**
 * Broken endpoints of round 2 on the object data paths, each the reference server behind a proxy
 * that mishandles one thing: a per-area law catches {@link READS_ZOO} (`zoo_test.ts` runs
 * it); only the model catches {@link READS_MODEL_ZOO} — Range and condition headers in the
 * forms HTTP defines beyond the plain ones (suffix ranges `bytes=-N`, reversed and malformed ranges,
 * ETag lists, weak ETags, `*`, the obsolete RFC 850 and asctime dates; `zoo_model_test.ts` runs it).
 * Kept apart from `_zoo_data.ts` and `_zoo_model.ts` (module size).
 *
 * @module
 */
import type { Credentials } from "./_http.ts";
import { type Handler, operationOf, type Parsed, rebuild, requests, resign } from "./_zoo.ts";
import type { ZooEntry } from "./_zoo.ts";
import type { ModelZooEntry } from "./_zoo_model.ts";

const isRead = (p: Parsed) => operationOf(p) === "GetObject" || operationOf(p) === "HeadObject";

/** The reference handler behind a proxy that rewrites one request header of reads (`undefined` drops it). */
function readHeader(
  c: Credentials,
  name: string,
  rewrite: (value: string) => string | undefined | null,
): Handler {
  return requests(c, (p) => {
    const v = p.headers.get(name);
    const to = v === null || !isRead(p) ? null : rewrite(v);
    if (to === null) return rebuild(p);
    if (to === undefined) p.headers.delete(name);
    else p.headers.set(name, to);
    return resign(p, c);
  });
}

const suffixOf = (v: string) => /^bytes=-(\d+)$/.exec(v.trim());

/** The broken endpoints of round 2 that a per-area law catches. */
export const READS_ZOO: readonly ZooEntry[] = [
  {
    name: "copy-unknown-directive-is-copy",
    description:
      "CopyObject takes an unknown x-bce-metadata-directive (move, none, …) as copy instead of refusing it with 400 InvalidArgument",
    expectFailing: ["copy.unknown-metadata-directive-rejected"],
    make: (c) =>
      requests(c, (p) => {
        const v = p.headers.get("x-bce-metadata-directive")?.trim().toLowerCase();
        if (operationOf(p) !== "CopyObject" || !v || v === "copy" || v === "replace") return rebuild(p);
        p.headers.delete("x-bce-metadata-directive");
        return resign(p, c);
      }),
  },
];

/** The broken endpoints of round 2 that only the model catches. */
export const READS_MODEL_ZOO: readonly ModelZooEntry[] = [
  {
    name: "suffix-range-as-prefix",
    description: "Range: bytes=-N is served as the first N bytes (bytes=0-(N-1)) instead of the last N",
    observation: "suffix ranges",
    expectFailing: ["model.objects-match-model"],
    make: (c) =>
      readHeader(c, "range", (v) => {
        const m = suffixOf(v);
        return m && Number(m[1]) > 0 ? `bytes=0-${Number(m[1]) - 1}` : null;
      }),
  },
  {
    name: "suffix-range-off-by-one",
    description: "Range: bytes=-N serves N+1 bytes (the suffix counted from size-1-N)",
    observation: "suffix ranges",
    expectFailing: ["model.objects-match-model"],
    make: (c) =>
      readHeader(c, "range", (v) => {
        const m = suffixOf(v);
        return m ? `bytes=-${Number(m[1]) + 1}` : null;
      }),
  },
  {
    name: "suffix-range-refused",
    description: "Range: bytes=-N is refused with 416 InvalidRange (only bytes=a-b and bytes=a- parsed)",
    observation: "suffix ranges",
    expectFailing: ["model.objects-match-model"],
    make: (c) => readHeader(c, "range", (v) => (suffixOf(v) ? "bytes=x-" : null)),
  },
  {
    name: "reversed-range-served-whole",
    description:
      "Range: bytes=a-b with b < a is ignored (200 with the whole object) instead of 416 InvalidRange",
    observation: "invalid ranges",
    expectFailing: ["model.objects-match-model"],
    make: (c) =>
      readHeader(c, "range", (v) => {
        const m = /^bytes=(\d+)-(\d+)$/.exec(v.trim());
        return m && Number(m[2]) < Number(m[1]) ? undefined : null;
      }),
  },
  {
    name: "malformed-range-served-whole",
    description:
      "A Range that is not digits-dash-digits (bytes=5-x, bytes=3--4) is ignored (200 with the whole object, as S3 does) instead of 416 InvalidRange",
    observation: "invalid ranges",
    expectFailing: ["model.objects-match-model"],
    make: (c) => readHeader(c, "range", (v) => (/^bytes=\d*-\d*$/.test(v.trim()) ? null : undefined)),
  },
  {
    name: "weak-etag-never-matches",
    description:
      'If-None-Match: W/"etag" never matches (weak ETags compared strongly), so GET answers 200, not 304',
    observation: "conditional GET with weak ETags",
    expectFailing: ["model.objects-match-model"],
    make: (c) =>
      readHeader(c, "if-none-match", (v) => (v.includes("W/") ? v.replace(/W\/"[^"]*"/g, '"0"') : null)),
  },
  {
    name: "if-match-list-first-only",
    description: "If-Match with a list of ETags compares only the first one (412 when a later one matches)",
    observation: "conditional GET with ETag lists",
    expectFailing: ["model.objects-match-model"],
    make: (c) => readHeader(c, "if-match", (v) => (v.includes(",") ? v.split(",")[0] : null)),
  },
  {
    name: "if-none-match-list-first-only",
    description:
      "If-None-Match with a list of ETags compares only the first one (200 when a later one matches)",
    observation: "conditional GET with ETag lists",
    expectFailing: ["model.objects-match-model"],
    make: (c) => readHeader(c, "if-none-match", (v) => (v.includes(",") ? v.split(",")[0] : null)),
  },
  {
    name: "if-none-match-star-ignored-on-get",
    description:
      "GET and HEAD ignore If-None-Match: * (only PutObject knows it), answering 200 instead of 304",
    observation: "conditional GET with *",
    expectFailing: ["model.objects-match-model"],
    make: (c) => readHeader(c, "if-none-match", (v) => (v.trim() === "*" ? undefined : null)),
  },
  {
    name: "obsolete-http-dates-ignored",
    description:
      "If-Modified-Since / If-Unmodified-Since in the RFC 850 or asctime form are ignored (only RFC 1123 parsed)",
    observation: "conditional GET with dates in the obsolete forms",
    expectFailing: ["model.objects-match-model"],
    make: (c) =>
      requests(c, (p) => {
        let changed = false;
        for (const k of ["if-modified-since", "if-unmodified-since"]) {
          const v = p.headers.get(k);
          if (isRead(p) && v && !/^[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT$/.test(v)) {
            p.headers.delete(k);
            changed = true;
          }
        }
        return changed ? resign(p, c) : rebuild(p);
      }),
  },
];
