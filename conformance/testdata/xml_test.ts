import assert from "node:assert/strict";
import { findAll, parseXml, textOf } from "./xml.ts";

Deno.test("xml test parser: reads elements, attributes, entities and text; refuses what is not well-formed", () => {
  const root = parseXml(
    '<?xml version="1.0"?>\n<!DOCTYPE x>\n<a k="1 &amp; 2"><b/>t &lt; &#x41;<!-- c --><c q=\'x\'>y</c></a>\n',
  );
  assert.equal(root.attrs.k, "1 & 2");
  assert.equal(textOf(root), "t < Ay");
  assert.deepEqual(findAll(root, () => true).map((e) => e.name), ["a", "b", "c"]);
  for (
    const bad of [
      "<a><b></a></b>",
      "<a>",
      "<a k=1></a>",
      '<a k="1" k="2"></a>',
      "<a>&nbsp;</a>",
      "<a>x & y</a>",
      "<a/><b/>",
      "<a>\x01</a>",
      "text<a/>",
      '<a k="<"/>',
      "<a k></a>",
    ]
  ) {
    assert.throws(() => parseXml(bad), SyntaxError, bad);
  }
});
