/**
 * The managed transfers of a {@link BosClient}: the upload engine, the appender, large copies and
 * resilient downloads. Their implementations are loaded on first use.
 *
 * @module
 */
import type { BodyInput } from "./body.ts";
import type { DownloadFileOptions, DownloadOptions } from "./download.ts";
import type { CopyObjectResult, GetObjectResult } from "./objects.ts";
import type { Appender, AppenderOptions } from "./upload/appender.ts";
import type { CopyLargeOptions } from "./upload/copy_large.ts";
import type { UploadFileOptions, UploadOptions, UploadResult } from "./upload/engine.ts";

/** The managed transfers of a {@link BosClient}: uploads of any size, appends, large copies and downloads. */
export interface TransferOperations {
  /**
   * Uploads any body with the upload engine: one PutObject when it fits in one part, otherwise a
   * multipart upload with bounded memory (≈ part size × (concurrency + 1)), concurrency, byte
   * progress, per-part integrity checks, retries and a resumable checkpoint.
   *
   * @param bucket Bucket name.
   * @param key Object key.
   * @param body Bytes, text, a Blob or a stream of known or unknown length.
   * @param options Part size, concurrency, progress, checkpoint, resume, integrity, headers, signal.
   * @returns ETag, size, part count and (multipart) the upload id.
   *
   * @example Upload a stream of unknown length with progress and a checkpoint
   * ```ts
   * import { BosClient, type UploadCheckpoint } from "@boskit/boskit";
   * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const server = await serve();
   * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
   * await client.createBucket("my-bucket");
   * const stream = new Blob([new Uint8Array(250 * 1024)]).stream(); // e.g. (await fetch(url)).body
   * let transferred = 0;
   * const checkpoints: UploadCheckpoint[] = [];
   * const result = await client.upload("my-bucket", "big.tar", stream, {
   *   partSize: 100 * 1024,
   *   onProgress: (p) => (transferred = p.transferred),
   *   onCheckpoint: (cp) => void checkpoints.push(cp),
   * });
   * assert.equal(result.size, 250 * 1024);
   * assert.equal(transferred, 250 * 1024);
   * assert.equal(checkpoints.at(-1)?.parts.length, 3);
   * await server.close();
   * ```
   */
  upload(bucket: string, key: string, body: BodyInput, options?: UploadOptions): Promise<UploadResult>;

  /**
   * Uploads a local file by path (Deno, Bun, Node) with random access, so a resume re-reads only
   * the missing parts. The checkpoint fingerprint is the file's size and modification time.
   *
   * @param bucket Bucket name.
   * @param key Object key.
   * @param path Local file path.
   * @param options As for {@link BosClient.upload}.
   * @returns The upload result.
   *
   * @example Resume a file upload after a crash
   * ```ts
   * import { BosClient, type UploadCheckpoint } from "@boskit/boskit";
   * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const server = await serve({ faults: true });
   * const client = new BosClient({
   *   endpoint: server.url,
   *   credentials: LOCAL_CREDENTIALS,
   *   retry: { maxAttempts: 1 },
   * });
   * await client.createBucket("my-bucket");
   * const dir = await Deno.makeTempDir();
   * await Deno.writeFile(`${dir}/video.mp4`, new Uint8Array(250 * 1024));
   * // The "crash": part 3 fails once.
   * server.handler.faults?.register({ match: { operation: "UploadPart", partNumber: 3 }, faults: ["500"] });
   * const options = {
   *   partSize: 100 * 1024,
   *   concurrency: 1,
   *   onCheckpoint: (cp: UploadCheckpoint) => Deno.writeTextFile(`${dir}/upload.json`, JSON.stringify(cp)),
   * };
   * await assert.rejects(client.uploadFile("my-bucket", "video.mp4", `${dir}/video.mp4`, options));
   * const saved: UploadCheckpoint = JSON.parse(await Deno.readTextFile(`${dir}/upload.json`));
   * const result = await client.uploadFile("my-bucket", "video.mp4", `${dir}/video.mp4`, {
   *   ...options,
   *   resume: saved,
   * });
   * assert.equal(result.partsSent, 1);
   * await Deno.remove(dir, { recursive: true });
   * await server.close();
   * ```
   */
  uploadFile(
    bucket: string,
    key: string,
    path: string,
    options?: UploadFileOptions,
  ): Promise<UploadResult>;

