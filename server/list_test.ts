import assert from "node:assert/strict";
import fc from "fast-check";
import { compareUtf8 } from "./_order.ts";
import { encodeKey, testServer } from "./_test_util.ts";

import table from "../fixtures/listing/list-objects-table.json" with { type: "json" };

const DATASET = table.keys;

async function setup(keys = DATASET) {
  const s = testServer();
  await s.call({ method: "PUT", path: "/bkt" });
  let i = 1;
  for (const k of keys) {
    const r = await s.call({ method: "PUT", path: "/bkt/" + encodeKey(k), body: "v".repeat(i++ % 10 + 1) });
    assert.equal(r.status, 200);
  }
  return s;
}

async function list(s: ReturnType<typeof testServer>, query: string) {
  const r = await s.json({ path: "/bkt", query });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}

const keysOf = (b: { contents: Array<{ key: string }> }) => b.contents.map((c) => c.key);
const prefixesOf = (b: { commonPrefixes?: Array<{ prefix: string }> }) =>
  b.commonPrefixes?.map((c) => c.prefix);

Deno.test("ListObjects reproduces real BOS's observed table (listing.md §2)", async () => {
  const s = await setup();
  const rows = table.rows.map((r) =>
    [
      new URLSearchParams(Object.entries(r.request).map(([k, v]) => [k, String(v)])).toString()
        .replaceAll("%2F", "/"),
      r.contents,
      r.commonPrefixes ?? undefined,
      r.isTruncated,
      r.nextMarker ?? undefined,
    ] as const
  );
  for (const [query, contents, prefixes, truncated, next] of rows) {
    const b = await list(s, query);
    assert.deepEqual(keysOf(b), contents, query);
    assert.deepEqual(prefixesOf(b), prefixes, query);
    assert.equal(b.isTruncated, truncated, query);
    assert.equal(b.nextMarker, next, query);
    assert.equal(typeof b.prefix, "string");
    assert.equal(typeof b.marker, "string");
    assert.equal("delimiter" in b, query.includes("delimiter"), query);
  }
  const page2 = await list(s, "marker=dir4/key0&delimiter=/&maxKeys=3");
  assert.deepEqual(keysOf(page2), ["key"]);
  assert.deepEqual(prefixesOf(page2), []);
  const first = await list(s, "");
  assert.equal(first.name, "bkt");
  assert.equal(first.maxKeys, 1000);
  const c = first.contents[0];
  assert.deepEqual(Object.keys(c).sort(), ["eTag", "key", "lastModified", "owner", "size", "storageClass"]);
  assert.equal(c.storageClass, "STANDARD");
  assert.match(c.lastModified, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
});

Deno.test("ListObjects orders keys by UTF-8 bytes, not UTF-16 code units", async () => {
  const keys = ["a\u{ffff}", "a\u{10000}", "a\u{e000}", "a~", "a\u{7f}b"];
  const s = await setup(keys);
  const b = await list(s, "");
  const expected = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
  assert.deepEqual(keysOf(b), expected);
  assert.deepEqual(expected.slice(-1), ["a\u{10000}"]);
});

Deno.test("ListObjects maxKeys: cap 1000, 0 gives no entries, invalid → InvalidArgument; delimiter is one character", async () => {
  const s = await setup();
  assert.equal((await list(s, "maxKeys=5000")).maxKeys, 1000);
  const zero = await list(s, "maxKeys=0");
  assert.deepEqual(zero.contents, []);
  assert.equal(zero.isTruncated, true);
  for (const bad of ["maxKeys=-1", "maxKeys=abc", "delimiter=ab"]) {
    assert.equal((await s.json({ path: "/bkt", query: bad })).body.code, "InvalidArgument", bad);
  }
  assert.equal((await s.json({ path: "/nob" })).body.code, "NoSuchBucket");
});

Deno.test("compareUtf8 agrees with byte comparison (property)", () => {
  fc.assert(
    fc.property(fc.string({ unit: "binary" }), fc.string({ unit: "binary" }), (a, b) => {
      const want = Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b)));
      assert.equal(Math.sign(compareUtf8(a, b)), want);
    }),
    { numRuns: 500 },
  );
});

Deno.test("paging with nextMarker visits every key exactly once and never repeats a prefix (property)", async () => {
  const keyArb = fc.array(fc.constantFrom("a", "b", "/", "é", "z"), { minLength: 1, maxLength: 6 }).map((a) =>
    a.join("")
  );
  await fc.assert(
    fc.asyncProperty(
      fc.uniqueArray(keyArb, { minLength: 0, maxLength: 25 }),
      fc.constantFrom("", "a", "a/", "b"),
      fc.constantFrom("", "/"),
      fc.integer({ min: 1, max: 4 }),
      async (keys, prefix, delimiter, maxKeys) => {
        const s = await setup(keys);
        const seenKeys: string[] = [];
        const seenPrefixes: string[] = [];
        let marker = "";
        for (let guard = 0; guard < 100; guard++) {
          const q = `prefix=${encodeURIComponent(prefix)}&maxKeys=${maxKeys}&marker=${encodeKey(marker)}` +
            (delimiter ? "&delimiter=%2F" : "");
          const b = await list(s, q);
          seenKeys.push(...keysOf(b));
          seenPrefixes.push(...(prefixesOf(b) ?? []));
          assert.ok(b.contents.length + (b.commonPrefixes?.length ?? 0) <= maxKeys);
          if (!b.isTruncated) {
            assert.equal(b.nextMarker, undefined);
            break;
          }
          marker = b.nextMarker;
        }
        const matching = keys.filter((k) => k.startsWith(prefix)).sort(compareUtf8);
        const expectKeys = matching.filter((k) => !delimiter || !k.slice(prefix.length).includes(delimiter));
        const expectPrefixes = [
          ...new Set(
            matching.filter((k) => delimiter && k.slice(prefix.length).includes(delimiter))
              .map((k) => k.slice(0, k.indexOf(delimiter, prefix.length) + 1)),
          ),
        ].sort(compareUtf8);
        assert.deepEqual(seenKeys, expectKeys);
        assert.deepEqual(seenPrefixes, expectPrefixes);
        await s.handler.close();
      },
    ),
    { numRuns: 60 },
  );
});
