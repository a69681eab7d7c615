// The client in a real browser: headless Chromium (driven over the DevTools protocol, no dependency)
// loads a page from one origin that runs the bundled client (`deno bundle --platform browser`)
// against the reference server on another origin — create a bucket, set its CORS rules through the
// client, put with metadata, head, get whole and ranged, a multipart upload of a Blob with progress,
// a failed upload that leaves nothing behind, list, delete. The server opens buckets without rules
// of their own to the page's origin (`cors` option, as `deno task serve --cors`), so the page can
// create its bucket; from then on the bucket's own rules govern, as the preflight checks at the end
// show. `.ci/run` installs Debian's chromium and sets BOSKIT_REQUIRE_BROWSER=1: a missing browser
// fails this test there instead of skipping it.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { openCorsRules } from "../protocol/cors.ts";
import { BosClient } from "./client.ts";
import { LOCAL_CREDENTIALS, serve } from "../server/mod.ts";
import { findChromium, launch } from "./testdata/cdp.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const required = Deno.env.get("BOSKIT_REQUIRE_BROWSER") === "1";
const chromium = findChromium();

async function bundlePage(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "boskit-page-" });
  const r = await new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "--config",
      `${root}deno.json`,
      "--platform",
      "browser",
      "--minify",
      "--code-splitting",
      "--outdir",
      dir,
      `${root}client/testdata/browser_page.ts`,
    ],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert(r.success, `deno bundle failed:\n${new TextDecoder().decode(r.stderr)}`);
  await Deno.writeTextFile(
    `${dir}/index.html`,
    '<!doctype html><meta charset="utf-8"><title>boskit</title><script type="module" src="./browser_page.js"></script>',
  );
  return dir;
}

/** Serves the bundle's files from `dir` (the page's origin). */
function servePage(dir: string): Deno.HttpServer<Deno.NetAddr> {
  return Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const name = new URL(req.url).pathname.slice(1) || "index.html";
    if (!/^[\w.-]+$/.test(name)) return new Response("not found", { status: 404 });
    try {
      const body = await Deno.readFile(`${dir}/${name}`);
      const type = name.endsWith(".html") ? "text/html; charset=utf-8" : "text/javascript; charset=utf-8";
      return new Response(body, { headers: { "content-type": type } });
    } catch {
      return new Response("not found", { status: 404 });
    }
  });
}

