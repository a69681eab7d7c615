/**
 * Every check of the kit, in run order.
 *
 * @module
 */
import type { CheckDef } from "../_check.ts";
import { BUCKETS_CHECKS } from "./buckets.ts";
import { COPY_CHECKS } from "./copy.ts";
import { CORS_CHECKS } from "./cors.ts";
import { ERRORS_CHECKS } from "./errors.ts";
import { METADATA_CHECKS } from "./metadata.ts";
import { MODEL_CHECKS } from "./model.ts";
import { MULTIPART_CHECKS } from "./multipart.ts";
import { OBJECTS_CHECKS } from "./objects.ts";
import { OFFSETS_CHECKS } from "./offsets.ts";
import { PAGINATION_CHECKS } from "./pagination.ts";
import { PART_MATH_CHECKS } from "./part_math.ts";
import { SIGNING_CHECKS } from "./signing.ts";

/** All checks. */
export const ALL_CHECKS: readonly CheckDef[] = [
  ...SIGNING_CHECKS,
  ...PART_MATH_CHECKS,
  ...OFFSETS_CHECKS,
  ...METADATA_CHECKS,
  ...PAGINATION_CHECKS,
  ...OBJECTS_CHECKS,
  ...MULTIPART_CHECKS,
  ...COPY_CHECKS,
  ...CORS_CHECKS,
  ...BUCKETS_CHECKS,
  ...ERRORS_CHECKS,
  ...MODEL_CHECKS,
];
