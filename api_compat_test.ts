// The public API of 2026-11 (before the layout of issue 13), recorded with `deno doc --json` from
// mod.ts, server/mod.ts and conformance/mod.ts: every name is imported by name from its entry point,
// and the important ones are used with their documented signatures, so a refactoring that drops or
// changes one fails type-checking here. Deprecated names stay: this file is the promise that code
// written against that API still compiles.
import assert from "node:assert/strict";
import {
  Appender,
  backoffDelay,
  BosClient,
  BosError,
  canonicalHeaders,
  canonicalQueryString,
  canonicalRequest,
  canonicalUri,
  constantTimeEqual,
  copyLarge,
  crcToDecimal,
  createAuthorization,
  createIncrementalHash,
  DEFAULT_EXPIRATION_SECONDS,
  DEFAULT_PART_SIZE,
  DEFAULT_PROFILE,
  DEFAULT_RETRY,
  download,
  downloadFile,
  ERROR_CODES,
  formatTimestamp,
  fromBase64,
  fromHeaderByteString,
  GiB,
  growingCapacity,
  growingPartSize,
  growingSchedule,
  hash,
  isClockSkewError,
  isRejectedUnprocessed,
  isStorageClass,
  isTransientError,
  isValidBucketName,
  isWellFormedPercentEncoding,
  KiB,
  listAllEntries,
  listAllMultipartUploads,
  listAllObjects,
  listAllParts,
  listAllPrefixes,
  listObjectPages,
  makeProfile,
  META_PREFIX,
  MiB,
  parseAuthorization,
  parseTimestamp,
  partOf,
  planPartList,
  planParts,
  presignUrl,
  resolveRetryOptions,
  signingKey,
  STORAGE_CLASSES,
  toBase64,
  toHeaderByteString,
  toHex,
  TRANSIENT_CLIENT_CODES,
  trimHeaderByteString,
  UNKNOWN_LENGTH_TARGET,
  upload,
  uploadFile,
  uriEncode,
  userMetadataSize,
  utf8Length,
  verifyAuthorization,
} from "./mod.ts";
import type {
  Addressing,
  AppenderOptions,
  AppendObjectOptions,
  AppendObjectResult,
  AuthorizationInput,
  BodyInput,
  BosClientOptions,
  BosErrorCode,
  BosErrorInit,
  BosProfile,
  BucketSummary,
  ByteRange,
  CanonicalHeaders,
  CheckpointPart,
  CheckpointPlan,
  CompletedPart,
  CompleteMultipartUploadOptions,
  CompleteMultipartUploadResult,
  CopyLargeOptions,
  CopyObjectOptions,
  CopyObjectResult,
  CreateBucketOptions,
  Credentials,
  DeleteObjectsOptions,
  DeleteObjectsResult,
  DownloadFileOptions,
  DownloadOptions,
  FetchLike,
  GetObjectOptions,
  GetObjectResult,
  GrowingPartSchedule,
  HashAlgorithm,
  HeadersInput,
  HeadObjectOptions,
  IncrementalHash,
  InitiateMultipartUploadOptions,
  InitiateMultipartUploadResult,
  Integrity,
  ListBucketsResult,
  ListEntry,
  ListMultipartUploadsOptions,
  ListMultipartUploadsResult,
  ListObjectsOptions,
  ListObjectsResult,
  ListPartsOptions,
  ListPartsResult,
  ObjectHeaderOptions,
  ObjectLister,
  ObjectMeta,
  ObjectSummary,
  ParsedAuthorization,
  PartLister,
  PartPlan,
  PartPlanOptions,
  PartSummary,
  PlannedPart,
  PresignInput,
  PresignOptions,
  ProgressEvent,
  PutObjectOptions,
  PutObjectResult,
  QueryInput,
  ReadConditions,
  RequestOptions,
  ResolvedRetryOptions,
  ResponseOverrides,
  RetryOptions,
  SignableRequest,
  SourceFingerprint,
  StorageClass,
  UploadCheckpoint,
  UploadFileOptions,
  UploadLister,
  UploadOptions,
  UploadPartCopyOptions,
  UploadPartOptions,
  UploadPartResult,
  UploadResult,
  UploadSummary,
  VerifyFailureReason,
  VerifyInput,
  VerifyResult,
} from "./mod.ts";
import {
  authenticate,
  createHandler,
  createMemoryStore,
  FaultRegistry,
  LOCAL_CREDENTIALS,
  openFsStore,
  OPERATIONS,
  parseFault,
  parseQuery,
  percentDecode,
  resolveOperation,
  resolveTarget,
  serve,
  splitRawUrl,
  UNSUPPORTED_SUBRESOURCES,
} from "./server/mod.ts";
import type {
  AuthRequest,
  BlobSink,
  BosHandler,
  BucketRecord,
  ConsumedFault,
  Credential,
  Fault,
  FaultMatch,
  FaultPlan,
  FaultRequest,
  HandlerInfo,
  ObjectHeaders,
  ObjectRecord,
  Operation,
  PartRecord,
  Query,
  RawTarget,
  RunningServer,
  Segment,
  ServeOptions,
  ServerOptions,
  Store,
  Target,
  UploadRecord,
} from "./server/mod.ts";
import {
  ABSENT,
  appendModel,
  checkRecord,
  compareUtf8,
  deleteModel,
  expectedMetadata,
  formatJson,
  formatJunit,
  formatPretty,
  formatReport,
  listAll,
  listChecks,
  listPage,
  listPartsPage,
  metadataSizeModel,
  putModel,
  randomCredentials,
  REPORTERS,
  runConformance,
  selectChecks,
  SUITES,
} from "./conformance/mod.ts";
import type {
  AppendableState,
  AppendOutcome,
  CheckInfo,
  CheckResult,
  CheckStatus,
  ConformanceOptions,
  Exchange,
  Finding,
  ListParams,
  ModelPage,
  PartsPage,
  Report,
  ReporterName,
  ReportSummary,
  SuiteName,
} from "./conformance/mod.ts";
import type { BosProfile as ServerBosProfile } from "./server/mod.ts";
import type { BosProfile as KitBosProfile } from "./conformance/mod.ts";
import type { Credentials as KitCredentials } from "./conformance/mod.ts";
import type { ListEntry as KitListEntry } from "./conformance/mod.ts";
import * as clientModule from "./mod.ts";
import * as serverModule from "./server/mod.ts";
import * as kitModule from "./conformance/mod.ts";

