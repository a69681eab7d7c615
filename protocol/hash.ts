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
import type { IHasher } from "hash-wasm";
import { loadNodeCrypto, loadZlibCrc32, type NodeHash, type ZlibCrc32 } from "./_node_crypto.ts";

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

const CRC32C_POLYNOMIAL = 0x82f63b78;

function wrapWasm(h: IHasher, create: () => Promise<IHasher>, init = true): IncrementalHash {
  if (init) h.init();
  return {
    update: (data) => void h.update(data),
    digest: () => h.digest("binary"),
    copy: async () => {
      const twin = await create();
      twin.load(h.save());
      return wrapWasm(twin, create, false);
    },
  };
}

function wrapNode(h: NodeHash): IncrementalHash {
  return {
    update: (data) => void h.update(data),
    digest: () => new Uint8Array(h.digest()),
    copy: () => Promise.resolve(wrapNode(h.copy())),
  };
}

function wrapZlibCrc32(crc32: ZlibCrc32, initial: number): IncrementalHash {
  let value = initial;
  return {
    update: (data) => void (value = crc32(data, value)),
    digest: () => {
      const out = new Uint8Array(4);
      new DataView(out.buffer).setUint32(0, value >>> 0);
      return out;
    },
    copy: () => Promise.resolve(wrapZlibCrc32(crc32, value)),
  };
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
  if (algorithm === "md5" || algorithm === "sha256") {
    const node = await loadNodeCrypto();
    if (node) return wrapNode(node.createHash(algorithm));
    const wasm = await import("./_wasm_hash.ts");
    const create = algorithm === "md5" ? wasm.createMD5 : wasm.createSHA256;
    return wrapWasm(await create(), create);
  }
  if (algorithm === "crc32") {
    const crc32 = (await loadZlibCrc32()) ?? (await import("./_crc32_js.ts")).crc32;
    return wrapZlibCrc32(crc32, 0);
  }
  if (algorithm === "crc32c") {
    const { createCRC32 } = await import("./_wasm_hash.ts");
    const create = () => createCRC32(CRC32C_POLYNOMIAL);
    return wrapWasm(await create(), create);
  }
  throw new TypeError(
    `Hash algorithm must be md5, sha256, crc32 or crc32c, got ${JSON.stringify(algorithm)}`,
  );
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
  if (algorithm === "sha256" && !(await loadNodeCrypto())) {
    // One shot: Web Crypto has it everywhere (no WASM needed).
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  }
  const h = await createIncrementalHash(algorithm);
  h.update(typeof data === "string" ? new TextEncoder().encode(data) : data);
  return h.digest();
}
