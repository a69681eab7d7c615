// Protocol edges over real sockets, probed with raw HTTP/1.1 (no client library in between): a PUT
// without Content-Length, chunked uploads, `Expect: 100-continue` on refused and accepted requests, and
// what an anonymous caller learns. `serve()` runs here under Deno and, from a bundle of
// testdata/serve_main.ts, under Node and Bun; the handler given directly to `Deno.serve` and
// `Bun.serve` is probed for the Content-Length rule too.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createAuthorization, formatTimestamp } from "../protocol/signing/sign.ts";
import { createHandler, LOCAL_CREDENTIALS, serve } from "./mod.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
const root = fileURLToPath(new URL("../", import.meta.url));

interface Target {
  url: string;
  close(): Promise<void>;
}

/** A raw connection that reads whole HTTP/1.1 responses (head plus Content-Length bytes). */
class Raw {
  #conn: Deno.Conn;
  #buf = new Uint8Array(0);
  #eof = false;

  private constructor(conn: Deno.Conn) {
    this.#conn = conn;
  }

  static async open(url: string): Promise<Raw> {
    const u = new URL(url);
    return new Raw(await Deno.connect({ hostname: u.hostname, port: Number(u.port) }));
  }

  async send(data: string | Uint8Array): Promise<void> {
    const bytes = typeof data === "string" ? enc.encode(data) : data;
    for (let off = 0; off < bytes.byteLength;) off += await this.#conn.write(bytes.subarray(off));
  }

