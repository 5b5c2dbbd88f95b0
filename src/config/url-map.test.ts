import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { mapUrl, parseUrlRewrite } from "./url-map.js";

void describe("URL map", () => {
  void it("rewrites the longest matching prefix and leaves other URLs alone", () => {
    const map = [
      { prefix: "https://github.com/", base: "https://mirror/gh/" },
      { prefix: "https://github.com/tektoncd/", base: "file:///srv/tektoncd/" },
    ];
    assert.equal(mapUrl("https://github.com/tektoncd/catalog.git", map), "file:///srv/tektoncd/catalog.git");
    assert.equal(mapUrl("https://github.com/other/x.git", map), "https://mirror/gh/other/x.git");
    assert.equal(mapUrl("https://gitlab.com/x.git", map), "https://gitlab.com/x.git");
  });

  void it("parses PREFIX=BASE and refuses a missing side", () => {
    assert.deepEqual(parseUrlRewrite("https://a/=http://127.0.0.1:1/b/"), {
      prefix: "https://a/",
      base: "http://127.0.0.1:1/b/",
    });
    assert.throws(() => parseUrlRewrite("https://a/"), {
      message: 'invalid URL mapping "https://a/": expected PREFIX=BASE',
    });
  });
});
