/**
 * `BosClient`, the one object users hold: a thin facade over the per-area operation modules. The
 * constructor resolves the options into a request {@link Pipeline}; every method is a one-line
 * delegation to its area (`buckets.ts`, `objects.ts`, `multipart.ts`, `listing.ts`, `cors.ts`,
 * `transfers.ts`), where the method is documented beside its code in the area's `…Operations`
 * interface. Each area, the upload engine, the large copy and the download helpers are loaded with
 * `import()` the first time a method needs them, so an application pays up front only for the facade
 * and the pipeline, and one that only puts and gets objects never loads the engines (nor hash-wasm or
 * `node:*`).
 *
 * The public `BosClient` is declared the way the Web platform declares its classes (an interface for
 * the instance, a constant for the constructor), which lets each area document its own methods.
 *
 * @module
 */
import type { BosProfile } from "../protocol/profile.ts";
import type { BucketOperations } from "./buckets.ts";
import type { CorsOperations } from "./cors.ts";
import type { ListingOperations } from "./listing.ts";
import type { MultipartOperations } from "./multipart.ts";
import type { ObjectOperations } from "./objects.ts";
import { type BosClientOptions, Pipeline } from "./pipeline.ts";
import type { TransferOperations } from "./transfers.ts";
import { Appender, type AppenderOptions } from "./upload/appender.ts";

/**
 * A client for Baidu Object Storage: the operations of every area (buckets, objects, multipart,
 * listing, CORS, managed transfers) on one resolved endpoint.
 */
export interface BosClient
  extends
    BucketOperations,
    CorsOperations,
    ObjectOperations,
    MultipartOperations,
    ListingOperations,
    TransferOperations {
  /** The resolved endpoint. */
  readonly endpoint: { protocol: string; host: string; addressing: "path" | "virtual-host"; region?: string };
  /** The limits validated against before sending. */
  readonly profile: Readonly<BosProfile>;
  /** Whether request bodies are streamed with an explicit Content-Length (byte-level progress). */
  readonly streamingUploads: boolean;
  /**
   * Milliseconds added to the local clock when signing (learned from a clock-skew error).
   *
   * @example Zero until a clock-skew error is corrected
   * ```ts
   * import { BosClient } from "@boskit/boskit";
   * import assert from "node:assert/strict";
   *
   * const client = new BosClient({ endpoint: "http://127.0.0.1:8080", credentials: { accessKeyId: "ak", secretAccessKey: "sk" } });
   * assert.equal(client.clockOffsetMs, 0);
   * ```
   */
  readonly clockOffsetMs: number;
}

/** The constructor of {@link BosClient}. */
export interface BosClientConstructor {
  /**
   * Creates a client; no request is sent.
   *
   * @param options Endpoint, credentials and transport options.
   * @returns The client.
   */
  new (options: BosClientOptions): BosClient;
  /** The prototype of every client (`client instanceof BosClient` holds). */
  readonly prototype: BosClient;
}

// Where each method lives. Every area, the upload engine, the large copy and the downloads load on
// first use: an application pays up front only for the facade and the pipeline (README "Browsers").
const buckets = () => import("./buckets.ts");
const cors = () => import("./cors.ts");
const listing = () => import("./listing.ts");
const multipart = () => import("./multipart.ts");
const objects = () => import("./objects.ts");
const engine = () => import("./upload/engine.ts");
const copyLarge = () => import("./upload/copy_large.ts");
const download = () => import("./download.ts");

/** The methods that are `(…args) => area.name(pipeline, …args)`: every one but the iterators and the appender. */
type Delegated =
  | Exclude<
    keyof (BucketOperations & CorsOperations & ObjectOperations & MultipartOperations & TransferOperations),
    "appender" | "putObjectFromFile"
  >
  | "listObjects";

/** Checks at compile time that each area function takes the pipeline, then exactly the method's arguments. */
type DelegationTable = {
  [K in Delegated]: () => Promise<
    { [k in K]: (p: Pipeline, ...args: Parameters<BosClient[K]>) => ReturnType<BosClient[K]> }
  >;
};

