/**
 * `node:crypto` and `node:zlib` when the runtime has them (Deno, Bun, Node): synchronous MD5/SHA-256
 * and HMAC that beat Web Crypto's promise-per-call for small inputs and hash-wasm for large ones, and a
 * native CRC32. Elsewhere (browsers, edge runtimes without Node compatibility) `undefined`, and callers
 * fall back to Web Crypto or WASM.
 *
 * @module
 */

/** The part of a `node:crypto` Hash/Hmac boskit uses. */
export interface NodeHash {
  update(data: Uint8Array | string): NodeHash;
  digest(): Uint8Array;
  digest(encoding: "hex"): string;
  copy(): NodeHash;
}

/** The part of `node:crypto` boskit uses. */
export interface NodeCrypto {
  createHash(algorithm: string): NodeHash;
  createHmac(algorithm: string, key: string | Uint8Array): NodeHash;
}

let loading: Promise<NodeCrypto | undefined> | undefined;
let loaded: NodeCrypto | undefined | null = null;

/** Loads `node:crypto` once; `undefined` where the runtime has none. */
export function loadNodeCrypto(): Promise<NodeCrypto | undefined> {
  loading ??= import("node:crypto").then(
    (m) => (loaded = m as unknown as NodeCrypto),
    () => (loaded = undefined),
  );
  return loading;
}

/** `node:crypto` if {@link loadNodeCrypto} has already settled with it; `null` while unknown. */
export function nodeCryptoIfLoaded(): NodeCrypto | undefined | null {
  return loaded;
}

/** `node:zlib`'s `crc32(data, previous)`: CRC32 (IEEE) continued from `previous`. */
export type ZlibCrc32 = (data: Uint8Array, previous: number) => number;

let zlibCrc32: Promise<ZlibCrc32 | undefined> | undefined;

/** Loads `node:zlib`'s native `crc32` once; `undefined` where the runtime has none (Node < 20.15). */
export function loadZlibCrc32(): Promise<ZlibCrc32 | undefined> {
  zlibCrc32 ??= import("node:zlib").then(
    (m) => {
      const f = (m as unknown as { crc32?: ZlibCrc32 }).crc32;
      // Guard against a partial polyfill: the check value of "123456789" is 0xCBF43926.
      return typeof f === "function" && f(new TextEncoder().encode("123456789"), 0) >>> 0 === 0xcbf43926
        ? f
        : undefined;
    },
    () => undefined,
  );
  return zlibCrc32;
}
