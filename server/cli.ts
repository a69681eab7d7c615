/**
 * `deno task serve`: runs the reference server on a socket.
 *
 * ```
 * deno run -A server/cli.ts [--host 127.0.0.1] [--port 8080] [--ak AK --sk SK] [--data-dir DIR]
 *                           [--no-fsync] [--region bj] [--base-domain localhost] [--faults] [--cors ORIGINS]
 *                           [--help]
 * ```
 *
 * Prints exactly one line `listening on http://HOST:PORT` when ready; stops cleanly on SIGINT/SIGTERM.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { openCorsRules } from "../protocol/cors.ts";
import { LOCAL_CREDENTIALS, serve } from "./mod.ts";

const HELP = `boskit reference server: a local BOS-compatible endpoint

Usage: deno task serve [options]

Options:
  --host HOST         interface to listen on (default 127.0.0.1)
  --port PORT         port, 0 = any free port (default 8080)
  --ak AK             access key id (default $BOS_AK or ${LOCAL_CREDENTIALS.accessKeyId})
  --sk SK             secret access key (default $BOS_SK or ${LOCAL_CREDENTIALS.secretAccessKey})
  --data-dir DIR      keep data in DIR (default: in memory); every acknowledged write is flushed
                      to the disk first, so it survives a power loss
  --no-fsync          with --data-dir: do not flush (faster; a killed process still loses nothing
                      acknowledged, a power loss may): for throwaway test servers
  --region REGION     region of new buckets (default bj)
  --base-domain NAME  virtual-host addressing for <bucket>.NAME (e.g. localhost)
  --faults            enable fault injection and the /_boskit/* control endpoints
  --cors ORIGINS      for local development: every bucket without CORS rules of its own (and
                      ListBuckets, PutBucket) allows these origins ('*' = any; comma-separated,
                      each with at most one *), every method and header, and exposes every header
  --help              show this help
`;

function usage(message: string): never {
  console.error(`error: ${message}\nRun with --help for the options.`);
  Deno.exit(2);
}

/**
 * Parses the command line and runs the server until SIGINT/SIGTERM.
 *
 * @param args Command-line arguments (without the program name).
 *
 * @example
 * ```ts ignore
 * import { main } from "./cli.ts";
 *
 * await main(["--port", "0", "--faults"]); // prints "listening on http://127.0.0.1:<port>"
 * ```
 */
export async function main(args: string[]): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        host: { type: "string" },
        port: { type: "string" },
        ak: { type: "string" },
        sk: { type: "string" },
        "data-dir": { type: "string" },
        "no-fsync": { type: "boolean" },
        region: { type: "string" },
        "base-domain": { type: "string" },
        faults: { type: "boolean" },
        cors: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (err) {
    usage(err instanceof Error ? err.message : String(err));
  }
  if (values.help) {
    console.log(HELP);
    return;
  }
  const portText = values.port ?? "8080";
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) {
    usage(`--port must be an integer between 0 and 65535, got ${JSON.stringify(portText)}`);
  }
  const ak = values.ak ?? Deno.env.get("BOS_AK") ?? LOCAL_CREDENTIALS.accessKeyId;
  const sk = values.sk ?? Deno.env.get("BOS_SK") ?? LOCAL_CREDENTIALS.secretAccessKey;
  if (ak === "" || sk === "") usage("--ak and --sk must not be empty");
  if (values["no-fsync"] && values["data-dir"] === undefined) usage("--no-fsync needs --data-dir");
  const region = values.region ?? "bj";
  if (!/^[a-z0-9-]{1,32}$/.test(region)) {
    usage(`--region must be a region code such as bj, got ${JSON.stringify(region)}`);
  }
  let cors;
  if (values.cors !== undefined) {
    const origins = values.cors.split(",").map((o) => o.trim()).filter((o) => o !== "");
    const bad = origins.find((o) => o.split("*").length > 2);
    if (origins.length === 0 || bad !== undefined) {
      usage(
        `--cors must be '*' or comma-separated origins with at most one * each, got ${
          JSON.stringify(values.cors)
        }`,
      );
    }
    cors = openCorsRules(origins);
  }
  const server = await serve({
    hostname: values.host ?? "127.0.0.1",
    port: Number(portText),
    credentials: [{ accessKeyId: ak, secretAccessKey: sk }],
    dataDir: values["data-dir"],
    durable: !values["no-fsync"],
    region,
    baseDomain: values["base-domain"],
    faults: values.faults ?? false,
    cors,
  });
  console.log(`listening on ${server.url}`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    Deno.addSignalListener("SIGINT", stop);
    Deno.addSignalListener("SIGTERM", stop);
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([server.close(), new Promise((resolve) => timer = setTimeout(resolve, 5000))]);
  clearTimeout(timer);
  Deno.exit(0);
}

if (import.meta.main) {
  await main(Deno.args);
}
