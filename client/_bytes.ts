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

/** The fetch-like members of a GetObject result: `body` and the readers of the whole body. */
export interface BodyReaders {
  body: ReadableStream<Uint8Array>;
  bytes(): Promise<Uint8Array>;
  arrayBuffer(): Promise<ArrayBuffer>;
  text(): Promise<string>;
  json(): Promise<unknown>;
  blob(): Promise<Blob>;
}

/** The `body` and the `bytes()`, `arrayBuffer()`, `text()`, `json()` and `blob()` readers of a result. */
export function bodyReaders(body: ReadableStream<Uint8Array>, contentType?: string): BodyReaders {
  const bytes = () => readAll(body);
  const text = async () => new TextDecoder().decode(await bytes());
  return {
    body,
    bytes,
    arrayBuffer: async () => {
      const b = await bytes();
      return (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength
        ? b.buffer
        : b.slice().buffer) as ArrayBuffer;
    },
    text,
    json: async () => JSON.parse(await text()),
    blob: async () =>
      new Blob([await bytes() as Uint8Array<ArrayBuffer>], contentType ? { type: contentType } : {}),
  };
}
