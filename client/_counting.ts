// Private: what the pipeline needs of request bodies up front — whether one can be sent again, and
// a stream that counts the bytes read from it (byte-level progress). `body.ts` re-exports both.
/** Whether a body can be sent again (no body, bytes or a Blob; not a one-shot stream). */
export function isReplayable(body: { stream?: unknown } | undefined): boolean {
  return body === undefined || body.stream === undefined;
}

const CHUNK = 64 * 1024;

/**
 * A stream over `source` (in 64 KiB chunks for bytes) that reports how far it has been read (pulled
 * by fetch as it writes to the socket). Chunks are copies: some fetch implementations transfer
 * (detach) enqueued buffers, which would detach `bytes` itself.
 */
export function countingStream(
  source: Uint8Array | ReadableStream<Uint8Array>,
  onPosition: (position: number) => void,
): ReadableStream<Uint8Array> {
  let position = 0;
  if (source instanceof Uint8Array) {
    return new ReadableStream<Uint8Array>({
      pull(controller) {
        if (position >= source.length) {
          controller.close();
          return;
        }
        const end = Math.min(source.length, position + CHUNK);
        controller.enqueue(source.slice(position, end));
        position = end;
        onPosition(position);
      },
    }, { highWaterMark: 0 });
  }
  const reader = source.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) {
        controller.close();
        return;
      }
      controller.enqueue(value);
      position += value.length;
      onPosition(position);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
}
