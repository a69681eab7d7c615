import assert from "node:assert/strict";
import fc from "fast-check";
import {
  crcToDecimal,
  fromBase64,
  isWellFormedPercentEncoding,
  parseHttpDate,
  parseIsoDate,
  percentDecode,
  toBase64,
  toHex,
  unquote,
  uriEncode,
} from "./encoding.ts";

Deno.test("unquote: one contract for client, server and kit — trim, drop W/, drop one pair of quotes, null is empty", () => {
  assert.equal(unquote('"abc"'), "abc");
  assert.equal(unquote(' W/"abc" '), "abc");
  assert.equal(unquote("abc"), "abc");
  assert.equal(unquote('""abc""'), '"abc"');
  assert.equal(unquote('"'), '"');
  assert.equal(unquote(null), "");
  assert.equal(unquote(undefined), "");
  assert.equal(unquote(""), "");
});

Deno.test("law: unquote is idempotent on ETags and leaves a bare hex ETag as it is", () => {
  fc.assert(
    fc.property(fc.stringMatching(/^[0-9a-f]{32}$/), fc.boolean(), fc.boolean(), (hex, weak, quoted) => {
      const etag = (weak ? "W/" : "") + (quoted ? `"${hex}"` : hex);
      assert.equal(unquote(etag), hex);
      assert.equal(unquote(unquote(etag)), hex);
    }),
  );
});

Deno.test("parseHttpDate and parseIsoDate: dates or undefined, never Invalid Date", () => {
  assert.equal(parseHttpDate("Wed, 06 Apr 2016 06:34:40 GMT")?.getTime(), Date.UTC(2016, 3, 6, 6, 34, 40));
  assert.equal(
    parseHttpDate("  Wed, 06 Apr 2016 06:34:40 GMT  ")?.getTime(),
    Date.UTC(2016, 3, 6, 6, 34, 40),
  );
  // The obsolete forms HTTP recipients must accept are GMT, asctime too (it carries no zone).
  for (const old of ["Wednesday, 06-Apr-16 06:34:40 GMT", "Wed Apr  6 06:34:40 2016"]) {
    assert.equal(parseHttpDate(old)?.getTime(), Date.UTC(2016, 3, 6, 6, 34, 40), old);
  }
  for (const bad of [null, undefined, "", "  ", "not a date"]) assert.equal(parseHttpDate(bad), undefined);
  assert.equal(parseIsoDate("2016-04-06T06:34:40Z")?.getTime(), Date.UTC(2016, 3, 6, 6, 34, 40));
  for (const bad of [null, 1, {}, "nope"]) assert.equal(parseIsoDate(bad), undefined);
});

Deno.test("law: percentDecode inverts uriEncode for any text; malformed escapes and non-UTF-8 are undefined", () => {
  fc.assert(fc.property(fc.string({ unit: "grapheme" }), fc.boolean(), (text, keepSlash) => {
    const encoded = uriEncode(text, keepSlash);
    assert(isWellFormedPercentEncoding(encoded));
    assert.equal(percentDecode(encoded), text);
  }));
  assert.equal(percentDecode("a+b"), "a+b");
  assert.equal(percentDecode("%zz"), undefined);
  assert.equal(percentDecode("%ff"), undefined);
});

Deno.test("law: hex, base64 and the decimal CRC form round-trip bytes", () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
    assert.deepEqual(fromBase64(toBase64(bytes)), bytes);
    assert.equal(toHex(bytes).length, bytes.length * 2);
  }));
  assert.equal(crcToDecimal(new Uint8Array([0xcb, 0xf4, 0x39, 0x26])), "3421780262");
  assert.equal(fromBase64("not base64!"), undefined);
});
