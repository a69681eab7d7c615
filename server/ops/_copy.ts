// Private: copying stored bytes into a new blob, for CopyObject and UploadPartCopy (a copy never
// shares blobs with its source), hashing them on the way.
import { crcToDecimal, toBase64, toHex } from "../../protocol/encoding.ts";
import { createIncrementalHash } from "../../protocol/hash.ts";
import type { BlobSink, Segment, Store } from "../store/types.ts";

/** What a copy stored: the new segment and the MD5 (hex and base64) and CRC32 of its bytes. */
export interface CopiedBytes {
  segment: Segment;
  md5Hex: string;
  md5Base64: string;
  crc32: string;
}

/**
 * Streams `size` bytes of a copy source into a new blob; the blob is removed if the copy fails.
 * `bytes` must have been opened (`store.read`) in the same synchronous step that found the source:
 * that pins its blobs, so a DeleteObject or an overwrite of the source meanwhile cannot take the
 * bytes away mid-copy.
 */
export async function copyBytes(
  store: Store,
  bytes: ReadableStream<Uint8Array>,
  size: number,
): Promise<CopiedBytes> {
  const reader = bytes.getReader();
  let sink: BlobSink | undefined;
  try {
    sink = await store.newBlob();
    const md5 = await createIncrementalHash("md5");
    const crc = await createIncrementalHash("crc32");
    let copied = 0;
    while (true) {
      const r = await reader.read();
      if (r.done) break;
      copied += r.value.byteLength;
      md5.update(r.value);
      crc.update(r.value);
      await sink.write(r.value);
    }
    if (copied !== size) throw new Error(`The copy source gave ${copied} bytes instead of ${size}`);
    const segment = await sink.finish();
    const digest = md5.digest();
    return { segment, md5Hex: toHex(digest), md5Base64: toBase64(digest), crc32: crcToDecimal(crc.digest()) };
  } catch (err) {
    await reader.cancel().catch(() => {});
    await sink?.abort().catch(() => {});
    throw err;
  }
}
