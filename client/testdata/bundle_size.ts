// How much an application pays for the client in a browser, measured one way for the size-budget
// test (client/bundle_size_test.ts) and `deno task bench` (next to aws4fetch and s3-lite-client):
//
// - the app: a module that imports `BosClient` from the package entry (`mod.ts`) and constructs one;
// - the bundler: `deno bundle --platform browser --minify --code-splitting` (esbuild), so every
//   `import()` of the client becomes a chunk loaded on first use;
// - initial: the app's entry chunk and every chunk it imports statically (what loads before
//   `new BosClient()` runs), gzipped (-9) as one stream — the size of the one entry chunk a bundler
//   that keeps modules shared with lazy chunks in the entry chunk (Rollup, Vite) emits; esbuild writes
//   them as a dozen small files instead, and their per-file gzip sum is reported as well;
// - total: every chunk reachable through static and dynamic imports (everything any method can
//   load), without and with hash-wasm's chunk, gzipped file by file.
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** The sizes of one bundle, in bytes. */
export interface BundleSize {
  /** Files that load before the app's code runs. */
  initialFiles: string[];
  /** Minified size of those files. */
  initialMin: number;
  /** Those files gzipped as one stream (the budget). */
  initialGzip: number;
  /** Those files gzipped one by one and summed. */
  initialGzipPerFile: number;
  /** Every reachable chunk but hash-wasm's, gzipped one by one. */
  totalGzip: number;
  /** Every reachable chunk, hash-wasm included. */
  totalGzipWithWasm: number;
  /** Static `import … from "node:…"` statements left in the initial files. */
  staticNodeImports: string[];
}

/** The code of the measured app for the client. */
export const BOSKIT_APP = `import { BosClient } from ${JSON.stringify(`${root}mod.ts`)};
export const client = new BosClient({ endpoint: "https://bj.bcebos.com", credentials: { accessKeyId: "ak", secretAccessKey: "sk" } });
`;

async function gzipSize(data: Uint8Array): Promise<number> {
  // CompressionStream's gzip uses zlib's default level; -9 is what servers use for static files.
  const zlib = await import("node:zlib");
  return zlib.gzipSync(data, { level: 9 }).length;
}

/**
 * Bundles `appCode` for the browser and measures it.
 *
 * @param appCode The app module's source.
 * @param options `config`: a deno.json for its imports (default the project's); `cwd`: where to run.
 */
export async function measureBundle(
  appCode: string,
  options: { config?: string; cwd?: string } = {},
): Promise<BundleSize> {
  const dir = await Deno.makeTempDir({ prefix: "boskit-size-" });
  try {
    await Deno.writeTextFile(`${dir}/app.ts`, appCode);
    const out = `${dir}/out`;
    const r = await new Deno.Command(Deno.execPath(), {
      args: [
        "bundle",
        "--quiet",
        "--config",
        options.config ?? `${root}deno.json`,
        "--platform",
        "browser",
        "--minify",
        "--code-splitting",
        "--outdir",
        out,
        `${dir}/app.ts`,
      ],
      cwd: options.cwd ?? root,
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!r.success) throw new Error(`deno bundle failed:\n${new TextDecoder().decode(r.stderr)}`);
    const files = new Map<string, Uint8Array>();
    for await (const e of Deno.readDir(out)) {
      if (e.isFile) files.set(e.name, await Deno.readFile(`${out}/${e.name}`));
    }
    const text = (name: string) => new TextDecoder().decode(files.get(name));
    const staticDeps = (name: string) =>
      [...text(name).matchAll(/(?:\bfrom|\bimport)\s*["']\.\/([^"']+)["']/g)].map((m) => m[1]);
    const dynamicDeps = (name: string) =>
      [...text(name).matchAll(/import\(\s*["']\.\/([^"']+)["']\s*\)/g)].map((m) => m[1]);
    const closure = (start: string, withDynamic: boolean) => {
      const seen = new Set<string>();
      const todo = [start];
      while (todo.length) {
        const f = todo.pop()!;
        if (seen.has(f) || !files.has(f)) continue;
        seen.add(f);
        todo.push(...staticDeps(f), ...(withDynamic ? dynamicDeps(f) : []));
      }
      return [...seen].sort();
    };
    const initial = closure("app.js", false);
    const all = closure("app.js", true);
    const isWasm = (f: string) => f.startsWith("_wasm_hash");
    const sum = async (names: string[]) => {
      let n = 0;
      for (const f of names) n += await gzipSize(files.get(f)!);
      return n;
    };
    const joined = new Uint8Array(initial.reduce((n, f) => n + files.get(f)!.length, 0));
    let o = 0;
    for (const f of initial) {
      joined.set(files.get(f)!, o);
      o += files.get(f)!.length;
    }
    const staticNodeImports = initial.flatMap((f) =>
      [...text(f).matchAll(/(?:\bfrom|\bimport)\s*["'](node:[^"']+)["']/g)].map((m) => `${f}: ${m[1]}`)
    );
    return {
      initialFiles: initial,
      initialMin: joined.length,
      initialGzip: await gzipSize(joined),
      initialGzipPerFile: await sum(initial),
      totalGzip: await sum(all.filter((f) => !isWasm(f))),
      totalGzipWithWasm: await sum(all),
      staticNodeImports,
    };
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}
