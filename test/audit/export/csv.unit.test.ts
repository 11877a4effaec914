import { describe, expect, it } from "vitest";
import { csvCell } from "../../../worker/audit/export/csv";

describe("csvCell", () => {
  it.each([
    ["=SUM(A1:A2)", "'=SUM(A1:A2)"],
    ["+1", "'+1"],
    ["-1", "'-1"],
    ["@cmd", "'@cmd"],
    [" =1+1", "' =1+1"],
    ["\u00a0\u3000@x", "'\u00a0\u3000@x"],
    ['＝HYPERLINK("x")', '"\'＝HYPERLINK(""x"")"'],
    ["＋1", "'＋1"],
    ["\tx", "'\tx"],
    ["\rx", '"\'\rx"'],
    ["\nx", '"\'\nx"'],
    ["\n=1", '"\'\n=1"'],
  ])("defuses %j as a formula", (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it.each([
    ["plain", "plain"],
    ["a=b", "a=b"],
    [" plain", " plain"],
    ["x, y", '"x, y"'],
    ['say "hi"', '"say ""hi"""'],
    ["", ""],
  ])("leaves %j as text", (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it("writes numbers as numbers and nothing for null", () => {
    expect(csvCell(-5)).toBe("-5");
    expect(csvCell(null)).toBe("");
    expect(csvCell(undefined)).toBe("");
  });
});
