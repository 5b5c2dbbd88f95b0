/**
 * `tektite serve --address` with an address other machines can reach warns that the API runs
 * commands for whoever holds the token. The wildcard address is bound on an ephemeral port only
 * for this test; no request is sent to it.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cleanup, serve } from "../helpers/serve.js";

const WARNING =
  /warning: listening on (\S+), which is reachable from other machines; anyone with the token can run commands on this host/;

void describe("tektite serve --address", () => {
  void it("warns when it listens on an address other machines can reach", async (t) => {
    const s = await serve({ args: ["--address", "0.0.0.0", "--sandbox", "none"] });
    t.after(() => cleanup(s));
    assert.equal(WARNING.exec(s.output())?.[1], "0.0.0.0");
    assert.match(s.url, /^https:\/\/0\.0\.0\.0:\d+$/);
  });

  void it("says nothing of the kind on a loopback address", async (t) => {
    const s = await serve({ args: ["--address", "127.0.0.1", "--sandbox", "none"] });
    t.after(() => cleanup(s));
    assert.doesNotMatch(s.output(), /warning: listening on/);
    const r = await s.http("GET", "/version");
    assert.equal(r.status, 200);
  });
});
