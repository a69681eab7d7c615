/**
 * Streaming MD5, SHA-256, CRC32 and CRC32C on the fastest implementation the runtime has:
 * `node:crypto` (Deno, Bun, Node) for MD5 and SHA-256, `node:zlib`'s native `crc32` for CRC32
 * (Deno, Bun, Node 20.15+: 7–60 GB/s against hash-wasm's 2) and a table-driven JavaScript CRC32
 * elsewhere (browsers, edge runtimes), Web Crypto for a one-shot SHA-256, and hash-wasm only for
 * what the platform lacks: incremental MD5 and SHA-256 without `node:crypto`, and CRC32C. hash-wasm
 * is loaded on first use, so a browser that uploads with the default CRC32 never loads it.
 *
 * @module
 */
/** Algorithms boskit hashes with. */
export type HashAlgorithm = "md5" | "sha256" | "crc32" | "crc32c";

/** An incremental hash: feed bytes with `update`, read the raw digest once with `digest`. */
export interface IncrementalHash {
  /** Feeds bytes. */
  update(data: Uint8Array): void;
  /** The raw digest (CRCs as 4 big-endian bytes). The hash cannot be used afterwards. */
  digest(): Uint8Array;
  /** An independent hash in the same state (to go on from a prefix without hashing it again). */
  copy(): Promise<IncrementalHash>;
}

/**
 * Creates an incremental hash.
 *
 * @param algorithm `md5`, `sha256`, `crc32` (IEEE) or `crc32c` (Castagnoli).
 * @returns A fresh hash.
 *
 * @example MD5 of a body fed in two chunks
 * ```ts
 * import { createIncrementalHash, toHex } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * const h = await createIncrementalHash("md5");
 * h.update(new TextEncoder().encode("Exam"));
 * h.update(new TextEncoder().encode("ple"));
 * assert.equal(toHex(h.digest()), "0a52730597fb4ffa01fc117d9e71e3a9");
 * ```
 */
export async function createIncrementalHash(algorithm: HashAlgorithm): Promise<IncrementalHash> {
  return (await import("./_hash.ts")).createIncrementalHash(algorithm);
}

/**
 * Hashes bytes in one call.
 *
 * @param algorithm The algorithm.
 * @param data The bytes (a string is hashed as UTF-8).
 * @returns The raw digest.
 *
 * @example
 * ```ts
 * import { hash, toBase64 } from "@boskit/boskit";
 * import assert from "node:assert/strict";
 *
 * assert.equal(toBase64(await hash("md5", "")), "1B2M2Y8AsgTpgAmY7PhCfg==");
 * ```
 */
export async function hash(algorithm: HashAlgorithm, data: Uint8Array | string): Promise<Uint8Array> {
  return (await import("./_hash.ts")).hash(algorithm, data);
}
