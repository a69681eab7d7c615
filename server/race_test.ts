// Races: two requests on one upload, key or bucket, started together with a random stagger, many times
// over, on both stores. Each property says which outcomes are allowed; after every round the stored
// state must be consistent (every object reads back as its ETag and size say), and on the filesystem
// store no blob may be left that nothing uses, nor may a restart change what is visible.
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { hash } from "../protocol/hash.ts";
import { toHex } from "../protocol/encoding.ts";
import { makeProfile } from "../protocol/limits.ts";
import { type BosHandler, createHandler } from "./mod.ts";
import { signedRequest, type TestRequest } from "./_test_util.ts";

const ROUNDS = 40;
const md5hex = async (d: string | Uint8Array) => toHex(await hash("md5", d));
const shm = (() => {
  try {
    return Deno.statSync("/dev/shm").isDirectory ? "/dev/shm" : undefined;
  } catch {
    return undefined;
  }
})();

interface Server {
  store: string;
  call(t: TestRequest): Promise<{ status: number; body: string; code?: string }>;
  /** Two requests (built first, so signing does not order them), the second after a random stagger. */
  race(
    a: TestRequest,
    b: TestRequest,
  ): Promise<[{ status: number; code?: string }, { status: number; code?: string }]>;
  handler: BosHandler;
  dir?: string;
  restart(): Promise<void>;
  close(): Promise<void>;
}

async function answer(res: Response) {
  const body = await res.text();
  let code: string | undefined;
  try {
    code = body ? JSON.parse(body).code : undefined;
  } catch { /* not JSON */ }
  return { status: res.status, body, code };
}

/** Some microtask turns, sometimes a timer: the two requests meet at different points each round. */
async function stagger(): Promise<void> {
  const r = Math.random();
  if (r < 0.15) return await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
  for (let i = Math.floor(Math.random() * 60); i > 0; i--) await Promise.resolve();
}

async function open(store: "memory" | "fs"): Promise<Server> {
  const dir = store === "fs" ? await Deno.makeTempDir({ prefix: "boskit-race-", dir: shm }) : undefined;
  const options = { dataDir: dir, profile: makeProfile({ minPartSize: 4 }) };
  let handler = createHandler(options);
  const s: Server = {
    store,
    dir,
    get handler() {
      return handler;
    },
    async call(t) {
      return await answer(await handler(await signedRequest(t)));
    },
    async race(a, b) {
      const [ra, rb] = [await signedRequest(a), await signedRequest(b)];
      const first = handler(ra).then(answer);
      await stagger();
      const second = handler(rb).then(answer);
      return await Promise.all([first, second]);
    },
    async restart() {
      await handler.close();
      handler = createHandler(options);
      await handler.ready;
    },
    async close() {
      await handler.close();
      if (dir) await Deno.remove(dir, { recursive: true });
    },
  };
  assert.equal((await s.call({ method: "PUT", path: "/race" })).status, 200);
  return s;
}

/** Every listed object reads back whole, as its ETag (single-part) and size say; no upload is left. */
async function assertConsistent(s: Server, bucket = "race"): Promise<Set<string>> {
  const list = JSON.parse((await s.call({ path: "/" + bucket })).body);
  const keys = new Set<string>();
  for (const o of list.contents as { key: string; size: number; eTag: string }[]) {
    keys.add(o.key);
    const got = await s.handler(await signedRequest({ path: `/${bucket}/${o.key}` }));
    assert.equal(got.status, 200, `${s.store}: ${o.key} is listed and readable`);
    const data = new Uint8Array(await got.arrayBuffer());
    assert.equal(data.byteLength, o.size, `${s.store}: ${o.key} has the bytes its size says`);
    if (!o.eTag.startsWith("-")) {
      assert.equal(await md5hex(data), o.eTag, `${s.store}: ${o.key} matches its ETag`);
    }
  }
  return keys;
}

/** Filesystem store: the blobs on disk are exactly those records use, and a restart shows the same objects. */
async function assertNoLeaks(s: Server): Promise<void> {
  if (!s.dir) return;
  await new Promise((r) => setTimeout(r, 20)); // blobs freed after reads finish
  const before = await assertConsistent(s);
  const uploads = JSON.parse((await s.call({ path: "/race", query: "uploads" })).body).uploads as unknown[];
  await s.restart();
  assert.deepEqual(await assertConsistent(s), before, "a restart shows the same objects");
  const blobs = readdirSync(join(s.dir, "blobs")).length;
  await s.restart(); // the restart collected whatever was unreferenced: nothing may have been
  assert.equal(readdirSync(join(s.dir, "blobs")).length, blobs);
  assert.equal(
    (JSON.parse((await s.call({ path: "/race", query: "uploads" })).body).uploads as unknown[]).length,
    uploads.length,
  );
  // Every blob on disk is used: count what objects and uploads reference.
  let used = 0;
  const objects = join(s.dir, "objects", "race");
  for (const f of readdirSync(objects)) {
    used += (JSON.parse(Deno.readTextFileSync(join(objects, f))).segments as unknown[]).length;
  }
  for (const u of readdirSync(join(s.dir, "uploads"))) {
    used += readdirSync(join(s.dir, "uploads", u)).filter((f) => f.startsWith("part-")).length;
  }
  assert.equal(blobs, used, "no blob is left that nothing uses");
}

