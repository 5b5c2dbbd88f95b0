import assert from "node:assert/strict";
import { test } from "node:test";
import { parseAnsi, stripAnsi } from "./ansi.js";
import { cssColour, cssOf } from "./log-style.js";

test("splits a line at SGR codes into styled segments: colours, bold, reset", () => {
  const segs = parseAnsi("plain \u001b[1;31mred bold\u001b[0m after \u001b[92mbright\u001b[39m default");
  assert.deepEqual(segs, [
    { text: "plain ", style: {} },
    { text: "red bold", style: { bold: true, fg: 1 } },
    { text: " after ", style: {} },
    { text: "bright", style: { fg: 10 } },
    { text: " default", style: {} },
  ]);
});

test("reads 256-colour and true-colour codes for foreground and background", () => {
  const segs = parseAnsi("\u001b[38;5;208morange\u001b[48;2;0;128;255m on blue");
  assert.deepEqual(segs, [
    { text: "orange", style: { fg: 208 } },
    { text: " on blue", style: { fg: 208, bg: "#0080ff" } },
  ]);
});

test("drops escape sequences that are not colours (cursor moves, OSC titles)", () => {
  assert.deepEqual(parseAnsi("\u001b[2Kprogress\u001b]0;title\u0007 done"), [
    { text: "progress", style: {} },
    { text: " done", style: {} },
  ]);
  assert.equal(stripAnsi("\u001b[32mok\u001b[0m"), "ok");
});

test("each line starts plain, whatever the previous line set", () => {
  parseAnsi("\u001b[31mno reset at the end");
  assert.deepEqual(parseAnsi("next line"), [{ text: "next line", style: {} }]);
});

test("turns styles into CSS: palette colours through the theme, 256 colours and true colours as rgb", () => {
  const [red] = parseAnsi("\u001b[1;31mx");
  assert.deepEqual(cssOf(red!.style), { color: "var(--ansi-1)", "font-weight": "bold" });
  assert.equal(cssColour(196), "rgb(255,0,0)");
  assert.equal(cssColour(244), "rgb(128,128,128)");
  assert.equal(cssColour("#0080ff"), "#0080ff");
  const [inv] = parseAnsi("\u001b[7;32;44mx");
  assert.deepEqual(cssOf(inv!.style), { color: "var(--ansi-4)", "background-color": "var(--ansi-2)" });
  assert.equal(cssOf({}), undefined);
});
