// Private: copying stored bytes into a new blob, for CopyObject and UploadPartCopy (a copy never
// shares blobs with its source), hashing them on the way.
import { crcToDecimal, toBase64, toHex } from "../../protocol/encoding.ts";
import { createIncrementalHash } from "../../protocol/hash.ts";
import type { OpContext } from "../_context.ts";
import type { ObjectRecord, Segment } from "../store/types.ts";

/** What a copy stored: the new segment and the MD5 (hex and base64) and CRC32 of its bytes. */
export interface CopiedBytes {
  segment: Segment;
  md5Hex: string;
  md5Base64: string;
  crc32: string;
}

/** Streams bytes `[start, end)` of `source` into a new blob; the blob is removed if the copy fails. */
export async function copyBytes(
  ctx: OpContext,
  source: ObjectRecord,
  start: number,
  end: number,
): Promise<CopiedBytes> {
  const sink = await ctx.store.newBlob();
  try {
    const md5 = await createIncrementalHash("md5");
    const crc = await createIncrementalHash("crc32");
    const reader = ctx.store.read(source.segments, start, end).getReader();
    while (true) {
      const r = await reader.read();
      if (r.done) break;
      md5.update(r.value);
      crc.update(r.value);
      await sink.write(r.value);
    }
    const segment = await sink.finish();
    const digest = md5.digest();
    return { segment, md5Hex: toHex(digest), md5Base64: toBase64(digest), crc32: crcToDecimal(crc.digest()) };
  } catch (err) {
    await sink.abort().catch(() => {});
    throw err;
  }
}
