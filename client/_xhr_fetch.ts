// Private: a fetch-shaped transport on XMLHttpRequest, used in browsers for request bodies whose
// progress is watched: `fetch` reports nothing while a body uploads (and browsers stream request
// bodies only over HTTP/2), while XHR's `upload.onprogress` counts the bytes as they go out. Aborts
// (the caller's signal, and the pipeline's per-attempt timeout, which aborts the same signal) call
// `xhr.abort()`. The response is buffered: only uploads take this path, and their answers are small.

// Headers a script may not set; XHR would refuse each with a console error, so they are left out
// (the browser computes Content-Length from the body and Host from the URL).
const FORBIDDEN = new Set([
  "content-length",
  "host",
  "connection",
  "keep-alive",
  "transfer-encoding",
  "expect",
]);

// The part of XMLHttpRequest used here (Deno's types have none; browsers and workers do).
interface Xhr {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  getAllResponseHeaders(): string;
  send(body: BodyInit | null): void;
  abort(): void;
  responseType: string;
  readonly response: unknown;
  readonly status: number;
  readonly statusText: string;
  readonly upload: { onprogress: ((e: { loaded: number }) => void) | null };
  onload: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
}

function parseHeaders(raw: string): Headers {
  const h = new Headers();
  for (const line of raw.split(/\r?\n/)) {
    const i = line.indexOf(":");
    if (i > 0) h.append(line.slice(0, i).trim(), line.slice(i + 1).trim());
  }
  return h;
}

/**
 * Sends one request with XMLHttpRequest; `onUpload(loaded)` receives the request-body bytes sent so
 * far. Resolves with a `Response`; a network failure rejects with a `TypeError` (as `fetch` does),
 * an abort with the signal's reason.
 */
export function xhrFetch(
  url: string,
  init: RequestInit,
  onUpload: (loaded: number) => void,
): Promise<Response> {
  return new Promise<Response>((resolve, reject) => {
    const signal = init.signal ?? undefined;
    if (signal?.aborted) return reject(signal.reason);
    const xhr: Xhr = new (globalThis as unknown as { XMLHttpRequest: new () => Xhr }).XMLHttpRequest();
    const method = (init.method ?? "GET").toUpperCase();
    xhr.open(method, url);
    xhr.responseType = "arraybuffer";
    new Headers(init.headers).forEach((value, name) => {
      if (!FORBIDDEN.has(name)) xhr.setRequestHeader(name, value);
    });
    const onAbort = () => xhr.abort();
    signal?.addEventListener("abort", onAbort, { once: true });
    const done = () => signal?.removeEventListener("abort", onAbort);
    xhr.upload.onprogress = (e) => onUpload(e.loaded);
    xhr.onload = () => {
      done();
      const empty = method === "HEAD" || xhr.status === 204 || xhr.status === 304;
      resolve(
        new Response(empty ? null : xhr.response as ArrayBuffer, {
          status: xhr.status,
          statusText: xhr.statusText,
          headers: parseHeaders(xhr.getAllResponseHeaders()),
        }),
      );
    };
    xhr.onerror = () => {
      done();
      reject(new TypeError(`XMLHttpRequest to ${new URL(url).host} failed (network error or CORS refusal)`));
    };
    xhr.onabort = () => {
      done();
      reject(signal?.reason ?? new DOMException("The request was aborted", "AbortError"));
    };
    xhr.send(init.body ?? null);
  });
}
