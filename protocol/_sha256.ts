/**
 * A small synchronous SHA-256 and HMAC-SHA256 for the signer: the messages it hashes are a few hundred
 * bytes, where a native HMAC's per-call cost (an object, a key schedule, a hex encoder; in Deno a call
 * into the runtime) is larger than the hashing, and Web Crypto costs a promise per call. HMAC keys are
 * "compiled" once into the SHA-256 states after their inner and outer pads, so each HMAC under a known
 * key hashes only the message.
 *
 * Strings are hashed as UTF-8; pure-ASCII strings (every canonical request) are read without a copy.
 *
 * @module
 */

const K = /* @__PURE__ */ new Int32Array([
  0x428a2f98,
  0x71374491,
  0xb5c0fbcf,
  0xe9b5dba5,
  0x3956c25b,
  0x59f111f1,
  0x923f82a4,
  0xab1c5ed5,
  0xd807aa98,
  0x12835b01,
  0x243185be,
  0x550c7dc3,
  0x72be5d74,
  0x80deb1fe,
  0x9bdc06a7,
  0xc19bf174,
  0xe49b69c1,
  0xefbe4786,
  0x0fc19dc6,
  0x240ca1cc,
  0x2de92c6f,
  0x4a7484aa,
  0x5cb0a9dc,
  0x76f988da,
  0x983e5152,
  0xa831c66d,
  0xb00327c8,
  0xbf597fc7,
  0xc6e00bf3,
  0xd5a79147,
  0x06ca6351,
  0x14292967,
  0x27b70a85,
  0x2e1b2138,
  0x4d2c6dfc,
  0x53380d13,
  0x650a7354,
  0x766a0abb,
  0x81c2c92e,
  0x92722c85,
  0xa2bfe8a1,
  0xa81a664b,
  0xc24b8b70,
  0xc76c51a3,
  0xd192e819,
  0xd6990624,
  0xf40e3585,
  0x106aa070,
  0x19a4c116,
  0x1e376c08,
  0x2748774c,
  0x34b0bcb5,
  0x391c0cb3,
  0x4ed8aa4a,
  0x5b9cca4f,
  0x682e6ff3,
  0x748f82ee,
  0x78a5636f,
  0x84c87814,
  0x8cc70208,
  0x90befffa,
  0xa4506ceb,
  0xbef9a3f7,
  0xc67178f2,
]);
const IV = /* @__PURE__ */ new Int32Array([
  0x6a09e667,
  0xbb67ae85,
  0x3c6ef372,
  0xa54ff53a,
  0x510e527f,
  0x9b05688c,
  0x1f83d9ab,
  0x5be0cd19,
]);

/** The message schedule; its first 16 words are the block being hashed (the functions here never re-enter). */
const W = /* @__PURE__ */ new Int32Array(64);
const enc = /* @__PURE__ */ new TextEncoder();
const HEX: string[] = /* @__PURE__ */ Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

/** Compresses the block whose 16 words are in `W[0..15]` into `s`. */
function compress(s: Int32Array): void {
  for (let i = 16; i < 64; i++) {
    const a = W[i - 15];
    const b = W[i - 2];
    const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
    const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
    W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0;
  }
  let a = s[0], b = s[1], c = s[2], d = s[3], e = s[4], f = s[5], g = s[6], h = s[7];
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[i] + W[i]) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  s[0] = (s[0] + a) | 0;
  s[1] = (s[1] + b) | 0;
  s[2] = (s[2] + c) | 0;
  s[3] = (s[3] + d) | 0;
  s[4] = (s[4] + e) | 0;
  s[5] = (s[5] + f) | 0;
  s[6] = (s[6] + g) | 0;
  s[7] = (s[7] + h) | 0;
}

/** Whether every UTF-16 unit of `text` is ASCII (then its bytes are its char codes). */
function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/**
 * Hashes `data` into `s` (a state that has already absorbed `prefixBytes` bytes, a multiple of 64)
 * and finishes: padding, length, final block(s).
 */
