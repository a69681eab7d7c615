import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createAuthorization, formatTimestamp } from "../protocol/signing/sign.ts";
import { toHex } from "../protocol/encoding.ts";
import { hash } from "../protocol/hash.ts";
import { LOCAL_CREDENTIALS } from "./mod.ts";
import { bytes, testServer } from "./_test_util.ts";

const md5hex = async (d: Uint8Array | string) => toHex(await hash("md5", d));

Deno.test("fs backend: objects, appendable objects and in-progress uploads survive a restart", async () => {
  const dir = await Deno.makeTempDir({ prefix: "boskit-fs-" });
  try {
    let s = testServer({ dataDir: dir, profile: undefined });
    await s.call({ method: "PUT", path: "/bkt" });
    const big = bytes(700_000, 7);
    assert.equal((await s.call({ method: "PUT", path: "/bkt/..%5C..%5Cescape", body: "weird" })).status, 200);
    assert.equal((await s.call({ method: "PUT", path: "/bkt/nul%00key", body: "nul" })).status, 200);
    assert.equal(
      (await s.call({ method: "PUT", path: "/bkt/" + "k".repeat(1000), body: "long" })).status,
      200,
    );
    assert.equal(
      (await s.call({ method: "PUT", path: "/bkt/big.bin", body: big, headers: { "x-bce-meta-x": "y" } }))
        .status,
      200,
    );
    await s.call({ method: "POST", path: "/bkt/log", query: "append", body: "one," });
    await s.call({ method: "POST", path: "/bkt/log", query: "append&offset=4", body: "two" });
    const init = await s.json({
      method: "POST",
      path: "/bkt/mp",
      query: "uploads",
      headers: { "x-bce-storage-class": "COLD" },
    });
    const id = init.body.uploadId;
    const p1 = bytes(200_000, 1);
    await s.call({ method: "PUT", path: "/bkt/mp", query: `partNumber=1&uploadId=${id}`, body: p1 });
    await s.call({ method: "PUT", path: "/bkt/mp", query: `partNumber=2&uploadId=${id}`, body: "tail" });
    await s.call({ method: "PUT", path: "/bkt/gone", body: "x" });
    await s.call({ method: "DELETE", path: "/bkt/gone" });
    await s.handler.close();

    s = testServer({ dataDir: dir });
    const got = await s.call({ path: "/bkt/big.bin" });
    assert.equal(got.headers.get("x-bce-meta-x"), "y");
    assert.deepEqual(new Uint8Array(await got.arrayBuffer()), big);
    assert.equal(await (await s.call({ path: "/bkt/log" })).text(), "one,two");
    assert.equal(
      (await s.call({ method: "HEAD", path: "/bkt/log" })).headers.get("x-bce-next-append-offset"),
      "7",
    );
    assert.equal((await s.call({ method: "HEAD", path: "/bkt/gone" })).status, 404);
    const parts = await s.json({ path: "/bkt/mp", query: `uploadId=${id}` });
    assert.equal(parts.body.storageClass, "COLD");
    assert.deepEqual(parts.body.parts.map((p: { size: number }) => p.size), [200_000, 4]);
    const c = await s.json({
      method: "POST",
      path: "/bkt/mp",
      query: `uploadId=${id}`,
      body: JSON.stringify({
        parts: [{ partNumber: 1, eTag: await md5hex(p1) }, { partNumber: 2, eTag: await md5hex("tail") }],
      }),
    });
    assert.equal(c.status, 200);
    assert.deepEqual(
      new Uint8Array(await (await s.call({ path: "/bkt/mp" })).arrayBuffer()),
      new Uint8Array([...p1, ...new TextEncoder().encode("tail")]),
    );
    const keys = (await s.json({ path: "/bkt" })).body.contents.map((o: { key: string }) => o.key);
    assert.deepEqual(keys, ["..\\..\\escape", "big.bin", "k".repeat(1000), "log", "mp", "nul\0key"]);
    await s.handler.close();
    // Nothing was written outside the data directory, and no key became a path.
    assert.deepEqual(readdirSync(dir).sort(), [
      "blobs",
      "boskit-data.json",
      "buckets",
      "objects",
      "tmp",
      "uploads",
    ]);
    assert.equal(existsSync(join(dir, "escape")), false);
    s = testServer({ dataDir: dir });
    await s.call({ method: "DELETE", path: "/bkt/big.bin" });
    await s.handler.close();
    // Blobs left: escape, nul, long, log's 2 segments, mp's 2 parts.
    assert.equal(readdirSync(join(dir, "blobs")).length, 7);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

interface Proc {
  child: Deno.ChildProcess;
  url: string;
  port: number;
}

async function start(dir: string): Promise<Proc> {
  const cli = fileURLToPath(new URL("./cli.ts", import.meta.url));
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", cli, "--data-dir", dir, "--port", "0"],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`Server exited before listening: ${text}`);
    text += value;
  }
  reader.releaseLock();
  child.stdout.cancel().catch(() => {});
  const m = /^listening on (http:\/\/127\.0\.0\.1:(\d+))\n/.exec(text);
  assert.ok(m, `unexpected first line ${JSON.stringify(text)}`);
  return { child, url: m[1], port: Number(m[2]) };
}

async function signedHeaders(
  method: string,
  path: string,
  query: string,
  host: string,
  extra: Record<string, string> = {},
) {
  const timestamp = new Date();
  const headers = new Headers({ host, "x-bce-date": formatTimestamp(timestamp), ...extra });
  headers.set(
    "authorization",
    await createAuthorization({ ...LOCAL_CREDENTIALS, method, path, query, headers, timestamp }),
  );
  return headers;
}

async function call(p: Proc, method: string, path: string, query = "", body?: Uint8Array | string) {
  const host = `127.0.0.1:${p.port}`;
  const data = typeof body === "string" ? new TextEncoder().encode(body) : body;
  const headers = await signedHeaders(
    method,
    path,
    query,
    host,
    data ? { "content-length": String(data.byteLength) } : {},
  );
  headers.delete("host");
  const res = await fetch(`${p.url}${path}${query ? "?" + query : ""}`, {
    method,
    headers,
    body: data as BodyInit | undefined,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
}

/** Opens a raw connection and sends headers plus `sent` of `total` body bytes, leaving the upload hanging. */
async function hangingUpload(p: Proc, path: string, query: string, total: number, sent: number) {
  const host = `127.0.0.1:${p.port}`;
  const headers = await signedHeaders("PUT", path, query, host, { "content-length": String(total) });
  let head = `PUT ${path}${query ? "?" + query : ""} HTTP/1.1\r\n`;
  headers.forEach((v, k) => head += `${k}: ${v}\r\n`);
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: p.port });
  await conn.write(new TextEncoder().encode(head + "\r\n"));
  const chunk = bytes(64 * 1024, 3);
  for (let n = 0; n < sent; n += chunk.byteLength) await conn.write(chunk);
  return conn;
}

Deno.test("crash: SIGKILL mid-upload leaves no partial object; uploads and their parts survive", async () => {
  const dir = await Deno.makeTempDir({ prefix: "boskit-crash-" });
  let p = await start(dir);
  const conns: Deno.Conn[] = [];
  try {
    assert.equal((await call(p, "PUT", "/crash")).status, 200);
    assert.equal((await call(p, "PUT", "/crash/done.txt", "", "complete")).status, 200);
    const id = (await call(p, "POST", "/crash/mp", "uploads")).json().uploadId;
    assert.equal(
      (await call(p, "PUT", "/crash/mp", `partNumber=1&uploadId=${id}`, bytes(150_000, 9))).status,
      200,
    );
    assert.equal((await call(p, "PUT", "/crash/mp", `partNumber=2&uploadId=${id}`, "two")).status, 200);
    conns.push(await hangingUpload(p, "/crash/huge.bin", "", 64 * 1024 * 1024, 8 * 1024 * 1024));
    conns.push(
      await hangingUpload(p, "/crash/mp", `partNumber=3&uploadId=${id}`, 32 * 1024 * 1024, 4 * 1024 * 1024),
    );
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(readdirSync(join(dir, "tmp")).length >= 1, "the uploads are streaming to temporary files");
    p.child.kill("SIGKILL");
    await p.child.status;
    for (const c of conns.splice(0)) c.close();

    p = await start(dir);
    assert.equal((await call(p, "HEAD", "/crash/huge.bin")).status, 404);
    assert.equal((await call(p, "GET", "/crash/done.txt")).text, "complete");
    const list = (await call(p, "GET", "/crash")).json();
    assert.deepEqual(list.contents.map((c: { key: string }) => c.key), ["done.txt"]);
    const uploads = (await call(p, "GET", "/crash", "uploads")).json();
    assert.deepEqual(uploads.uploads.map((u: { uploadId: string }) => u.uploadId), [id]);
    const parts = (await call(p, "GET", "/crash/mp", `uploadId=${id}`)).json();
    assert.deepEqual(parts.parts.map((x: { partNumber: number; size: number }) => [x.partNumber, x.size]), [[
      1,
      150_000,
    ], [2, 3]]);
    assert.deepEqual(readdirSync(join(dir, "tmp")), [], "temporary files are removed at startup");
    p.child.kill("SIGTERM");
    const st = await p.child.status;
    assert.equal(st.code, 0);
  } finally {
    for (const c of conns) c.close();
    try {
      p.child.kill("SIGKILL");
    } catch { /* already gone */ }
    await p.child.status;
    await Deno.remove(dir, { recursive: true });
  }
});
