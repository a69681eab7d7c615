// Private: one part of a file sent straight from the file through one small buffer. Each piece is
// read, hashed and written while it is still in the CPU's cache — no part-sized buffer, one pass over
// memory instead of three (into the buffer, through the hash, out of it). The CRC32 cannot go ahead
// of the bytes then, so the part is checked after the fact: the server reports the CRC32 of what it
// stored, and the part is sent again while that differs from the CRC32 of what was sent.
import { BosError } from "../../protocol/errors.ts";
import { crcToDecimal } from "../../protocol/encoding.ts";
import { createIncrementalHash, type IncrementalHash } from "../../protocol/hash.ts";
import type { ProgressEvent, PullBody } from "../body.ts";
import { uploadPartBody } from "../multipart.ts";
import type { Pipeline } from "../pipeline.ts";
import type { Source } from "./sources.ts";

/** Where a part lies in the source. */
export interface PartSpec {
  partNumber: number;
  offset: number;
  size: number;
}

/** Bytes per piece of a streamed part (read, hashed and written in one go). */
export const STREAM_CHUNK = 1024 * 1024;

/** A part sent and checked. */
export interface StreamedPart {
  etag: string;
  /** Decimal CRC32 of the part, as sent and as the server reported it. */
  crc32: string;
  requestId?: string;
}

/** The part as a pulled body; `sentCrc32()` is the CRC32 of the last pass, once it gave every byte. */
export function filePartBody(
  source: Source & Required<Pick<Source, "readInto">>,
  spec: PartSpec,
  chunk: Uint8Array,
): PullBody & { sentCrc32(): string | undefined } {
  let last: { hash?: IncrementalHash; complete: boolean } | undefined;
  return {
    length: spec.size,
    openPass() {
      const pass: { hash?: IncrementalHash; complete: boolean } = { complete: false };
      last = pass;
      let read = 0;
      return {
        async next() {
          pass.hash ??= await createIncrementalHash("crc32");
          if (read >= spec.size) {
            pass.complete = true;
            return null;
          }
          const n = await source.readInto(
            chunk.subarray(0, Math.min(chunk.length, spec.size - read)),
            spec.offset + read,
          );
          if (n === 0) {
            throw new BosError({
              status: 0,
              code: "CheckpointMismatch",
              message: `The file shrank while uploading: wanted bytes ${spec.offset}-${
                spec.offset + spec.size - 1
              }, got ${read}`,
            });
          }
          const bytes = chunk.subarray(0, n);
          pass.hash.update(bytes);
          read += n;
          return bytes;
        },
      };
    },
    sentCrc32: () => last?.complete && last.hash ? crcToDecimal(last.hash.digest()) : undefined,
  };
}

/**
 * Sends part `spec` of `source` pulled through `chunk`, again (up to `attempts` sends in all) while
 * the CRC32 the server reports differs from the one of the bytes sent. Resolves with the checked part,
 * or `undefined` when the server reported no CRC32 (the part is then unchecked: the caller sends it
 * again with its CRC32 up front).
 */
export async function sendStreamedPart(
  p: Pipeline,
  bucket: string,
  key: string,
  uploadId: string,
  spec: PartSpec,
  source: Source & Required<Pick<Source, "readInto">>,
  chunk: Uint8Array,
  attempts: number,
  signal: AbortSignal,
  onProgress: (e: ProgressEvent) => void,
): Promise<StreamedPart | undefined> {
  for (let attempt = 1;; attempt++) {
    const body = filePartBody(source, spec, chunk);
    const r = await uploadPartBody(p, bucket, key, uploadId, spec.partNumber, {
      length: spec.size,
      pull: body,
    }, {
      signal,
      onProgress,
    });
    const sent = body.sentCrc32();
    if (r.crc32 === undefined || sent === undefined) return undefined;
    if (r.crc32 === sent) return { etag: r.etag, crc32: sent, requestId: r.requestId };
    if (attempt >= attempts) {
      throw new BosError({
        status: 0,
        code: "BadDigest",
        message:
          `Part ${spec.partNumber} of ${key}: the server computed CRC32 ${r.crc32} but the data's CRC32 is ${sent}`,
        requestId: r.requestId,
      });
    }
  }
}