  /** Reads more bytes; false at EOF or when `deadline` passes. */
  async #more(deadline: number): Promise<boolean> {
    if (this.#eof) return false;
    const chunk = new Uint8Array(64 * 1024);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<"timeout">((r) =>
      timer = setTimeout(() => r("timeout"), deadline - Date.now())
    );
    try {
      const n = await Promise.race([this.#conn.read(chunk).catch(() => null), timeout]);
      if (n === "timeout") return false;
      if (n === null) {
        this.#eof = true;
        return false;
      }
      const next = new Uint8Array(this.#buf.byteLength + n);
      next.set(this.#buf);
      next.set(chunk.subarray(0, n), this.#buf.byteLength);
      this.#buf = next;
      return true;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The next response, or `undefined` if none arrives within `ms`. */
  async response(ms = 3000): Promise<{ status: number; headers: Headers; body: string } | undefined> {
    const deadline = Date.now() + ms;
    let end: number;
    while ((end = dec.decode(this.#buf).indexOf("\r\n\r\n")) < 0) {
      if (!await this.#more(deadline)) return undefined;
    }
    const head = dec.decode(this.#buf).slice(0, end).split("\r\n");
    const status = Number(head[0].split(" ")[1]);
    const headers = new Headers();
    for (const line of head.slice(1)) {
      const colon = line.indexOf(":");
      headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
    }
    const length = status === 100 ? 0 : Number(headers.get("content-length") ?? 0);
    const start = enc.encode(dec.decode(this.#buf).slice(0, end + 4)).byteLength;
    while (this.#buf.byteLength < start + length) {
      if (!await this.#more(deadline)) return undefined;
    }
    const body = dec.decode(this.#buf.subarray(start, start + length));
    this.#buf = this.#buf.slice(start + length);
    return { status, headers, body };
  }

  /** Whether the server closes the connection within `ms`. */
  async closes(ms = 3000): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (await this.#more(deadline)) { /* discard */ }
    return this.#eof;
  }

  close(): void {
    try {
      this.#conn.close();
    } catch { /* already closed */ }
  }
}

/** A raw request head, signed unless `anonymous` (or signed with the wrong secret when `badSignature`). */
async function requestHead(
  url: string,
  method: string,
  path: string,
  extra: Record<string, string> = {},
  opts: { anonymous?: boolean; badSignature?: boolean; query?: string } = {},
): Promise<string> {
  const host = new URL(url).host;
  const timestamp = new Date();
  const headers = new Headers({ host, "x-bce-date": formatTimestamp(timestamp), ...extra });
  if (!opts.anonymous) {
    headers.set(
      "authorization",
      await createAuthorization({
        accessKeyId: LOCAL_CREDENTIALS.accessKeyId,
        secretAccessKey: opts.badSignature ? "wrong-secret" : LOCAL_CREDENTIALS.secretAccessKey,
        method,
        path,
        query: opts.query ?? "",
        headers,
        timestamp,
      }),
    );
  }
  let text = `${method} ${path}${opts.query ? "?" + opts.query : ""} HTTP/1.1\r\n`;
  headers.forEach((v, k) => text += `${k}: ${v}\r\n`);
  return text + "\r\n";
}

/** Sends one request on a new connection and reads the answer. */
async function exchange(url: string, head: string, body = ""): Promise<{ status: number; body: string }> {
  const raw = await Raw.open(url);
  try {
    await raw.send(head + body);
    const res = await raw.response();
    assert(res, "an answer within 3 s");
    return res;
  } finally {
    raw.close();
  }
}

function codeOf(res: { body: string }): string {
  return JSON.parse(res.body).code;
}

// ---- where the server runs

async function find(candidates: (string | undefined)[]): Promise<string | undefined> {
  for (const c of candidates) {
    if (!c || (c.includes("/") && !existsSync(c))) continue;
    try {
      const out = await new Deno.Command(c, { args: ["--version"], stdout: "null", stderr: "null" }).output();
      if (out.success) return c;
    } catch { /* not there */ }
  }
  return undefined;
}
const required = Deno.env.get("BOSKIT_REQUIRE_RUNTIMES") === "1";
const node = await find([Deno.env.get("NODE"), "node"]);
const bun = await find([
  Deno.env.get("BUN"),
  `${root}.ci/.tools/bun/node_modules/.bin/bun`,
  `${root}node_modules/.bin/bun`,
  "bun",
]);

let bundle: Promise<string> | undefined;
function bundled(): Promise<string> {
  bundle ??= (async () => {
    const dir = await Deno.makeTempDir({ prefix: "boskit-socket-" });
    globalThis.addEventListener("unload", () => {
      try {
        Deno.removeSync(dir, { recursive: true });
      } catch { /* already gone */ }
    });
    const out = `${dir}/serve_main.mjs`;
    const r = await new Deno.Command(Deno.execPath(), {
      args: [
        "bundle",
        "--config",
        `${root}deno.json`,
        "--platform",
        "deno",
        "-o",
        out,
        fileURLToPath(new URL("./testdata/serve_main.ts", import.meta.url)),
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert(r.success, `deno bundle failed:\n${dec.decode(r.stderr)}`);
    return out;
  })();
  return bundle;
}

/** Runs testdata/serve_main.ts under another runtime; resolves to its URLs and a stopper. */
async function spawnServer(cmd: string): Promise<{ urls: Record<string, string>; close(): Promise<void> }> {
  const child = new Deno.Command(cmd, {
    args: [await bundled()],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`${cmd} exited before listening: ${text}`);
    text += value;
  }
  reader.releaseLock();
  child.stdout.cancel().catch(() => {});
  return {
    urls: JSON.parse(text.split("\n")[0]),
    async close() {
      await child.stdin.close();
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await child.status;
      clearTimeout(timer);
    },
  };
}

const RUNTIMES: { name: string; cmd?: string; start(): Promise<{ serve: Target; native?: Target }> }[] = [
  {
    name: "Deno",
    async start() {
      const server = await serve({ port: 0 });
      const handler = createHandler();
      // The handler given to Deno.serve directly, with Deno's info (it has remoteAddr).
      const native = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handler);
      return {
        serve: { url: server.url, close: () => server.close() },
        native: {
          url: `http://127.0.0.1:${native.addr.port}`,
          close: async () => void await Promise.all([native.shutdown(), handler.close()]),
        },
      };
    },
  },
  ...[["Node", node], ["Bun", bun]].map(([name, cmd]) => ({
    name: name!,
    cmd,
    async start() {
      const child = await spawnServer(cmd!);
      let closed: Promise<void> | undefined;
      const close = () => closed ??= child.close();
      return {
        serve: { url: child.urls.serve, close },
        native: child.urls.native ? { url: child.urls.native, close } : undefined,
      };
    },
  })),
];

for (const runtime of RUNTIMES) {
  const title = (what: string) => `socket, ${runtime.name}: ${what}`;
  const skip = runtime.name !== "Deno" && runtime.cmd === undefined && !required;

  Deno.test({
    name: title("a PUT without Content-Length is 411 MissingContentLength and stores nothing, chunked too"),
    ignore: skip,
    async fn() {
      const { serve: server, native } = await runtime.start();
      try {
        for (const target of native ? [server, native] : [server]) {
          assert.equal(
            (await exchange(target.url, await requestHead(target.url, "PUT", "/sock"))).status,
            200,
          );
          // Neither Content-Length nor a body (HTTP/1.1: the request has no body).
          let res = await exchange(target.url, await requestHead(target.url, "PUT", "/sock/none"));
          assert.equal(res.status, 411, `${target.url}: ${res.body}`);
          assert.equal(codeOf(res), "MissingContentLength");
          res = await exchange(target.url, await requestHead(target.url, "HEAD", "/sock/none"));
          assert.equal(res.status, 404, "nothing was stored");
          // AppendObject and UploadPart follow the same rule.
          res = await exchange(
            target.url,
            await requestHead(target.url, "POST", "/sock/log", {}, { query: "append" }),
          );
          assert.equal(codeOf(res), "MissingContentLength");
          // A chunked body: BOS needs the length up front; refused before the body is read.
          res = await exchange(
            target.url,
            await requestHead(target.url, "PUT", "/sock/chunked", { "transfer-encoding": "chunked" }),
            "3\r\nabc\r\n0\r\n\r\n",
          );
          assert.equal(res.status, 411);
          assert.equal(codeOf(res), "MissingContentLength");
          // An explicit Content-Length: 0 is an empty object.
          res = await exchange(
            target.url,
            await requestHead(target.url, "PUT", "/sock/empty", { "content-length": "0" }),
          );
          assert.equal(res.status, 200);
        }
      } finally {
        await server.close();
        await native?.close();
      }
    },
  });

  Deno.test({
    name: title(
      "Expect: 100-continue on a refused request gets the final error at once, the body never invited",
    ),
    ignore: skip,
    async fn() {
      const { serve: server, native } = await runtime.start();
      try {
        const url = server.url;
        assert.equal((await exchange(url, await requestHead(url, "PUT", "/expect"))).status, 200);
        const expect = { expect: "100-continue", "content-length": "1000" };
        const refusals: [string, Promise<string>, number, string][] = [
          [
            "no signature",
            requestHead(url, "PUT", "/expect/k", expect, { anonymous: true }),
            403,
            "AccessDenied",
          ],
          [
            "a bad signature",
            requestHead(url, "PUT", "/expect/k", expect, { badSignature: true }),
            403,
            "SignatureDoesNotMatch",
          ],
          [
            "Content-Length above the limit",
            requestHead(url, "PUT", "/expect/k", { ...expect, "content-length": String(6 * 1024 ** 3) }),
            400,
            "EntityTooLarge",
          ],
          ["a missing bucket", requestHead(url, "PUT", "/nobucket/k", expect), 404, "NoSuchBucket"],
          [
            "an unknown upload",
            requestHead(url, "PUT", "/expect/k", expect, {
              query: "partNumber=1&uploadId=" + "0".repeat(32),
            }),
            404,
            "NoSuchUpload",
          ],
        ];
        for (const [why, head, status, code] of refusals) {
          const raw = await Raw.open(url);
          try {
            await raw.send(await head); // headers only: the client waits for 100 Continue
            const res = await raw.response();
            assert(res, `${why}: an answer without sending the body`);
            assert.equal(res.status, status, `${why}: the final status, not ${res.status}`);
            assert.equal(codeOf(res), code);
            assert.equal(res.headers.get("connection"), "close", `${why}: the connection is not reused`);
            assert(await raw.closes(), `${why}: the server closes the connection instead of waiting`);
          } finally {
            raw.close();
          }
        }
        // Accepted: 100 Continue, then the body, then 200.
        const raw = await Raw.open(url);
        try {
          await raw.send(
            await requestHead(url, "PUT", "/expect/ok", { expect: "100-continue", "content-length": "5" }),
          );
          const cont = await raw.response();
          assert.equal(cont?.status, 100, "an accepted request is invited");
          await raw.send("hello");
          const done = await raw.response();
          assert.equal(done?.status, 200, done?.body);
          // The connection carries the next request.
          await raw.send(await requestHead(url, "GET", "/expect/ok"));
          const got = await raw.response();
          assert.equal(got?.body, "hello");
        } finally {
          raw.close();
        }
      } finally {
        await server.close();
        await native?.close();
      }
    },
  });

  Deno.test({
    name: title("an anonymous caller gets 403 AccessDenied whatever it asks for"),
    ignore: skip,
    async fn() {
      const { serve: server, native } = await runtime.start();
      try {
        const url = server.url;
        for (
          const [method, path, query] of [
            ["GET", "/", ""],
            ["GET", "/anybucket", "acl"],
            ["PUT", "/anybucket/k", "tagging"],
            ["PATCH", "/anybucket/k", ""],
            ["POST", "/anybucket/k", ""],
            ["OPTIONS", "/anybucket/k", ""],
            ["GET", "/Bad_Bucket!", ""],
            ["GET", "/_boskit/faults", ""],
            ["DELETE", "/anybucket", "lifecycle"],
          ]
        ) {
          const res = await exchange(
            url,
            await requestHead(url, method, path, { "content-length": "0" }, { anonymous: true, query }),
          );
          assert.equal(res.status, 403, `${method} ${path}?${query}: ${res.body}`);
          assert.equal(codeOf(res), "AccessDenied");
        }
      } finally {
        await server.close();
        await native?.close();
      }
    },
  });
}

Deno.test("socket, Deno.serve given the handler directly: Deno sends 100 Continue itself, the refusal still comes at once", async () => {
  // Deno.serve (2.9) writes 100 Continue before any JavaScript runs; serve() uses node:http for that
  // reason. A handler behind Deno.serve must at least not wait for a body it is going to refuse.
  const handler = createHandler();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handler);
  const url = `http://127.0.0.1:${server.addr.port}`;
  const raw = await Raw.open(url);
  try {
    await raw.send(
      await requestHead(url, "PUT", "/b/k", { expect: "100-continue", "content-length": "1000" }, {
        anonymous: true,
      }),
    );
    let res = await raw.response();
    if (res?.status === 100) res = await raw.response();
    assert.equal(res?.status, 403);
  } finally {
    raw.close();
    await server.shutdown();
    await handler.close();
  }
});