function finish(s: Int32Array, data: string | Uint8Array, prefixBytes: number): void {
  if (typeof data === "string") {
    if (isAscii(data)) return finishAscii(s, data, prefixBytes);
    data = enc.encode(data);
  }
  const n = data.length;
  let i = 0;
  for (; i + 64 <= n; i += 64) {
    for (let w = 0, j = i; w < 16; w++, j += 4) {
      W[w] = (data[j] << 24) | (data[j + 1] << 16) | (data[j + 2] << 8) | data[j + 3];
    }
    compress(s);
  }
  W.fill(0, 0, 16);
  let k = 0;
  for (; i < n; i++, k++) W[k >> 2] |= data[i] << (24 - (k & 3) * 8);
  tail(s, k, prefixBytes + n);
}

function finishAscii(s: Int32Array, data: string, prefixBytes: number): void {
  const n = data.length;
  let i = 0;
  for (; i + 64 <= n; i += 64) {
    for (let w = 0, j = i; w < 16; w++, j += 4) {
      W[w] = (data.charCodeAt(j) << 24) | (data.charCodeAt(j + 1) << 16) | (data.charCodeAt(j + 2) << 8) |
        data.charCodeAt(j + 3);
    }
    compress(s);
  }
  W.fill(0, 0, 16);
  let k = 0;
  for (; i < n; i++, k++) W[k >> 2] |= data.charCodeAt(i) << (24 - (k & 3) * 8);
  tail(s, k, prefixBytes + n);
}

/** Ends a message whose last `k` (< 64) bytes are in `W`: 0x80, zeros, the bit length. */
function tail(s: Int32Array, k: number, total: number): void {
  W[k >> 2] |= 0x80 << (24 - (k & 3) * 8);
  if (k >= 56) {
    compress(s);
    W.fill(0, 0, 16);
  }
  const bits = total * 8;
  W[14] = Math.floor(bits / 0x100000000);
  W[15] = bits | 0;
  compress(s);
}

/**
 * A compiled HMAC-SHA256 key: the SHA-256 state after `key ⊕ ipad` (words 0-7) and after
 * `key ⊕ opad` (words 8-15).
 */
export type HmacKey = Int32Array;

/** Compiles the key whose 64-byte block is in `W` (already padded with zeros). */
function compileBlock(): HmacKey {
  const block = W.slice(0, 16);
  const out = new Int32Array(16);
  const s = S;
  s.set(IV);
  for (let i = 0; i < 16; i++) W[i] = block[i] ^ 0x36363636;
  compress(s);
  for (let i = 0; i < 8; i++) out[i] = s[i];
  s.set(IV);
  for (let i = 0; i < 16; i++) W[i] = block[i] ^ 0x5c5c5c5c;
  compress(s);
  for (let i = 0; i < 8; i++) out[8 + i] = s[i];
  return out;
}

/**
 * Compiles an HMAC-SHA256 key (text is UTF-8).
 *
 * @param key The key.
 * @returns The compiled key.
 */
export function hmacKey(key: string | Uint8Array): HmacKey {
  let bytes = typeof key === "string" ? enc.encode(key) : key;
  if (bytes.length > 64) bytes = sha256(bytes);
  for (let w = 0; w < 16; w++) {
    const j = w * 4;
    W[w] = ((bytes[j] ?? 0) << 24) | ((bytes[j + 1] ?? 0) << 16) | ((bytes[j + 2] ?? 0) << 8) |
      (bytes[j + 3] ?? 0);
  }
  return compileBlock();
}

/** Scratch state for one hash (the functions here never re-enter). */
const S = /* @__PURE__ */ new Int32Array(8);

