// A headless Chromium driven over the DevTools protocol with Deno's own WebSocket (no dependency):
// launch with a fresh profile, open a page, evaluate a promise in it, collect console output, close.

/** Where Chromium may be: BOSKIT_CHROMIUM, then Debian's and the usual names. */
export const CHROMIUM_CANDIDATES = [
  Deno.env.get("BOSKIT_CHROMIUM"),
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
];

/** The first Chromium binary that exists, or undefined. */
export function findChromium(): string | undefined {
  for (const c of CHROMIUM_CANDIDATES) {
    if (!c) continue;
    try {
      if (Deno.statSync(c).isFile) return c;
    } catch { /* not there */ }
  }
  return undefined;
}

/** A launched browser with one page. */
export interface Browser {
  /** Evaluates an expression in the page and awaits it (its value must be JSON). */
  evaluate<T>(expression: string, timeoutMs?: number): Promise<T>;
  /** Sends a DevTools command to the page (e.g. `Network.emulateNetworkConditions`). */
  send(method: string, params?: unknown): Promise<unknown>;
  /** Console lines and uncaught exceptions of the page, in order. */
  readonly console: string[];
  /** Closes the page and the browser, removes the profile. */
  close(): Promise<void>;
}

/**
 * Launches headless Chromium (flags that keep it off the network) and opens `url`.
 *
 * @param binary The Chromium executable.
 * @param url The page to open.
 */
export async function launch(binary: string, url: string): Promise<Browser> {
  const profile = await Deno.makeTempDir({ prefix: "boskit-chromium-" });
  const child = new Deno.Command(binary, {
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
      `--user-data-dir=${profile}`,
      "--remote-debugging-port=0",
      "about:blank",
    ],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const cleanup = async () => {
    try {
      child.kill("SIGKILL");
    } catch { /* gone */ }
    await child.status.catch(() => {});
    await Deno.remove(profile, { recursive: true }).catch(() => {});
  };
  try {
    const wsUrl = await devtoolsUrl(child.stderr);
    const cdp = await Cdp.connect(wsUrl);
    const { targetId } = await cdp.call<{ targetId: string }>("Target.createTarget", { url: "about:blank" });
    const { sessionId } = await cdp.call<{ sessionId: string }>("Target.attachToTarget", {
      targetId,
      flatten: true,
    });
    const lines: string[] = [];
    cdp.onEvent = (method, params, session) => {
      if (session !== sessionId) return;
      if (method === "Runtime.consoleAPICalled") {
        const p = params as { type: string; args: { value?: unknown; description?: string }[] };
        lines.push(`console.${p.type}: ${p.args.map((a) => a.value ?? a.description).join(" ")}`);
      } else if (method === "Runtime.exceptionThrown") {
        const p = params as { exceptionDetails: { text: string; exception?: { description?: string } } };
        lines.push(`exception: ${p.exceptionDetails.exception?.description ?? p.exceptionDetails.text}`);
      }
    };
    await cdp.call("Runtime.enable", {}, sessionId);
    await cdp.call("Page.enable", {}, sessionId);
    await cdp.call("Page.navigate", { url }, sessionId);
    return {
      console: lines,
      send: (method, params) => cdp.call(method, params ?? {}, sessionId),
      async evaluate<T>(expression: string, timeoutMs = 60_000): Promise<T> {
        const r = await cdp.call<
          { result: { value?: T }; exceptionDetails?: { text: string; exception?: { description?: string } } }
        >(
          "Runtime.evaluate",
          { expression, awaitPromise: true, returnByValue: true, timeout: timeoutMs },
          sessionId,
          timeoutMs + 5000,
        );
        if (r.exceptionDetails) {
          throw new Error(
            `In the page: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`,
          );
        }
        return r.result.value as T;
      },
      async close() {
        await cdp.call("Browser.close", {}).catch(() => {});
        cdp.close();
        await cleanup();
      },
    };
  } catch (e) {
    await cleanup();
    throw e;
  }
}

/** Reads Chromium's stderr until it prints its DevTools WebSocket URL (then keeps draining it). */
async function devtoolsUrl(stderr: ReadableStream<Uint8Array>): Promise<string> {
  const reader = stderr.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const { done, value } = await reader.read();
    if (done) break;
    text += value;
    const m = /DevTools listening on (ws:\/\/\S+)/.exec(text);
    if (m) {
      (async () => {
        while (!(await reader.read()).done) { /* drain */ }
      })().catch(() => {});
      return m[1];
    }
  }
  throw new Error(`Chromium did not print its DevTools URL; its output:\n${text.slice(0, 2000)}`);
}

/** A minimal DevTools protocol connection: calls with ids, events to one listener. */
class Cdp {
  #ws: WebSocket;
  #next = 1;
  #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  onEvent: (method: string, params: unknown, sessionId?: string) => void = () => {};

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.onmessage = (e) => {
      const msg = JSON.parse(String(e.data));
      if (msg.id !== undefined) {
        const p = this.#pending.get(msg.id);
        this.#pending.delete(msg.id);
        if (msg.error) p?.reject(new Error(`${msg.error.message} (${msg.error.code})`));
        else p?.resolve(msg.result);
      } else this.onEvent(msg.method, msg.params, msg.sessionId);
    };
    ws.onclose = () => {
      for (const p of this.#pending.values()) p.reject(new Error("The DevTools connection closed"));
      this.#pending.clear();
    };
  }

  static connect(url: string): Promise<Cdp> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.onopen = () => resolve(new Cdp(ws));
      ws.onerror = () => reject(new Error(`Could not connect to ${url}`));
    });
  }

  call<T = unknown>(
    method: string,
    params: unknown = {},
    sessionId?: string,
    timeoutMs = 30_000,
  ): Promise<T> {
    const id = this.#next++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`DevTools call ${method} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.#ws.send(JSON.stringify({ id, method, params, sessionId }));
    });
  }

  close(): void {
    try {
      this.#ws.close();
    } catch { /* closed */ }
  }
}
