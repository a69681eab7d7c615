// Private: the implementations behind `hash.ts`, loaded on the first hash (so that what imports
// `hash.ts` — the package entry among others — carries only two small functions up front).
import type { IHasher } from "hash-wasm";
import type { HashAlgorithm, IncrementalHash } from "./hash.ts";
import { loadNodeCrypto, loadZlibCrc32, type NodeHash, type ZlibCrc32 } from "./_node_crypto.ts";

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

/** Creates an incremental hash (see `hash.ts`). */
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

/** Hashes bytes in one call (see `hash.ts`). */
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
