import assert from "node:assert/strict";
import fc from "fast-check";
import { compareUtf8, listAll, listPage, listPartsPage } from "./listing.ts";

const DATA = [
  "dir0/dir1/key0",
  "dir0/key0",
  "dir0/key1",
  "dir1/dir2/key1",
  "dir1/dir2/key2",
  "dir1/key0",
  "dir3/key0",
  "dir3/key1",
  "dir4/key0",
  "key",
];

Deno.test("listing model: reproduces the seven rows BOS answered (listing.md §2)", () => {
  assert.deepEqual(listPage(DATA).contents, DATA);
  assert.equal(listPage(DATA).isTruncated, false);
  assert.equal(listPage(DATA).nextMarker, undefined);
  assert.deepEqual(listPage(DATA, { prefix: "d" }).contents, DATA.slice(0, 9));
  assert.deepEqual(listPage(DATA, { marker: "dir1" }).contents, DATA.slice(3));
  const row4 = listPage(DATA, { prefix: "dir0/", delimiter: "/", maxKeys: 2 });
  assert.deepEqual([row4.contents, row4.commonPrefixes, row4.isTruncated, row4.nextMarker], [
    ["dir0/key0"],
    ["dir0/dir1/"],
    true,
    "dir0/key0",
  ]);
  const row5 = listPage(DATA, { maxKeys: 3 });
  assert.deepEqual([row5.contents, row5.isTruncated, row5.nextMarker], [DATA.slice(0, 3), true, "dir0/key1"]);
  const row6 = listPage(DATA, { prefix: "d", marker: "dir1", maxKeys: 3 });
  assert.deepEqual([row6.contents, row6.nextMarker], [DATA.slice(3, 6), "dir1/key0"]);
  const row7 = listPage(DATA, { marker: "dir0/key0", delimiter: "/", maxKeys: 3 });
  assert.deepEqual([row7.contents, row7.commonPrefixes, row7.isTruncated], [
    [],
    ["dir1/", "dir3/", "dir4/"],
    true,
  ]);
  assert(row7.nextMarker?.startsWith("dir4/"));
  assert.deepEqual(listPage(DATA, { marker: row7.nextMarker, delimiter: "/" }).entries, [{
    kind: "key",
    key: "key",
  }]);
});

Deno.test("listing model: UTF-8 byte order differs from UTF-16 order for astral characters", () => {
  const keys = ["\u{1F600}", "\uFF61", "a", "é"];
  assert.deepEqual([...keys].sort(compareUtf8), ["a", "é", "\uFF61", "\u{1F600}"]);
  assert.deepEqual([...keys].sort(), ["a", "é", "\u{1F600}", "\uFF61"]);
});

Deno.test("listing model: following nextMarker, pages concatenate to the whole listing without repeats", () => {
  const piece = fc.constantFrom("a", "b", "/", "-", "é", "😀");
  const keys = fc.uniqueArray(fc.array(piece, { minLength: 1, maxLength: 4 }).map((a) => a.join("")), {
    maxLength: 15,
  });
  fc.assert(
    fc.property(
      keys,
      fc.option(fc.constantFrom("/", "-")),
      fc.integer({ min: 1, max: 4 }),
      (ks, delimiter, maxKeys) => {
        const params = { delimiter: delimiter ?? undefined, maxKeys };
        const got = [];
        let marker: string | undefined;
        for (let i = 0; i < 100; i++) {
          const page = listPage(ks, { ...params, marker });
          assert(page.entries.length <= maxKeys);
          assert.equal(page.isTruncated, page.nextMarker !== undefined);
          got.push(...page.entries);
          if (!page.isTruncated) break;
          marker = page.nextMarker;
        }
        assert.deepEqual(got, listAll(ks, params));
        const names = got.map((e) => (e.kind === "key" ? e.key : e.prefix));
        assert.equal(new Set(names).size, names.length);
      },
    ),
  );
});

Deno.test("listing model: a marker is exclusive and a common prefix counts as one entry", () => {
  assert.deepEqual(listPage(["a", "b", "c"], { marker: "b" }).contents, ["c"]);
  const page = listPage(["x/1", "x/2", "y"], { delimiter: "/", maxKeys: 1 });
  assert.deepEqual(page.commonPrefixes, ["x/"]);
  assert.equal(page.isTruncated, true);
  assert.equal(page.nextMarker, "x/2");
});

Deno.test("listing model: ListParts pages list numbers above the marker, nextPartNumberMarker is the last one", () => {
  assert.deepEqual(listPartsPage([1, 2, 3], 0, 5), {
    parts: [1, 2, 3],
    isTruncated: false,
    nextPartNumberMarker: 3,
  });
  assert.deepEqual(listPartsPage([1, 2, 3], 3, 5), {
    parts: [],
    isTruncated: false,
    nextPartNumberMarker: 0,
  });
  assert.deepEqual(listPartsPage([10, 2, 7], 2, 1), {
    parts: [7],
    isTruncated: true,
    nextPartNumberMarker: 7,
  });
});
