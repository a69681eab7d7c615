/**
 * CRC32 (IEEE) of a concatenation from the CRCs of its pieces: zlib's `crc32_combine` (the GF(2)
 * matrix algorithm), so a multipart object's whole CRC32 comes from its parts' CRCs without
 * reading the data again. The squared operators (for 2^k zero bytes) are computed once and kept,
 * so a combine costs one 32×32 GF(2) matrix-vector product per set bit of the length.
 *
 * @module
 */

/** The reflected IEEE polynomial. */
const POLYNOMIAL = 0xedb88320;

function matrixTimes(mat: Uint32Array, vec: number): number {
  let sum = 0;
  for (let i = 0; vec !== 0; i++, vec >>>= 1) {
    if (vec & 1) sum ^= mat[i];
  }
  return sum >>> 0;
}

function matrixSquare(mat: Uint32Array): Uint32Array {
  const square = new Uint32Array(32);
  for (let n = 0; n < 32; n++) square[n] = matrixTimes(mat, mat[n]);
  return square;
}

/** `powers[k]`: the operator that appends 2^k zero bytes to a CRC; grown on demand (≤ 53 entries). */
const powers: Uint32Array[] = [];

function power(k: number): Uint32Array {
  if (powers.length === 0) {
    const bit = new Uint32Array(32); // the operator for one zero bit
    bit[0] = POLYNOMIAL;
    for (let n = 1; n < 32; n++) bit[n] = 1 << (n - 1);
    powers.push(matrixSquare(matrixSquare(matrixSquare(bit)))); // 2, 4, 8 bits: one byte
  }
  while (powers.length <= k) powers.push(matrixSquare(powers[powers.length - 1]));
  return powers[k];
}

/**
 * The CRC32 of `A ‖ B` from `crc32(A)`, `crc32(B)` and the length of `B`.
 *
 * @param crcA CRC32 of the first piece (unsigned 32-bit).
 * @param crcB CRC32 of the second piece (unsigned 32-bit).
 * @param lengthB Bytes in the second piece: a non-negative safe integer (may exceed 2^32).
 * @returns The CRC32 of the concatenation (unsigned 32-bit).
 */
export function crc32Combine(crcA: number, crcB: number, lengthB: number): number {
  if (!Number.isSafeInteger(lengthB) || lengthB < 0) {
    throw new RangeError(`The length must be a non-negative safe integer, got ${lengthB}`);
  }
  // Append lengthB zero bytes to crcA (one squared operator per set bit of the length), then add crcB.
  let crc = crcA >>> 0;
  for (let k = 0, len = lengthB; len > 0; k++, len = Math.floor(len / 2)) {
    if (len % 2 === 1) crc = matrixTimes(power(k), crc);
  }
  return (crc ^ crcB) >>> 0;
}

/**
 * The decimal CRC32 of parts laid end to end, from their decimal CRC32s; `undefined` when a part's
 * CRC32 is unknown (or not an unsigned 32-bit decimal).
 *
 * @param parts The parts in object order.
 * @returns Decimal CRC32 of the whole, or `undefined`.
 */
export function crc32OfParts(parts: readonly { crc32?: string; size: number }[]): string | undefined {
  let crc = 0; // the CRC32 of nothing
  for (const p of parts) {
    if (p.crc32 === undefined || !/^\d{1,10}$/.test(p.crc32) || Number(p.crc32) > 0xffffffff) {
      return undefined;
    }
    crc = crc32Combine(crc, Number(p.crc32), p.size);
  }
  return String(crc);
}