  /**
   * Uploads a local file (Deno, Bun, Node) with the upload engine: one PutObject for small files,
   * a resumable multipart upload for large ones. Same as {@link BosClient.uploadFile}.
   *
   * @param bucket Bucket name.
   * @param key Object key.
   * @param path Local file path.
   * @param options Upload options.
   * @returns The upload result.
   *
   * @example Upload a local file
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const server = await serve();
   * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
   * await client.createBucket("my-bucket");
   * const path = await Deno.makeTempFile();
   * await Deno.writeTextFile(path, "backup");
   * const r = await client.putObjectFromFile("my-bucket", "backup.tar", path);
   * assert.equal(r.size, 6);
   * await Deno.remove(path);
   * await server.close();
   * ```
   */
  putObjectFromFile(
    bucket: string,
    key: string,
    path: string,
    options?: UploadFileOptions,
  ): Promise<UploadResult>;

  /**
   * An appender for log-style writes to an appendable object: tracks the offset, creates the object
   * on first use, and recovers from `OffsetIncorrect` by reading the current length.
   *
   * @param bucket Bucket name.
   * @param key Object key.
   * @param options Headers for the object's creation, known starting offset.
   * @returns The appender.
   *
   * @example Log lines
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const server = await serve();
   * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
   * await client.createBucket("my-bucket");
   * const log = client.appender("my-bucket", "app.log", { contentType: "text/plain" });
   * await log.append("started\n");
   * await log.append("ready\n");
   * assert.equal(log.offset, 14);
   * assert.equal(await (await client.getObject("my-bucket", "app.log")).text(), "started\nready\n");
   * await server.close();
   * ```
   */
  appender(bucket: string, key: string, options?: AppenderOptions): Appender;

  /**
   * Copies an object of any size: CopyObject up to the threshold, otherwise a parallel multipart
   * copy (UploadPartCopy with ranges, each conditioned on the source ETag).
   *
   * @param sourceBucket Source bucket.
   * @param sourceKey Source key.
   * @param bucket Destination bucket.
   * @param key Destination key.
   * @param options Part size, concurrency, threshold, metadata, signal.
   * @returns ETag of the copy.
   *
   * @example Copy a large object with 8 parts in flight
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const server = await serve();
   * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
   * await client.createBucket("my-bucket");
   * await client.createBucket("dst-bucket");
   * await client.upload("my-bucket", "huge.bin", new Uint8Array(1024 * 1024), { partSize: 100 * 1024 });
   * // Small parts and threshold, to show a multipart copy of a small object.
   * const options = { concurrency: 8, partSize: 100 * 1024, multipartThreshold: 100 * 1024 };
   * await client.copyLarge("my-bucket", "huge.bin", "dst-bucket", "huge.bin", options);
   * assert.equal((await client.headObject("dst-bucket", "huge.bin")).contentLength, 1024 * 1024);
   * await server.close();
   * ```
   */
  copyLarge(
    sourceBucket: string,
    sourceKey: string,
    bucket: string,
    key: string,
    options?: CopyLargeOptions,
  ): Promise<CopyObjectResult>;

  /**
   * Downloads an object as a stream that survives broken connections: when the body breaks off,
   * it continues with a ranged GET from the last byte received, pinned to the same ETag.
   *
   * @param bucket Bucket name.
   * @param key Object key.
   * @param options Range, resume attempts, signal.
   * @returns Metadata of the object and the resilient body stream.
   *
   * @example Stream an object that survives broken connections
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const server = await serve();
   * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
   * await client.createBucket("my-bucket");
   * await client.putObject("my-bucket", "big.bin", new Uint8Array(256 * 1024));
   * const { body, contentLength } = await client.download("my-bucket", "big.bin");
   * let n = 0;
   * for await (const chunk of body) n += chunk.length;
   * assert.equal(n, contentLength);
   * await server.close();
   * ```
   */
  download(bucket: string, key: string, options?: DownloadOptions): Promise<GetObjectResult>;

  /**
   * Downloads an object into a local file (Deno, Bun, Node), resuming broken bodies with ranged
   * GETs; with `resume: true` an existing partial file is continued rather than rewritten.
   *
   * @param bucket Bucket name.
   * @param key Object key.
   * @param path Local file path.
   * @param options Resume, signal.
   * @returns Bytes written and the ETag.
   *
   * @example Download to a file, continuing a partial one
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
   * import assert from "node:assert/strict";
   *
   * const server = await serve();
   * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
   * await client.createBucket("my-bucket");
   * await client.putObject("my-bucket", "big.bin", new Uint8Array(256 * 1024));
   * const path = await Deno.makeTempFile();
   * const r = await client.downloadFile("my-bucket", "big.bin", path, { resume: true });
   * assert.equal(r.bytes, 256 * 1024);
   * assert.equal((await Deno.stat(path)).size, 256 * 1024);
   * await Deno.remove(path);
   * await server.close();
   * ```
   */
  downloadFile(
    bucket: string,
    key: string,
    path: string,
    options?: DownloadFileOptions,
  ): Promise<{ bytes: number; etag: string }>;
}
