/**
 * Resilient downloads: a body stream that continues with a ranged GET (pinned to the ETag) when the
 * connection breaks off or stalls, and a helper that streams an object into a local file.
 *
 * @module
 */
import { BosError } from "../protocol/errors.ts";
import { type ByteRange, getObject, type GetObjectResult, headObject } from "./objects.ts";
import type { Pipeline, RequestOptions } from "./pipeline.ts";
import { backoffDelay, DEFAULT_RETRY } from "./retry.ts";
import { abortError, sleep } from "./_async.ts";
import { bodyReaders } from "./_bytes.ts";
import { checkNonNegativeInteger } from "./_validate.ts";
import { openFile } from "./upload/sources.ts";

/** Options of `client.download`. */
export interface DownloadOptions extends RequestOptions {
  /** Only these bytes. */
  range?: ByteRange;
  /** How many times a broken body is continued; default 5. */
  maxResumes?: number;
  /** A body that delivers nothing for this long is treated as broken, in ms; default 30000. */
  idleTimeoutMs?: number;
}

/** Options of `client.downloadFile`. */
export interface DownloadFileOptions extends Omit<DownloadOptions, "range"> {
  /** Continue an existing partial file from its current length instead of overwriting it. */
  resume?: boolean;
  /** With `resume`, the ETag the object must still have (else `PreconditionFailed`). */
  ifMatch?: string;
}

class IdleTimeout extends Error {}

function readWithIdle<T>(
  reader: ReadableStreamDefaultReader<T>,
  ms: number,
): Promise<ReadableStreamReadResult<T>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    reader.read(),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new IdleTimeout(`No body bytes for ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Downloads with resumption (`client.download`): when the body breaks off or stalls, it continues
 * with a ranged GET from the last byte received, pinned to the same ETag.
 *
 * @param p The client's pipeline.
 * @param bucket Bucket name.
 * @param key Object key.
 * @param options Range, resume budget, idle timeout, signal.
 * @returns Metadata and a body that continues across broken connections.
 */
export async function download(
  p: Pipeline,
  bucket: string,
  key: string,
  options: DownloadOptions = {},
): Promise<GetObjectResult> {
  const { signal } = options;
  const maxResumes = options.maxResumes ?? 5;
  const idle = options.idleTimeoutMs ?? 30_000;
  checkNonNegativeInteger("maxResumes", maxResumes);
  const first = await getObject(p, bucket, key, { range: options.range, signal });
  const start = first.contentRange?.start ?? options.range?.start ?? 0;
  const end = first.contentRange ? first.contentRange.end + 1 : start + first.contentLength;
  let position = start;
  let reader = first.body.getReader();
  let resumes = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        try {
          const r = await readWithIdle(reader, idle);
          if (r.done) {
            if (position < end) throw new Error(`The body ended at byte ${position} of ${end}`);
            controller.close();
            return;
          }
          if (r.value.length === 0) continue;
          position += r.value.length;
          controller.enqueue(r.value);
          return;
        } catch (e) {
          if (signal?.aborted) throw abortError(signal);
          await reader.cancel().catch(() => {});
          if (e instanceof BosError && e.status !== 0) throw e;
          if (resumes >= maxResumes) {
            throw new BosError({
              status: 0,
              code: "NetworkError",
              message: `Download of ${key} broke off at byte ${position} of ${end} after ${resumes} resumes`,
              cause: e,
            });
          }
          resumes++;
          await sleep(backoffDelay(resumes, DEFAULT_RETRY), signal);
          const next = await getObject(p, bucket, key, {
            range: { start: position, end: end - 1 },
            ifMatch: first.etag || undefined,
            signal,
          });
          reader = next.body.getReader();
        }
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return {
    ...first,
    ...bodyReaders(body, first.contentType),
  };
}

/**
 * Downloads an object into a local file (`client.downloadFile`), continuing a partial file with
 * `resume`.
 *
 * @param p The client's pipeline.
 * @param bucket Bucket name.
 * @param key Object key.
 * @param path Local path.
 * @param options Resume, ETag pin, idle timeout, signal.
 * @returns Bytes written by this call and the ETag.
 */
export async function downloadFile(
  p: Pipeline,
  bucket: string,
  key: string,
  path: string,
  options: DownloadFileOptions = {},
): Promise<{ bytes: number; etag: string }> {
  const handle = await openFile(path, options.resume ? "a+" : "w");
  try {
    let start = 0;
    if (options.resume) {
      start = (await handle.stat()).size;
      const head = await headObject(p, bucket, key, { ifMatch: options.ifMatch, signal: options.signal });
      if (start === head.contentLength) return { bytes: 0, etag: head.etag };
      if (start > head.contentLength) {
        throw new BosError({
          status: 0,
          code: "InvalidRange",
          message:
            `The local file ${path} (${start} bytes) is longer than the object (${head.contentLength}); delete it or download without resume`,
        });
      }
    }
    const got = await download(p, bucket, key, {
      ...options,
      range: start > 0 ? { start } : undefined,
    });
    let written = 0;
    const reader = got.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      let o = 0;
      while (o < value.length) {
        const { bytesWritten } = await handle.write(value, o, value.length - o, start + written + o);
        o += bytesWritten;
      }
      written += value.length;
    }
    return { bytes: written, etag: got.etag };
  } finally {
    await handle.close();
  }
}
