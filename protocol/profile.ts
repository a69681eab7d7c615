/**
 * The limits an endpoint enforces ({@link BosProfile}) and BOS's defaults: the one small module the
 * client needs at construction, apart from the key and bucket rules of `limits.ts`.
 *
 * @module
 */

/**
 * 1 KiB.
 *
 * @example
 * ```ts
 * import { DEFAULT_PROFILE, KiB } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * assert.equal(KiB, 1024);
 * assert.equal(DEFAULT_PROFILE.minPartSize, 100 * KiB);
 * ```
 */
export const KiB = 1024;
/**
 * 1 MiB.
 *
 * @example
 * ```ts
 * import { DEFAULT_PART_SIZE, MiB } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * assert.equal(MiB, 1024 * 1024);
 * assert.equal(DEFAULT_PART_SIZE, 8 * MiB);
 * ```
 */
export const MiB = 1024 * KiB;
/**
 * 1 GiB.
 *
 * @example
 * ```ts
 * import { DEFAULT_PROFILE, GiB } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * assert.equal(GiB, 1024 ** 3);
 * assert.equal(DEFAULT_PROFILE.maxPartSize, 5 * GiB);
 * ```
 */
export const GiB = 1024 * MiB;

/** The limits an endpoint enforces. All sizes are in bytes. */
export interface BosProfile {
  /** Minimum size of every part except the last one listed in Complete (BOS: 100 KiB; older docs 5 MiB). */
  minPartSize: number;
  /** Maximum size of one part (5 GiB). */
  maxPartSize: number;
  /** Highest part number (10000). */
  maxPartNumber: number;
  /** Largest object PutObject / CopyObject accept (5 GiB). */
  maxPutObjectSize: number;
  /** Largest multipart object (10000 × 5 GiB ≈ 48.8 TiB). */
  maxObjectSize: number;
  /** Largest body of one AppendObject request (5 GiB). */
  maxAppendSize: number;
  /** Largest appendable object (48.8 TiB in the 2025 docs; 5 GiB in older ones). */
  maxAppendableObjectSize: number;
  /** User metadata budget: Σ len("x-bce-meta-" + name) + len(value), in bytes (2048). */
  maxUserMetadataSize: number;
  /** Longest object key in UTF-8 bytes (1024). */
  maxKeyLength: number;
  /** Default and maximum `maxKeys` / `maxParts` / `maxUploads` of listings (1000). */
  maxListEntries: number;
  /** Most keys in one DeleteMultipleObjects request (1000). */
  maxDeleteObjects: number;
  /** Largest DeleteMultipleObjects body (2 MB). */
  maxDeleteBodySize: number;
  /** Largest CompleteMultipartUpload body (1 MB). */
  maxCompleteBodySize: number;
  /** Buckets per account (100). */
  maxBuckets: number;
  /** How far ahead of the server clock a request timestamp may be, in seconds (our choice: 900). */
  clockSkewSeconds: number;
}

/**
 * The limits of real BOS as `../shared/spec` documents them (current docs where sources disagree).
 *
 * @example
 * ```ts
 * import { DEFAULT_PROFILE } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * assert.equal(DEFAULT_PROFILE.maxUserMetadataSize, 2048);
 * assert.equal(DEFAULT_PROFILE.minPartSize, 100 * 1024);
 * ```
 */
export const DEFAULT_PROFILE: Readonly<BosProfile> = Object.freeze({
  minPartSize: 100 * KiB,
  maxPartSize: 5 * GiB,
  maxPartNumber: 10000,
  maxPutObjectSize: 5 * GiB,
  maxObjectSize: 10000 * 5 * GiB,
  maxAppendSize: 5 * GiB,
  maxAppendableObjectSize: 10000 * 5 * GiB,
  maxUserMetadataSize: 2048,
  maxKeyLength: 1024,
  maxListEntries: 1000,
  maxDeleteObjects: 1000,
  maxDeleteBodySize: 2 * 1000 * 1000,
  maxCompleteBodySize: 1000 * 1000,
  maxBuckets: 100,
  clockSkewSeconds: 900,
});
