/**
 * A small strict XML parser for the tests of the JUnit and HTML reporters: it refuses anything that
 * is not well-formed (unclosed or mismatched tags, unquoted or duplicate attributes, unknown
 * entities, a bare `<` or `&`, characters XML forbids, more than one root) and returns the tree.
 * Test support only; not part of the published package.
 *
 * @module
 */

/** An element: name, attributes and children (elements and text). */
export interface XmlElement {
  /** Tag name. */
  name: string;
  /** Attributes, entities decoded. */
  attrs: Record<string, string>;
  /** Child elements and text, in order. */
  children: Array<XmlElement | string>;
}

const NAME = /[A-Za-z_:][A-Za-z0-9_.:-]*/y;
const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decode(text: string, at: number): string {
  return text.replace(/&([^;\s&<]*);?/g, (m, body: string, offset: number) => {
    if (!m.endsWith(";")) throw new SyntaxError(`Bare & at ${at + offset}`);
    if (body in ENTITIES) return ENTITIES[body];
    const num = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(body);
    if (num) return String.fromCodePoint(parseInt(num[1] ?? num[2], num[1] ? 16 : 10));
    throw new SyntaxError(`Unknown entity &${body}; at ${at + offset}`);
  });
}

/**
 * Parses a document.
 *
 * @param text The document.
 * @returns The root element.
 * @throws {SyntaxError} Naming the first problem and its offset.
 */
export function parseXml(text: string): XmlElement {
  // deno-lint-ignore no-control-regex
  const bad = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/.exec(text);
  if (bad) {
    throw new SyntaxError(`Character U+${bad[0].charCodeAt(0).toString(16)} is not allowed at ${bad.index}`);
  }
  let i = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at ${i}: ${JSON.stringify(text.slice(i, i + 40))}`);
  };
  const name = (): string => {
    NAME.lastIndex = i;
    const m = NAME.exec(text);
    if (!m) fail("Expected a name");
    i += m![0].length;
    return m![0];
  };
  const space = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  while (i < text.length) {
    if (text.startsWith("<?", i)) {
      const end = text.indexOf("?>", i);
      if (end < 0) fail("Unclosed processing instruction");
      i = end + 2;
    } else if (text.startsWith("<!--", i)) {
      const end = text.indexOf("-->", i + 4);
      if (end < 0) fail("Unclosed comment");
      i = end + 3;
    } else if (text.startsWith("<![CDATA[", i)) {
      const end = text.indexOf("]]>", i);
      if (end < 0 || stack.length === 0) fail("Misplaced CDATA");
      stack.at(-1)!.children.push(text.slice(i + 9, end));
      i = end + 3;
    } else if (text.startsWith("<!DOCTYPE", i)) {
      if (root || stack.length) fail("Misplaced DOCTYPE");
      const end = text.indexOf(">", i);
      i = end + 1;
    } else if (text.startsWith("</", i)) {
      i += 2;
      const n = name();
      space();
      if (text[i] !== ">") fail("Expected >");
      i++;
      const open = stack.pop();
      if (!open || open.name !== n) fail(`Closing </${n}> does not match <${open?.name}>`);
      if (stack.length === 0) root = open;
    } else if (text[i] === "<") {
      if (root) fail("A second root element");
      i++;
      const el: XmlElement = { name: name(), attrs: {}, children: [] };
      for (;;) {
        const before = i;
        space();
        if (text.startsWith("/>", i) || text[i] === ">") break;
        if (i === before) fail("Expected space before an attribute");
        const a = name();
        if (a in el.attrs) fail(`Duplicate attribute ${a}`);
        space();
        if (text[i] !== "=") fail(`Attribute ${a} has no value`);
        i++;
        space();
        const q = text[i];
        if (q !== '"' && q !== "'") fail(`Attribute ${a} is not quoted`);
        const end = text.indexOf(q, i + 1);
        if (end < 0) fail("Unclosed attribute value");
        const raw = text.slice(i + 1, end);
        if (raw.includes("<")) fail(`< in the value of ${a}`);
        el.attrs[a] = decode(raw, i + 1);
        i = end + 1;
      }
      stack.at(-1)?.children.push(el);
      if (text.startsWith("/>", i)) {
        i += 2;
        if (stack.length === 0) root = el;
      } else {
        i++;
        stack.push(el);
      }
    } else {
      const end = text.indexOf("<", i);
      const raw = text.slice(i, end < 0 ? text.length : end);
      if (stack.length === 0) {
        if (raw.trim() !== "") fail("Text outside the root element");
      } else {
        if (raw.includes(">") && raw.includes("]]>")) fail("]]> in text");
        stack.at(-1)!.children.push(decode(raw, i));
      }
      i += raw.length;
    }
  }
  if (stack.length) throw new SyntaxError(`Unclosed <${stack.at(-1)!.name}>`);
  if (!root) throw new SyntaxError("No root element");
  return root;
}

/**
 * Every element under `root` (itself included) that `match` accepts, in document order.
 *
 * @param root Where to look.
 * @param match The test.
 * @returns The elements.
 */
export function findAll(root: XmlElement, match: (e: XmlElement) => boolean): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement) => {
    if (match(e)) out.push(e);
    for (const c of e.children) if (typeof c !== "string") walk(c);
  };
  walk(root);
  return out;
}

/**
 * The text of an element and its descendants.
 *
 * @param e The element.
 * @returns Its text.
 */
export function textOf(e: XmlElement): string {
  return e.children.map((c) => (typeof c === "string" ? c : textOf(c))).join("");
}

/**
 * Whether an element carries a class.
 *
 * @param e The element.
 * @param cls The class name.
 * @returns Whether its `class` attribute lists `cls`.
 */
export function hasClass(e: XmlElement, cls: string): boolean {
  return (e.attrs.class ?? "").split(/\s+/).includes(cls);
}