/** The run-time names of each entry point in 2026-11. */
const CLIENT_VALUES = [
  "Appender",
  "BosClient",
  "BosError",
  "DEFAULT_EXPIRATION_SECONDS",
  "DEFAULT_PART_SIZE",
  "DEFAULT_PROFILE",
  "DEFAULT_RETRY",
  "ERROR_CODES",
  "GiB",
  "KiB",
  "META_PREFIX",
  "MiB",
  "STORAGE_CLASSES",
  "TRANSIENT_CLIENT_CODES",
  "UNKNOWN_LENGTH_TARGET",
  "backoffDelay",
  "canonicalHeaders",
  "canonicalQueryString",
  "canonicalRequest",
  "canonicalUri",
  "constantTimeEqual",
  "copyLarge",
  "crcToDecimal",
  "createAuthorization",
  "createIncrementalHash",
  "download",
  "downloadFile",
  "formatTimestamp",
  "fromBase64",
  "fromHeaderByteString",
  "growingCapacity",
  "growingPartSize",
  "growingSchedule",
  "hash",
  "isClockSkewError",
  "isRejectedUnprocessed",
  "isStorageClass",
  "isTransientError",
  "isValidBucketName",
  "isWellFormedPercentEncoding",
  "listAllEntries",
  "listAllMultipartUploads",
  "listAllObjects",
  "listAllParts",
  "listAllPrefixes",
  "listObjectPages",
  "makeProfile",
  "parseAuthorization",
  "parseTimestamp",
  "partOf",
  "planPartList",
  "planParts",
  "presignUrl",
  "resolveRetryOptions",
  "signingKey",
  "toBase64",
  "toHeaderByteString",
  "toHex",
  "trimHeaderByteString",
  "upload",
  "uploadFile",
  "uriEncode",
  "userMetadataSize",
  "utf8Length",
  "verifyAuthorization",
] as const;
const SERVER_VALUES = [
  "FaultRegistry",
  "LOCAL_CREDENTIALS",
  "OPERATIONS",
  "UNSUPPORTED_SUBRESOURCES",
  "authenticate",
  "createHandler",
  "createMemoryStore",
  "openFsStore",
  "parseFault",
  "parseQuery",
  "percentDecode",
  "resolveOperation",
  "resolveTarget",
  "serve",
  "splitRawUrl",
] as const;
const KIT_VALUES = [
  "ABSENT",
  "REPORTERS",
  "SUITES",
  "appendModel",
  "checkRecord",
  "compareUtf8",
  "deleteModel",
  "expectedMetadata",
  "formatJson",
  "formatJunit",
  "formatPretty",
  "formatReport",
  "listAll",
  "listChecks",
  "listPage",
  "listPartsPage",
  "metadataSizeModel",
  "putModel",
  "randomCredentials",
  "runConformance",
  "selectChecks",
] as const;
/** The type names of each entry point in 2026-11 (each is imported above, so a missing one fails `deno check`). */
const CLIENT_TYPES = [
  "Addressing",
  "AppendObjectOptions",
  "AppendObjectResult",
  "AppenderOptions",
  "AuthorizationInput",
  "BodyInput",
  "BosClientOptions",
  "BosErrorCode",
  "BosErrorInit",
  "BosProfile",
  "BucketSummary",
  "ByteRange",
  "CanonicalHeaders",
  "CheckpointPart",
  "CheckpointPlan",
  "CompleteMultipartUploadOptions",
  "CompleteMultipartUploadResult",
  "CompletedPart",
  "CopyLargeOptions",
  "CopyObjectOptions",
  "CopyObjectResult",
  "CreateBucketOptions",
  "Credentials",
  "DeleteObjectsOptions",
  "DeleteObjectsResult",
  "DownloadFileOptions",
  "DownloadOptions",
  "FetchLike",
  "GetObjectOptions",
  "GetObjectResult",
  "GrowingPartSchedule",
  "HashAlgorithm",
  "HeadObjectOptions",
  "HeadersInput",
  "IncrementalHash",
  "InitiateMultipartUploadOptions",
  "InitiateMultipartUploadResult",
  "Integrity",
  "ListBucketsResult",
  "ListEntry",
  "ListMultipartUploadsOptions",
  "ListMultipartUploadsResult",
  "ListObjectsOptions",
  "ListObjectsResult",
  "ListPartsOptions",
  "ListPartsResult",
  "ObjectHeaderOptions",
  "ObjectLister",
  "ObjectMeta",
  "ObjectSummary",
  "ParsedAuthorization",
  "PartLister",
  "PartPlan",
  "PartPlanOptions",
  "PartSummary",
  "PlannedPart",
  "PresignInput",
  "PresignOptions",
  "ProgressEvent",
  "PutObjectOptions",
  "PutObjectResult",
  "QueryInput",
  "ReadConditions",
  "RequestOptions",
  "ResolvedRetryOptions",
  "ResponseOverrides",
  "RetryOptions",
  "SignableRequest",
  "SourceFingerprint",
  "StorageClass",
  "UploadCheckpoint",
  "UploadFileOptions",
  "UploadLister",
  "UploadOptions",
  "UploadPartCopyOptions",
  "UploadPartOptions",
  "UploadPartResult",
  "UploadResult",
  "UploadSummary",
  "VerifyFailureReason",
  "VerifyInput",
  "VerifyResult",
] as const;
const SERVER_TYPES = [
  "AuthRequest",
  "BlobSink",
  "BosHandler",
  "BosProfile",
  "BucketRecord",
  "ConsumedFault",
  "Credential",
  "Fault",
  "FaultMatch",
  "FaultPlan",
  "FaultRequest",
  "HandlerInfo",
  "ObjectHeaders",
  "ObjectRecord",
  "Operation",
  "PartRecord",
  "Query",
  "RawTarget",
  "RunningServer",
  "Segment",
  "ServeOptions",
  "ServerOptions",
  "Store",
  "Target",
  "UploadRecord",
] as const;
const KIT_TYPES = [
  "AppendOutcome",
  "AppendableState",
  "BosProfile",
  "CheckInfo",
  "CheckResult",
  "CheckStatus",
  "ConformanceOptions",
  "Credentials",
  "Exchange",
  "Finding",
  "ListEntry",
  "ListParams",
  "ModelPage",
  "PartsPage",
  "Report",
  "ReportSummary",
  "ReporterName",
  "SuiteName",
] as const;

