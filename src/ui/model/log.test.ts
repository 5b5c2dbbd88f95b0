import assert from "node:assert/strict";
import { test } from "node:test";
import { LogDocument, splitTimestamp } from "./log.js";

function shown(doc: LogDocument, collapsed: number[] = []): string[] {
  const rows = doc.rows(new Set(collapsed));
  return Array.from({ length: rows.count }, (_, r) => doc.line(rows.lineAt(r)).text);
}

test("joins streamed chunks into lines, holding a line until its newline or the end", () => {
  const doc = new LogDocument();
  doc.append("first li");
  doc.append("ne\nsecond\r\nthi");
  assert.equal(doc.lineCount, 2);
  doc.finish();
  assert.deepEqual(shown(doc), ["first line", "second", "thi"]);
});

test("splits the server's timestamps off each line", () => {
  assert.deepEqual(splitTimestamp("2026-12-01T09:00:00.123456789Z hello world"), {
    time: "2026-12-01T09:00:00.123456789Z",
    text: "hello world",
  });
  assert.deepEqual(splitTimestamp("no time here"), { text: "no time here" });
  const doc = new LogDocument();
  doc.append("2026-12-01T09:00:00Z ::error::it broke\n");
  assert.deepEqual(doc.line(0), { time: "2026-12-01T09:00:00Z", text: "it broke", level: "error" });
});

test("recognises ::error::, ::warning:: and the other level markers, with or without parameters", () => {
  const doc = new LogDocument();
  doc.append(
    "::error::bad\n::warning file=a.txt,line=3::careful\n::notice::fyi\n::debug::noise\nplain ::error:: not at the start\n",
  );
  assert.deepEqual(
    [0, 1, 2, 3, 4].map((i) => doc.line(i)),
    [
      { text: "bad", level: "error" },
      { text: "careful", level: "warning" },
      { text: "fyi", level: "notice" },
      { text: "noise", level: "debug" },
      { text: "plain ::error:: not at the start" },
    ],
  );
});

test("collapses a ::group:: block to its title and never shows ::endgroup:: lines", () => {
  const doc = new LogDocument();
  doc.append("before\n::group::Install\nstep 1\nstep 2\n::endgroup::\nafter\n::group::Test\nt1\n");
  assert.deepEqual(
    doc.groups.map((g) => ({ ...g })),
    [
      { title: "Install", start: 1, end: 4 },
      { title: "Test", start: 6 },
    ],
  );
  assert.deepEqual(shown(doc), ["before", "Install", "step 1", "step 2", "after", "Test", "t1"]);
  assert.deepEqual(shown(doc, [0]), ["before", "Install", "after", "Test", "t1"]);
  assert.deepEqual(shown(doc, [0, 1]), ["before", "Install", "after", "Test"]);
  assert.equal(doc.line(1).group, 0);
});

test("a ::group:: while another is open closes the open one", () => {
  const doc = new LogDocument();
  doc.append("::group::a\nx\n::group::b\ny\n");
  assert.deepEqual(shown(doc, [0]), ["a", "b", "y"]);
});

test("holds a million-line log and answers for any window of it", () => {
  const doc = new LogDocument();
  const chunk = Array.from({ length: 1000 }, (_, i) => `line ${i} ${"x".repeat(40)}`).join("\n") + "\n";
  for (let i = 0; i < 1000; i++) doc.append(chunk);
  assert.equal(doc.lineCount, 1_000_000);
  const rows = doc.rows(new Set());
  assert.equal(rows.count, 1_000_000);
  assert.match(doc.line(rows.lineAt(999_999)).text, /^line 999 x+$/);
});
