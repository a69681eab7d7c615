/**
 * Offsets: AppendObject sequences against a model of length and content, next-append-offset, ranged
 * GETs and UploadPartCopy ranges.
 *
 * @module
 */
import fc from "fast-check";
import { uriEncode } from "../../protocol/encoding.ts";
import { type CheckContext, type CheckDef, ensure, LawViolation } from "../_check.ts";
import type { HttpResponse } from "../_http.ts";
import {
  bytesEqual,
  complete,
  describeDifference,
  errorOf,
  expectError,
  expectOk,
  expectStatus,
  md5Hex,
  mustPut,
  seen,
  sendOperation,
  unquote,
  withUpload,
} from "../_ops.ts";
import {
  ABSENT,
  type AppendableState,
  appendModel,
  type AppendOutcome,
  deleteModel,
  putModel,
} from "../model/appendable.ts";

const suite = "offsets" as const;

interface Real {
  ctx: CheckContext;
  key: string;
}

interface Model {
  state: AppendableState;
}

function append(real: Real, data: Uint8Array, offset?: number): Promise<HttpResponse> {
  return sendOperation(real.ctx.http, "AppendObject", { key: real.key, query: { offset }, body: data });
}

function expectOutcome(res: HttpResponse, outcome: AppendOutcome, what: string): void {
  if (outcome === "ok") return expectOk(res, what);
  const status = outcome === "NoSuchKey" ? 404 : outcome === "ObjectUnappendable" ? 403 : 409;
  expectError(res, status, outcome, what);
}

function nextOffset(res: HttpResponse, expected: number, what: string): void {
  const header = res.headers.get("x-bce-next-append-offset");
  ensure(
    header === String(expected),
    `${what}: x-bce-next-append-offset is ${
      header === null ? "missing" : JSON.stringify(header)
    }, expected ${expected}`,
    res.exchange,
  );
}

const hex = (d: Uint8Array) =>
  d.length <= 16 ? [...d].map((b) => b.toString(16).padStart(2, "0")).join("") : `${d.length} bytes`;

class AppendCreate implements fc.AsyncCommand<Model, Real> {
  constructor(readonly data: Uint8Array) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const res = await append(r, this.data);
    const next = appendModel(m.state, this.data, undefined);
    expectOutcome(res, next.outcome, "AppendObject without offset");
    nextOffset(res, next.state.content.length, "AppendObject without offset");
    m.state = next.state;
  }
  toString = () => `appendCreate(${hex(this.data)})`;
}

class AppendAt implements fc.AsyncCommand<Model, Real> {
  constructor(readonly data: Uint8Array, readonly delta: number) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const offset = Math.max(0, m.state.content.length + this.delta);
    const res = await append(r, this.data, offset);
    const next = appendModel(m.state, this.data, offset);
    expectOutcome(res, next.outcome, `AppendObject at offset ${offset} (length ${m.state.content.length})`);
    if (next.outcome === "ok") nextOffset(res, next.state.content.length, `AppendObject at offset ${offset}`);
    m.state = next.state;
  }
  toString = () => `appendAt(length${this.delta >= 0 ? "+" : ""}${this.delta}, ${hex(this.data)})`;
}

class PutNormal implements fc.AsyncCommand<Model, Real> {
  constructor(readonly data: Uint8Array) {}
  check = () => true;
  async run(m: Model, r: Real) {
    expectOk(await r.ctx.http.send({ method: "PUT", key: r.key, body: this.data }), "PutObject");
    m.state = putModel(this.data);
  }
  toString = () => `put(${hex(this.data)})`;
}

class Delete implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(m: Model, r: Real) {
    const res = await r.ctx.http.send({ method: "DELETE", key: r.key });
    const next = deleteModel(m.state);
    if (next.outcome === "ok") expectStatus(res, [200, 204], "DeleteObject");
    else expectStatus(res, 404, "DeleteObject of a missing key");
    m.state = next.state;
  }
  toString = () => "delete()";
}

class Verify implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(m: Model, r: Real) {
    const head = await r.ctx.http.send({ method: "HEAD", key: r.key });
    if (m.state.kind === "absent") return expectStatus(head, 404, "HeadObject of a missing key");
    expectStatus(head, 200, "HeadObject");
    const len = m.state.content.length;
    ensure(
      head.headers.get("content-length") === String(len),
      `HeadObject content-length ${head.headers.get("content-length")}, model ${len}`,
      head.exchange,
    );
    if (m.state.kind === "appendable") {
      nextOffset(head, len, "HeadObject of an appendable object");
      ensure(
        head.headers.get("x-bce-object-type") === "Appendable",
        `x-bce-object-type is ${head.headers.get("x-bce-object-type")}, expected Appendable`,
        head.exchange,
      );
    }
    const get = await r.ctx.http.send({ method: "GET", key: r.key });
    expectStatus(get, 200, "GetObject");
    ensure(
      bytesEqual(get.body, m.state.content),
      `GetObject: ${describeDifference(get.body, m.state.content)}`,
      get.exchange,
    );
  }
  toString = () => "verify()";
}