/**
 * Uses the public API the way users wrote it in 2026-11. Never called: it only has to type-check
 * (each assignment pins a parameter or result type).
 */
async function compiles(): Promise<void> {
  const credentials: Credentials = { accessKeyId: "ak", secretAccessKey: "sk", sessionToken: undefined };
  const fetchLike: FetchLike = (input, init) => fetch(input, init);
  const addressing: Addressing = "virtual-host";
  const retry: RetryOptions = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000, deadlineMs: 10_000 };
  const profile: Readonly<BosProfile> = makeProfile({ minPartSize: 5 * MiB });
  const options: BosClientOptions = {
    endpoint: "https://bj.bcebos.com",
    credentials,
    region: "bj",
    addressing,
    retry,
    timeoutMs: 1000,
    fetch: fetchLike,
    profile,
    now: () => new Date(),
    streamingUploads: false,
  };
  const client = new BosClient(options);
  const endpoint: { protocol: string; host: string; addressing: "path" | "virtual-host"; region?: string } =
    client.endpoint;
  const offset: number = client.clockOffsetMs;
  const clientProfile: Readonly<BosProfile> = client.profile;
  const streaming: boolean = client.streamingUploads;
  const signal = AbortSignal.timeout(1000);
  const request: RequestOptions = { signal };

  // Buckets.
  const createOptions: CreateBucketOptions = { enableMultiAz: true, signal };
  const created: { location?: string } = await client.createBucket("b", createOptions);
  await client.headBucket("b", request);
  await client.deleteBucket("b", request);
  const buckets: ListBucketsResult = await client.listBuckets(request);
  const bucket: BucketSummary | undefined = buckets.buckets[0];
  const location: string = await client.getBucketLocation("b", request);

  // Objects.
  const body: BodyInput = new Uint8Array(1);
  const headerOptions: ObjectHeaderOptions = {
    contentType: "text/plain",
    contentDisposition: "inline",
    cacheControl: "no-cache",
    contentEncoding: "identity",
    expires: new Date(),
    userMeta: { a: "b" },
    storageClass: "STANDARD_IA",
  };
  const onProgress = (e: ProgressEvent) => void [e.increment, e.transferred, e.total];
  const putOptions: PutObjectOptions = {
    ...headerOptions,
    contentMD5: true,
    crc32c: true,
    crc32: "123",
    contentLength: 1,
    ifNoneMatch: "*",
    ifMatch: "e",
    onProgress,
    signal,
  };
  const put: PutObjectResult = await client.putObject("b", "k", body, putOptions);
  const putEtag: string = put.etag;
  const fromFile: UploadResult = await client.putObjectFromFile("b", "k", "/tmp/x", { partSize: MiB });
  const conditions: ReadConditions = { ifMatch: "e", ifNoneMatch: "e", ifModifiedSince: new Date() };
  const range: ByteRange = { start: 0, end: 9 };
  const overrides: ResponseOverrides = { contentType: "text/plain", contentDisposition: "attachment" };
  const getOptions: GetObjectOptions = { ...conditions, range, response: overrides, signal };
  const got: GetObjectResult = await client.getObject("b", "k", getOptions);
  const text: string = await got.text();
  const bytes: Uint8Array = await got.bytes();
  const stream: ReadableStream<Uint8Array> = got.body;
  const headOptions: HeadObjectOptions = { ...conditions, signal };
  const meta: ObjectMeta = await client.headObject("b", "k", headOptions);
  const userMeta: Record<string, string> = meta.userMeta;
  await client.deleteObject("b", "k", request);
  const deleteOptions: DeleteObjectsOptions = { signal };
  const deleted: DeleteObjectsResult = await client.deleteObjects("b", ["k"], deleteOptions);
  const copyOptions: CopyObjectOptions = { ...headerOptions, metadataDirective: "replace", ifMatch: "e" };
  const copied: CopyObjectResult = await client.copyObject("a", "k", "b", "k", copyOptions);
  const appendOptions: AppendObjectOptions = { ...headerOptions, offset: 0, contentMD5: true, signal };
  const appended: AppendObjectResult = await client.appendObject("b", "k", "text", appendOptions);
  // `number | undefined` since issue 14: unknown when the answer lacks x-bce-next-append-offset (never guessed).
  const next: number | undefined = appended.nextAppendOffset;
  const presignOptions: PresignOptions = {
    method: "PUT",
    expirationInSeconds: 60,
    query: { a: "b" },
    headers: { "content-type": "text/plain" },
    timestamp: new Date(),
  };
  const presigned: string = await client.presignUrl("b", "k", presignOptions);

  // Multipart.
  const initOptions: InitiateMultipartUploadOptions = { ...headerOptions, signal };
  const init: InitiateMultipartUploadResult = await client.initiateMultipartUpload("b", "k", initOptions);
  const partOptions: UploadPartOptions = { contentMD5: true, crc32c: true, crc32: true, onProgress, signal };
  const part: UploadPartResult = await client.uploadPart("b", "k", init.uploadId, 1, "x", partOptions);
  const partCopyOptions: UploadPartCopyOptions = { range: { start: 0, end: 1 }, ifMatch: "e", signal };
  const partCopy: CopyObjectResult = await client.uploadPartCopy(
    "a",
    "k",
    "b",
    "k",
    "id",
    2,
    partCopyOptions,
  );
  const completed: CompletedPart[] = [part, { partNumber: 2, etag: partCopy.etag }];
  const completeOptions: CompleteMultipartUploadOptions = { userMeta: {}, crc32: "1", ifNoneMatch: "*" };
  const done: CompleteMultipartUploadResult = await client.completeMultipartUpload(
    "b",
    "k",
    "id",
    completed,
    completeOptions,
  );
  await client.abortMultipartUpload("b", "k", "id", request);
  const partsOptions: ListPartsOptions = { partNumberMarker: 1, maxParts: 10, signal };
  const parts: ListPartsResult = await client.listParts("b", "k", "id", partsOptions);
  const partSummary: PartSummary | undefined = parts.parts[0];
  const uploadsOptions: ListMultipartUploadsOptions = { prefix: "p", delimiter: "/", keyMarker: "m" };
  const uploads: ListMultipartUploadsResult = await client.listMultipartUploads("b", uploadsOptions);
  const uploadSummary: UploadSummary | undefined = uploads.uploads[0];

  // Listing.
  const listOptions: ListObjectsOptions = { prefix: "p", delimiter: "/", marker: "m", maxKeys: 10, signal };
  const page: ListObjectsResult = await client.listObjects("b", listOptions);
  const summary: ObjectSummary | undefined = page.contents[0];
  for await (const o of client.listAllObjects("b", listOptions)) void (o satisfies ObjectSummary);
  for await (const p of client.listAllPrefixes("b", listOptions)) void (p satisfies string);
  for await (const e of client.listAllEntries("b", listOptions)) void (e satisfies ListEntry);
  for await (const p of client.listAllParts("b", "k", "id", partsOptions)) void (p satisfies PartSummary);
  for await (const u of client.listAllMultipartUploads("b", uploadsOptions)) void (u satisfies UploadSummary);
  const objectLister: ObjectLister = client;
  const partLister: PartLister = client;
  const uploadLister: UploadLister = client;
  for await (const p of listObjectPages(objectLister, "b", listOptions)) void (p satisfies ListObjectsResult);
  for await (const o of listAllObjects(objectLister, "b")) void (o satisfies ObjectSummary);
  for await (const p of listAllPrefixes(objectLister, "b")) void (p satisfies string);
  for await (const e of listAllEntries(objectLister, "b")) void (e satisfies ListEntry);
  for await (const p of listAllParts(partLister, "b", "k", "id")) void (p satisfies PartSummary);
  for await (const u of listAllMultipartUploads(uploadLister, "b")) void (u satisfies UploadSummary);

  // The upload engine, the appender, the large copy, downloads.
  const integrity: Integrity = "crc32c";
  const uploadOptions: UploadOptions = {
    ...headerOptions,
    partSize: MiB,
    maxPartSize: GiB,
    concurrency: 2,
    size: 10,
    multipartThreshold: MiB,
    onProgress,
    onCheckpoint: (c: UploadCheckpoint) => void c,
    abortOnFailure: true,
    integrity,
    integrityRetries: 1,
    sourceId: "id",
    signal,
  };
  const uploaded: UploadResult = await client.upload("b", "k", body, uploadOptions);
  const fileOptions: UploadFileOptions = { partSize: MiB, concurrency: 2 };
  const uploadedFile: UploadResult = await client.uploadFile("b", "k", "/tmp/x", fileOptions);
  const checkpoint: UploadCheckpoint = {
    version: 1,
    bucket: "b",
    key: "k",
    uploadId: "id",
    plan: { kind: "fixed", size: 1, partSize: 1, partCount: 1 } satisfies CheckpointPlan,
    integrity: "crc32",
    source: { kind: "file", size: 1, mtimeMs: 0 } satisfies SourceFingerprint,
    parts: [{ partNumber: 1, etag: "e", size: 1, crc32: "0" } satisfies CheckpointPart],
  };
  const resumed: UploadResult = await upload(client, "b", "k", body, {
    ...uploadOptions,
    resume: checkpoint,
  });
  const resumedFile: UploadResult = await uploadFile(client, "b", "k", "/tmp/x", fileOptions);
  const appenderOptions: AppenderOptions = { offset: 0, contentType: "text/plain" };
  const appender: Appender = client.appender("b", "k", appenderOptions);
  const direct: Appender = new Appender(client, "b", "k", appenderOptions);
  const appenderOffset: number | undefined = direct.offset;
  const appendedLine: AppendObjectResult = await appender.append("line\n", request);
  const copyLargeOptions: CopyLargeOptions = { ...headerOptions, partSize: MiB, concurrency: 2 };
  const copiedLarge: CopyObjectResult = await client.copyLarge("a", "k", "b", "k", copyLargeOptions);
  const copiedLarge2: CopyObjectResult = await copyLarge(client, "a", "k", "b", "k", copyLargeOptions);
  const downloadOptions: DownloadOptions = { range, maxResumes: 2, idleTimeoutMs: 1000, signal };
  const downloaded: GetObjectResult = await client.download("b", "k", downloadOptions);
  const downloaded2: GetObjectResult = await download(client, "b", "k", downloadOptions);
  const downloadFileOptions: DownloadFileOptions = { resume: true, ifMatch: "e", maxResumes: 1 };
  const file: { bytes: number; etag: string } = await client.downloadFile(
    "b",
    "k",
    "/tmp/x",
    downloadFileOptions,
  );
  const file2: { bytes: number; etag: string } = await downloadFile(client, "b", "k", "/tmp/x");

  // Part planning.
  const planOptions: PartPlanOptions = { partSize: MiB, profile };
  const plan: PartPlan = planParts(10 * MiB, planOptions);
  const planned: PlannedPart = partOf(plan, 1);
  const list: PlannedPart[] = planPartList(plan);
  const schedule: GrowingPartSchedule = growingSchedule(planOptions);
  const grown: number = growingPartSize(schedule, 2) + growingCapacity(schedule, 3) +
    growingCapacity(schedule);
  const defaults: number = DEFAULT_PART_SIZE + UNKNOWN_LENGTH_TARGET + KiB;

  // Errors and retries.
  const code: BosErrorCode = "NoSuchKey";
  const errorInit: BosErrorInit = { status: 404, code, message: "m", requestId: "r", debugId: "d", cause: 1 };
  const error = new BosError(errorInit);
  const fields: [number, string, string | undefined, string | undefined] = [
    error.status,
    error.code,
    error.requestId,
    error.debugId,
  ];
  const statusOfCode: number = ERROR_CODES.NoSuchKey.status;
  const resolved: ResolvedRetryOptions = resolveRetryOptions(retry);
  const delay: number = backoffDelay(1, DEFAULT_RETRY, Math.random) + backoffDelay(2, resolved);
  const flags: boolean[] = [isTransientError(error), isRejectedUnprocessed(error), isClockSkewError(error)];
  const transient: readonly string[] = TRANSIENT_CLIENT_CODES;

  // Limits, metadata, hashing.
  const storageClass: StorageClass = STORAGE_CLASSES[0];
  const limitChecks: boolean[] = [isStorageClass("COLD"), isValidBucketName("my-bucket")];
  const lengths: number = utf8Length("é") + userMetadataSize({ a: "b" }) + userMetadataSize(new Headers()) +
    DEFAULT_PROFILE.maxKeyLength;
  const byteStrings: string[] = [
    toHeaderByteString("é"),
    fromHeaderByteString("\xc3\xa9"),
    trimHeaderByteString(" a "),
    META_PREFIX,
  ];
  const algorithm: HashAlgorithm = "md5";
  const incremental: IncrementalHash = await createIncrementalHash(algorithm);
  incremental.update(new Uint8Array(1));
  const twin: IncrementalHash = await incremental.copy();
  const digests: string[] = [
    toHex(twin.digest()),
    toBase64(await hash("sha256", "text")),
    crcToDecimal(await hash("crc32", new Uint8Array(1))),
  ];
  const decoded: Uint8Array | undefined = fromBase64("AA==");

  // Signing.
  const query: QueryInput = { uploads: null };
  const headers: HeadersInput = { host: "bj.bcebos.com" };
  const signable: SignableRequest = { method: "GET", path: "/", query, headers, headersToSign: ["host"] };
  const canonical: CanonicalHeaders = canonicalHeaders(headers, ["host"]);
  const canonicalText: string[] = [
    canonicalRequest(signable),
    canonicalQueryString(query),
    canonicalUri("/a b"),
    uriEncode("a b", true),
    uriEncode(new Uint8Array(1)),
    formatTimestamp(new Date()),
  ];
  const wellFormed: boolean = isWellFormedPercentEncoding("%20");
  const timestamp: Date | undefined = parseTimestamp("2014-06-13T05:57:36Z");
  const authorizationInput: AuthorizationInput = {
    ...signable,
    accessKeyId: "ak",
    secretAccessKey: "sk",
    timestamp: new Date(),
    expirationInSeconds: DEFAULT_EXPIRATION_SECONDS,
  };
  const authorization: string = await createAuthorization(authorizationInput);
  const key: string = await signingKey("sk", "bce-auth-v1/ak/2014-06-13T05:57:36Z/1800");
  const presignInput: PresignInput = {
    accessKeyId: "ak",
    secretAccessKey: "sk",
    sessionToken: "t",
    method: "GET",
    url: "https://bj.bcebos.com/b/k",
    timestamp: new Date(),
    expirationInSeconds: 60,
    headers: { a: "b" },
  };
  const url: string = await presignUrl(presignInput);
  const parsed: ParsedAuthorization | undefined = parseAuthorization(authorization);
  const verifyInput: VerifyInput = {
    method: "GET",
    path: "/",
    authorization,
    lookupSecret: () => "sk",
    now: new Date(),
    clockSkewSeconds: 900,
  };
  const verified: VerifyResult = await verifyAuthorization(verifyInput);
  const reason: VerifyFailureReason | undefined = verified.ok ? undefined : verified.reason;
  const equal: boolean = constantTimeEqual("a", "b");

  // The server.
  const serverCredential: Credential = { ...LOCAL_CREDENTIALS, sessionToken: undefined };
  const store: Store = createMemoryStore();
  const fsStore: Store = await openFsStore("/tmp/x");
  const serverProfile: ServerBosProfile = DEFAULT_PROFILE;
  const serverOptions: ServerOptions = {
    credentials: [serverCredential],
    region: "bj",
    dataDir: undefined,
    store,
    profile: serverProfile,
    faults: true,
    now: () => new Date(),
    baseDomain: "localhost",
    clockSkewSeconds: 900,
    owner: { id: "o", displayName: "d" },
    onInternalError: (err: unknown, req: Request) => void [err, req],
  };
  const handler: BosHandler = createHandler(serverOptions);
  const info: HandlerInfo = { signal };
  const response: Response = await handler(new Request("http://127.0.0.1/"), info);
  await handler.ready;
  await handler.reset();
  const registry: FaultRegistry | undefined = handler.faults ?? new FaultRegistry();
  const planId: string | undefined = registry?.register({ faults: ["500"] });
  const fault: Fault | undefined = parseFault("503");
  const faultRequest: FaultRequest = { method: "GET", operation: "GetObject", path: "/b/k" };
  const match: FaultMatch = { method: "GET", operation: "GetObject", bucket: "b", key: "k", partNumber: 1 };
  const faultPlans: FaultPlan[] = registry?.list() ?? [];
  const consumed: ConsumedFault[] = faultPlans[0]?.consumed ?? [];
  const serveOptions: ServeOptions = { ...serverOptions, hostname: "127.0.0.1", port: 0 };
  const running: RunningServer = await serve(serveOptions);
  const runningFields: [string, string, number, BosHandler] = [
    running.url,
    running.hostname,
    running.port,
    running.handler,
  ];
  await running.close();
  await handler.close();
  const raw: RawTarget = splitRawUrl("http://h/b/k?uploads");
  const parsedQuery: Query = parseQuery(raw.query);
  const target: Target = resolveTarget("h", raw.path, "localhost");
  const operation: Operation = resolveOperation("POST", target, parsedQuery, new Headers());
  const operations: readonly Operation[] = OPERATIONS;
  const unsupported: ReadonlySet<string> = UNSUPPORTED_SUBRESOURCES;
  const decodedText: string | undefined = percentDecode("a%20b");
  const authRequest: AuthRequest = { method: "GET", path: "/", query: "", headers: new Headers() };
  const accessKey: string = await authenticate(authRequest, [serverCredential], new Date(), 900);
  const records: [
    BlobSink | undefined,
    BucketRecord | undefined,
    ObjectHeaders | undefined,
    ObjectRecord | undefined,
    PartRecord | undefined,
    Segment | undefined,
    UploadRecord | undefined,
  ] = [undefined, undefined, undefined, undefined, undefined, undefined, undefined];

  // The conformance kit.
  const kitCredentials: KitCredentials = randomCredentials();
  const conformanceOptions: ConformanceOptions = {
    endpoint: "http://127.0.0.1:8080",
    credentials: kitCredentials,
    only: ["signing"],
    skip: [],
    seed: 1,
    numRuns: 5,
    profile: DEFAULT_PROFILE satisfies KitBosProfile,
  };
  const report: Report = await runConformance(conformanceOptions);
  const reportSummary: ReportSummary = report.summary;
  const results: CheckResult[] = report.results;
  const status: CheckStatus | undefined = results[0]?.status;
  const exchange: Exchange | undefined = results[0]?.exchange;
  const findings: Finding[] = results[0]?.findings ?? [];
  const checks: CheckInfo[] = listChecks();
  const selected: { ids: string[]; unknown: string[] } = selectChecks(["signing"], []);
  const suite: SuiteName = SUITES[0];
  const reporter: ReporterName = REPORTERS[0];
  const formatted: string[] = [
    formatReport(report, reporter),
    formatPretty(report),
    formatJson(report),
    formatJunit(report),
  ];
  const record: Record<string, unknown> | undefined = results[0] ? checkRecord(results[0]) : undefined;
  const listParams: ListParams = { prefix: "a", delimiter: "/", marker: "", maxKeys: 10 };
  const modelPage: ModelPage = listPage(["a", "b"], listParams);
  const modelEntries: KitListEntry[] = listAll(["a"], listParams);
  const partsPage: PartsPage = listPartsPage([1, 2], 0, 10);
  const order: number = compareUtf8("a", "b");
  const state: AppendableState = ABSENT;
  const outcome: { outcome: AppendOutcome; state: AppendableState } = appendModel(
    state,
    new Uint8Array(1),
    0,
  );
  const afterPut: AppendableState = putModel(new Uint8Array(1));
  const afterDelete = deleteModel(afterPut);
  const expected: Map<string, Uint8Array> = expectedMetadata([["a", "b"]]);
  const metaSize: number = metadataSizeModel([["a", "b"]]);

  void [created, bucket, location, putEtag, fromFile, text, bytes, stream, userMeta, deleted, copied, next];
  void [presigned, done, partSummary, uploadSummary, summary, uploaded, uploadedFile, resumed, resumedFile];
  void [appenderOffset, appendedLine, copiedLarge, copiedLarge2, downloaded, downloaded2, file, file2];
  void [planned, list, grown, defaults, fields, statusOfCode, delay, flags, transient, storageClass];
  void [limitChecks, lengths, byteStrings, digests, decoded, canonical, canonicalText, wellFormed, timestamp];
  void [key, url, parsed, reason, equal, fsStore, response, planId, fault, faultRequest, match, consumed];
  void [runningFields, operation, operations, unsupported, decodedText, accessKey, records, reportSummary];
  void [status, exchange, findings, checks, selected, suite, formatted, record, modelPage, modelEntries];
  void [
    partsPage,
    order,
    outcome,
    afterDelete,
    expected,
    metaSize,
    endpoint,
    offset,
    clientProfile,
    streaming,
  ];
}

