/**
 * Every BOS limit as a named value, gathered in one {@link BosProfile} shared by the client, the
 * reference server and the conformance kit, and the one set of bucket-name and object-key rules the
 * client validates before sending and the server enforces. Limits that sources disagree on (minimum
 * part size, metadata size, key length, appendable size) live here so a vendor can load another profile.
 *
 * @module
 */
import type { ServiceErrorCode } from "./errors.ts";

export { DEFAULT_PROFILE, GiB, KiB, MiB } from "./profile.ts";
export type { BosProfile } from "./profile.ts";
import { type BosProfile, DEFAULT_PROFILE } from "./profile.ts";

/**
 * Builds a profile from the defaults and overrides (for example a vendor's JSON profile file).
 * Unknown fields and non-positive numbers are refused.
 *
 * @param overrides Fields to change.
 * @returns A complete, frozen profile.
 *
 * @example The older 5 MiB minimum part size
 * ```ts
 * import { makeProfile } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * assert.equal(makeProfile({ minPartSize: 5 * 1024 * 1024 }).minPartSize, 5242880);
 * ```
 */
export function makeProfile(
  overrides: Partial<Record<keyof BosProfile, unknown>> = {},
): Readonly<BosProfile> {
  const profile: Record<string, number> = { ...DEFAULT_PROFILE };
  for (const [name, value] of Object.entries(overrides)) {
    if (!(name in DEFAULT_PROFILE)) {
      throw new TypeError(
        `Unknown profile field ${JSON.stringify(name)}; known fields: ${
          Object.keys(DEFAULT_PROFILE).join(", ")
        }`,
      );
    }
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
      throw new TypeError(
        `Profile field ${name} must be a non-negative integer, got ${JSON.stringify(value)}`,
      );
    }
    profile[name] = value;
  }
  return Object.freeze(profile as unknown as BosProfile);
}

/**
 * The storage classes BOS accepts in `x-bce-storage-class`.
 *
 * @example
 * ```ts
 * import { STORAGE_CLASSES } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * assert.equal(STORAGE_CLASSES[0], "STANDARD");
 * assert(STORAGE_CLASSES.includes("COLD"));
 * ```
 */
export const STORAGE_CLASSES = [
  "STANDARD",
  "STANDARD_IA",
  "COLD",
  "ARCHIVE",
  "MAZ_STANDARD",
  "MAZ_STANDARD_IA",
  "MAZ_COLD",
] as const;

/** A BOS storage class name. */
export type StorageClass = typeof STORAGE_CLASSES[number];

/**
 * Whether `value` is a storage class BOS accepts.
 *
 * @param value A candidate name.
 * @returns `true` for one of {@link STORAGE_CLASSES}.
 *
 * @example
 * ```ts
 * import { isStorageClass } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * assert(isStorageClass("COLD"));
 * assert(!isStorageClass("cold"));
 * ```
 */
export function isStorageClass(value: string): value is StorageClass {
  return (STORAGE_CLASSES as readonly string[]).includes(value);
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

/**
 * Whether `name` is a valid bucket name: 3–63 characters of `a-z 0-9 -`, starting and ending with
 * a letter or digit (the regex every official SDK uses).
 *
 * @param name A candidate bucket name.
 * @returns `true` when valid.
 *
 * @example
 * ```ts
 * import { isValidBucketName } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * assert(isValidBucketName("my-bucket-1"));
 * assert(!isValidBucketName("My_Bucket"));
 * ```
 */
export function isValidBucketName(name: string): boolean {
  return BUCKET_NAME.test(name);
}

/**
 * The length of `text` in UTF-8 bytes.
 *
 * @param text Any string.
 * @returns Its UTF-8 byte length (a lone surrogate counts as the 3 bytes of U+FFFD).
 *
 * @example
 * ```ts
 * import { utf8Length } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * assert.equal(utf8Length("a测😀"), 1 + 3 + 4);
 * ```
 */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

/** Why a name or key breaks the rules: the BOS code a server answers with and a sentence for people. */
export interface NameProblem {
  /** `InvalidBucketName`, `InvalidObjectName` or `InvalidURI`. */
  code: ServiceErrorCode;
  /** What is wrong and what to do, naming the value. */
  message: string;
}

/**
 * The bucket-name rule ({@link isValidBucketName}) as a problem report: `undefined` when the name is
 * valid. The client refuses such a name before sending; the server answers PutBucket with it (other
 * operations on an invalid name answer `NoSuchBucket`, as BOS does).
 *
 * @param name A candidate bucket name.
 * @returns The problem, or `undefined`.
 *
 * @example
 * ```ts
 * import { bucketNameProblem } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * assert.equal(bucketNameProblem("my-bucket"), undefined);
 * assert.equal(bucketNameProblem("My_Bucket")?.code, "InvalidBucketName");
 * ```
 */
export function bucketNameProblem(name: string): NameProblem | undefined {
  if (typeof name === "string" && isValidBucketName(name)) return undefined;
  return {
    code: "InvalidBucketName",
    message:
      `Bucket name must be 3-63 characters of a-z, 0-9 and -, starting and ending with a letter or digit, got ${
        JSON.stringify(name)
      }`,
  };
}

/**
 * The object-key rules of BOS (objects.md §10), shared by client and server: 1 to
 * `profile.maxKeyLength` (1024) bytes → else `InvalidObjectName`; no `.` or `..` path segment → else
 * `InvalidURI`; valid UTF-8 text (no lone surrogate) → else `InvalidObjectName`. (The key `v1` is allowed: the server never takes a
 * `v1` after the bucket for the legacy prefix.)
 *
 * @param key A candidate key.
 * @param profile The limits (for `maxKeyLength`).
 * @returns The problem, or `undefined` when the key is valid.
 *
 * @example
 * ```ts
 * import { DEFAULT_PROFILE, objectKeyProblem } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * assert.equal(objectKeyProblem("photos/2024/a.jpg", DEFAULT_PROFILE), undefined);
 * assert.equal(objectKeyProblem("a/../b", DEFAULT_PROFILE)?.code, "InvalidURI");
 * assert.equal(objectKeyProblem("k".repeat(1025), DEFAULT_PROFILE)?.code, "InvalidObjectName");
 * ```
 */
export function objectKeyProblem(
  key: string,
  profile: Readonly<Pick<BosProfile, "maxKeyLength">>,
): NameProblem | undefined {
  const n = typeof key === "string" ? utf8Length(key) : 0;
  if (n < 1 || n > profile.maxKeyLength) {
    return {
      code: "InvalidObjectName",
      message: `Object key must be 1-${profile.maxKeyLength} bytes of UTF-8, got ${n} bytes`,
    };
  }
  if (key.split("/").some((s) => s === "." || s === "..")) {
    return {
      code: "InvalidURI",
      message: `Object key must not contain a "." or ".." path segment, got ${
        JSON.stringify(key.slice(0, 200))
      }`,
    };
  }
  if (LONE_SURROGATE.test(key.replace(SURROGATE_PAIR, ""))) {
    return {
      code: "InvalidObjectName",
      message: `Object key must be valid UTF-8 text, got one with a lone surrogate: ${
        JSON.stringify(key.slice(0, 200))
      }`,
    };
  }
  return undefined;
}

const SURROGATE_PAIR = /[\ud800-\udbff][\udc00-\udfff]/g;
const LONE_SURROGATE = /[\ud800-\udfff]/;
