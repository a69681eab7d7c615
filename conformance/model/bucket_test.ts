import assert from "node:assert/strict";
import fc from "fast-check";
import { BucketModel, evaluateConditions, paginateItems, rangeOutcome, storedAttributes } from "./bucket.ts";
import { listPage } from "./listing.ts";

const b = (...x: number[]) => new Uint8Array(x);
const w = { min: 100, max: 101 };
const limits = { minPartSize: 4, maxPartNumber: 10000, maxUserMetadataSize: 2048 };

Deno.test("bucket model: PutObject stores a normal object with the sent headers, defaults filled in", () => {
  const m = new BucketModel(limits);
  assert.deepEqual(m.put("k", b(1, 2), { meta: [["DeMo", "v"]], cacheControl: "no-cache" }, w), { ok: true });
  const o = m.objects.get("k")!;
  assert.equal(o.kind, "normal");
  assert.equal(o.attrs.contentType, "application/octet-stream");
  assert.equal(o.attrs.storageClass, "STANDARD");
  assert.equal(o.attrs.cacheControl, "no-cache");
  assert.deepEqual([...o.attrs.meta.keys()], ["demo"]);
  assert.deepEqual(o.objectTypes, ["Normal"]);
  assert.equal(o.contentMd5Required, true);
});

Deno.test("bucket model: a refused PutObject (bad class, metadata over budget, bad digest) changes nothing", () => {
  const m = new BucketModel(limits);
  m.put("k", b(1), {}, w);
  const before = m.objects.get("k");
  assert.deepEqual(m.put("k", b(2), { storageClass: "GLACIER" }, w), {
    ok: false,
    faults: [{ status: 400, code: "InvalidArgument" }],
  });
  const big = [["k", "v".repeat(2048)]] as const;
  assert.deepEqual(m.put("k", b(2), { meta: big }, w), {
    ok: false,
    faults: [{ status: 400, code: "MetadataTooLarge" }],
  });
  assert.deepEqual(m.put("k", b(2), {}, w, true), {
    ok: false,
    faults: [{ status: 400, code: "BadDigest" }],
  });
  assert.equal(m.objects.get("k"), before);
});

Deno.test("bucket model: appends follow objects.md §7 and keep the creation headers", () => {
  const m = new BucketModel(limits);
  assert.equal(m.appendAt("a", b(1), 0, w).ok, false);
  assert.deepEqual(m.appendCreate("a", b(1, 2), { storageClass: "ARCHIVE" }, w), {
    ok: false,
    faults: [{ status: 400, code: "InvalidArgument" }],
  });
  m.appendCreate("a", b(1, 2), { contentType: "text/x-first", storageClass: "COLD" }, w);
  assert.deepEqual(m.appendAt("a", b(3), 1, w), {
    ok: false,
    faults: [{ status: 409, code: "OffsetIncorrect" }],
  });
  assert.equal(m.appendAt("a", b(3), 2, w).ok, true);
  const o = m.objects.get("a")!;
  assert.deepEqual([...o.content], [1, 2, 3]);
  assert.equal(o.attrs.contentType, "text/x-first");
  assert.equal(o.attrs.storageClass, "COLD");
  m.put("n", b(1), {}, w);
  assert.deepEqual(m.appendAt("n", b(1), 1, w), {
    ok: false,
    faults: [{ status: 403, code: "ObjectUnappendable" }],
  });
});

