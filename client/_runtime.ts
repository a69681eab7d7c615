// Private: which runtime the client runs on, and what its fetch can do with streamed bodies.

/** Whether this runtime is Deno (where `fetch` cannot stream a body with a Content-Length). */
export function isDeno(): boolean {
  // deno-lint-ignore no-explicit-any
  return typeof (globalThis as any).Deno?.version?.deno === "string";
}

/** Whether this runtime is Node.js itself (not Deno or Bun, which also set `process.versions.node`). */
export function isNode(): boolean {
  // deno-lint-ignore no-explicit-any
  const g = globalThis as any;
  return typeof g.process?.versions?.node === "string" && g.Deno === undefined && g.Bun === undefined;
}

/**
 * Whether Deno's fetch would use an HTTP proxy (HTTP_PROXY / HTTPS_PROXY / ALL_PROXY set): the socket
 * transport ignores those, so the client keeps to fetch then. The environment is read only where the permission
 * is already granted, so this never prompts.
 */
export function denoProxyConfigured(): boolean {
  // deno-lint-ignore no-explicit-any
  const deno = (globalThis as any).Deno;
  for (const name of ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"]) {
    try {
      if (deno.permissions.querySync({ name: "env", variable: name }).state !== "granted") continue;
      if (deno.env.get(name)) return true;
    } catch {
      // No permission API or no access: assume no proxy.
    }
  }
  return false;
}

/** Whether this runtime's fetch sends a stream body with an explicit Content-Length (not chunked). */
export function detectStreamingUploads(): boolean {
  // Node (undici) and Bun frame a stream body with the Content-Length given. Deno's fetch drops it
  // and sends chunked (denoland/deno#24197); browsers forbid setting Content-Length and stream only
  // over HTTP/2; other runtimes are unknown — all of those get in-memory part bodies.
  // deno-lint-ignore no-explicit-any
  const g = globalThis as any;
  if (g.Bun) return true;
  if (g.Deno) return false;
  return typeof g.process?.versions?.node === "string" && typeof ReadableStream === "function";
}

/** Whether this is a browser-like runtime (not Deno, Node or Bun): one with an HTTP cache and CORS. */
export function isBrowserLike(): boolean {
  // deno-lint-ignore no-explicit-any
  const g = globalThis as any;
  return g.Deno === undefined && g.Bun === undefined && typeof g.process?.versions?.node !== "string";
}

/**
 * Whether reads should skip the HTTP cache (`cache: "no-store"` on GET and HEAD): in browsers, where
 * a HEAD after a GET may be answered from the cache or revalidated to a 304 without the object's
 * headers. Writes keep the default mode (no-store there makes Chromium send `Cache-Control:
 * no-cache`, which BOS would store with the object).
 */
export function readsBypassCache(): boolean {
  if (!isBrowserLike() || typeof Request !== "function") return false;
  try {
    return new Request("http://localhost/", { cache: "no-store" }).cache === "no-store";
  } catch {
    return false;
  }
}

/** Whether upload progress can be byte-level through XMLHttpRequest (browsers and their workers). */
export function hasXhrUploads(): boolean {
  return isBrowserLike() && typeof (globalThis as { XMLHttpRequest?: unknown }).XMLHttpRequest === "function";
}
