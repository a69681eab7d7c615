/**
 * Endpoints and URLs: the endpoint a client is given, resolved once (scheme, host, addressing,
 * region), and the URL, host and path of each request (path-style or virtual-host, keys encoded with
 * BOS UriEncode).
 *
 * @module
 */
import { uriEncode } from "../protocol/encoding.ts";
import { invalid } from "./_invalid.ts";

/**
 * URL form: `https://<endpoint>/<bucket>/<key>` (`path`) or `https://<bucket>.<endpoint>/<key>`
 * (`virtual-host`).
 */
export type Addressing = "path" | "virtual-host";

/** An endpoint as the client resolved it. */
export interface Endpoint {
  protocol: "http:" | "https:";
  /** host[:port] as it appears in URLs (default ports dropped). */
  host: string;
  hostname: string;
  addressing: Addressing;
  region?: string;
}

const REGION_HOST = /^([a-z0-9-]+)\.bcebos\.com$/;

/** Resolves an endpoint string (a host, or an http(s) URL without path) and the addressing. */
export function parseEndpoint(endpoint: string, addressing?: Addressing, region?: string): Endpoint {
  const text = endpoint.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : "https://" + text;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch (cause) {
    throw invalid(`Endpoint must be a host name or an http(s) URL, got ${JSON.stringify(endpoint)}`, cause);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw invalid(`Endpoint scheme must be http or https, got ${JSON.stringify(url.protocol)}`);
  }
  if ((url.pathname !== "/" && url.pathname !== "") || url.search || url.hash || url.username) {
    throw invalid(`Endpoint must not have a path, query or credentials, got ${JSON.stringify(endpoint)}`);
  }
  const hostname = url.hostname.toLowerCase();
  const m = REGION_HOST.exec(hostname);
  if (addressing !== undefined && addressing !== "path" && addressing !== "virtual-host") {
    throw invalid(`Addressing must be "path" or "virtual-host", got ${JSON.stringify(addressing)}`);
  }
  return {
    protocol: url.protocol,
    host: url.host.toLowerCase(),
    hostname,
    addressing: addressing ?? (m ? "virtual-host" : "path"),
    region: region ?? m?.[1],
  };
}

/** Builds the request URL and the host it is sent to; `query` values are decoded text, `null` = bare flag. */
export function buildUrl(
  ep: Endpoint,
  bucket: string | undefined,
  key: string | undefined,
  query?: Record<string, string | number | null | undefined>,
): { url: string; host: string; path: string; rawQuery: string } {
  let host = ep.host;
  let path = "/";
  if (bucket !== undefined) {
    if (ep.addressing === "virtual-host") {
      host = `${bucket}.${ep.host}`;
      path = key === undefined ? "/" : "/" + uriEncode(key, true);
    } else {
      path = "/" + bucket + (key === undefined ? "" : "/" + uriEncode(key, true));
    }
  }
  const parts: string[] = [];
  if (query) {
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined) continue;
      parts.push(uriEncode(k) + "=" + (v === null ? "" : uriEncode(String(v))));
    }
  }
  const rawQuery = parts.join("&");
  return { url: `${ep.protocol}//${host}${path}${rawQuery ? "?" + rawQuery : ""}`, host, path, rawQuery };
}
