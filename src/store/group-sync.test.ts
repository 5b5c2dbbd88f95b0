import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ResourceTypes } from "./resources.js";
import { openSqliteStore } from "./sqlite.js";

void describe("SQLite group sync", () => {
  void it("acknowledges a burst of writes with a few syncs, and the writes are there after reopening", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tektite-sync-"));
    try {
      const store = openSqliteStore(dir);
      const flushes: Promise<void>[] = [];
      for (let i = 0; i < 200; i++) {
        store.create(ResourceTypes.ConfigMap, {
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: { name: `cm-${i}` },
        });
        flushes.push(store.flush());
      }
      await Promise.all(flushes);
      // Nothing written since: resolves without another sync.
      await store.flush();
      store.close();
      await store.flush();
      const again = openSqliteStore(dir);
      assert.equal(again.list(ResourceTypes.ConfigMap).items.length, 200);
      again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
