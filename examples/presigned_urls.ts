// Presigned URLs: hand out a URL that uploads (PUT) or downloads (GET) one object with plain fetch, no keys.
// Run: deno run -A examples/presigned_urls.ts
import { exampleEnv } from "./_endpoint.ts";

const { client, bucket, close } = await exampleEnv();
const key = "examples/presigned/report.csv";
async function show(label: string, res: Response) {
  const body = await res.text();
  if (!res.ok) console.log(`${label}: ${res.status} ${JSON.parse(body).code}`); // BOS's JSON error body
  else {console.log(
      `${label}: ${res.status}`,
      body ? JSON.stringify(body) : `etag ${res.headers.get("etag")}`,
    );}
}
try {
  // Upload: the URL is for PUT, and the Content-Type is signed, so the uploader must send exactly it.
  const putUrl = await client.presignUrl(bucket, key, {
    method: "PUT",
    expirationInSeconds: 300,
    headers: { "content-type": "text/csv" },
  });
  // A string or Uint8Array body: Deno's fetch would send a stream chunked, without Content-Length.
  const put = await fetch(putUrl, {
    method: "PUT",
    headers: { "content-type": "text/csv" },
    body: "id,total\n1,42\n",
  });
  await show("presigned PUT", put);
  const meta = await client.headObject(bucket, key);
  console.log("stored:", meta.contentLength, "bytes of", meta.contentType);

  // Download: a GET URL valid for 10 minutes.
  const getUrl = await client.presignUrl(bucket, key, { expirationInSeconds: 600 });
  await show("presigned GET", await fetch(getUrl));

  // What the service refuses: the URL for another key, an expired URL, the GET URL used for a DELETE.
  await show("tampered URL", await fetch(getUrl.replace("report.csv", "secret.csv")));
  const expired = await client.presignUrl(bucket, key, {
    timestamp: new Date(Date.now() - 3600_000), // signed an hour ago, valid for 60 s
    expirationInSeconds: 60,
  });
  await show("expired URL", await fetch(expired));
  await show("GET URL used to DELETE", await fetch(getUrl, { method: "DELETE" }));
} finally {
  await client.deleteObject(bucket, key).catch(() => {});
  await close();
}
