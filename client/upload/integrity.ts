// Private: the checksums an upload sends and checks, and its byte progress (split out of engine.ts).
import { BosError } from "../../protocol/errors.ts";
import { crcToDecimal, toHex } from "../../protocol/encoding.ts";
import { createIncrementalHash, hash } from "../../protocol/hash.ts";
import type { ProgressEvent } from "../body.ts";
import type { Integrity } from "./checkpoint.ts";

/** The checksums a part or object is sent with; `crc32` is the part's CRC32, computed in any case. */
export interface Digest {
  md5?: Uint8Array;
  crc32c?: string;
  crc32?: string;
}

export async function digestOf(integrity: Integrity, data: Uint8Array, crc32: string): Promise<Digest> {
  if (integrity === "crc32c") return { crc32c: crcToDecimal(await hash("crc32c", data)) };
  if (integrity === "md5") return { md5: await hash("md5", data) };
  return { crc32 };
}

/** Decimal CRC32 (IEEE) of a part's bytes, for the whole-object CRC32 sent on Complete. */
export async function crc32Of(data: Uint8Array): Promise<string> {
  const h = await createIncrementalHash("crc32");
  h.update(data);
  return crcToDecimal(h.digest());
}

/** What is wrong when the server's answer contradicts the checksum sent, else `undefined`. */
export function integrityMismatch(
  integrity: Integrity,
  digest: Digest,
  etag: string,
  crc32c: string | undefined,
  crc32?: string,
): string | undefined {
  if (integrity === "md5" && digest.md5) {
    const hex = toHex(digest.md5);
    if (etag && etag.toLowerCase() !== hex) {
      return `the server stored ETag ${etag} but the data's MD5 is ${hex}`;
    }
  }
  if (integrity === "crc32c" && crc32c !== undefined && crc32c !== digest.crc32c) {
    return `the server computed CRC32C ${crc32c} but the data's CRC32C is ${digest.crc32c}`;
  }
  if (integrity === "crc32" && crc32 !== undefined && crc32 !== digest.crc32) {
    return `the server computed CRC32 ${crc32} but the data's CRC32 is ${digest.crc32}`;
  }
  return undefined;
}

/** Whether a `BadDigest` answer from the server should be retried (another attempt is left). */
export function retryBadDigest(e: unknown, attempt: number, attempts: number): boolean {
  return e instanceof BosError && e.code === "BadDigest" && e.status !== 0 && attempt < attempts;
}

/**
 * Byte progress of a whole upload: bytes sent in this run (each part counts its bytes once, however
 * often it is sent) and bytes found already uploaded (parts a resumed upload does not send again).
 */
export class Progress {
  sent = 0;
  resumed = 0;
  constructor(readonly total: number | undefined, readonly emit?: (e: ProgressEvent) => void) {}
  /** Counts `increment` bytes as sent, or as found already uploaded. */
  add(increment: number, alreadyUploaded = false): void {
    if (increment <= 0) return;
    if (alreadyUploaded) this.resumed += increment;
    else this.sent += increment;
    this.emit?.({
      increment,
      transferred: this.sent + this.resumed,
      sent: this.sent,
      resumed: this.resumed,
      total: this.total,
    });
  }
  /** A per-part counter that keeps its high-water mark across attempts. */
  part(): (position: number) => void {
    let high = 0;
    return (position) => {
      if (position > high) {
        this.add(position - high);
        high = position;
      }
    };
  }
}
