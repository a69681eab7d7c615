/**
 * The boskit conformance kit: property-based checks, driven by fast-check, of what a BOS-compatible
 * endpoint must do — signing, part math, append offsets, metadata, pagination, objects, multipart,
 * copy and errors — each named as a sentence and compared with a small model, and a model suite that
 * compares everything observable with a model of the whole bucket after every step. Run it with
 * `deno task conformance [--endpoint URL]`, or from code with {@link runConformance}.
 *
 * @example Listing the checks and their laws
 * ```ts
 * import { listChecks } from "@boskit/boskit/conformance";
 * import assert from "node:assert/strict";
 *
 * const checks = listChecks();
 * assert(checks.length > 50);
 * assert(checks.every((c) => c.law.length > 0));
 * ```
 *
 * @module
 */
export * from "./runner.ts";
export * from "./report.ts";
export * from "./model/listing.ts";
export * from "./model/appendable.ts";
export * from "./model/metadata.ts";
