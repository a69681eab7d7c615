import assert from "node:assert/strict";
import fc from "fast-check";
import {
  bucketNameProblem,
  DEFAULT_PROFILE,
  isValidBucketName,
  makeProfile,
  objectKeyProblem,
  utf8Length,
} from "./limits.ts";

Deno.test("objectKeyProblem: 1..maxKeyLength UTF-8 bytes, no . or .. segment, no lone surrogate (objects.md §10)", () => {
  const ok = [
    "a",
    "dir/file.txt",
    "v1",
    "a.b/..c/.d",
    "😀".repeat(256),
    "k".repeat(1024),
    "/leading",
    "trailing/",
  ];
  for (const key of ok) assert.equal(objectKeyProblem(key, DEFAULT_PROFILE), undefined, key);
  assert.equal(objectKeyProblem("", DEFAULT_PROFILE)?.code, "InvalidObjectName");
  assert.equal(objectKeyProblem("k".repeat(1025), DEFAULT_PROFILE)?.code, "InvalidObjectName");
  assert.equal(objectKeyProblem("😀".repeat(257), DEFAULT_PROFILE)?.code, "InvalidObjectName");
  for (const key of [".", "..", "a/./b", "a/../b", "../x", "x/.."]) {
    assert.equal(objectKeyProblem(key, DEFAULT_PROFILE)?.code, "InvalidURI", key);
  }
  assert.equal(objectKeyProblem("a\ud800b", DEFAULT_PROFILE)?.code, "InvalidObjectName");
  assert.equal(objectKeyProblem("k".repeat(10), makeProfile({ maxKeyLength: 9 }))?.code, "InvalidObjectName");
  assert.match(
    objectKeyProblem("", DEFAULT_PROFILE)!.message,
    /^Object key must be 1-1024 bytes of UTF-8, got 0 bytes$/,
  );
});

Deno.test("law: a key is refused for its length exactly when its UTF-8 length is outside 1..maxKeyLength", () => {
  fc.assert(
    fc.property(
      fc.string({ unit: "grapheme", maxLength: 300 }),
      fc.integer({ min: 1, max: 600 }),
      (key, max) => {
        const clean = key.replaceAll(".", "x");
        const problem = objectKeyProblem(clean, { maxKeyLength: max });
        const n = utf8Length(clean);
        assert.equal(problem?.code === "InvalidObjectName", n < 1 || n > max);
      },
    ),
  );
});

Deno.test("bucketNameProblem: the SDKs' rule, with a message naming the value", () => {
  for (const name of ["abc", "my-bucket-1", "a".repeat(63), "0ab"]) {
    assert.equal(bucketNameProblem(name), undefined);
  }
  for (const name of ["ab", "Upper", "-lead", "trail-", "under_score", "a".repeat(64), ""]) {
    const problem = bucketNameProblem(name);
    assert.equal(problem?.code, "InvalidBucketName", name);
    assert(problem!.message.endsWith(JSON.stringify(name)));
    assert.equal(isValidBucketName(name), false);
  }
});