Deno.test("bucket model: CopyObject takes the source's headers (copy) or the request's (replace), storage class from the request", () => {
  const m = new BucketModel(limits);
  m.put("s", b(9), {
    contentType: "text/x-src",
    expires: "Thu, 01 Jan 2099 00:00:00 GMT",
    storageClass: "COLD",
    meta: [["a", "1"]],
  }, w);
  const src = m.objects.get("s")!;
  src.etagSeen = "e";
  src.lastModified.value = 100;
  assert.equal(
    m.copy("s", "c", { sent: { contentType: "text/x-ignored", meta: [["b", "2"]] }, conditions: [], w }).ok,
    true,
  );
  const c = m.objects.get("c")!;
  assert.equal(c.attrs.contentType, "text/x-src");
  assert.equal(c.attrs.expires, "Thu, 01 Jan 2099 00:00:00 GMT");
  assert.equal(c.attrs.storageClass, "STANDARD");
  assert.deepEqual([...c.attrs.meta.keys()], ["a"]);
  assert.equal(
    m.copy("s", "r", { directive: "replace", sent: { storageClass: "STANDARD_IA" }, conditions: [], w }).ok,
    true,
  );
  const r = m.objects.get("r")!;
  assert.equal(r.attrs.contentType, "application/octet-stream");
  assert.equal(r.attrs.expires, undefined);
  assert.equal(r.attrs.storageClass, "STANDARD_IA");
  assert.equal(r.attrs.meta.size, 0);
});

Deno.test("bucket model: copy-source conditions that fail give 412, a missing source 404", () => {
  const m = new BucketModel(limits);
  m.put("s", b(9), {}, w);
  Object.assign(m.objects.get("s")!, { etagSeen: "e1" });
  m.objects.get("s")!.lastModified.value = 100;
  const copy = (conditions: Parameters<typeof evaluateConditions>[2]) =>
    m.copy("s", "d", { sent: {}, conditions, w });
  assert.equal(copy([{ kind: "if-match", etag: '"e2"' }]).ok, false);
  assert.equal(copy([{ kind: "if-none-match", etag: "e1" }]).ok, false);
  assert.equal(copy([{ kind: "if-modified-since", seconds: 100 }]).ok, false);
  assert.equal(copy([{ kind: "if-unmodified-since", seconds: 99 }]).ok, false);
  assert.equal(copy([{ kind: "if-unmodified-since", seconds: 100 }]).ok, true);
  assert.deepEqual(m.copy("missing", "d", { sent: {}, conditions: [], w }), {
    ok: false,
    faults: [{ status: 404, code: "NoSuchKey" }],
  });
});

Deno.test("bucket model: Complete checks order, parts and sizes, and assembles the object with the Initiate headers", () => {
  const m = new BucketModel(limits);
  const u = m.initiate("k", "u1", { contentDisposition: "inline", storageClass: "COLD" }, w);
  m.uploadPart("u1", 2, b(1, 2, 3, 4), "e2", w);
  m.uploadPart("u1", 1, b(5), "e1", w);
  assert.deepEqual(m.uploadPart("u1", 10001, b(1), "x", w), {
    ok: false,
    faults: [{ status: 400, code: "InvalidArgument" }],
  });
  const list = (...ps: Array<[number, string]>) => ps.map(([partNumber, eTag]) => ({ partNumber, eTag }));
  assert.deepEqual(m.complete("u1", list([2, "e2"], [1, "e1"]), [], w).ok, false);
  assert.deepEqual(m.complete("u1", list([1, "e1"], [2, "e2"]), [], w), {
    ok: false,
    faults: [{ status: 400, code: "EntityTooSmall" }],
  });
  assert.deepEqual(m.complete("u1", list([2, "bad"]), [], w), {
    ok: false,
    faults: [{ status: 400, code: "InvalidPart" }],
  });
  m.uploadPart("u1", 1, b(5, 6, 7, 8), "e1b", w);
  assert.equal(m.complete("u1", list([1, "e1b"], [2, "e2"]), [["x", "y"]], w).ok, true);
  const o = m.objects.get("k")!;
  assert.deepEqual([...o.content], [5, 6, 7, 8, 1, 2, 3, 4]);
  assert.deepEqual(o.parts, [4, 4]);
  assert.equal(o.attrs.storageClass, "COLD");
  assert.equal(o.attrs.contentDisposition, "inline");
  assert.deepEqual([...o.attrs.meta.keys()], ["x"]);
  assert.equal(o.etag.kind, "opaque");
  assert.equal(m.upload("u1"), undefined);
  assert.deepEqual(m.deadUploads, [{ uploadId: "u1", key: u.key }]);
  assert.deepEqual(m.abort("u1"), { ok: false, faults: [{ status: 404, code: "NoSuchUpload" }] });
});