async function initiate(s: Server, key: string): Promise<string> {
  const r = await s.call({ method: "POST", path: "/race/" + key, query: "uploads" });
  assert.equal(r.status, 200, r.body);
  return JSON.parse(r.body).uploadId;
}

async function uploadPart(s: Server, key: string, id: string, n: number, body: string) {
  const r = await s.call({
    method: "PUT",
    path: "/race/" + key,
    query: `partNumber=${n}&uploadId=${id}`,
    body,
  });
  assert.equal(r.status, 200, r.body);
}

const complete = async (key: string, id: string, parts: [number, string][]): Promise<TestRequest> => ({
  method: "POST",
  path: "/race/" + key,
  query: `uploadId=${id}`,
  body: JSON.stringify({
    parts: await Promise.all(
      parts.map(async ([partNumber, data]) => ({ partNumber, eTag: await md5hex(data) })),
    ),
  }),
});

for (const store of ["memory", "fs"] as const) {
  Deno.test(`race (${store}): Complete vs Abort of one upload — exactly one succeeds, the other is 404 NoSuchUpload`, async () => {
    const s = await open(store);
    try {
      const wins = { complete: 0, abort: 0 };
      for (let i = 0; i < ROUNDS; i++) {
        const key = `ca-${i}`;
        const id = await initiate(s, key);
        await uploadPart(s, key, id, 1, "first");
        await uploadPart(s, key, id, 2, "second");
        const c = await complete(key, id, [[1, "first"], [2, "second"]]);
        const abort = { method: "DELETE", path: "/race/" + key, query: `uploadId=${id}` };
        let rc, ra;
        if (i % 2) [rc, ra] = await s.race(c, abort);
        else [ra, rc] = await s.race(abort, c);
        const ok = [rc.status === 200, ra.status === 204];
        assert.equal(ok.filter(Boolean).length, 1, `round ${i}: Complete ${rc.status}, Abort ${ra.status}`);
        const loser = ok[0] ? ra : rc;
        assert.equal(loser.status, 404);
        assert.equal(loser.code, "NoSuchUpload");
        const got = await s.call({ path: "/race/" + key });
        if (ok[0]) {
          wins.complete++;
          assert.equal(got.body, "firstsecond");
        } else {
          wins.abort++;
          assert.equal(got.status, 404);
        }
      }
      assert.deepEqual(
        JSON.parse((await s.call({ path: "/race", query: "uploads" })).body).uploads,
        [],
        "no upload survives",
      );
      await assertNoLeaks(s);
    } finally {
      await s.close();
    }
  });

  Deno.test(`race (${store}): Complete vs Complete — one 200, the other 404 NoSuchUpload`, async () => {
    const s = await open(store);
    try {
      for (let i = 0; i < ROUNDS; i++) {
        const key = `cc-${i}`;
        const id = await initiate(s, key);
        await uploadPart(s, key, id, 1, "only");
        const c = await complete(key, id, [[1, "only"]]);
        const [a, b] = await s.race(c, c);
        assert.deepEqual([a.status, b.status].sort(), [200, 404], `round ${i}`);
        assert.equal((a.status === 404 ? a : b).code, "NoSuchUpload");
        assert.equal((await s.call({ path: "/race/" + key })).body, "only");
      }
      await assertNoLeaks(s);
    } finally {
      await s.close();
    }
  });

  Deno.test(`race (${store}): UploadPart vs Complete/Abort — a part lands before (and the other sees it) or is refused with 404; a completed object is never damaged`, async () => {
    const s = await open(store);
    try {
      for (let i = 0; i < ROUNDS; i++) {
        const key = `uc-${i}`;
        const id = await initiate(s, key);
        await uploadPart(s, key, id, 1, "aaaa-first");
        const replace = {
          method: "PUT",
          path: "/race/" + key,
          query: `partNumber=1&uploadId=${id}`,
          body: "bbbb-second",
        };
        if (i % 3 === 2) {
          const [up, ab] = await s.race(replace, {
            method: "DELETE",
            path: "/race/" + key,
            query: `uploadId=${id}`,
          });
          assert.equal(ab.status, 204, `round ${i}: Abort`);
          assert(
            up.status === 200 || (up.status === 404 && up.code === "NoSuchUpload"),
            `round ${i}: ${up.status}`,
          );
          continue;
        }
        const [up, c] = await s.race(replace, await complete(key, id, [[1, "aaaa-first"]]));
        const got = await s.call({ path: "/race/" + key });
        if (c.status === 200) {
          // The part Complete listed is the object, byte for byte, however the replacement fared.
          assert.equal(got.body, "aaaa-first", `round ${i}: the object is the listed part`);
          assert(up.status === 404 && up.code === "NoSuchUpload", `round ${i}: a part after Complete is 404`);
        } else {
          // The replacement landed first: the listed ETag is no longer the part's.
          assert.equal(c.code, "InvalidPart", `round ${i}: ${c.status} ${c.code}`);
          assert.equal(up.status, 200);
          assert.equal(got.status, 404);
          await s.call({ method: "DELETE", path: "/race/" + key, query: `uploadId=${id}` });
        }
      }
      await assertConsistent(s);
      await assertNoLeaks(s);
    } finally {
      await s.close();
    }
  });

  Deno.test(`race (${store}): CopyObject vs DeleteObject or overwrite of the source — the copy is a whole version of the source or 404`, async () => {
    const s = await open(store);
    try {
      const v1 = "v1-".repeat(30_000);
      const v2 = "v2-".repeat(20_000);
      for (let i = 0; i < ROUNDS; i++) {
        assert.equal((await s.call({ method: "PUT", path: "/race/src", body: v1 })).status, 200);
        const copy = { method: "PUT", path: `/race/dst-${i}`, headers: { "x-bce-copy-source": "/race/src" } };
        const other = i % 2
          ? { method: "DELETE", path: "/race/src" }
          : { method: "PUT", path: "/race/src", body: v2 };
        const [c, o] = await s.race(copy, other);
        assert(o.status === 204 || o.status === 200, `round ${i}: ${o.status}`);
        const got = await s.call({ path: `/race/dst-${i}` });
        if (c.status === 200) assert(got.body === v1 || got.body === v2, `round ${i}: the copy is whole`);
        else {
          assert.equal(c.code, "NoSuchKey", `round ${i}: ${c.status} ${c.code}`);
          assert.equal(got.status, 404);
        }
      }
      await assertConsistent(s);
      await assertNoLeaks(s);
    } finally {
      await s.close();
    }
  });

  Deno.test(`race (${store}): Append vs Append/Put/Delete on one key — serialised, offsets honoured, the object reads back whole`, async () => {
    const s = await open(store);
    try {
      for (let i = 0; i < ROUNDS; i++) {
        const key = `ap-${i}`;
        await s.call({ method: "POST", path: "/race/" + key, query: "append", body: "base," });
        const append = (body: string) => ({
          method: "POST",
          path: "/race/" + key,
          query: "append&offset=5",
          body,
        });
        const other = [
          append("two"),
          { method: "PUT", path: "/race/" + key, body: "put" },
          { method: "DELETE", path: "/race/" + key },
        ][i % 3];
        const [a, o] = await s.race(append("one"), other);
        const got = await s.call({ path: "/race/" + key });
        if (i % 3 === 0) {
          assert.deepEqual([a.status, o.status].sort(), [200, 409], `round ${i}: one append wins the offset`);
          assert(got.body === "base,one" || got.body === "base,two");
        } else if (a.status === 200) {
          assert(["base,one", "put"].includes(got.body) || got.status === 404, `round ${i}: ${got.body}`);
        } else {
          // The other went first: the append's offset no longer holds or the object is gone.
          assert(
            ["ObjectUnappendable", "OffsetIncorrect", "NoSuchKey"].includes(a.code!),
            `round ${i}: ${a.code}`,
          );
        }
      }
      await assertConsistent(s);
      await assertNoLeaks(s);
    } finally {
      await s.close();
    }
  });

  Deno.test(`race (${store}): DeleteBucket vs PutObject/Initiate, PutBucket vs PutBucket — never both, never a 5xx`, async () => {
    const s = await open(store);
    try {
      for (let i = 0; i < ROUNDS; i++) {
        const bucket = `rb-${i}`;
        const [p1, p2] = await s.race({ method: "PUT", path: "/" + bucket }, {
          method: "PUT",
          path: "/" + bucket,
        });
        assert.deepEqual([p1.status, p2.status].sort(), [200, 409], `round ${i}: one PutBucket wins`);
        const write = i % 2
          ? { method: "PUT", path: `/${bucket}/k`, body: "x".repeat(1000) }
          : { method: "POST", path: `/${bucket}/k`, query: "uploads" };
        const [w, d] = await s.race(write, { method: "DELETE", path: "/" + bucket });
        if (w.status === 200) {
          assert.equal(d.status, 409, `round ${i}: DeleteBucket after a write sees it`);
          assert.equal(d.code, "BucketNotEmpty");
        } else {
          assert.equal(w.code, "NoSuchBucket", `round ${i}: ${w.status} ${w.code}`);
          assert.equal(d.status, 204);
          assert.equal((await s.call({ method: "HEAD", path: "/" + bucket })).status, 404);
        }
      }
      if (s.dir) {
        const before = JSON.parse((await s.call({ path: "/" })).body).buckets.map((b: { name: string }) =>
          b.name
        );
        await s.restart();
        const after = JSON.parse((await s.call({ path: "/" })).body).buckets.map((b: { name: string }) =>
          b.name
        );
        assert.deepEqual(after, before, "a restart shows the same buckets");
      }
    } finally {
      await s.close();
    }
  });
}
