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
 * Whether Deno's fetch would use an HTTP proxy (HTTP_PROXY / HTTPS_PROXY / ALL_PROXY set): node:http
 * ignores those, so the client keeps to fetch then. The environment is read only where the permission
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
