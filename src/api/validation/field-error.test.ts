import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { FieldError, goQuote } from "./field-error.js";

describe("FieldError rendering", () => {
  const cases: Array<[string, FieldError, string]> = [
    ["missing field", FieldError.missingField("a", "b"), "missing field(s): a, b"],
    ["disallowed", FieldError.disallowedFields("x"), "must not set the field(s): x"],
    [
      "invalid value with details",
      FieldError.invalidValue("v", "f", "d1", "d2"),
      "invalid value: v: f\nd1, d2",
    ],
    ["missing one-of", FieldError.missingOneOf("a", "b"), "expected exactly one, got neither: a, b"],
    ["multiple one-of", FieldError.multipleOneOf("a", "b"), "expected exactly one, got both: a, b"],
    ["invalid key name", FieldError.invalidKeyName("k y", "name"), 'invalid key name "k y": name'],
    ["out of bounds", FieldError.outOfBoundsValue(5, 1, 3, "n"), "expected 1 <= 5 <= 3: n"],
    [
      "generic without paths keeps a trailing colon-space",
      FieldError.generic("boom").viaField("spec"),
      "boom: ",
    ],
    [
      "generic with an empty path takes the prefix",
      FieldError.generic("boom", "").viaField("spec").viaField("x"),
      "boom: x.spec",
    ],
    [
      "index glues onto the previous part",
      FieldError.missingField("name").viaIndex(2).viaField("steps"),
      "missing field(s): steps[2].name",
    ],
    [
      "key glues too",
      FieldError.missingField("name").viaKey("p").viaField("params"),
      "missing field(s): params[p].name",
    ],
    ["viaFieldIndex", FieldError.missingField("x").viaFieldIndex("a", 1), "missing field(s): a[1].x"],
    ["viaFieldKey", FieldError.missingField("x").viaFieldKey("env", "HOME"), "missing field(s): env[HOME].x"],
    [
      "dotted prefixes are split",
      FieldError.missingField("x").viaField("spec.params"),
      "missing field(s): spec.params.x",
    ],
  ];
  for (const [name, err, want] of cases) {
    it(`renders ${name}`, () => assert.equal(err.error(), want));
  }

  it("merges errors with the same message and sorts paths and messages", () => {
    const e = FieldError.missingField("b")
      .also(FieldError.generic("zeta", "z"))
      .also(FieldError.missingField("a"), undefined, FieldError.empty())
      .also(FieldError.missingField("b"));
    assert.equal(e.error(), "missing field(s): a, b\nzeta: z");
  });

  it("keeps errors with different details apart", () => {
    const e = FieldError.of("m", ["a"], "d2").also(FieldError.of("m", ["b"], "d1"));
    assert.equal(e.error(), "m: b\nd1\nm: a\nd2");
  });

  it("reports emptiness and ignores empty leaves", () => {
    assert.equal(FieldError.empty().isEmpty(), true);
    assert.equal(FieldError.of("").isEmpty(), true);
    assert.equal(FieldError.empty().also(FieldError.empty()).isEmpty(), true);
    assert.equal(FieldError.missingField().isEmpty(), false);
  });

  it("gives a flattened machine form", () => {
    const e = FieldError.invalidValue("x", "a", "why").also(FieldError.invalidValue("x", "b", "why"));
    assert.deepEqual(e.toJSON(), [
      { message: "invalid value: x", paths: ["a", "b"], details: "why", level: 0 },
    ]);
    assert.equal(
      JSON.stringify(e),
      '[{"message":"invalid value: x","paths":["a","b"],"details":"why","level":0}]',
    );
  });

  it("does not change the receiver", () => {
    const e = FieldError.missingField("a");
    e.viaField("spec");
    e.also(FieldError.missingField("b"));
    assert.equal(e.error(), "missing field(s): a");
  });
});

describe("goQuote", () => {
  it("quotes like Go's %q", () => {
    assert.equal(goQuote('a"b\\c\n\t\x01é'), '"a\\"b\\\\c\\n\\t\\x01é"');
  });
});
