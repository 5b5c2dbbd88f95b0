import assert from "node:assert/strict";
import { createSecureContext } from "node:tls";
import { test } from "node:test";
import { makeSelfSigned } from "./tls.js";

void test("every self-signed certificate is valid DER that TLS accepts, whatever its random serial", () => {
  // A serial whose first byte came out 0x00 was once encoded non-minimally (about 1 in 256 certificates).
  for (let i = 0; i < 1000; i++) {
    const id = makeSelfSigned({ dns: ["localhost"], ips: ["127.0.0.1"] });
    assert.doesNotThrow(() => createSecureContext({ cert: id.cert, key: id.key }), `certificate ${i}`);
  }
});
