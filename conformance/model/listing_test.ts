import assert from "node:assert/strict";
import fc from "fast-check";
import { compareUtf8, listAll, listPage, listPartsPage } from "./listing.ts";

import table from "../../fixtures/listing/list-objects-table.json" with { type: "json" };

const DATA = table.keys;

Deno.test("listing model: reproduces the seven rows BOS answered (fixtures/listing, listing.md §2)", () => {
  for (const row of table.rows) {
    const page = listPage(DATA, row.request);
    const what = JSON.stringify(row.request);
    assert.deepEqual(page.contents, row.contents, what);
    assert.deepEqual(page.commonPrefixes, row.commonPrefixes ?? [], what);
    assert.equal(page.isTruncated, row.isTruncated, what);
    if (row.nextMarkerInside) assert(page.nextMarker?.startsWith(row.nextMarkerInside), what);
    else assert.equal(page.nextMarker, row.nextMarker ?? undefined, what);
  }
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
