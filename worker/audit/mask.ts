/**
 * Masking before storage and hashing: secrets never enter the log, so the log never has to be
 * rewritten to remove them. The built-in policy has a version; a tenant's extra patterns are
 * folded into the version string, and the version plus the count of masked values is recorded
 * on every event.
 */
import { regexProblem } from "../lib/regex-safety";

export const BUILTIN_POLICY = "builtin-1";

/** Object keys whose values are always secret, whatever they look like. */
const SECRET_KEY =
  /^(?:password|passwd|pwd|secret|client_secret|token|access_token|refresh_token|id_token|api_?key|apikey|authorization|cookie|set_cookie|private_key|card_?number|pan|cvv|cvc|ssn|otp|pin)$/i;

type Pattern = { name: string; re: RegExp };

const BUILTIN_PATTERNS: Pattern[] = [
  { name: "private_key", re: /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g },
  { name: "jwt", re: /\beyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{8,}/g },
  { name: "bearer", re: /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{12,}/g },
  {
    name: "api_key",
    re: /\b(?:at_|sk-(?:ant-|proj-)?|sk_live_|sk_test_|rk_live_|pk_live_|ghp_|gho_|github_pat_|xox[abprs]-|AIza)[A-Za-z0-9_-]{16,}/g,
  },
  { name: "aws_key", re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { name: "password", re: /\b(password|passwd|pwd|secret|token)\s*[=:]\s*("[^"]*"|'[^']*'|\S+)/gi },
  { name: "card", re: /\b\d(?:[ -]?\d){12,18}\b/g },
];

export type MaskingPolicy = { version: string; patterns: Pattern[] };

/** A tenant's patterns join the built-ins; the version names both so events say what applied. */
export function maskingPolicy(
  tenantPatterns: { name: string; pattern: string }[],
  digest: string,
): MaskingPolicy {
  const extra = tenantPatterns.map((p) => ({ name: p.name, re: new RegExp(p.pattern, "g") }));
  return {
    version: extra.length ? `${BUILTIN_POLICY}+tenant:${digest.slice(0, 12)}` : BUILTIN_POLICY,
    patterns: [...BUILTIN_PATTERNS, ...extra],
  };
}

/** Save-time check of a tenant pattern: compiles, and is linear-time (same rules as rule regexes). */
export function maskingPatternProblem(pattern: string): string | null {
  try {
    new RegExp(pattern, "g");
  } catch (e) {
    return (e as Error).message;
  }
  return regexProblem(pattern);
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

export class Masker {
  count = 0;
  constructor(private readonly policy: MaskingPolicy) {}

  text(value: string): string {
    let out = value;
    for (const { name, re } of this.policy.patterns) {
      re.lastIndex = 0;
      out = out.replace(re, (match, ...groups) => {
        if (name === "card" && !luhn(match.replace(/\D/g, ""))) return match;
        this.count++;
        // Keep the label of `password=…` so the reader still sees what was there.
        const label =
          name === "password" || name === "bearer" ? `${groups[0]}${name === "bearer" ? " " : "="}` : "";
        return `${label}[MASKED:${name}]`;
      });
    }
    return out;
  }

  value(value: unknown, key?: string): unknown {
    if (key !== undefined && SECRET_KEY.test(key) && value !== null && value !== "") {
      this.count++;
      return "[MASKED]";
    }
    if (typeof value === "string") return this.text(value);
    if (Array.isArray(value)) return value.map((v) => this.value(v));
    if (value && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.value(v, k)]));
    }
    return value;
  }
}
