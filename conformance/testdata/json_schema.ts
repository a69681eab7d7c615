/**
 * A validator for the subset of JSON Schema (2020-12) that `report.schema.json` uses: `type`,
 * `const`, `enum`, `properties`, `required`, `additionalProperties`, `items`, `oneOf`, `$ref` to
 * `#/$defs/…`, `minimum`, `minLength` and `format: date-time`. A keyword outside the subset is an
 * error, so the schema cannot silently say more than is checked. Test support only; not part of the
 * published package.
 *
 * @module
 */

/** A schema (or sub-schema) of the supported subset. */
export type Schema = Record<string, unknown>;

const KEYWORDS = new Set([
  "$schema",
  "$id",
  "$defs",
  "$ref",
  "title",
  "description",
  "type",
  "const",
  "enum",
  "properties",
  "required",
  "additionalProperties",
  "items",
  "oneOf",
  "minimum",
  "minLength",
  "format",
]);

function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

function matchesType(v: unknown, type: string): boolean {
  const t = typeOf(v);
  return t === type || (type === "number" && t === "integer");
}

/**
 * Validates a value against a schema of the subset.
 *
 * @param schema The root schema (holding `$defs`).
 * @param value The value.
 * @returns Problems as `path: what` sentences; empty when the value is valid.
 */
export function validate(schema: Schema, value: unknown): string[] {
  const root = schema;
  const problems: string[] = [];
  const check = (s: Schema, v: unknown, path: string): void => {
    for (const k of Object.keys(s)) {
      if (!KEYWORDS.has(k)) throw new Error(`Schema keyword ${k} at ${path} is outside the supported subset`);
    }
    if (typeof s.$ref === "string") {
      const m = /^#\/\$defs\/(.+)$/.exec(s.$ref);
      const target = m ? (root.$defs as Record<string, Schema> | undefined)?.[m[1]] : undefined;
      if (!target) throw new Error(`Unresolvable $ref ${s.$ref}`);
      check(target, v, path);
    }
    if (s.type !== undefined) {
      const types = Array.isArray(s.type) ? s.type as string[] : [s.type as string];
      if (!types.some((t) => matchesType(v, t))) {
        problems.push(`${path}: expected ${types.join(" or ")}, got ${typeOf(v)}`);
        return;
      }
    }
    if ("const" in s && v !== s.const) problems.push(`${path}: expected ${JSON.stringify(s.const)}`);
    if (Array.isArray(s.enum) && !s.enum.includes(v)) {
      problems.push(`${path}: ${JSON.stringify(v)} is not one of ${JSON.stringify(s.enum)}`);
    }
    if (typeof s.minimum === "number" && typeof v === "number" && v < s.minimum) {
      problems.push(`${path}: ${v} is below ${s.minimum}`);
    }
    if (typeof s.minLength === "number" && typeof v === "string" && [...v].length < s.minLength) {
      problems.push(`${path}: shorter than ${s.minLength}`);
    }
    if (s.format === "date-time" && typeof v === "string") {
      if (
        !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v) || isNaN(Date.parse(v))
      ) {
        problems.push(`${path}: ${JSON.stringify(v)} is not an RFC 3339 date-time`);
      }
    }
    if (Array.isArray(s.oneOf)) {
      const passing = (s.oneOf as Schema[]).filter((sub) =>
        validate({ $defs: root.$defs, ...sub }, v).length === 0
      );
      if (passing.length !== 1) {
        problems.push(`${path}: matches ${passing.length} of the oneOf alternatives, expected exactly 1`);
        if (passing.length === 0) {
          const best = (s.oneOf as Schema[]).map((sub) => validate({ $defs: root.$defs, ...sub }, v))
            .sort((a, b) => a.length - b.length)[0];
          problems.push(...best.map((p) => p.replace(/^\$/, path)));
        }
      }
    }
    if (typeOf(v) === "object") {
      const o = v as Record<string, unknown>;
      for (const r of (s.required as string[] | undefined) ?? []) {
        if (!(r in o)) problems.push(`${path}: missing ${r}`);
      }
      const props = (s.properties ?? {}) as Record<string, Schema>;
      for (const [k, child] of Object.entries(o)) {
        if (k in props) check(props[k], child, `${path}.${k}`);
        else if (s.additionalProperties === false) problems.push(`${path}: unexpected property ${k}`);
        else if (typeof s.additionalProperties === "object") {
          check(s.additionalProperties as Schema, child, `${path}.${k}`);
        }
      }
    }
    if (typeOf(v) === "array" && s.items !== undefined) {
      (v as unknown[]).forEach((item, i) => check(s.items as Schema, item, `${path}[${i}]`));
    }
  };
  check(schema, value, "$");
  return problems;
}
