import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { isLoopback } from "./server.js";

void describe("isLoopback", () => {
  void it("tells loopback addresses from those other machines can reach", () => {
    for (const a of ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]", "::ffff:127.0.0.1"])
      assert.equal(isLoopback(a), true, a);
    for (const a of ["0.0.0.0", "::", "192.168.1.10", "::ffff:10.0.0.1", "example.com"])
      assert.equal(isLoopback(a), false, a);
  });
});
