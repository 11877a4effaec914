/** Amber/red scoring of a measured value (research §2.5): score = (m − baseline) / (limit − baseline). */
import type { RuleOp } from "./schema";

export type Outcome = "pass" | "amber" | "red" | "error" | "not_applicable";
export type Evaluation = {
  outcome: Outcome;
  /** How far along the scale from baseline (0) to limit (1); null for boolean rules and errors. */
  score: number | null;
  measured: number | null;
  explanation: string;
};

export type Scale = {
  op: RuleOp;
  limit: number;
  baseline: number;
  amber: number;
  red: number;
  /** The measure's text as shown in explanations. */
  label: string;
};

const STRICT: Record<RuleOp, boolean> = { ">": true, ">=": false, "<": true, "<=": false };

function crosses(m: number, op: RuleOp, limit: number): boolean {
  if (op === ">") return m > limit;
  if (op === ">=") return m >= limit;
  if (op === "<") return m < limit;
  return m <= limit;
}

export function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(6)));
}

/** Two decimals, like toFixed(2) but a few times faster on this hot path. */
function fixed2(x: number): string {
  if (!(Math.abs(x) < 1e15)) return x.toFixed(2);
  const cents = Math.round(Math.abs(x) * 100);
  const frac = cents % 100;
  return `${x < 0 && cents ? "-" : ""}${(cents - frac) / 100}.${frac < 10 ? "0" : ""}${frac}`;
}

/**
 * Returns the scorer for one rule, with the explanation's fixed parts built once. Red when
 * `m op limit` holds (or, with a red threshold other than 1, when the score passes it with op's
 * strictness); amber when not red and score ≥ amber; pass otherwise.
 */
export function scorer(s: Scale): (m: number) => Evaluation {
  const limit = formatNumber(s.limit);
  const head = `measure ${s.label} = `;
  const redTail =
    s.red === 1 ? ` ${s.op} limit ${limit} (score ` : ` ${s.op} red line ${s.red} × limit ${limit} (score `;
  const amberTail = `, approaching limit ${s.op} ${limit} (score `;
  const amberEnd = ` ≥ amber ${s.amber})`;
  const passTail = `, within limit ${s.op} ${limit} (score `;
  const span = s.limit - s.baseline;
  const strict = STRICT[s.op];
  return (m) => {
    // Rounded so that 0.68 on a 1 → 0.6 scale scores 0.8, not 0.7999999999999999.
    const score = Math.round(((m - s.baseline) / span) * 1e9) / 1e9;
    const red = s.red === 1 ? crosses(m, s.op, s.limit) : strict ? score > s.red : score >= s.red;
    const shown = head + formatNumber(m);
    if (red)
      return { outcome: "red", score, measured: m, explanation: `${shown}${redTail}${fixed2(score)})` };
    if (score >= s.amber) {
      return {
        outcome: "amber",
        score,
        measured: m,
        explanation: `${shown}${amberTail}${fixed2(score)}${amberEnd}`,
      };
    }
    return { outcome: "pass", score, measured: m, explanation: `${shown}${passTail}${fixed2(score)})` };
  };
}
