// A file of random bytes for the upload examples to send.

/** Writes `size` random bytes to `path` (replacing it), 64 KiB at a time. */
export async function writeRandomFile(path: string, size: number): Promise<void> {
  await using file = await Deno.open(path, { write: true, create: true, truncate: true });
  const writer = file.writable.getWriter();
  for (let n = 0; n < size; n += 65536) {
    await writer.write(crypto.getRandomValues(new Uint8Array(Math.min(65536, size - n))));
  }
  await writer.close();
}
