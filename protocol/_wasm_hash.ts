// Private: the hash-wasm functions boskit uses, named, so a bundler keeps only these three (and
// `hash.ts` can load them with one dynamic import, only where the runtime has no native hash).
export { createCRC32, createMD5, createSHA256 } from "hash-wasm";
