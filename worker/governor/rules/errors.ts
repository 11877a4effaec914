import { ValidationError } from "../../lib/errors";

/** A problem in a rule source; line and column (1-based) point into the text the author sent. */
export type RuleErrorDetail = { path: string; message: string; line?: number; column?: number };

/** Bad rule source: maps to HTTP 400 with one detail per problem. */
export class RuleValidationError extends ValidationError {
  declare readonly details: RuleErrorDetail[];

  constructor(details: RuleErrorDetail[]) {
    const first = details[0];
    const where = first ? ` at ${first.path || "(root)"}${first.line ? ` (line ${first.line})` : ""}` : "";
    super(`Invalid rule${where}: ${first?.message ?? "unknown problem"}`, details);
  }
}

/** A problem found inside one expression; `offset` is a character index into that expression. */
export type ExpressionProblem = { message: string; offset?: number };
