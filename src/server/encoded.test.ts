import { strict as assert } from "node:assert";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, test } from "node:test";
import { pulledBody } from "./encoded.js";

/** Pieces "0", "1", … (endless when `count` is undefined), recording when its source is ended. */
function source(count?: number): { chunks: Generator<Buffer>; ended: () => boolean; produced: () => number } {
  let ended = false;
  let produced = 0;
  function* chunks(): Generator<Buffer> {
    try {
      while (count === undefined || produced < count) yield Buffer.from(String(produced++));
    } finally {
      ended = true;
    }
  }
  return { chunks: chunks(), ended: () => ended, produced: () => produced };
}

void describe("streamed answers", () => {
  void test("a body is read from its source one piece per read, to the end", async () => {
    const s = source(3);
    const reader = pulledBody(s.chunks, 60_000).getReader();
    const first = await reader.read();
    assert.equal(Buffer.from(first.value ?? []).toString(), "0");
    assert.equal(s.produced(), 1, "nothing is read ahead of the connection");
    const rest: string[] = [];
    for (let r = await reader.read(); !r.done; r = await reader.read())
      rest.push(Buffer.from(r.value).toString());
    assert.deepEqual(rest, ["1", "2"]);
    assert.ok(s.ended());
  });

  void test("a body not read to the end in time fails and ends its source", async () => {
    const s = source();
    const reader = pulledBody(s.chunks, 50).getReader();
    await reader.read();
    await sleep(200);
    await assert.rejects(reader.read(), /not read within 0.05 s/);
    assert.ok(s.ended(), "the source (a store snapshot) is released");
  });

  void test("a body its reader cancels ends its source", async () => {
    const s = source();
    const reader = pulledBody(s.chunks, 60_000).getReader();
    await reader.read();
    await reader.cancel();
    assert.ok(s.ended());
  });
});