Deno.test("api compatibility: every run-time export of 2026-11 is still exported by name", () => {
  const missing = (module: Record<string, unknown>, names: readonly string[]) =>
    names.filter((name) => module[name] === undefined);
  assert.deepEqual(missing(clientModule, CLIENT_VALUES), []);
  assert.deepEqual(missing(serverModule, SERVER_VALUES), []);
  assert.deepEqual(missing(kitModule, KIT_VALUES), []);
  // The type names are pinned by the `import type` lines above; this keeps the lists in use.
  assert.ok(CLIENT_TYPES.length + SERVER_TYPES.length + KIT_TYPES.length > 100);
  assert.equal(typeof compiles, "function");
});

Deno.test("api compatibility: the deprecated free functions still work like the methods", async () => {
  const server = await serve();
  try {
    const client = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
    await client.createBucket("compat");
    const r = await upload(client, "compat", "a.txt", "hello");
    assert.equal(r.size, 5);
    const keys: string[] = [];
    for await (const o of listAllObjects(client, "compat")) keys.push(o.key);
    assert.deepEqual(keys, ["a.txt"]);
    const copied = await copyLarge(client, "compat", "a.txt", "compat", "b.txt");
    assert.equal(copied.etag, r.etag);
    assert.equal(await (await download(client, "compat", "b.txt")).text(), "hello");
    const log = new Appender(client, "compat", "log.txt");
    await log.append("line\n");
    assert.equal(log.offset, 5);
  } finally {
    await server.close();
  }
});
