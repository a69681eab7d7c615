// Reading whole bodies: used where a caller asked for all the bytes (GetObjectResult.bytes/text).

/** Reads a byte stream to the end into one array (no copy when it arrived in one chunk). */
export async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let n = 0;
  for await (const chunk of stream) {
    chunks.push(chunk);
    n += chunk.length;
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(n);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

/** The `body`, `bytes()` and `text()` members of a GetObject-like result. */
export function bodyReaders(body: ReadableStream<Uint8Array>): {
  body: ReadableStream<Uint8Array>;
  bytes(): Promise<Uint8Array>;
  text(): Promise<string>;
} {
  return {
    body,
    bytes: () => readAll(body),
    text: async () => new TextDecoder().decode(await readAll(body)),
  };
}
