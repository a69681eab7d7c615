/**
 * Upload checkpoints: the JSON-serialisable record of a multipart upload in progress (its plan,
 * integrity mode, source fingerprint and finished parts), and the checks that decide whether a
 * checkpoint may resume a given upload.
 *
 * @module
 */
import { BosError } from "../../protocol/errors.ts";
import type { GrowingPartSchedule } from "./part_plan.ts";
import type { Source, SourceFingerprint } from "./sources.ts";

export type { SourceFingerprint } from "./sources.ts";

/**
 * Per-part integrity check, verified by the server (a mismatch is a 400 `BadDigest` and the part is
 * sent again): `crc32` (the default: `x-bce-content-crc32`, CRC32 IEEE, computed natively at many GB/s
 * and also combined into the whole-object CRC32 sent on Complete), `md5` (`Content-MD5`, also compared
 * with the returned ETag; costs ~2 s of CPU per GiB) or `crc32c` (`x-bce-content-crc32c`).
 */
export type Integrity = "crc32" | "md5" | "crc32c";

/**
 * A completed part as recorded in a checkpoint.
 */
export interface CheckpointPart {
  /** Part number. */
  partNumber: number;
  /** ETag returned by UploadPart. */
  etag: string;
  /** Bytes in the part. */
  size: number;
  /** Decimal CRC32 (IEEE) of the part's bytes, when known (absent in checkpoints of older versions). */
  crc32?: string;
}

/**
 * The part plan stored in a checkpoint.
 */
export type CheckpointPlan =
  | { kind: "fixed"; size: number; partSize: number; partCount: number }
  | ({ kind: "growing" } & GrowingPartSchedule);

/**
 * Everything needed to resume a multipart upload; plain JSON.
 */
export interface UploadCheckpoint {
  /** Format version (1). */
  version: 1;
  /** Bucket. */
  bucket: string;
  /** Key. */
  key: string;
  /** The multipart upload id. */
  uploadId: string;
  /** The part plan. */
  plan: CheckpointPlan;
  /** The integrity mode used. */
  integrity: Integrity;
  /** What the source was: size + mtime for files, size + SHA-256 of the first 64 KiB for bytes/Blobs, id and/or head hash for streams. */
  source: SourceFingerprint;
  /** Parts known to be uploaded, ascending. */
  parts: CheckpointPart[];
}

/** A `CheckpointMismatch` error: the checkpoint cannot resume this upload. */
export function checkpointMismatch(message: string): BosError {
  return new BosError({ status: 0, code: "CheckpointMismatch", message });
}

/** Whether two fingerprints describe the same source (a stream without a head hash matches on size and id). */
export function sameFingerprint(a: SourceFingerprint, b: SourceFingerprint): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "file" && b.kind === "file") return a.size === b.size && a.mtimeMs === b.mtimeMs;
  if (a.kind === "bytes" && b.kind === "bytes") return a.size === b.size && a.headSha256 === b.headSha256;
  if (a.kind === "stream" && b.kind === "stream") {
    if (a.size !== b.size || a.id !== b.id) return false;
    return a.headSha256 === undefined || b.headSha256 === undefined || a.headSha256 === b.headSha256;
  }
  return false;
}

/** A checkpoint's part record with only the known fields (a malformed `crc32` is dropped). */
export function partRecord(p: CheckpointPart): CheckpointPart {
  const known = typeof p.crc32 === "string" && /^\d{1,10}$/.test(p.crc32) && Number(p.crc32) <= 0xffffffff;
  return known
    ? { partNumber: p.partNumber, etag: p.etag, size: p.size, crc32: p.crc32 }
    : { partNumber: p.partNumber, etag: p.etag, size: p.size };
}

/**
 * Refuses a checkpoint that cannot resume this upload: another format, bucket, key or integrity
 * mode, or a source that changed (by fingerprint; a stream by its size and `sourceId`, its first bytes
 * being compared once they are read).
 */
export async function checkResumable(
  cp: UploadCheckpoint,
  target: { bucket: string; key: string; integrity: Integrity; sourceId?: string },
  source: Source,
): Promise<void> {
  if (!cp || cp.version !== 1 || typeof cp.uploadId !== "string" || !cp.plan || !Array.isArray(cp.parts)) {
    throw checkpointMismatch(
      "The checkpoint is not a version 1 upload checkpoint; start a new upload without resume",
    );
  }
  if (cp.bucket !== target.bucket || cp.key !== target.key) {
    throw checkpointMismatch(
      `The checkpoint is for ${cp.bucket}/${cp.key}, not ${target.bucket}/${target.key}; resume with the matching bucket and key`,
    );
  }
  if (cp.integrity !== target.integrity) {
    throw checkpointMismatch(
      `The checkpoint used integrity ${cp.integrity}, not ${target.integrity}; resume with the same integrity`,
    );
  }
  if (cp.source.kind !== "stream" || source.randomAccess) {
    const now = await source.fingerprint();
    if (!sameFingerprint(cp.source, now)) {
      throw checkpointMismatch(
        `The source changed since the checkpoint (was ${JSON.stringify(cp.source)}, now ${
          JSON.stringify(now)
        }); start a new upload`,
      );
    }
  } else if (cp.source.size !== source.size || cp.source.id !== target.sourceId) {
    throw checkpointMismatch(
      "The stream's size or sourceId differs from the checkpoint's; start a new upload",
    );
  }
}
