// The layout rules of the README's "For contributors" section, checked: no module (other than a
// test) is over 900 lines, and the project's modules import each other without a cycle. The module
// graph is the one `deno info --json` reports; its static imports count, type-only ones included
// (a type cycle still ties two modules together), while `import()` does not: a dynamic import is the
// lazy-loading boundary (the facade loads the upload engine that way) and cannot form an
// initialisation cycle.
import assert from "node:assert/strict";

const root = new URL(".", import.meta.url);
const MAX_LINES = 900;

/** Every TypeScript module of the project, relative to the root (tests included). */
async function projectModules(): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: URL, prefix: string) => {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
      if (entry.isDirectory) await walk(new URL(entry.name + "/", dir), prefix + entry.name + "/");
      else if (entry.name.endsWith(".ts")) out.push(prefix + entry.name);
    }
  };
  await walk(root, "");
  return out.sort();
}

const isTest = (path: string) => path.endsWith("_test.ts");

interface InfoModule {
  specifier: string;
  dependencies?: {
    specifier: string;
    code?: { specifier?: string };
    type?: { specifier?: string };
    isDynamic?: boolean;
  }[];
}

/** The static import graph among the project's files: module → modules it imports. */
async function importGraph(modules: string[]): Promise<Map<string, Set<string>>> {
  // One `deno info` over a module that imports every project module (it is never run).
  const dir = await Deno.makeTempDir({ prefix: "boskit-layout-" });
  try {
    const all = `${dir}/all.ts`;
    await Deno.writeTextFile(
      all,
      modules.map((m) => `import ${JSON.stringify(new URL(m, root).href)};`).join("\n"),
    );
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json", "--config", new URL("deno.json", root).pathname, all],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert(out.success, new TextDecoder().decode(out.stderr));
    const info = JSON.parse(new TextDecoder().decode(out.stdout)) as { modules: InfoModule[] };
    const graph = new Map<string, Set<string>>();
    for (const m of info.modules) {
      if (!m.specifier.startsWith(root.href)) continue;
      const edges = new Set<string>();
      for (const d of m.dependencies ?? []) {
        if (d.isDynamic) continue;
        for (const target of [d.code?.specifier, d.type?.specifier]) {
          if (target?.startsWith(root.href)) edges.add(target.slice(root.href.length));
        }
      }
      graph.set(m.specifier.slice(root.href.length), edges);
    }
    return graph;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The cycles of a graph, each once (Tarjan's strongly connected components of size > 1, or self-loops). */
function cycles(graph: Map<string, Set<string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || graph.get(v)?.has(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

Deno.test("layout: no module other than a test is over 900 lines", async () => {
  const tooLong: string[] = [];
  for (const path of (await projectModules()).filter((p) => !isTest(p))) {
    const text = await Deno.readTextFile(new URL(path, root));
    const lines = text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
    if (lines > MAX_LINES) tooLong.push(`${path}: ${lines} lines`);
  }
  assert.deepEqual(tooLong, [], `split these modules (limit ${MAX_LINES} lines)`);
});

Deno.test("layout: the project's modules import each other without a cycle (static and type imports)", async () => {
  const modules = await projectModules();
  const graph = await importGraph(modules);
  assert(graph.size >= modules.filter((p) => !isTest(p)).length, "deno info saw every module");
  assert.deepEqual(cycles(graph), []);
});

Deno.test("layout: the cycle finder finds a two-module cycle and a self-import", () => {
  const graph = new Map([
    ["a.ts", new Set(["b.ts"])],
    ["b.ts", new Set(["a.ts", "c.ts"])],
    ["c.ts", new Set<string>()],
    ["d.ts", new Set(["d.ts"])],
  ]);
  assert.deepEqual(cycles(graph), [["a.ts", "b.ts"], ["d.ts"]].sort((x, y) => (x[0] < y[0] ? -1 : 1)));
});
