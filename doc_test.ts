// Documentation bar (denoland/std's rule): functions, classes and methods carry an `@example` that
// teaches something, unless they are `@deprecated` (then one sentence points to the replacement);
// interfaces and type aliases get a sentence, not an example; constants get a sentence. And
// `deno doc --lint` (JSDoc on every symbol and member, explicit types, no private types) is clean.
// "Methods" are the public methods of exported classes and of the `…Operations` interfaces that
// make up `BosClient` (each client area documents its methods there).
import assert from "node:assert/strict";

const ENTRY_POINTS = ["mod.ts", "server/mod.ts", "conformance/mod.ts", "protocol/mod.ts"];
const root = new URL(".", import.meta.url);

async function denoDoc(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["doc", ...args, ...ENTRY_POINTS],
    cwd: root,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

// The parts of `deno doc --json` (format version 2) this test reads.
interface Location {
  filename: string;
  line: number;
  col: number;
}
interface JsDoc {
  doc?: string;
  tags?: { kind: string; doc?: string }[];
}
interface ClassMember {
  name: string;
  kind?: string;
  jsDoc?: JsDoc;
  accessibility?: "public" | "protected" | "private";
  isStatic?: boolean;
  location: Location;
}
interface Declaration {
  location: Location;
  kind: string;
  jsDoc?: JsDoc;
  def?: {
    /** `reference`: a symbol documented under another entry point. */
    target?: Location;
    /** `namespace`. */
    elements?: DocSymbol[];
    /** `class` and `interface`. */
    methods?: ClassMember[];
  };
}
interface DocSymbol {
  name: string;
  declarations: Declaration[];
}
interface DocModule {
  module_doc?: JsDoc;
  symbols: DocSymbol[];
}

const key = (l: Location) => `${l.filename}:${l.line}:${l.col}`;
const where = (l: Location) => `${l.filename.slice(root.href.length)}:${l.line}`;
const hasExample = (doc?: JsDoc) => doc?.tags?.some((t) => t.kind === "example") ?? false;
const isDeprecated = (doc?: JsDoc) => doc?.tags?.some((t) => t.kind === "deprecated") ?? false;
/** A sentence: the description, or for a deprecated symbol its deprecation note. */
const hasSentence = (doc?: JsDoc) =>
  (doc?.doc ?? "").trim().length > 0 ||
  (doc?.tags?.some((t) => t.kind === "deprecated" && (t.doc ?? "").trim().length > 0) ?? false);
const EXAMPLE_KINDS = new Set(["function", "class"]);
const NO_EXAMPLE_KINDS = new Set(["interface", "typeAlias"]);
const isOperationsInterface = (name: string, decl: Declaration) =>
  decl.kind === "interface" && name.endsWith("Operations");

async function readDocs(): Promise<Record<string, DocModule>> {
  const { code, stdout, stderr } = await denoDoc("--json");
  assert.equal(code, 0, stderr);
  const json = JSON.parse(stdout);
  assert.equal(json.version, 2, "deno doc --json output format changed; update this test");
  const nodes = json.nodes as Record<string, DocModule>;
  assert.deepEqual(Object.keys(nodes), ENTRY_POINTS.map((p) => new URL(p, root).href));
  return nodes;
}

/** Every declaration reachable from the entry points (namespaces flattened), keyed by location. */
function collect(nodes: Record<string, DocModule>): Map<string, { name: string; decl: Declaration }> {
  const all = new Map<string, { name: string; decl: Declaration }>();
  const visit = (symbols: DocSymbol[], prefix: string) => {
    for (const symbol of symbols) {
      for (const decl of symbol.declarations) {
        const name = prefix + symbol.name;
        if (!all.has(key(decl.location))) all.set(key(decl.location), { name, decl });
        if (decl.kind === "namespace") visit(decl.def?.elements ?? [], name + ".");
      }
    }
  };
  for (const mod of Object.values(nodes)) visit(mod.symbols, "");
  return all;
}

Deno.test("every entry point has a module doc with an @example", async () => {
  const nodes = await readDocs();
  const missing = Object.entries(nodes).filter(([, m]) => !hasExample(m.module_doc)).map(([s]) => s);
  assert.ok(missing.length === 0, `Module docs without @example: ${missing.join(", ")}`);
});

Deno.test("functions and classes have an @example unless deprecated; every symbol has a sentence", async () => {
  const all = collect(await readDocs());
  const missing: string[] = [];
  for (const { name, decl } of all.values()) {
    if (decl.kind === "reference") {
      // Re-exported from another entry point: the target's own declaration is checked.
      const target = decl.def?.target;
      if (!target || !all.has(key(target))) {
        missing.push(`${name} (unresolved re-export, ${where(decl.location)})`);
      }
      continue;
    }
    if (!hasSentence(decl.jsDoc)) {
      missing.push(`${name} (${decl.kind} without a sentence, ${where(decl.location)})`);
    }
    if (EXAMPLE_KINDS.has(decl.kind) && !isDeprecated(decl.jsDoc) && !hasExample(decl.jsDoc)) {
      missing.push(`${name} (${decl.kind} without an @example, ${where(decl.location)})`);
    }
  }
  assert.ok(
    missing.length === 0,
    `${missing.length} exported symbols break the rule:\n  ${missing.join("\n  ")}`,
  );
});

Deno.test("interfaces and type aliases get a sentence, not an @example", async () => {
  const all = collect(await readDocs());
  const withExample: string[] = [];
  for (const { name, decl } of all.values()) {
    if (NO_EXAMPLE_KINDS.has(decl.kind) && hasExample(decl.jsDoc)) {
      withExample.push(`${name} (${decl.kind}, ${where(decl.location)})`);
    }
  }
  assert.deepEqual(withExample, []);
});

Deno.test("every public method of an exported class or …Operations interface has an @example", async () => {
  const all = collect(await readDocs());
  const missing: string[] = [];
  for (const { name, decl } of all.values()) {
    if (decl.kind !== "class" && !isOperationsInterface(name, decl)) continue;
    for (const m of decl.def?.methods ?? []) {
      if (decl.kind === "class" && m.kind !== "method") continue;
      if (m.accessibility === "private" || m.accessibility === "protected") continue;
      if (isDeprecated(m.jsDoc)) continue;
      if (!hasExample(m.jsDoc)) {
        missing.push(`${name}${m.isStatic ? "." : ".prototype."}${m.name} (${where(m.location)})`);
      }
    }
  }
  assert.ok(
    missing.length === 0,
    `${missing.length} public methods lack an @example:\n  ${missing.join("\n  ")}`,
  );
});

Deno.test("deno doc --lint is clean on the entry points", async () => {
  const { code, stdout, stderr } = await denoDoc("--lint");
  assert.equal(code, 0, `deno doc --lint failed:\n${stdout}${stderr}`);
});
