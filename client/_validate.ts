// Private: argument checks shared by the client's operations; each failure is a BosError with status 0.
import { invalid } from "./_invalid.ts";

export { invalid };
import { type BosProfile, bucketNameProblem, objectKeyProblem } from "../protocol/limits.ts";

/** Refuses a bucket name that breaks the rules (`InvalidBucketName`). */
export function checkBucket(bucket: string): void {
  const problem = bucketNameProblem(bucket);
  if (problem) throw invalid(problem.message, undefined, problem.code);
}

/** Refuses a key that breaks the rules (`InvalidObjectName` or `InvalidURI`). */
export function checkKey(key: string, profile: Readonly<BosProfile>): void {
  const problem = objectKeyProblem(key, profile);
  if (problem) throw invalid(problem.message, undefined, problem.code);
}

/** Refuses a part number outside 1..`profile.maxPartNumber`. */
export function checkPartNumber(partNumber: number, profile: Readonly<BosProfile>): void {
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > profile.maxPartNumber) {
    throw invalid(`Part number must be between 1 and ${profile.maxPartNumber}, got ${partNumber}`);
  }
}

/** Refuses a value that is given and not a non-negative safe integer. */
export function checkNonNegativeInteger(name: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
    throw invalid(`${name} must be a non-negative integer, got ${value}`);
  }
}

/** Refuses an empty upload id. */
export function checkUploadId(uploadId: string): void {
  if (typeof uploadId !== "string" || uploadId === "") {
    throw invalid(`Upload id must be a non-empty string, got ${JSON.stringify(uploadId)}`);
  }
}

/** Refuses a page size outside 1..`profile.maxListEntries`. */
export function checkPageSize(name: string, value: number | undefined, profile: Readonly<BosProfile>): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 1 || value > profile.maxListEntries)) {
    throw invalid(`${name} must be between 1 and ${profile.maxListEntries}, got ${value}`);
  }
}