Deno.test({
  name:
    "browser: a page on another origin puts, heads, gets (whole and ranged), uploads multipart with progress, lists and deletes through the bundled client in headless Chromium",
  ignore: !chromium && !required,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    assert(
      chromium,
      "Chromium is required (BOSKIT_REQUIRE_BROWSER=1) but none was found; apt-get install -y chromium",
    );
    const dir = await bundlePage();
    const page = servePage(dir);
    const pageOrigin = `http://127.0.0.1:${page.addr.port}`;
    // The server on another origin (another port).
    const server = await serve({ hostname: "127.0.0.1", cors: openCorsRules([pageOrigin]), faults: true });
    const endpoint = server.url;
    const bucket = "browser-bucket";
    const hidden = "browser-hidden";
    server.handler.faults!.register({
      match: { operation: "UploadPart", key: "fail/blob.bin", partNumber: 2 },
      faults: ["403"],
    });
    const url = `${pageOrigin}/index.html?` + new URLSearchParams({ endpoint, bucket, hidden });
    const browser = await launch(chromium, url);
    try {
      await browser.evaluate(
        "new Promise((resolve, reject) => { const t = Date.now(); (function wait() { if (globalThis.boskitReady) resolve(true); else if (Date.now() - t > 20000) reject(new Error('page did not load')); else setTimeout(wait, 50); })(); })",
      );
      // Uploads at 1 MB/s, so progress events can show whether they are byte-level within a part.
      await browser.send("Network.enable");
      await browser.send("Network.emulateNetworkConditions", {
        offline: false,
        latency: 0,
        downloadThroughput: -1,
        uploadThroughput: 1_000_000,
      });
      const r = await browser.evaluate<Record<string, unknown>>("runBoskit()", 90_000);
      if (Deno.env.get("BOSKIT_BROWSER_DEBUG")) console.log(JSON.stringify(r, null, 1), browser.console);
      assert.equal(r.error, undefined, `the page failed: ${r.error}\n${browser.console.join("\n")}`);
      assert.equal(
        r.streamingUploads,
        false,
        "a browser's fetch does not stream request bodies over HTTP/1.1",
      );
      assert.equal((r.rules as unknown[]).length, 1);
      assert.match(String(r.putEtag), /^[0-9a-f]{32}$/);
      assert.equal(r.wholeText, "Hello, browser");
      assert.deepEqual(r.head, {
        etag: r.putEtag,
        contentLength: 14,
        author: "Zoë",
        cacheControl: null,
        requestId: (r.head as { requestId: string }).requestId,
      });
      assert.match(String((r.head as { requestId: string }).requestId), /^[0-9a-f-]{36}$/);
      assert.deepEqual(r.range, {
        text: "Hello",
        status: 206,
        contentRange: { start: 0, end: 4, total: 14 },
      });
      assert.equal(r.afterOverwrite, "Hello again", "a read after an overwrite sees the new bytes");
      assert.deepEqual(r.afterOverwriteMeta, {}, "and the new (empty) metadata, not a cached HEAD");
      assert.deepEqual(r.json, { a: 1 });
      assert.equal(r.blobType, "application/json");
      const up = r.upload as Record<string, unknown>;
      assert.equal(up.multipart, true);
      assert.equal(up.partCount, 4);
      assert.equal(up.size, 300 * 1024 + 123);
      assert.equal(up.lastTransferred, 300 * 1024 + 123, "progress ends at the size");
      assert.equal(up.monotonic, true);
      assert(Number(up.events) >= 4, `at least one progress event per part, got ${up.events}`);
      assert(
        Number(up.partial) > 0,
        "byte-level progress: events inside a part (XMLHttpRequest upload events)",
      );
      assert.equal(r.uploadRoundTrip, true);
      assert.equal(r.failedUpload, "403 AccessDenied");
      assert.deepEqual(r.uploadsLeft, [], "the failed upload was aborted");
      assert.deepEqual(r.listed, ["big/blob.bin", "data.json", "notes/hello.txt"]);
      assert.deepEqual(r.listedPrefix, ["notes/hello.txt"]);
      assert.equal(r.missing, "404 NoSuchKey", "a BOS error's code is readable cross-origin");
      assert.match(String(r.hiddenPut), /^MissingHeader: PutObject answered without the etag header/);
      assert.match(String(r.hiddenPut), /Access-Control-Expose-Headers/);
      assert.deepEqual(r.deleted, ["big/blob.bin", "data.json"]);
      assert.deepEqual(r.afterDelete, []);

      // The bucket's own rules govern it now, not the server's open defaults: a header the bucket's
      // rule does not list is refused, one it lists is allowed; another origin is refused.
      const tool = new BosClient({ endpoint: server.url, credentials: LOCAL_CREDENTIALS });
      const ok = await tool.optionsObject(bucket, "k", {
        origin: pageOrigin,
        method: "PUT",
        headers: ["authorization", "x-bce-meta-author"],
      });
      assert.deepEqual(ok.allowMethods, ["GET", "PUT", "DELETE", "POST", "HEAD"]);
      await assert.rejects(
        tool.optionsObject(bucket, "k", { origin: pageOrigin, method: "PUT", headers: ["x-unlisted"] }),
        { status: 403 },
      );
      await assert.rejects(
        tool.optionsObject(bucket, "k", { origin: "http://127.0.0.1:1", method: "GET" }),
        { status: 403 },
      );
      await tool.deleteBucket(bucket);
    } finally {
      await browser.close();
      await server.close();
      await page.shutdown();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
});
