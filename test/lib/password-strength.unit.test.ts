import { describe, expect, it } from "vitest";
import {
  PASSWORD_PROBLEMS,
  passwordProblem,
  personalPasswordProblem,
} from "../../worker/lib/password-strength";

describe("passwordProblem", () => {
  it.each([
    ["1234567890", "common"],
    ["password123", "common"],
    ["Pa$$w0rd2024!", "common"],
    ["p a s s w o r d 1", "common"],
    ["ｐａｓｓｗｏｒｄ１２３", "common"],
    ["Sunshine2024!", "common"],
    ["iloveyou12", "common"],
    ["9876543210", "pattern"],
    ["zyxwvutsrq", "pattern"],
    ["abcdefghijklmn", "pattern"],
    ["poiuytrewq", "pattern"],
    ["zaq12wsxcde3", "pattern"],
    ["abcabcabcabc", "pattern"],
    ["1111122222", "pattern"],
    ["mmmmmmmmmmmm", "pattern"],
    ["          ", "spaces"],
    ["\t\t\t\t\t\t\t\t\t\t", "spaces"],
    ["   a   b   ", "spaces"],
  ] as const)("refuses %j as %s", (password, problem) => {
    expect(passwordProblem(password)).toBe(PASSWORD_PROBLEMS[problem]);
  });

  it.each([
    "correct horse battery",
    "another good password",
    "a long password",
    "purple turnip harbour",
    "Tr0ub4dor&3 staple",
    "demo-x8Yq2_abVv9kLmN0pQrS",
  ])("accepts %j", (password) => {
    expect(passwordProblem(password)).toBeNull();
  });
});

describe("personalPasswordProblem", () => {
  it("refuses a password that is little more than the email's name or the organization name", () => {
    expect(personalPasswordProblem("acme2024!!", ["ada", "Acme"])).toBe(PASSWORD_PROBLEMS.personal);
    expect(personalPasswordProblem("Ada.Lovelace1815", ["ada.lovelace", "Acme"])).toBe(
      PASSWORD_PROBLEMS.personal,
    );
  });

  it("accepts a name among enough other words", () => {
    expect(personalPasswordProblem("acme rocket ship launch", ["ada", "Acme"])).toBeNull();
    expect(personalPasswordProblem("canadian maple syrup", ["ada", "Acme"])).toBeNull();
  });
});
