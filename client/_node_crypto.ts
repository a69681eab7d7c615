/**
 * `node:crypto` when the runtime has it (Deno, Bun, Node): synchronous MD5/SHA-256 and HMAC that beat
 * Web Crypto's promise-per-call for small inputs and hash-wasm for large ones. Elsewhere (browsers,
 * edge runtimes without Node compatibility) `undefined`, and callers fall back to Web Crypto or WASM.
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
