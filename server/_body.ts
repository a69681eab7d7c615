/**
 * Request bodies: streaming them into a blob through MD5 (and whatever digests were asked for),
 * verifying the digests, and reading small JSON bodies with a size cap.
 *
 * @module
 */
import { crcToDecimal, fromBase64, toBase64, toHex } from "../protocol/encoding.ts";
import { createIncrementalHash, type IncrementalHash } from "../protocol/hash.ts";
import { BosHttpError, fail } from "./_http.ts";
import type { BlobSink, Segment } from "./store/types.ts";

/** The declared body length: `undefined` when absent; 400 when not a decimal integer. */
export function contentLength(headers: Headers): number | undefined {
  const raw = headers.get("content-length");
  if (raw === null) return undefined;
  const v = raw.trim();
  if (!/^\d{1,16}$/.test(v)) {
    fail(
      "InvalidArgument",
      `Content-Length must be a non-negative integer, got ${JSON.stringify(v.slice(0, 40))}`,
    );
  }
  return Number(v);
}

/**
 * The length of an upload body; 411 `MissingContentLength` when the request has no Content-Length
 * and either no body, a chunked body, or came over a socket (where HTTP/1.1 framing gives a request
 * without Content-Length or Transfer-Encoding no body at all, whatever stream the server hands over).
 * An in-process request that has a body but no length (no `Transfer-Encoding`) is accepted with its
 * length counted as it streams.
 */
export function requireUploadLength(req: Request, fromSocket: boolean): number | undefined {
  const n = contentLength(req.headers);
  if (n !== undefined) return n;
  if (fromSocket || req.body === null || req.headers.has("transfer-encoding")) {
    fail(
      "MissingContentLength",
      "The request needs a Content-Length header (send Content-Length: 0 for an empty body)",
    );
  }
  return undefined;
}

/** Digests the client asked the server to check. */
export interface ExpectedDigests {
  md5?: Uint8Array;
  sha256?: string;
  crc32?: string;
  crc32c?: string;
  /** `x-bce-content-crc32c-flag: true`: compute and return crc32c. */
  wantCrc32c: boolean;
}

/** Parses the digest headers; unparsable values → 400 `InvalidDigest`. */
export function expectedDigests(headers: Headers): ExpectedDigests {
  const out: ExpectedDigests = {
    wantCrc32c: headers.get("x-bce-content-crc32c-flag")?.trim().toLowerCase() === "true",
  };
  const md5 = headers.get("content-md5");
  if (md5 !== null) {
    const bytes = fromBase64(md5.trim());
    if (!bytes || bytes.length !== 16) {
      fail(
        "InvalidDigest",
        `Content-MD5 must be the base64 of a 16-byte MD5 digest, got ${JSON.stringify(md5.slice(0, 64))}`,
      );
    }
    out.md5 = bytes;
  }
  const sha = headers.get("x-bce-content-sha256");
  if (sha !== null) {
    if (!/^[0-9a-fA-F]{64}$/.test(sha.trim())) {
      fail(
        "InvalidDigest",
        `x-bce-content-sha256 must be 64 hex characters, got ${JSON.stringify(sha.slice(0, 80))}`,
      );
    }
    out.sha256 = sha.trim().toLowerCase();
  }
  for (const name of ["crc32", "crc32c"] as const) {
    const v = headers.get(`x-bce-content-${name}`);
    if (v === null) continue;
    const t = v.trim();
    if (!/^\d{1,10}$/.test(t) || Number(t) > 0xffffffff) {
      fail(
        "InvalidDigest",
        `x-bce-content-${name} must be an unsigned 32-bit decimal, got ${JSON.stringify(t.slice(0, 40))}`,
      );
    }
    out[name] = String(Number(t));
  }
  return out;
}

/** What was received. */
export interface Received {
  segment: Segment;
  md5: Uint8Array;
  md5Hex: string;
  md5Base64: string;
  crc32: string;
  crc32c?: string;
}

/** Extra hashes fed with the body (e.g. the whole-object hashes of an append). */
export interface ExtraHashes {
  md5: IncrementalHash;
  crc32: IncrementalHash;
}

/**
 * Streams `req.body` into `sink` through MD5/CRC32 (and SHA-256/CRC32C when needed), checks the
 * length against `declared` and `max`, verifies the expected digests, and finishes the blob. On any
 * failure the blob is discarded and a BOS error is thrown.
 */