Deno.test("bucket model: a range past the end is clamped, one starting past it is 416, any range of 0 bytes is 400", () => {
  assert.deepEqual(rangeOutcome(10, { first: 2, last: 99 }), { ok: true, first: 2, last: 9 });
  assert.deepEqual(rangeOutcome(10, { first: 9 }), { ok: true, first: 9, last: 9 });
  assert.equal(rangeOutcome(10, { first: 10 }).ok, false);
  assert.deepEqual(rangeOutcome(0, { first: 0, last: 0 }), {
    ok: false,
    faults: [{ status: 400, code: "*" }],
  });
});

Deno.test("bucket model: If-Match beats If-Unmodified-Since, If-None-Match beats If-Modified-Since", () => {
  assert.equal(
    evaluateConditions("e", 100, [{ kind: "if-match", etag: "e" }, {
      kind: "if-unmodified-since",
      seconds: 1,
    }]),
    "ok",
  );
  assert.equal(
    evaluateConditions("e", 100, [{ kind: "if-none-match", etag: "x" }, {
      kind: "if-modified-since",
      seconds: 200,
    }]),
    "ok",
  );
  assert.equal(evaluateConditions("e", 100, [{ kind: "if-modified-since", seconds: 100 }]), "not-modified");
  assert.equal(
    evaluateConditions("e", 100, [{ kind: "if-match", etag: "x" }, { kind: "if-none-match", etag: "e" }]),
    "failed",
  );
});

Deno.test("bucket model: paginateItems over unique keys agrees with the listing model for any parameters (law)", () => {
  const piece = fc.constantFrom("a", "b", "/", "😀", "\uff61", "é");
  const key = fc.array(piece, { minLength: 1, maxLength: 4 }).map((a) => a.join(""));
  fc.assert(
    fc.property(
      fc.uniqueArray(key, { maxLength: 10 }),
      fc.option(key, { nil: undefined }),
      fc.option(fc.constantFrom("/", "a"), { nil: undefined }),
      fc.option(key, { nil: undefined }),
      fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
      (keys, prefix, delimiter, marker, maxKeys) => {
        const p = { prefix, delimiter, marker, maxKeys };
        const got = paginateItems(keys, (k) => k, { ...p, maxEntries: maxKeys });
        const want = listPage(keys, p);
        assert.deepEqual(
          got.entries.map((e) => e.item ?? e.prefix),
          want.entries.map((e) => e.kind === "key" ? e.key : e.prefix),
        );
        assert.equal(got.isTruncated, want.isTruncated);
        assert.equal(got.nextMarker, want.nextMarker);
      },
    ),
  );
});

Deno.test("bucket model: uploads of one key list in initiation order, keys in byte order", () => {
  const m = new BucketModel(limits);
  m.initiate("b", "1", {}, w);
  m.initiate("😀", "2", {}, w);
  m.initiate("\uff61", "3", {}, w);
  m.initiate("b", "4", {}, w);
  assert.deepEqual(m.listUploads({}).entries.map((e) => e.item!.uploadId), ["1", "4", "3", "2"]);
  const page = m.listUploads({ maxUploads: 1 });
  assert.equal(page.isTruncated, true);
  assert.equal(page.nextMarker, "b");
});

Deno.test("bucket model: ListParts lists ascending from the marker", () => {
  const m = new BucketModel(limits);
  m.initiate("k", "u", {}, w);
  for (const n of [5, 1, 3]) m.uploadPart("u", n, b(n), String(n), w);
  const page = m.listParts("u", 1, 1);
  assert.deepEqual(page.parts.map((p) => p.partNumber), [3]);
  assert.equal(page.isTruncated, true);
});

Deno.test("bucket model: stored headers of a creating write", () => {
  const s = storedAttributes({ contentType: "a/b", storageClass: "ARCHIVE" }, "STANDARD");
  assert.equal(s.contentType, "a/b");
  assert.equal(s.storageClass, "STANDARD");
});
