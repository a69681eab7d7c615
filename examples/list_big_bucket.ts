// Listing more than one page: 2,500 objects put 16 at a time, counted across pages, grouped by "directory"
// with a delimiter, then removed with batch deletes. Run: deno run -A examples/list_big_bucket.ts
import { exampleEnv } from "./_endpoint.ts";

const { client, bucket, close } = await exampleEnv();
const prefix = "examples/listing/";
// 25 "directories" of 100 objects; object i holds (i % 100) + 1 bytes.
const keys = Array.from({ length: 2500 }, (_, i) => {
  const day = String(Math.floor(i / 100) + 1).padStart(2, "0");
  return [`${prefix}2024-01-${day}/event-${String(i % 100).padStart(3, "0")}.txt`, "x".repeat((i % 100) + 1)];
});
try {
  const queue = keys.values(); // one iterator shared by 16 workers: each takes the next key when free
  const started = performance.now();
  await Promise.all(Array.from({ length: 16 }, async () => {
    for (const [key, body] of queue) await client.putObject(bucket, key, body);
  }));
  console.log(`put ${keys.length} objects in ${((performance.now() - started) / 1000).toFixed(2)} s`);

  let count = 0;
  let bytes = 0;
  for await (const o of client.listAllObjects(bucket, { prefix, maxKeys: 1000 })) { // 3 pages, fetched lazily
    count++;
    bytes += o.size;
  }
  console.log(`listed ${count} objects, ${bytes} bytes`);

  const dirs: string[] = [];
  for await (const p of client.listAllPrefixes(bucket, { prefix, delimiter: "/", maxKeys: 10 })) dirs.push(p);
  console.log(`${dirs.length} common prefixes, from ${dirs[0]} to ${dirs.at(-1)}`);

  // Batch delete: deleteObjects sends 1000 keys per request.
  const { deleted, errors } = await client.deleteObjects(bucket, keys.map(([key]) => key));
  console.log(`deleted ${deleted.length}, errors ${errors.length}`);
  const left = await client.listObjects(bucket, { prefix, maxKeys: 1 });
  console.log("objects left under the prefix:", left.contents.length);
} finally {
  const leftover: string[] = [];
  for await (const o of client.listAllObjects(bucket, { prefix })) leftover.push(o.key);
  if (leftover.length) await client.deleteObjects(bucket, leftover);
  await close();
}