export async function receiveBody(
  req: Request,
  sink: BlobSink,
  declared: number | undefined,
  max: number,
  expected: ExpectedDigests,
  extra?: ExtraHashes,
): Promise<Received> {
  try {
    const md5 = await createIncrementalHash("md5");
    const crc32 = await createIncrementalHash("crc32");
    const sha = expected.sha256 !== undefined ? await createIncrementalHash("sha256") : undefined;
    const crc32c = expected.crc32c !== undefined || expected.wantCrc32c
      ? await createIncrementalHash("crc32c")
      : undefined;
    let size = 0;
    if (req.body) {
      const reader = req.body.getReader();
      try {
        while (true) {
          const r = await readBodyChunk(reader);
          if (r.done) break;
          const chunk = r.value;
          size += chunk.byteLength;
          if (size > max) {
            throw new BosHttpError("EntityTooLarge", `The body exceeds the maximum of ${max} bytes`);
          }
          if (declared !== undefined && size > declared) {
            throw new BosHttpError(
              "InvalidHTTPRequest",
              `The body is longer than its Content-Length ${declared}`,
            );
          }
          md5.update(chunk);
          crc32.update(chunk);
          sha?.update(chunk);
          crc32c?.update(chunk);
          if (extra) {
            extra.md5.update(chunk);
            extra.crc32.update(chunk);
          }
          await sink.write(chunk);
        }
      } finally {
        reader.releaseLock();
      }
    }
    if (declared !== undefined && size !== declared) {
      fail("InvalidHTTPRequest", `The body has ${size} bytes but Content-Length says ${declared}`);
    }
    const md5d = md5.digest();
    const crc = crcToDecimal(crc32.digest());
    const crcC = crc32c ? crcToDecimal(crc32c.digest()) : undefined;
    if (expected.md5 && toHex(expected.md5) !== toHex(md5d)) {
      fail(
        "BadDigest",
        `Content-MD5 ${toBase64(expected.md5)} does not match the body's MD5 ${toBase64(md5d)}`,
      );
    }
    if (sha && expected.sha256 !== undefined) {
      const got = toHex(sha.digest());
      if (got !== expected.sha256) {
        fail("BadDigest", `x-bce-content-sha256 ${expected.sha256} does not match the body's SHA-256 ${got}`);
      }
    }
    if (expected.crc32 !== undefined && expected.crc32 !== crc) {
      fail("BadDigest", `x-bce-content-crc32 ${expected.crc32} does not match the body's CRC32 ${crc}`);
    }
    if (expected.crc32c !== undefined && expected.crc32c !== crcC) {
      fail("BadDigest", `x-bce-content-crc32c ${expected.crc32c} does not match the body's CRC32C ${crcC}`);
    }
    const segment = await sink.finish();
    return { segment, md5: md5d, md5Hex: toHex(md5d), md5Base64: toBase64(md5d), crc32: crc, crc32c: crcC };
  } catch (err) {
    await sink.abort().catch(() => {});
    throw err;
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Reads a whole small body; more than `max` bytes → `tooLarge` error. */
/** Reads the next chunk of a request body; a failed read (the client went away) is `RequestTimeout`. */
async function readBodyChunk(
  reader: ReadableStreamDefaultReader<Uint8Array>,
): Promise<ReadableStreamReadResult<Uint8Array>> {
  try {
    return await reader.read();
  } catch (err) {
    throw new BosHttpError("RequestTimeout", `Reading the request body failed: ${errorText(err)}`);
  }
}

export async function readSmallBody(req: Request, max: number, tooLarge: () => never): Promise<Uint8Array> {
  if (!req.body) return new Uint8Array(0);
  const declared = contentLength(req.headers);
  if (declared !== undefined && declared > max) tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = req.body.getReader();
  try {
    while (true) {
      const r = await readBodyChunk(reader);
      if (r.done) break;
      size += r.value.byteLength;
      if (size > max) {
        await reader.cancel().catch(() => {});
        tooLarge();
      }
      chunks.push(r.value);
    }
  } finally {
    reader.releaseLock();
  }
  const out = new Uint8Array(size);
  let pos = 0;
  for (const c of chunks) {
    out.set(c, pos);
    pos += c.byteLength;
  }
  return out;
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Parses a JSON body; not UTF-8 or not JSON → 400 `MalformedJSON`. */
export function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(strictUtf8.decode(bytes));
  } catch {
    fail("MalformedJSON", "The request body is not well-formed JSON");
  }
}

/** Reads and discards what is left of a request body (so the client sees the answer), up to `limit` bytes. */
export async function drainBody(req: Request, limit = 8 * 1024 * 1024): Promise<void> {
  if (!req.body || req.bodyUsed || req.body.locked) return;
  const reader = req.body.getReader();
  let n = 0;
  try {
    while (n <= limit) {
      const r = await reader.read();
      if (r.done) return;
      n += r.value.byteLength;
    }
    await reader.cancel();
  } catch {
    // The client went away; nothing to drain.
  } finally {
    try {
      reader.releaseLock();
    } catch { /* already released */ }
  }
}