const chunk = (min: number) => fc.uint8Array({ minLength: min, maxLength: 48 });

/** A property run on one object of random size: PUT it, then call `fn`. */
async function withObject(
  ctx: CheckContext,
  size: number,
  seed: number,
  fn: (key: string, data: Uint8Array) => Promise<void>,
): Promise<void> {
  const data = new Uint8Array(size);
  for (let i = 0; i < size; i++) data[i] = (i * 31 + seed * 17 + (i >> 3)) & 0xff;
  const key = ctx.ns + "object";
  await mustPut(ctx.http, key, data);
  await fn(key, data);
}

function rangeRead(ctx: CheckContext, key: string, range: string) {
  return ctx.http.send({ method: "GET", key, headers: { range } });
}

function expectRange(res: HttpResponse, data: Uint8Array, first: number, last: number, range: string): void {
  expectStatus(res, 206, `GetObject with Range: ${range}`);
  const expected = data.slice(first, last + 1);
  ensure(
    bytesEqual(res.body, expected),
    `Range ${range}: ${describeDifference(res.body, expected)}`,
    res.exchange,
  );
  const cr = res.headers.get("content-range");
  ensure(
    cr === `bytes ${first}-${last}/${data.length}`,
    `Range ${range}: Content-Range is ${
      JSON.stringify(cr)
    }, expected "bytes ${first}-${last}/${data.length}"`,
    res.exchange,
  );
}

const sized = fc.tuple(fc.integer({ min: 1, max: 3000 }), fc.nat());

