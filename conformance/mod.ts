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
export {
  DEFAULT_CONCURRENCY,
  DEFAULT_TIMEOUT_MS,
  KIT_VERSION,
  listChecks,
  parseExpectations,
  randomCredentials,
  runConformance,
  selectChecks,
  SUITES,
} from "./runner.ts";
export type {
  BosProfile,
  CheckInfo,
  CheckResult,
  CheckStatus,
  ConformanceOptions,
  Credentials,
  Exchange,
  Expectation,
  Finding,
  KitAddressing,
  MeasuredLimit,
  ProbeResult,
  ProbeStep,
  Report,
  ReportSummary,
  RunHandle,
  RunStatus,
  SuiteName,
} from "./runner.ts";
export {
  checkRecord,
  formatHtml,
  formatJson,
  formatJunit,
  formatPretty,
  formatReport,
  REPORTERS,
  runRecord,
} from "./report.ts";
export type { ReporterName } from "./report.ts";

// The models the checks compare against (usable on their own).
export { compareUtf8, listAll, listPage, listPartsPage } from "./model/listing.ts";
export type { ListEntry, ListParams, ModelPage, PartsPage } from "./model/listing.ts";
export { ABSENT, appendModel, deleteModel, putModel } from "./model/appendable.ts";
export type { AppendableState, AppendOutcome } from "./model/appendable.ts";
export { expectedMetadata, metadataSizeModel } from "./model/metadata.ts";
