// Private: one tracked append of an Appender — create the object when missing, append at the known
// offset, and recover from OffsetIncorrect (a write that landed although its answer was lost is
// recognised by reading its bytes back, not repeated). Loaded on the first append.
import { BosError } from "../../protocol/errors.ts";
import type { AppendObjectResult } from "../objects.ts";
import type { RequestOptions } from "../pipeline.ts";
import type { Appender } from "./appender.ts";

/** Appends `bytes` after `known` (the offset, when known); returns the result and the new offset. */
export async function appendTracked(
  appender: Appender,
  known: number | undefined,
  bytes: Uint8Array,
  options: RequestOptions,
): Promise<{ result: AppendObjectResult; offset: number | undefined }> {
  const { client, bucket, key } = appender;
  const headers = { ...appender.options, offset: undefined };
  let current = known;
  if (current === undefined) {
    try {
      const meta = await client.headObject(bucket, key, options);
      if (meta.objectType !== undefined && meta.objectType !== "Appendable") {
        throw new BosError({
          status: 0,
          code: "ObjectUnappendable",
          message:
            `${key} is a ${meta.objectType} object, not appendable; delete it or append to another key`,
        });
      }
      current = meta.nextAppendOffset ?? meta.contentLength;
    } catch (e) {
      if (!(e instanceof BosError) || e.code !== "NoSuchKey") throw e;
      const r = await client.appendObject(bucket, key, bytes, { ...headers, signal: options.signal });
      // Unknown when the answer lacks x-bce-next-append-offset: the next append asks with HEAD.
      return { result: r, offset: r.nextAppendOffset };
    }
  }
  const offset = current;
  try {
    const r = await client.appendObject(bucket, key, bytes, { offset, signal: options.signal });
    return { result: r, offset: r.nextAppendOffset };
  } catch (e) {
    if (!(e instanceof BosError) || e.code !== "OffsetIncorrect") throw e;
    const meta = await client.headObject(bucket, key, options);
    const length = meta.nextAppendOffset ?? meta.contentLength;
    if (length === offset + bytes.length && bytes.length > 0) {
      const got = await (await client.getObject(bucket, key, {
        range: { start: offset, end: length - 1 },
        ifMatch: meta.etag || undefined,
        signal: options.signal,
      })).bytes();
      if (got.length === bytes.length && got.every((b, i) => b === bytes[i])) {
        return {
          result: { etag: meta.etag, nextAppendOffset: length, requestId: meta.requestId },
          offset: length,
        };
      }
    }
    const r = await client.appendObject(bucket, key, bytes, { offset: length, signal: options.signal });
    return { result: r, offset: r.nextAppendOffset };
  }
}
