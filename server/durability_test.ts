// Durability of the filesystem store, watched on its real write path: an FsIo that calls through to
// NODE_FS_IO and keeps account of what is not yet on the disk (file bytes written but not synced,
// directory entries added or removed but their directory not synced). And a full disk: an FsIo whose
// writes stop, as the OS's do, partway through a real write with ENOSPC.
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { basename, dirname, join, relative, sep } from "node:path";
import { createHash } from "node:crypto";
import { hash } from "../protocol/hash.ts";
import { toHex } from "../protocol/encoding.ts";
import { makeProfile } from "../protocol/limits.ts";
import { createHandler, type FsFile, type FsIo, NODE_FS_IO, openFsStore } from "./mod.ts";
import { signedRequest, type TestRequest } from "./_test_util.ts";

const md5hex = async (d: string | Uint8Array) => toHex(await hash("md5", d));

/**
 * Keeps account of what a crash of the machine would lose right now, and checks two ordering laws
 * as the store goes: a record is put in place only when the bytes it names are on the disk, and a
 * blob is removed only when no record that a power loss could leave (or bring back) names it.
 */
class Auditor {
  readonly io: FsIo;
  readonly dirtyFiles = new Set<string>();
  /** Directory → why its entries are not on the disk yet. */
  readonly dirtyDirs = new Map<string, Set<string>>();
  /** Record path → the blobs of each version a power loss could leave there (the last one, and older ones until the directory is synced). */
  readonly records = new Map<string, string[][]>();
  fileSyncs = 0;
  dirSyncs = 0;
  readonly violations: string[] = [];

