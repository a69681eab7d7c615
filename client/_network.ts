/**
 * What went wrong below HTTP, in words: connection refused, DNS failure, TLS failure, reset, timeout,
 * a port the runtime's fetch blocks. Transports say it differently (Node's fetch: `fetch failed` with
 * an `ECONNREFUSED` cause; Deno's: a `TypeError` whose cause reads `tcp connect error: Connection
 * refused`; Bun's: a `code` on the error itself; `node:http`: a system error with `code` and
 * `syscall`), so the cause chain is read for codes and for the system's own words.
 *
 * @module
 */

/** The kinds of connection-level failure told apart. */
export type NetworkFailureKind =
  | "refused"
  | "dns"
  | "tls"
  | "reset"
  | "timeout"
  | "unreachable"
  | "blocked-port"
  | "other";

/** A connection-level failure, described. */
export interface NetworkFailure {
  kind: NetworkFailureKind;
  /** The system's reason: the innermost message of the cause chain, with its code. */
  detail: string;
}

const TLS_CODE =
  /^(ERR_SSL_|ERR_TLS_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT|EPROTO$|HOSTNAME_MISMATCH)/;

/** Codes and messages of an error and its causes, outermost first. */
function chain(error: unknown): Array<{ code?: string; message: string }> {
  const out: Array<{ code?: string; message: string }> = [];
  let e = error;
  for (let depth = 0; e !== undefined && e !== null && depth < 8; depth++) {
    const code = typeof e === "object" && typeof (e as { code?: unknown }).code === "string"
      ? (e as { code: string }).code
      : undefined;
    out.push({ code, message: e instanceof Error ? e.message : String(e) });
    e = typeof e === "object" ? (e as { cause?: unknown }).cause : undefined;
  }
  return out;
}

function kindOf(code: string | undefined, message: string): NetworkFailureKind | undefined {
  if (code === "ECONNREFUSED" || /connection refused|ECONNREFUSED/i.test(message)) return "refused";
  if (
    code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_NONAME" ||
    /dns error|failed to lookup address|getaddrinfo|name or service not known|nodename nor servname|no such host/i
      .test(message)
  ) return "dns";
  if (
    (code !== undefined && TLS_CODE.test(code)) ||
    /certificate|\btls\b|\bssl\b|handshake|corrupt message|wrong version number/i.test(message)
  ) return "tls";
  if (code === "EHOSTUNREACH" || code === "ENETUNREACH" || /unreachable/i.test(message)) return "unreachable";
  if (
    code === "ETIMEDOUT" || code === "UND_ERR_CONNECT_TIMEOUT" || /timed? ?out/i.test(message)
  ) return "timeout";
  if (
    code === "ECONNRESET" || code === "EPIPE" || code === "UND_ERR_SOCKET" || code === "ECONNABORTED" ||
    /reset|closed before message completed|other side closed|socket hang up|broken pipe|connection closed|unexpected eof/i
      .test(message)
  ) return "reset";
  if (/bad port|port \d+ (are|is) blocked|blocked port/i.test(message)) return "blocked-port";
  return undefined;
}

/** Query strings out of URLs a message quotes (they may carry parameters a log should not). */
function withoutQueries(text: string): string {
  return text.replace(/(https?:\/\/[^\s)?#]*)\?[^\s)]*/g, "$1");
}

/**
 * Describes a connection-level failure from the error a transport threw.
 *
 * @param error What `fetch` (or the `node:http` transport) threw.
 * @returns Its kind and the system's reason.
 */
export function describeNetworkFailure(error: unknown): NetworkFailure {
  const links = chain(error);
  let kind: NetworkFailureKind = "other";
  // The innermost link that says something is the system's own reason.
  for (let i = links.length - 1; i >= 0; i--) {
    const k = kindOf(links[i].code, links[i].message);
    if (k) {
      kind = k;
      break;
    }
  }
  const inner = links.filter((l) => l.message !== "" && l.message !== "fetch failed").at(-1) ?? links.at(-1);
  let detail = inner ? withoutQueries(inner.message.trim()) : "";
  const code = links.map((l) => l.code).filter((c) => c !== undefined).at(-1);
  if (code && !detail.includes(code)) detail = detail ? `${code}: ${detail}` : code;
  return { kind, detail };
}

/** What happened (to the origin) and what to check, by kind. */
const WORDS: Record<NetworkFailureKind, [(origin: string) => string, string]> = {
  refused: [(o) => `connection refused to ${o}`, "check the endpoint and that the server listens there"],
  dns: [(o) => `DNS lookup failed for ${o}`, "check the endpoint's host name"],
  tls: [
    (o) => `TLS handshake failed with ${o}`,
    "check the scheme (http or https) and the server's certificate",
  ],
  reset: [(o) => `connection reset by ${o} before a complete response`, ""],
  timeout: [(o) => `connection to ${o} timed out`, ""],
  unreachable: [(o) => `${o} is unreachable from this network`, ""],
  "blocked-port": [
    (o) => `the runtime's fetch refuses the port of ${o} (a blocked port)`,
    "use another port",
  ],
  other: [(o) => `no complete response from ${o}`, ""],
};

/**
 * A sentence for a connection-level failure: what happened, to which endpoint, the system's reason
 * and what to check, e.g. `connection refused to http://127.0.0.1:9 (connect ECONNREFUSED
 * 127.0.0.1:9); check the endpoint and that the server listens there`.
 *
 * @param error What the transport threw.
 * @param url The request URL (only its origin is named).
 * @returns The sentence.
 */
export function networkFailureMessage(error: unknown, url: string): string {
  const { kind, detail } = describeNetworkFailure(error);
  let origin = url;
  try {
    origin = new URL(url).origin;
  } catch { /* keep what was given */ }
  const [what, hint] = WORDS[kind];
  return `${what(origin)}${detail ? ` (${detail})` : ""}${hint ? `; ${hint}` : ""}`;
}