const DELEGATES: DelegationTable = {
  createBucket: buckets,
  headBucket: buckets,
  deleteBucket: buckets,
  listBuckets: buckets,
  getBucketLocation: buckets,
  putBucketCors: cors,
  getBucketCors: cors,
  deleteBucketCors: cors,
  optionsObject: cors,
  putObject: objects,
  getObject: objects,
  headObject: objects,
  deleteObject: objects,
  deleteObjects: objects,
  copyObject: objects,
  appendObject: objects,
  presignUrl: objects,
  initiateMultipartUpload: multipart,
  uploadPart: multipart,
  uploadPartCopy: multipart,
  completeMultipartUpload: multipart,
  abortMultipartUpload: multipart,
  listParts: multipart,
  listMultipartUploads: multipart,
  listObjects: listing,
  upload: engine,
  uploadFile: engine,
  copyLarge,
  download,
  downloadFile: download,
};

/** The iterators over every page, which take the client itself (its one-page calls). */
const ITERATORS = [
  "listAllObjects",
  "listAllPrefixes",
  "listAllEntries",
  "listAllParts",
  "listAllMultipartUploads",
] as const satisfies readonly (keyof ListingOperations)[];

/**
 * A client for Baidu Object Storage on Web standards (`fetch`, Web Crypto, Web Streams): every BOS
 * object, bucket and multipart operation, async iterators over listings, and a managed upload
 * engine (multipart, concurrency, progress, resume), on Deno, Bun, Node 20+, browsers and edge
 * runtimes.
 *
 * Every operation accepts an `AbortSignal` and fails with a {@link BosError}: the service's status,
 * code, message and request id, or status 0 with `NetworkError`, `Timeout`, `Aborted` or the code
 * BOS would answer for a request refused before sending (`MetadataTooLarge`, `InvalidBucketName`…).
 *
 * @example Put and read back an object
 * ```ts
 * import { BosClient } from "@boskit/boskit";
 * import { LOCAL_CREDENTIALS, serve } from "@boskit/boskit/server";
 * import assert from "node:assert/strict";
 *
 * const server = await serve(); // the embedded reference server; or "https://bj.bcebos.com" and your keys
 * const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
 * await client.createBucket("my-bucket");
 * await client.putObject("my-bucket", "hello.txt", "hello", { contentType: "text/plain" });
 * const got = await client.getObject("my-bucket", "hello.txt");
 * assert.equal(await got.text(), "hello");
 * await server.close();
 * ```
 */
export const BosClient: BosClientConstructor = class BosClient {
  // The class declares the state; its methods are installed from the tables above (the interface
  // `BosClient` documents and types them).
  readonly endpoint: { protocol: string; host: string; addressing: "path" | "virtual-host"; region?: string };
  readonly profile: Readonly<BosProfile>;
  readonly streamingUploads: boolean;
  readonly #p: Pipeline;

  /**
   * Creates a client; no request is sent.
   *
   * @param options Endpoint, credentials and transport options.
   */
  constructor(options: BosClientOptions) {
    this.#p = new Pipeline(options);
    const ep = this.#p.ep;
    this.endpoint = { protocol: ep.protocol, host: ep.host, addressing: ep.addressing, region: ep.region };
    this.profile = this.#p.profile;
    this.streamingUploads = this.#p.streamingUploads;
  }

  get clockOffsetMs(): number {
    return this.#p.clockOffsetMs;
  }

  static {
    const proto = this.prototype as unknown as Record<string, unknown>;
    for (const [name, area] of Object.entries(DELEGATES)) {
      proto[name] = async function (this: BosClient, ...args: unknown[]) {
        const mod = (await area()) as unknown as Record<string, (...a: unknown[]) => unknown>;
        return await mod[name](this.#p, ...args);
      };
    }
    for (const name of ITERATORS) {
      proto[name] = async function* (this: BosClient, ...args: unknown[]) {
        const mod = (await listing()) as unknown as Record<
          string,
          (...a: unknown[]) => AsyncIterable<unknown>
        >;
        yield* mod[name](this, ...args);
      };
    }
    proto.appender = function (
      this: BosClientApi,
      bucket: string,
      key: string,
      options: AppenderOptions = {},
    ) {
      return new Appender(this, bucket, key, options);
    };
    proto.putObjectFromFile = function (this: BosClientApi, ...args: Parameters<BosClientApi["uploadFile"]>) {
      return this.uploadFile(...args);
    };
  }
} as unknown as BosClientConstructor;

/** The instance type, for the installed methods (the class expression above shadows the name). */
type BosClientApi = BosClient;
