import assert from "node:assert/strict";
import { ABSENT, appendModel, deleteModel, putModel } from "./appendable.ts";

const b = (...x: number[]) => new Uint8Array(x);

Deno.test("appendable model: append without offset creates or replaces an appendable object", () => {
  const a = appendModel(ABSENT, b(1, 2), undefined);
  assert.deepEqual([a.outcome, a.state.kind, [...a.state.content]], ["ok", "appendable", [1, 2]]);
  const r = appendModel(putModel(b(9)), b(), undefined);
  assert.deepEqual([r.outcome, r.state.kind, r.state.content.length], ["ok", "appendable", 0]);
});

Deno.test("appendable model: offset must equal the length; missing and normal objects refuse", () => {
  const s = appendModel(ABSENT, b(1, 2), undefined).state;
  assert.equal(appendModel(s, b(3), 1).outcome, "OffsetIncorrect");
  assert.equal(appendModel(s, b(3), 3).outcome, "OffsetIncorrect");
  assert.deepEqual([...appendModel(s, b(3), 2).state.content], [1, 2, 3]);
  assert.equal(appendModel(ABSENT, b(3), 0).outcome, "NoSuchKey");
  assert.equal(appendModel(putModel(b(1)), b(3), 1).outcome, "ObjectUnappendable");
});

Deno.test("appendable model: a refused append leaves the state unchanged; delete of a missing key is NoSuchKey", () => {
  const s = appendModel(ABSENT, b(5), undefined).state;
  assert.equal(appendModel(s, b(6), 0).state, s);
  assert.deepEqual(deleteModel(s), { outcome: "ok", state: ABSENT });
  assert.equal(deleteModel(ABSENT).outcome, "NoSuchKey");
});

Deno.test("appendable model: the model copies the bytes it is given", () => {
  const data = b(1);
  const s = appendModel(ABSENT, data, undefined).state;
  data[0] = 7;
  assert.equal(s.content[0], 1);
});
