// How a file source reads: synchronous positioned reads while they come from memory, asynchronous
// ones after a slow read, and the bytes exact either way.
import assert from "node:assert/strict";
import { readSync as nodeReadSync } from "node:fs";
import { MiB } from "../../protocol/limits.ts";
import { randomBytes } from "../testdata/harness.ts";
import { fileSource, type ReadSync } from "./sources.ts";

async function withFile(bytes: Uint8Array, fn: (path: string) => Promise<void>): Promise<void> {
  const path = await Deno.makeTempFile({ prefix: "boskit-source-" });
  try {
    await Deno.writeFile(path, bytes);
    await fn(path);
  } finally {
    await Deno.remove(path);
  }
}

Deno.test("fileSource: reads synchronously while reads are fast; a slow one makes the next 16 asynchronous, a slow probe after them the next 32; bytes exact throughout", async () => {
  const data = randomBytes(80 * 1024, 71);
  await withFile(data, async (path) => {
    let clock = 0;
    let slow = false;
    const syncReads: number[] = [];
    const readSync: ReadSync = (fd, buffer, offset, length, position) => {
      syncReads.push(position);
      if (slow) clock += 50; // 50 ms for a read of at most 1 KiB here: storage, not memory
      return nodeReadSync(fd, buffer, offset, length, position);
    };
    const source = await fileSource(path, { readSync, now: () => clock });
    try {
      const chunk = new Uint8Array(1024);
      const readAll = async (from: number, count: number) => {
        for (let i = from; i < from + count; i++) {
          const n = await source.readInto!(chunk, i * 1024);
          assert.equal(n, 1024);
          assert.deepEqual(chunk, data.subarray(i * 1024, (i + 1) * 1024), `piece ${i}`);
        }
      };
      await readAll(0, 4);
      assert.equal(syncReads.length, 4, "fast reads stay synchronous");
      slow = true;
      await readAll(4, 1 + 16);
      assert.equal(syncReads.length, 5, "one slow read, then 16 asynchronous ones");
      await readAll(21, 1 + 32);
      assert.equal(syncReads.length, 6, "a slow probe doubles the asynchronous run");
      slow = false;
      await readAll(54, 1 + 3);
      assert.equal(syncReads.length, 10, "a fast probe brings synchronous reads back");
      assert.equal(await source.readInto!(chunk, data.length), 0, "0 past the end");
    } finally {
      await source.close();
    }
  });
});

Deno.test("fileSource: a long readAt reads at most 16 MiB synchronously in a row (1 MiB a read), the event loop then gets a turn; its bytes are exact", async () => {
  const data = randomBytes(18 * MiB + 3, 73);
  await withFile(data, async (path) => {
    const sizes: number[] = [];
    const readSync: ReadSync = (fd, buffer, offset, length, position) => {
      sizes.push(length);
      return nodeReadSync(fd, buffer, offset, length, position);
    };
    const source = await fileSource(path, { readSync, now: () => 0 });
    try {
      const got = await source.readAt(0, data.length);
      assert.ok(got.length === data.length && got.every((b, i) => b === data[i]), "bytes exact");
      assert.ok(sizes.every((n) => n <= MiB), "synchronous reads of at most 1 MiB");
      assert.equal(sizes.length, 16, "16 synchronous reads of 1 MiB, then the rest in one asynchronous read");
    } finally {
      await source.close();
    }
  });
});