/** The offset checks. */
export const OFFSETS_CHECKS: CheckDef[] = [
  {
    id: "offsets.append-sequence-matches-model",
    suite,
    law:
      "Any sequence of appends (with correct and wrong offsets, without offset = recreate, including empty creations), puts, deletes and reads behaves like a model of one object's length and bytes",
    numRuns: 36,
    async run(ctx) {
      const commands = fc.commands(
        [
          chunk(0).map((d) => new AppendCreate(d)),
          fc.tuple(chunk(1), fc.constant(0)).map(([d, delta]) => new AppendAt(d, delta)),
          fc.tuple(chunk(1), fc.constant(0)).map(([d, delta]) => new AppendAt(d, delta)),
          fc.tuple(chunk(1), fc.integer({ min: -8, max: 8 }).filter((n) => n !== 0)).map(([d, delta]) =>
            new AppendAt(d, delta)
          ),
          chunk(0).map((d) => new PutNormal(d)),
          fc.constant(new Delete()),
          fc.constant(new Verify()),
        ],
        { maxCommands: 12, ...(ctx.replayPath ? { replayPath: ctx.replayPath } : {}) },
      );
      await ctx.property([commands], async (cmds) => {
        const key = ctx.fresh() + "appendable";
        await fc.asyncModelRun(() => ({ model: { state: ABSENT }, real: { ctx, key } }), [
          ...cmds,
          new Verify(),
        ]);
        await ctx.http.send({ method: "DELETE", key });
      });
    },
  },
  {
    id: "offsets.next-append-offset-equals-length",
    suite,
    law:
      "After every successful append, x-bce-next-append-offset (on the append response and on HEAD) equals the object's length",
    numRuns: 24,
    async run(ctx) {
      await ctx.property([chunk(0), fc.array(chunk(1), { maxLength: 5 })], async (first, rest) => {
        const real = { ctx, key: ctx.fresh() + "appendable" };
        let length = first.length;
        const r0 = await append(real, first);
        expectOk(r0, "AppendObject without offset");
        nextOffset(r0, length, "AppendObject without offset");
        for (const c of rest) {
          const r = await append(real, c, length);
          expectOk(r, `AppendObject at offset ${length}`);
          length += c.length;
          nextOffset(r, length, `AppendObject at offset ${length - c.length}`);
        }
        const head = await ctx.http.send({ method: "HEAD", key: real.key });
        expectStatus(head, 200, "HeadObject");
        nextOffset(head, length, "HeadObject");
        await ctx.http.send({ method: "DELETE", key: real.key });
      });
    },
  },
  {
    id: "offsets.append-to-normal-object-rejected",
    suite,
    law:
      "AppendObject with an offset on an object created by PutObject is refused with 403 ObjectUnappendable",
    async run(ctx) {
      const key = ctx.ns + "normal";
      await mustPut(ctx.http, key, "normal");
      expectError(
        await append({ ctx, key }, new TextEncoder().encode("x"), 6),
        403,
        "ObjectUnappendable",
        "AppendObject on a normal object",
      );
    },
  },
  {
    id: "offsets.wrong-append-offset-rejected",
    suite,
    law:
      "AppendObject with an offset other than the object's length is refused with 409 OffsetIncorrect and changes nothing",
    numRuns: 30,
    async run(ctx) {
      const key = ctx.ns + "appendable";
      const data = new TextEncoder().encode("0123456789");
      expectOk(await append({ ctx, key }, data), "AppendObject without offset");
      await ctx.property(
        [fc.integer({ min: 0, max: 40 }).filter((n) => n !== data.length)],
        async (offset) => {
          expectError(
            await append({ ctx, key }, new TextEncoder().encode("x"), offset),
            409,
            "OffsetIncorrect",
            `AppendObject at offset ${offset} on ${data.length} bytes`,
          );
          const get = await ctx.http.send({ method: "GET", key });
          ensure(
            bytesEqual(get.body, data),
            `After a refused append: ${describeDifference(get.body, data)}`,
            get.exchange,
          );
        },
      );
    },
  },
  {
    id: "offsets.malformed-append-offset-rejected",
    suite,
    law:
      "AppendObject with an offset that is not a non-negative decimal integer (-1, abc, 0x0, 0.0) is refused with 400 InvalidArgument and changes nothing, also on an empty appendable object where a lenient parser would read 0",
    async run(ctx) {
      const key = ctx.ns + "appendable-empty";
      expectOk(await append({ ctx, key }, new Uint8Array()), "AppendObject of 0 bytes without offset");
      for (const offset of ["-1", "abc", "0x0", "0.0"]) {
        const r = await ctx.http.send({
          method: "POST",
          key,
          query: { append: null, offset },
          body: new TextEncoder().encode("x"),
        });
        expectError(r, 400, "InvalidArgument", `AppendObject at offset ${JSON.stringify(offset)}`);
        const head = await ctx.http.send({ method: "HEAD", key });
        ensure(
          head.headers.get("content-length") === "0",
          `After a refused AppendObject at offset ${JSON.stringify(offset)} the object is ${
            head.headers.get("content-length")
          } bytes, expected 0`,
          head.exchange,
        );
      }
    },
  },
  {
    id: "offsets.concurrent-appends-at-same-offset-one-wins",
    suite,
    law:
      "Of several appends sent concurrently at the same offset, exactly one succeeds, the others are refused with 409 OffsetIncorrect, and the object holds the old bytes followed by the winner's",
    numRuns: 15,
    async run(ctx) {
      await ctx.property(
        [chunk(0), fc.array(chunk(1), { minLength: 2, maxLength: 4 })],
        async (first, racers) => {
          const real = { ctx, key: ctx.fresh() + "raced" };
          expectOk(await append(real, first), "AppendObject without offset");
          const results = await Promise.all(racers.map((c) => append(real, c, first.length)));
          const winners = results.flatMap((r, i) => (r.status === 200 ? [i] : []));
          ensure(
            winners.length === 1,
            `${winners.length} of ${racers.length} concurrent appends at offset ${first.length} succeeded`,
            results[winners[1] ?? 0]?.exchange,
          );
          for (const r of results) {
            if (r.status !== 200) {
              expectError(r, 409, "OffsetIncorrect", "A losing concurrent append");
            }
          }
          const expected = new Uint8Array([...first, ...racers[winners[0]]]);
          const get = await ctx.http.send({ method: "GET", key: real.key });
          ensure(
            bytesEqual(get.body, expected),
            `After the race: ${describeDifference(get.body, expected)}`,
            get.exchange,
          );
          await ctx.http.send({ method: "DELETE", key: real.key });
        },
      );
    },
  },
  {
    id: "offsets.append-with-offset-to-missing-key-rejected",
    suite,
    law: "AppendObject with an offset on a key that does not exist is refused with 404 NoSuchKey",
    async run(ctx) {
      expectError(
        await append({ ctx, key: ctx.ns + "missing" }, new TextEncoder().encode("x"), 0),
        404,
        "NoSuchKey",
        "AppendObject with offset 0 on a missing key",
      );
    },
  },
  {
    id: "offsets.range-returns-exact-bytes",
    suite,
    law:
      "GET with Range bytes=a-b inside the object answers 206 with exactly bytes a..b and Content-Range bytes a-b/size",
    numRuns: 45,
    async run(ctx) {
      await ctx.property([sized, fc.nat(), fc.nat()], async ([size, seed], x, y) => {
        await withObject(ctx, size, seed, async (key, data) => {
          const [first, last] = [x % size, y % size].sort((a, b) => a - b);
          expectRange(
            await rangeRead(ctx, key, `bytes=${first}-${last}`),
            data,
            first,
            last,
            `bytes=${first}-${last}`,
          );
        });
      });
    },
  },
  {
    id: "offsets.open-ended-range-returns-tail",
    suite,
    law: "GET with Range bytes=a- answers 206 with the bytes from a to the end",
    numRuns: 30,
    async run(ctx) {
      await ctx.property([sized, fc.nat()], async ([size, seed], x) => {
        await withObject(ctx, size, seed, async (key, data) => {
          const first = x % size;
          expectRange(await rangeRead(ctx, key, `bytes=${first}-`), data, first, size - 1, `bytes=${first}-`);
        });
      });
    },
  },
  {
    id: "offsets.single-byte-range-returns-one-byte",
    suite,
    law: "GET with Range bytes=a-a answers 206 with exactly the byte at a",
    numRuns: 30,
    async run(ctx) {
      await ctx.property([sized, fc.nat()], async ([size, seed], x) => {
        await withObject(ctx, size, seed, async (key, data) => {
          const a = x % size;
          expectRange(await rangeRead(ctx, key, `bytes=${a}-${a}`), data, a, a, `bytes=${a}-${a}`);
        });
      });
    },
  },
  {
    id: "offsets.range-past-end-rejected",
    suite,
    law: "GET with a Range starting at or after the end of the object answers 416 (InvalidRange)",
    numRuns: 24,
    async run(ctx) {
      await ctx.property([sized, fc.nat({ max: 100 }), fc.boolean()], async ([size, seed], beyond, open) => {
        await withObject(ctx, size, seed, async (key) => {
          const first = size + beyond;
          const range = open ? `bytes=${first}-` : `bytes=${first}-${first + 10}`;
          const res = await rangeRead(ctx, key, range);
          expectStatus(res, 416, `GetObject with Range: ${range} on ${size} bytes`);
          const code = errorOf(res).code;
          if (res.body.length > 0 && code !== "InvalidRange") {
            throw new LawViolation(
              `Range past the end answered ${seen(res)}, expected code InvalidRange`,
              res.exchange,
            );
          }
        });
      });
    },
  },
  {
    id: "offsets.upload-part-copy-range-copies-exact-bytes",
    suite,
    law:
      "UploadPartCopy with x-bce-copy-source-range bytes=a-b copies exactly bytes a..b of the source (eTag = their MD5, object = those bytes)",
    numRuns: 18,
    async run(ctx) {
      await ctx.property([sized, fc.nat(), fc.nat()], async ([size, seed], x, y) => {
        await withObject(ctx, size, seed, async (source, data) => {
          const [first, last] = [x % size, y % size].sort((a, b) => a - b);
          const key = ctx.fresh() + "copy";
          return await withUpload(ctx.http, key, async (uploadId) => {
            const res = await ctx.http.send({
              method: "PUT",
              key,
              query: { partNumber: 1, uploadId },
              headers: {
                "x-bce-copy-source": `/${ctx.http.bucket}/${uriEncode(source, true)}`,
                "x-bce-copy-source-range": `bytes=${first}-${last}`,
              },
            });
            expectOk(res, `UploadPartCopy bytes=${first}-${last}`);
            const body = res.json() as { eTag?: string; code?: string } | undefined;
            ensure(
              body && !body.code && typeof body.eTag === "string",
              `UploadPartCopy answered ${res.text().slice(0, 200)}`,
              res.exchange,
            );
            const expected = data.slice(first, last + 1);
            const etag = unquote(body.eTag)!;
            ensure(
              etag === await md5Hex(expected),
              `UploadPartCopy eTag ${etag} is not the MD5 of bytes ${first}-${last}`,
              res.exchange,
            );
            expectOk(await complete(ctx.http, key, uploadId, [{ partNumber: 1, eTag: etag }]), "Complete");
            const get = await ctx.http.send({ method: "GET", key });
            ensure(
              bytesEqual(get.body, expected),
              `Copied part: ${describeDifference(get.body, expected)}`,
              get.exchange,
            );
            await ctx.http.send({ method: "DELETE", key });
          });
        });
      });
    },
  },
];
