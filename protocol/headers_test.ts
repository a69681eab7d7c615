import assert from "node:assert/strict";
import fc from "fast-check";
import {
  fromHeaderByteString,
  toHeaderByteString,
  trimHeaderByteString,
  userMetadataSize,
} from "./headers.ts";
import { utf8Length } from "./limits.ts";

Deno.test("userMetadataSize: counts len('x-bce-meta-' + name) + len(value) in UTF-8 bytes; 2048 is the BOS boundary", () => {
  assert.equal(userMetadataSize({ key: "v".repeat(2034) }), 2048);
  assert.equal(userMetadataSize({ key: "v".repeat(2035) }), 2049);
  assert.equal(userMetadataSize({ a: "张", b: "😀" }), 12 + 3 + 12 + 4);
  assert.equal(userMetadataSize({ empty: "", spaces: "   " }), 0);
});

Deno.test("userMetadataSize: Headers (wire bytes) and plain objects (text) agree; trailing 0xA0 bytes are not trimmed", () => {
  const h = new Headers({
    "x-bce-meta-a": toHeaderByteString("张"),
    "x-bce-meta-b": toHeaderByteString(" x\u3000"),
    "content-type": "text/plain",
  });
  assert.equal(userMetadataSize(h), userMetadataSize({ a: "张", b: "x" }));
  assert.equal(userMetadataSize(h), 12 + 3 + 12 + 1);
});

Deno.test("law: toHeaderByteString and fromHeaderByteString round-trip any text; the wire form has the UTF-8 length", () => {
  fc.assert(
    fc.property(fc.string({ unit: "grapheme" }), (text) => {
      const wire = toHeaderByteString(text);
      assert([...wire].every((c) => c.charCodeAt(0) <= 0xff));
      assert.equal(wire.length, utf8Length(text));
      assert.equal(fromHeaderByteString(wire), text);
    }),
  );
});

Deno.test("law: trimHeaderByteString equals trimming the text and re-encoding it", () => {
  fc.assert(
    fc.property(fc.string({ unit: "grapheme" }), (text) => {
      assert.equal(trimHeaderByteString(toHeaderByteString(text)), toHeaderByteString(text.trim()));
    }),
  );
});

Deno.test("fromHeaderByteString: invalid UTF-8 is returned unchanged", () => {
  assert.equal(fromHeaderByteString("\u00ff\u00fe"), "\u00ff\u00fe");
});
