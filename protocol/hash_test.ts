import assert from "node:assert/strict";
import fc from "fast-check";
import { crcToDecimal, toHex } from "./encoding.ts";
import { createIncrementalHash, hash, type HashAlgorithm } from "./hash.ts";

const ALGORITHMS: HashAlgorithm[] = ["md5", "sha256", "crc32", "crc32c"];

Deno.test("hash: known answers for every algorithm", async () => {
  assert.equal(toHex(await hash("md5", "abc")), "900150983cd24fb0d6963f7d28e17f72");
  assert.equal(
    toHex(await hash("sha256", "abc")),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
  assert.equal(crcToDecimal(await hash("crc32", "123456789")), String(0xcbf43926));
  assert.equal(crcToDecimal(await hash("crc32c", "123456789")), String(0xe3069283));
});

Deno.test("law: feeding bytes in any chunking gives the one-shot digest", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...ALGORITHMS),
      fc.uint8Array({ maxLength: 300 }),
      fc.nat(),
      async (alg, data, cut) => {
        const h = await createIncrementalHash(alg);
        const at = data.length ? cut % data.length : 0;
        h.update(data.subarray(0, at));
        h.update(data.subarray(at));
        assert.equal(toHex(h.digest()), toHex(await hash(alg, data)));
      },
    ),
    { numRuns: 100 },
  );
});

Deno.test("law: a copy goes on from the same state, independently of the original", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...ALGORITHMS),
      fc.uint8Array({ maxLength: 200 }),
      fc.uint8Array({ maxLength: 200 }),
      fc.uint8Array({ maxLength: 200 }),
      async (alg, prefix, a, b) => {
        const h = await createIncrementalHash(alg);
        h.update(prefix);
        const twin = await h.copy();
        h.update(a);
        twin.update(b);
        assert.equal(toHex(h.digest()), toHex(await hash(alg, new Uint8Array([...prefix, ...a]))));
        assert.equal(toHex(twin.digest()), toHex(await hash(alg, new Uint8Array([...prefix, ...b]))));
      },
    ),
    { numRuns: 100 },
  );
});

Deno.test("law: the native CRC32 (node:zlib) and the WASM fallback (hash-wasm) agree on every input", async () => {
  const { createCRC32 } = await import("hash-wasm");
  const native = await createIncrementalHash("crc32");
  assert.equal(crcToDecimal(native.digest()), "0");
  await fc.assert(
    fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 2000 }), { maxLength: 5 }), async (chunks) => {
      const a = await createIncrementalHash("crc32");
      const b = await createCRC32();
      b.init();
      for (const c of chunks) {
        a.update(c);
        b.update(c);
      }
      assert.equal(toHex(a.digest()), b.digest("hex"));
    }),
  );
});

Deno.test("law: the JavaScript CRC32 (browsers, edge runtimes) equals node:zlib's and continues like it", async () => {
  const { crc32 } = await import("./_crc32_js.ts");
  const zlib = await import("node:zlib");
  assert.equal(crc32(new TextEncoder().encode("123456789")), 0xcbf43926);
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 2000 }), fc.nat(), (data, cut) => {
      const at = data.length ? cut % data.length : 0;
      const whole = (zlib as unknown as { crc32(d: Uint8Array, p?: number): number }).crc32(data, 0) >>> 0;
      assert.equal(crc32(data), whole);
      assert.equal(crc32(data.subarray(at), crc32(data.subarray(0, at))), whole);
    }),
    { numRuns: 300 },
  );
});