/** Runs HMAC under `key` over `message`; the digest words are left in `S`. */
function hmacInto(key: HmacKey, message: string | Uint8Array): void {
  const s = S;
  for (let i = 0; i < 8; i++) s[i] = key[i];
  finish(s, message, 64);
  for (let i = 0; i < 8; i++) W[i] = s[i];
  for (let i = 0; i < 8; i++) s[i] = key[8 + i];
  W[8] = 0x80000000;
  W.fill(0, 9, 15);
  W[15] = (64 + 32) * 8;
  compress(s);
}

/** The 8 digest words as 64 lower-case hex characters. */
function hexOf(words: Int32Array): string {
  let out = "";
  for (let w = 0; w < 8; w++) {
    const v = words[w];
    out += HEX[(v >>> 24) & 0xff] + HEX[(v >>> 16) & 0xff] + HEX[(v >>> 8) & 0xff] + HEX[v & 0xff];
  }
  return out;
}

/**
 * Lower-case hex HMAC-SHA256 of `message` under a compiled key.
 *
 * @param key The compiled key.
 * @param message The message (text is UTF-8).
 * @returns 64 hex characters.
 */
export function hmacHexWith(key: HmacKey, message: string | Uint8Array): string {
  hmacInto(key, message);
  return hexOf(S);
}

/** ASCII codes of the lower-case hex digits. */
const HEX_CODE = /* @__PURE__ */ new Int32Array([
  48,
  49,
  50,
  51,
  52,
  53,
  54,
  55,
  56,
  57,
  97,
  98,
  99,
  100,
  101,
  102,
]);

/** Four hex digits (as ASCII bytes in one word) of the 16 bits `v`. */
function hexWord(v: number): number {
  return (HEX_CODE[(v >>> 12) & 15] << 24) | (HEX_CODE[(v >>> 8) & 15] << 16) |
    (HEX_CODE[(v >>> 4) & 15] << 8) |
    HEX_CODE[v & 15];
}

/**
 * The compiled HMAC key whose key bytes are the lower-case hex text of HMAC(`key`, `message`): the BCE
 * signing key, used as the key of the second HMAC. (Its 64 hex characters are exactly one block, so
 * the pads come straight from the digest, without the text.)
 *
 * @param key The compiled outer key (the secret access key).
 * @param message The auth string prefix.
 * @returns The compiled signing key.
 */
export function derivedHexKey(key: HmacKey, message: string): HmacKey {
  hmacInto(key, message);
  for (let w = 0; w < 8; w++) {
    const v = S[w];
    W[2 * w] = hexWord(v >>> 16);
    W[2 * w + 1] = hexWord(v & 0xffff);
  }
  return compileBlock();
}

/**
 * The lower-case hex text of HMAC(`key`, `message`) as its 64 ASCII bytes: the BCE signing key, ready
 * to be the key of a native HMAC (no string in between).
 *
 * @param key The compiled outer key (the secret access key).
 * @param message The auth string prefix.
 * @returns 64 bytes of hex digits.
 */
export function derivedHexBytes(key: HmacKey, message: string): Uint8Array {
  hmacInto(key, message);
  const out = new Uint8Array(64);
  for (let w = 0; w < 8; w++) {
    const v = S[w];
    for (let n = 0; n < 8; n++) out[w * 8 + n] = HEX_CODE[(v >>> (28 - 4 * n)) & 15];
  }
  return out;
}

/**
 * SHA-256 of `data` (text is UTF-8).
 *
 * @param data The bytes or text.
 * @returns The 32-byte digest.
 */
export function sha256(data: string | Uint8Array): Uint8Array {
  const s = IV.slice();
  finish(s, data, 0);
  const out = new Uint8Array(32);
  for (let w = 0; w < 8; w++) {
    out[w * 4] = s[w] >>> 24;
    out[w * 4 + 1] = s[w] >>> 16;
    out[w * 4 + 2] = s[w] >>> 8;
    out[w * 4 + 3] = s[w];
  }
  return out;
}
