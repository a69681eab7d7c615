import assert from "node:assert/strict";
import { validate } from "./json_schema.ts";

Deno.test("json schema test validator: checks the subset it knows and refuses keywords it does not", () => {
  const schema = {
    $defs: { n: { type: "integer", minimum: 0 } },
    oneOf: [
      {
        type: "object",
        required: ["type", "n"],
        additionalProperties: false,
        properties: {
          type: { const: "a" },
          n: { $ref: "#/$defs/n" },
          at: { type: "string", format: "date-time" },
        },
      },
      {
        type: "object",
        required: ["type"],
        properties: { type: { const: "b" }, tags: { type: "array", items: { enum: ["x"] } } },
      },
    ],
  };
  assert.deepEqual(validate(schema, { type: "a", n: 3, at: "2026-01-01T00:00:00.000Z" }), []);
  assert.deepEqual(validate(schema, { type: "b", tags: ["x"] }), []);
  assert.notDeepEqual(validate(schema, { type: "a", n: -1 }), []);
  assert.notDeepEqual(validate(schema, { type: "a", n: 1.5 }), []);
  assert.notDeepEqual(validate(schema, { type: "a", n: 1, extra: true }), []);
  assert.notDeepEqual(validate(schema, { type: "a", n: 1, at: "yesterday" }), []);
  assert.notDeepEqual(validate(schema, { type: "b", tags: ["y"] }), []);
  assert.notDeepEqual(validate(schema, { type: "c" }), []);
  assert.throws(() => validate({ type: "string", pattern: "^a" }, "a"), /outside the supported subset/);
});
