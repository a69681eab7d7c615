/**
 * Endpoints the kit's tests run against: servers that are not BOS (one answering 200 to
 * everything, one answering HTML 404s, a closed port), the reference server behind a handler that
 * hangs or slows some requests, and TLS certificates made with openssl.
 *
 * @module
 */
import { createHandler } from "../../server/mod.ts";
import type { Credentials } from "../_http.ts";

/** A loopback server for a test. */
export interface TestServer {
  /** `http://127.0.0.1:<port>` (or https). */
  url: string;
  /** Requests it received. */
  readonly requests: number;
  /** Stops it. */
  close(): Promise<void>;
}

/**
 * Serves `handler` on a loopback port, counting requests.
 *
 * @param handler The handler.
 * @param tls Certificate and key (PEM) to serve https.
 * @returns The server.
 */
export function serveHandler(
  handler: (req: Request) => Response | Promise<Response>,
  tls?: { cert: string; key: string },
): TestServer {
  let requests = 0;
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen: () => {}, ...(tls ?? {}) },
    (req) => {
      requests++;
      return handler(req);
    },
  );
  return {
    url: `${tls ? "https" : "http"}://127.0.0.1:${server.addr.port}`,
    get requests() {
      return requests;
    },
    close: () => server.shutdown(),
  };
}

/** The three endpoints that are not BOS, each with the words its diagnosis must contain. */
export function notBosEndpoints(): Array<{ name: string; server: TestServer; diagnosis: RegExp }> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const closedPort = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return [
    {
      name: "a server answering 200 to everything",
      server: serveHandler(() => new Response("OK", { headers: { "content-type": "text/plain" } })),
      diagnosis: /does not speak BOS: .*answered 200/,
    },
    {
      name: "a server answering HTML 404s",
      server: serveHandler(() =>
        new Response("<html><body><h1>404 Not Found</h1></body></html>", {
          status: 404,
          headers: { "content-type": "text/html" },
        })
      ),
      diagnosis: /does not speak BOS: .*404 text\/html.*not a BOS JSON error/,
    },
    {
      name: "a closed port",
      server: { url: `http://127.0.0.1:${closedPort}`, requests: 0, close: () => Promise.resolve() },
      diagnosis: /Cannot reach http:\/\/127\.0\.0\.1:\d+\/: connection refused/,
    },
  ];
}

/**
 * The reference server, with requests that `hold` picks answered only after `delayMs` (or never,
 * until the server closes, with `Infinity`).
 *
 * @param credentials Keys the server accepts.
 * @param hold Which requests to hold.
 * @param delayMs How long.
 * @returns The server.
 */
export function slowReferenceServer(
  credentials: Credentials,
  hold: (req: Request) => boolean,
  delayMs: number,
): TestServer {
  const handler = createHandler({ credentials: [credentials as Required<Credentials>] });
  const waiting = new Set<() => void>();
  const server = serveHandler(async (req) => {
    if (hold(req)) {
      await new Promise<void>((resolve) => {
        waiting.add(resolve);
        if (Number.isFinite(delayMs)) {
          setTimeout(() => {
            waiting.delete(resolve);
            resolve();
          }, delayMs);
        }
      });
    }
    return handler(req);
  });
  return {
    url: server.url,
    get requests() {
      return server.requests;
    },
    close: async () => {
      for (const w of waiting) w();
      waiting.clear();
      await server.close();
    },
  };
}

/** Whether openssl can be run here. */
export async function hasOpenssl(): Promise<boolean> {
  try {
    return (await new Deno.Command("openssl", { args: ["version"], stdout: "null", stderr: "null" }).output())
      .success;
  } catch {
    return false;
  }
}

async function openssl(dir: string, ...args: string[]): Promise<void> {
  const out = await new Deno.Command("openssl", { args, cwd: dir, stdout: "null", stderr: "piped" }).output();
  if (!out.success) throw new Error(`openssl ${args[0]} failed: ${new TextDecoder().decode(out.stderr)}`);
}

/**
 * A private CA and a server certificate it signed for 127.0.0.1 and localhost, made with openssl in
 * `dir`.
 *
 * @param dir A temporary directory.
 * @returns PEM texts and the path of the CA file.
 */
export async function makeCertificates(
  dir: string,
): Promise<{ ca: string; caFile: string; cert: string; key: string }> {
  await openssl(
    dir,
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
    "-days",
    "2",
    "-subj",
    "/CN=boskit test CA",
  );
  await openssl(
    dir,
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    "leaf.key",
    "-out",
    "leaf.csr",
    "-subj",
    "/CN=localhost",
  );
  await Deno.writeTextFile(
    `${dir}/leaf.ext`,
    "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n",
  );
  await openssl(
    dir,
    "x509",
    "-req",
    "-in",
    "leaf.csr",
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-out",
    "leaf.pem",
    "-days",
    "2",
    "-extfile",
    "leaf.ext",
  );
  return {
    ca: await Deno.readTextFile(`${dir}/ca.pem`),
    caFile: `${dir}/ca.pem`,
    cert: await Deno.readTextFile(`${dir}/leaf.pem`),
    key: await Deno.readTextFile(`${dir}/leaf.key`),
  };
}
