/**
 * A model of one key under AppendObject, PutObject and DeleteObject: whether it exists, whether it
 * is appendable, and its bytes. The rules are those of `objects.md` §7.
 *
 * @module
 */

/** The state of one key. */
export interface AppendableState {
  /** `absent`, `appendable` (created by AppendObject) or `normal` (PutObject). */
  kind: "absent" | "appendable" | "normal";
  /** The object's bytes (empty when absent). */
  content: Uint8Array;
}

/** What an operation should answer: success or a BOS error code. */
export type AppendOutcome = "ok" | "NoSuchKey" | "ObjectUnappendable" | "OffsetIncorrect";

/**
 * The initial state: no object.
 *
 * @example
 * ```ts
 * import { ABSENT } from "@boskit/boskit/conformance";
 * import assert from "node:assert/strict";
 *
 * assert.equal(ABSENT.kind, "absent");
 * ```
 */
export const ABSENT: AppendableState = Object.freeze({ kind: "absent", content: new Uint8Array() });

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * AppendObject with or without an offset.
 *
 * @param state Current state.
 * @param data Bytes sent.
 * @param offset The `offset` parameter, or `undefined` for none (create or replace).
 * @returns The expected outcome and the next state.
 *
 * @example
 * ```ts
 * import { ABSENT, appendModel } from "@boskit/boskit/conformance";
 * import assert from "node:assert/strict";
 *
 * const a = appendModel(ABSENT, new Uint8Array([1, 2]), undefined);
 * assert.equal(a.outcome, "ok");
 * const b = appendModel(a.state, new Uint8Array([3]), 1);
 * assert.equal(b.outcome, "OffsetIncorrect");
 * assert.equal(appendModel(a.state, new Uint8Array([3]), 2).state.content.length, 3);
 * ```
 */
export function appendModel(
  state: AppendableState,
  data: Uint8Array,
  offset: number | undefined,
): { outcome: AppendOutcome; state: AppendableState } {
  if (offset === undefined) return { outcome: "ok", state: { kind: "appendable", content: data.slice() } };
  if (state.kind === "absent") return { outcome: "NoSuchKey", state };
  if (state.kind === "normal") return { outcome: "ObjectUnappendable", state };
  if (offset !== state.content.length) return { outcome: "OffsetIncorrect", state };
  return { outcome: "ok", state: { kind: "appendable", content: concat(state.content, data) } };
}

/**
 * PutObject: the key becomes a normal (non-appendable) object with these bytes.
 *
 * @param data Bytes sent.
 * @returns The next state.
 *
 * @example
 * ```ts
 * import { putModel } from "@boskit/boskit/conformance";
 * import assert from "node:assert/strict";
 *
 * assert.equal(putModel(new Uint8Array([1])).kind, "normal");
 * ```
 */
export function putModel(data: Uint8Array): AppendableState {
  return { kind: "normal", content: data.slice() };
}

/**
 * DeleteObject: the key disappears; deleting a missing key answers NoSuchKey.
 *
 * @param state Current state.
 * @returns The expected outcome and the next state.
 *
 * @example
 * ```ts
 * import { ABSENT, deleteModel } from "@boskit/boskit/conformance";
 * import assert from "node:assert/strict";
 *
 * assert.equal(deleteModel(ABSENT).outcome, "NoSuchKey");
 * ```
 */
export function deleteModel(state: AppendableState): { outcome: "ok" | "NoSuchKey"; state: AppendableState } {
  return state.kind === "absent" ? { outcome: "NoSuchKey", state } : { outcome: "ok", state: ABSENT };
}
