import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, it } from "node:test";
import { treeIsBusy } from "./process-settle.js";

const table = (rows: Array<[pid: number, ppid: number, state: string]>) =>
  new Map(rows.map(([pid, ppid, state]) => [pid, { ppid, state }]));

void describe("treeIsBusy", () => {
  void it("looks at the whole tree under the root and only there", () => {
    const t = table([
      [10, 1, "S"],
      [11, 10, "S"],
      [12, 11, "R"],
      [20, 1, "R"],
    ]);
    assert.equal(treeIsBusy(10, t), true, "a runnable grandchild keeps the tree busy");
    assert.equal(treeIsBusy(11, t), true);
    assert.equal(
      treeIsBusy(
        10,
        table([
          [10, 1, "S"],
          [11, 10, "D"],
          [20, 1, "R"],
        ]),
      ),
      false,
      "a runnable process outside the tree does not count",
    );
    assert.equal(treeIsBusy(99, t), false, "a process that is gone is not busy");
  });

  void it("tells a computing process from a sleeping one on this host", async (t) => {
    const busy = spawn("sh", ["-c", "while :; do :; done"], { stdio: "ignore" });
    const idle = spawn("sh", ["-c", "sleep 30"], { stdio: "ignore" });
    t.after(() => {
      busy.kill("SIGKILL");
      idle.kill("SIGKILL");
    });
    let sawBusy = false;
    for (let i = 0; i < 200 && !sawBusy; i++) {
      sawBusy = treeIsBusy(busy.pid!);
      if (!sawBusy) await sleep(5);
    }
    assert.ok(sawBusy, "a busy loop is seen running");
    let sawIdle = false;
    for (let i = 0; i < 200 && !sawIdle; i++) {
      sawIdle = !treeIsBusy(idle.pid!);
      if (!sawIdle) await sleep(5);
    }
    assert.ok(sawIdle, "a shell waiting for sleep is seen idle");
  });
});