  constructor(readonly root: string) {
    this.io = {
      create: async (path) => {
        const file = await NODE_FS_IO.create(path);
        this.#dirty(dirname(path), `+${path}`);
        const audited: FsFile = {
          write: async (data, offset, length) => {
            const n = await file.write(data, offset, length);
            this.dirtyFiles.add(path);
            return n;
          },
          sync: async () => {
            await slow();
            await file.sync();
            this.fileSyncs++;
            this.dirtyFiles.delete(path);
          },
          close: () => file.close(),
        };
        return audited;
      },
      rename: async (from, to) => {
        const record = to.endsWith(".json") && !to.startsWith(this.#at("tmp"));
        if (record) this.#checkRecordMayLand(from, to);
        await NODE_FS_IO.rename(from, to);
        if (this.dirtyFiles.delete(from)) this.dirtyFiles.add(to);
        this.#dirty(dirname(from), `-${from}`);
        this.#dirty(dirname(to), `+${to}`);
        if (record) this.records.set(to, [...this.records.get(to) ?? [], blobsOf(Deno.readTextFileSync(to))]);
      },
      remove: async (path) => {
        if (path.startsWith(this.#at("blobs") + sep)) this.#checkBlobMayGo(path);
        await NODE_FS_IO.remove(path);
        for (const f of [...this.dirtyFiles]) {
          if (f === path || f.startsWith(path + sep)) this.dirtyFiles.delete(f);
        }
        this.#dirty(dirname(path), `-${path}`);
      },
      mkdir: async (path) => {
        await NODE_FS_IO.mkdir(path);
        this.#dirty(dirname(path), `+${path}`);
      },
      syncDir: async (path) => {
        await slow();
        await NODE_FS_IO.syncDir(path);
        this.dirSyncs++;
        this.dirtyDirs.delete(path);
        // Now only what is in the directory counts: the last version of each record still there.
        for (const [record, versions] of this.records) {
          if (dirname(record) !== path) continue;
          if (existsSync(record)) this.records.set(record, versions.slice(-1));
          else this.records.delete(record);
        }
      },
    };
  }

  #at(...parts: string[]): string {
    return join(this.root, ...parts);
  }

  #dirty(dir: string, why: string): void {
    let reasons = this.dirtyDirs.get(dir);
    if (!reasons) this.dirtyDirs.set(dir, reasons = new Set());
    reasons.add(why);
  }

  /** What a power loss would lose of what must be kept (garbage and temporary files excluded). */
  pending(): string[] {
    const out: string[] = [];
    for (const f of this.dirtyFiles) {
      if (!f.startsWith(this.#at("tmp"))) out.push(`unsynced file ${this.#rel(f)}`);
    }
    for (const [dir, reasons] of this.dirtyDirs) {
      if (dir === this.#at("tmp")) continue;
      for (const why of reasons) {
        const path = why.slice(1);
        if (path.startsWith(this.#at("tmp") + sep)) continue; // a temporary name leaving
        // Removals that startup repairs anyway: freed blobs, an upload's directory once its upload.json
        // is gone, a deleted bucket's (empty) object directory.
        if (why[0] === "-" && [this.#at("blobs"), this.#at("uploads"), this.#at("objects")].includes(dir)) {
          continue;
        }
        out.push(`unsynced entry ${why[0]}${this.#rel(path)} in ${this.#rel(dir)}/`);
      }
    }
    return out.sort();
  }

  #rel(p: string): string {
    return relative(this.root, p);
  }

  #checkRecordMayLand(from: string, to: string): void {
    if (this.dirtyFiles.has(from)) {
      this.violations.push(`record ${this.#rel(to)} renamed in before its bytes were synced`);
    }
    // The blobs it names: their bytes and their entries in blobs/ must be on the disk first.
    for (const id of blobsOf(Deno.readTextFileSync(from))) {
      const blob = this.#at("blobs", id);
      if (this.dirtyFiles.has(blob) || this.dirtyDirs.get(this.#at("blobs"))?.has(`+${blob}`)) {
        this.violations.push(`record ${this.#rel(to)} renamed in before blob ${id} was on the disk`);
      }
    }
  }

  #checkBlobMayGo(path: string): void {
    const id = basename(path);
    for (const [record, versions] of this.records) {
      // A part record means nothing once its upload's upload.json cannot come back (startup drops it).
      if (basename(record).startsWith("part-") && !this.records.has(join(dirname(record), "upload.json"))) {
        continue;
      }
      if (versions.some((blobs) => blobs.includes(id))) {
        this.violations.push(`blob ${this.#rel(path)} removed while ${this.#rel(record)} may still name it`);
      }
    }
  }
}

/** A flush takes its time: a store that does not wait for one is caught going on without it. */
const slow = () => new Promise((resolve) => setTimeout(resolve, 2));

/** The blob ids an object or part record names. */
function blobsOf(recordText: string): string[] {
  const json = JSON.parse(recordText);
  const segments: { blob: string }[] = [...(json.segments ?? []), ...(json.segment ? [json.segment] : [])];
  return segments.map((x) => x.blob);
}

async function harness(options: { durable?: boolean } = {}) {
  const dir = await Deno.makeTempDir({ prefix: "boskit-durable-" });
  const auditor = new Auditor(dir);
  const store = await openFsStore(dir, { durable: options.durable, io: auditor.io });
  const handler = createHandler({ store, profile: makeProfile({ minPartSize: 4 }) });
  const call = async (t: TestRequest) => {
    const res = await handler(await signedRequest(t));
    const body = await res.text();
    return { status: res.status, body, json: () => JSON.parse(body) };
  };
  return {
    dir,
    auditor,
    call,
    async close() {
      await handler.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

Deno.test("durability: every acknowledged write is on the disk when it is answered (data, records, directory entries), in a safe order", async () => {
  const h = await harness();
  try {
    const steps: [string, TestRequest, number][] = [
      ["PutBucket", { method: "PUT", path: "/dur" }, 200],
      ["PutObject", { method: "PUT", path: "/dur/a.txt", body: "hello" }, 200],
      ["PutObject (overwrite)", { method: "PUT", path: "/dur/a.txt", body: "hello again" }, 200],
      ["AppendObject (new)", { method: "POST", path: "/dur/log", query: "append", body: "one," }, 200],
      ["AppendObject", { method: "POST", path: "/dur/log", query: "append&offset=4", body: "two" }, 200],
      [
        "CopyObject",
        { method: "PUT", path: "/dur/b.txt", headers: { "x-bce-copy-source": "/dur/a.txt" } },
        200,
      ],
      ["InitiateMultipartUpload", { method: "POST", path: "/dur/mp", query: "uploads" }, 200],
    ];
    for (const [name, t, status] of steps) {
      const r = await h.call(t);
      assert.equal(r.status, status, `${name}: ${r.body}`);
      assert.deepEqual(h.auditor.pending(), [], `${name}: nothing acknowledged is only in memory`);
    }
    const id = (await h.call({ path: "/dur", query: "uploads" })).json().uploads[0].uploadId;
    const more: [string, TestRequest, number][] = [
      ["UploadPart", {
        method: "PUT",
        path: "/dur/mp",
        query: `partNumber=1&uploadId=${id}`,
        body: "part-one",
      }, 200],
      [
        "UploadPartCopy",
        {
          method: "PUT",
          path: "/dur/mp",
          query: `partNumber=2&uploadId=${id}`,
          headers: { "x-bce-copy-source": "/dur/a.txt" },
        },
        200,
      ],
      [
        "CompleteMultipartUpload",
        {
          method: "POST",
          path: "/dur/mp",
          query: `uploadId=${id}`,
          body: JSON.stringify({
            parts: [{ partNumber: 1, eTag: await md5hex("part-one") }, {
              partNumber: 2,
              eTag: await md5hex("hello again"),
            }],
          }),
        },
        200,
      ],
      ["DeleteObject", { method: "DELETE", path: "/dur/b.txt" }, 204],
      [
        "DeleteMultipleObjects",
        {
          method: "POST",
          path: "/dur",
          query: "delete",
          body: JSON.stringify({ objects: [{ key: "log" }] }),
        },
        200,
      ],
    ];
    for (const [name, t, status] of more) {
      const r = await h.call(t);
      assert.equal(r.status, status, `${name}: ${r.body}`);
      assert.deepEqual(h.auditor.pending(), [], `${name}: nothing acknowledged is only in memory`);
    }
    const abortId = (await h.call({ method: "POST", path: "/dur/gone", query: "uploads" })).json().uploadId;
    await h.call({ method: "PUT", path: "/dur/gone", query: `partNumber=1&uploadId=${abortId}`, body: "x" });
    assert.equal(
      (await h.call({ method: "DELETE", path: "/dur/gone", query: `uploadId=${abortId}` })).status,
      204,
    );
    assert.deepEqual(h.auditor.pending(), [], "AbortMultipartUpload");
    for (const key of ["a.txt", "mp"]) await h.call({ method: "DELETE", path: "/dur/" + key });
    assert.equal((await h.call({ method: "DELETE", path: "/dur" })).status, 204);
    assert.deepEqual(h.auditor.pending(), [], "DeleteBucket");
    assert.deepEqual(h.auditor.violations, []);
  } finally {
    await h.close();
  }
});

Deno.test("durability: a PutObject flushes its bytes, their directory entry, its record and the record's entry — four flushes; durable: false none", async () => {
  for (const durable of [true, false]) {
    const h = await harness({ durable });
    try {
      await h.call({ method: "PUT", path: "/dur" });
      const [files, dirs] = [h.auditor.fileSyncs, h.auditor.dirSyncs];
      assert.equal((await h.call({ method: "PUT", path: "/dur/k", body: "bytes" })).status, 200);
      assert.deepEqual(
        [h.auditor.fileSyncs - files, h.auditor.dirSyncs - dirs],
        durable ? [2, 2] : [0, 0],
        `durable: ${durable}`,
      );
      if (!durable) assert.notDeepEqual(h.auditor.pending(), [], "without fsync a power loss could lose it");
    } finally {
      await h.close();
    }
  }
});

Deno.test("durability: with PUTs in flight together (directory flushes are shared), each answered PUT's own bytes and entries are on the disk", async () => {
  const h = await harness();
  try {
    await h.call({ method: "PUT", path: "/dur" });
    const dirSyncs = h.auditor.dirSyncs;
    const requests = await Promise.all(
      Array.from({ length: 64 }, (_, i) => ({ method: "PUT", path: `/dur/k${i}`, body: `body ${i}` })),
    );
    let next = 0;
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next < requests.length) {
        const t = requests[next++];
        assert.equal((await h.call(t)).status, 200);
        const record = join(
          h.dir,
          "objects",
          "dur",
          createHash("sha256").update(t.path.slice(5)).digest("hex") + ".json",
        );
        const blobs = JSON.parse(Deno.readTextFileSync(record)).segments.map((x: { blob: string }) =>
          join(h.dir, "blobs", x.blob)
        );
        for (const path of [record, ...blobs]) {
          assert(!h.auditor.dirtyFiles.has(path), `${t.path}: ${path} is synced`);
          assert(
            !h.auditor.dirtyDirs.get(dirname(path))?.has(`+${path}`),
            `${t.path}: the entry of ${path} is synced`,
          );
        }
      }
    }));
    assert(h.auditor.dirSyncs - dirSyncs < 2 * requests.length, "directory flushes were shared");
    assert.deepEqual(h.auditor.violations, []);
  } finally {
    await h.close();
  }
});

// ---- a full disk

/** ENOSPC as node:fs reports it. */
function enospc(): Error {
  return Object.assign(new Error("ENOSPC: no space left on device, write"), {
    code: "ENOSPC",
    errno: -28,
    syscall: "write",
  });
}

/** A disk with `free` bytes left: a write that does not fit writes what fits (a short write), the next fails. */
function fullDisk(free: { bytes: number }): FsIo {
  return {
    ...NODE_FS_IO,
    async create(path) {
      const file = await NODE_FS_IO.create(path);
      return {
        ...file,
        async write(data, offset, length) {
          if (free.bytes <= 0) throw enospc();
          const n = await file.write(data, offset, Math.min(length, free.bytes));
          free.bytes -= n;
          return n;
        },
      };
    },
  };
}

Deno.test("full disk: ENOSPC partway through a write answers a clean 500 and leaves no partial object, no stray file; space back, it works", async () => {
  const dir = await Deno.makeTempDir({ prefix: "boskit-enospc-" });
  const free = { bytes: Infinity };
  const errors: unknown[] = [];
  const open = async () =>
    createHandler({
      store: await openFsStore(dir, { io: fullDisk(free) }),
      profile: makeProfile({ minPartSize: 4 }),
      onInternalError: (err) => errors.push(err),
    });
  let handler = await open();
  const call = async (t: TestRequest) => {
    const res = await handler(await signedRequest(t));
    const text = await res.text();
    return { status: res.status, text, json: () => JSON.parse(text) };
  };
  const files = (sub: string) => readdirSync(join(dir, sub)).sort();
  try {
    await call({ method: "PUT", path: "/full" });
    assert.equal((await call({ method: "PUT", path: "/full/kept", body: "old content" })).status, 200);
    await call({ method: "POST", path: "/full/log", query: "append", body: "head," });
    const id = (await call({ method: "POST", path: "/full/mp", query: "uploads" })).json().uploadId;
    const id2 = (await call({ method: "POST", path: "/full/mp2", query: "uploads" })).json().uploadId;
    await call({ method: "PUT", path: "/full/mp2", query: `partNumber=1&uploadId=${id2}`, body: "part" });
    const completeMp2: TestRequest = {
      method: "POST",
      path: "/full/mp2",
      query: `uploadId=${id2}`,
      body: JSON.stringify({ parts: [{ partNumber: 1, eTag: await md5hex("part") }] }),
    };
    const blobs = files("blobs");
    const big = new Uint8Array(1024 * 1024).fill(7);

    const refused: [string, TestRequest, number][] = [
      ["PutObject, new key", { method: "PUT", path: "/full/new", body: big }, 300_000],
      ["PutObject, overwrite", { method: "PUT", path: "/full/kept", body: big }, 300_000],
      // Room for the bytes but not for the record that names them.
      ["PutObject, the record does not fit", { method: "PUT", path: "/full/rec", body: "0123456789" }, 10],
      ["AppendObject", { method: "POST", path: "/full/log", query: "append&offset=5", body: big }, 1000],
      [
        "UploadPart",
        { method: "PUT", path: "/full/mp", query: `partNumber=1&uploadId=${id}`, body: big },
        5000,
      ],
      ["CompleteMultipartUpload", completeMp2, 0],
      ["InitiateMultipartUpload", { method: "POST", path: "/full/mp3", query: "uploads" }, 0],
      ["PutBucket", { method: "PUT", path: "/full2" }, 0],
      [
        "CopyObject",
        { method: "PUT", path: "/full/copy", headers: { "x-bce-copy-source": "/full/kept" } },
        4,
      ],
    ];
    for (const [name, t, room] of refused) {
      free.bytes = room;
      const r = await call(t);
      assert.equal(r.status, 500, `${name}: ${r.text}`);
      const body = r.json();
      assert.equal(body.code, "InternalError");
      assert.match(body.message, /no space left/, name);
      assert.equal(typeof body.requestId, "string");
      free.bytes = Infinity;
      assert.deepEqual(files("tmp"), [], `${name}: no temporary file is left`);
      assert.deepEqual(files("blobs"), blobs, `${name}: no blob is left`);
    }
    assert.equal(errors.length, refused.length, "each one is reported to the operator");
    // Nothing partial is visible, nothing that was there changed.
    assert.equal((await call({ method: "HEAD", path: "/full/new" })).status, 404);
    assert.equal((await call({ method: "HEAD", path: "/full/rec" })).status, 404);
    assert.equal((await call({ method: "HEAD", path: "/full/copy" })).status, 404);
    assert.equal((await call({ path: "/full/kept" })).text, "old content");
    assert.equal((await call({ path: "/full/log" })).text, "head,");
    assert.deepEqual((await call({ path: "/full/mp", query: `uploadId=${id}` })).json().parts, []);
    assert.equal((await call({ method: "HEAD", path: "/full/mp2" })).status, 404);
    assert.equal((await call({ path: "/full/mp2", query: `uploadId=${id2}` })).json().parts.length, 1);
    const uploads = (await call({ path: "/full", query: "uploads" })).json().uploads;
    assert.deepEqual(uploads.map((u: { key: string }) => u.key), ["mp", "mp2"], "no upload was half-created");
    assert.equal((await call({ method: "HEAD", path: "/full2" })).status, 404);
    // With space again, the same requests work.
    assert.equal((await call(completeMp2)).status, 200);
    assert.equal((await call({ method: "PUT", path: "/full2" })).status, 200);
    assert.equal((await call({ method: "PUT", path: "/full/new", body: big })).status, 200);
    assert.equal(
      (await call({ method: "POST", path: "/full/log", query: "append&offset=5", body: "tail" })).status,
      200,
    );
    assert.equal(
      (await call({ method: "PUT", path: "/full/mp", query: `partNumber=1&uploadId=${id}`, body: "p" }))
        .status,
      200,
    );
    // And a restart sees exactly that.
    await handler.close();
    handler = await open();
    assert.equal((await call({ path: "/full/log" })).text, "head,tail");
    assert.equal((await call({ path: "/full/kept" })).text, "old content");
    const listed = (await call({ path: "/full" })).json().contents.map((o: { key: string }) => o.key);
    assert.deepEqual(listed, ["kept", "log", "mp2", "new"]);
    assert.equal((await call({ path: "/full/mp", query: `uploadId=${id}` })).json().parts.length, 1);
  } finally {
    await handler.close();
    await Deno.remove(dir, { recursive: true });
  }
});
