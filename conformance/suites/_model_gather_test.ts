import assert from "node:assert/strict";
import { gather, Limiter, type Observation, walkObservation } from "./_model_gather.ts";

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** An observation whose answer arrives after `ms` and whose comparison records its name (or fails). */
function observation(name: string, ms: number, log: string[], fails = false): Observation {
  return async () => {
    log.push(`sent ${name}`);
    await sleep(ms);
    log.push(`answered ${name}`);
    return () => {
      log.push(`compared ${name}`);
      if (fails) throw new Error(`${name} diverged`);
    };
  };
}

Deno.test("gather: every observation is sent at once and compared in the planned order, not the order of answers", async () => {
  const log: string[] = [];
  await gather([observation("a", 30, log), observation("b", 1, log), observation("c", 15, log)]);
  assert.deepEqual(log.slice(0, 3), ["sent a", "sent b", "sent c"]);
  assert.deepEqual(log.filter((l) => l.startsWith("compared")), ["compared a", "compared b", "compared c"]);
  assert(log.indexOf("answered b") < log.indexOf("compared a"), "b answered before a was compared");
});

Deno.test("gather: the first divergence in planned order is thrown, after every request has settled, whichever answered first", async () => {
  for (const [first, second] of [[1, 20], [20, 1]]) {
    const log: string[] = [];
    await assert.rejects(
      gather([
        observation("a", 5, log),
        observation("b", first, log, true),
        observation("c", second, log, true),
        observation("d", 25, log),
      ]),
      /^Error: b diverged$/,
    );
    assert.deepEqual(log.filter((l) => l.startsWith("compared")), ["compared a", "compared b"]);
    assert(log.includes("answered d"), "nothing is left in flight when gather returns");
  }
});

Deno.test("gather: a request that failed is reported at its turn, after the comparisons planned before it", async () => {
  const log: string[] = [];
  const broken: Observation = async () => {
    await sleep(1);
    throw new Error("no response");
  };
  await assert.rejects(gather([observation("a", 10, log, true), broken]), /a diverged/);
  await assert.rejects(gather([observation("a", 10, log), broken]), /no response/);
});

Deno.test("limiter: at most n tasks run at once, started in the order they were asked for", async () => {
  const limiter = new Limiter(3);
  let running = 0;
  let most = 0;
  const started: number[] = [];
  await Promise.all(Array.from({ length: 10 }, (_, i) =>
    limiter.run(async () => {
      started.push(i);
      most = Math.max(most, ++running);
      await sleep(2 + (i % 3));
      running--;
    })));
  assert.equal(most, 3);
  assert.deepEqual(started, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  await assert.rejects(limiter.run(() => Promise.reject(new Error("boom"))), /boom/);
  assert.equal(await limiter.run(() => Promise.resolve(7)), 7, "a failed task frees its slot");
});

/** A listing of `n` items served `max` per page; `markerOf` is the marker the endpoint returns. */
function listing(n: number, max: number, markerOf: (last: number) => string) {
  const sent: string[] = [];
  const fetchPage = async (marker: string) => {
    sent.push(marker);
    await sleep(1);
    const from = marker === "" ? 0 : Number(marker.replace(/\D/g, "")) + 1;
    const items = Array.from({ length: Math.max(0, Math.min(max, n - from)) }, (_, i) => from + i);
    return { items, next: from + max < n ? markerOf(items.at(-1)!) : undefined };
  };
  return { sent, fetchPage };
}

Deno.test("walk: pages the model predicts are all requested at once and used when the endpoint's markers agree", async () => {
  const { sent, fetchPage } = listing(7, 3, (last) => `k${last}`);
  const seen: number[] = [];
  await gather([walkObservation(
    ["", "k2", "k5"],
    fetchPage,
    (_m, page) => {
      seen.push(...page.items);
      return Promise.resolve(page.next === undefined ? { done: true } : { done: false, next: page.next });
    },
    10,
    () => new Error("endless"),
  )]);
  assert.deepEqual(seen, [0, 1, 2, 3, 4, 5, 6]);
  assert.deepEqual(sent, ["", "k2", "k5"], "one request per page, none again");
});

Deno.test("walk: a page at a marker the model did not predict is requested when its turn comes, from the endpoint's marker", async () => {
  // The endpoint returns markers of another spelling ("x2"): the walk follows them, as a client would.
  const { sent, fetchPage } = listing(7, 3, (last) => `x${last}`);
  const markers: string[] = [];
  await gather([walkObservation(
    ["", "k2", "k5"],
    fetchPage,
    (m, page) => {
      markers.push(m);
      return Promise.resolve(page.next === undefined ? { done: true } : { done: false, next: page.next });
    },
    10,
    () => new Error("endless"),
  )]);
  assert.deepEqual(markers, ["", "x2", "x5"]);
  assert.deepEqual(sent, ["", "k2", "k5", "x2", "x5"]);
});

Deno.test("walk: a listing that never ends is a divergence after the page limit", async () => {
  const fetchPage = () => Promise.resolve("same");
  await assert.rejects(
    gather([
      walkObservation(
        ["a"],
        fetchPage,
        () => Promise.resolve({ done: false, next: "a" }),
        4,
        () => new Error("pagination did not end"),
      ),
    ]),
    /pagination did not end/,
  );
});
