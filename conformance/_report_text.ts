/**
 * Text helpers the reporters share: XML/HTML escaping and a failure's evidence as lines.
 *
 * @module
 */
import type { CheckResult } from "./_results.ts";

/** Text escaped for XML (and HTML) content and attribute values; characters XML forbids become `?`. */
export function xml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    // deno-lint-ignore no-control-regex
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/g, "?")
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "?");
}

/** The evidence of a failure as lines: message, counterexample, seed and path, exchange, replay. */
export function failureText(r: CheckResult): string {
  const lines = [r.message ?? ""];
  if (r.expected) lines.push(`expected to fail: ${r.expected}`);
  if (r.counterexample) lines.push(`counterexample: ${r.counterexample}`);
  if (r.seed !== undefined) lines.push(`seed: ${r.seed}${r.path ? `, path: ${r.path}` : ""}`);
  if (r.exchange) {
    const e = r.exchange;
    lines.push(
      `exchange: ${e.method} ${e.url} → ${e.status || "no response"}${
        e.requestId ? ` (request id ${e.requestId})` : ""
      }`,
    );
    if (e.bodyExcerpt) lines.push(`body: ${e.bodyExcerpt.slice(0, 500)}`);
  }
  if (r.replay) lines.push(`replay: ${r.replay}`);
  return lines.join("\n");
}
