/**
 * CSV by hand (RFC 4180: CRLF rows, quotes doubled), hardened against formula injection (OWASP):
 * a text cell that a spreadsheet could read as a formula gets a leading `'`.
 */
import type { AuditEvent } from "../schemas";

const FORMULA_START = /^[=+\-@]/;
const CONTROL_START = /^[\t\r\n]/;
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * Spreadsheets skip leading blanks and fold compatibility forms (full-width `＝` is `=`), so the
 * test runs on the NFKC-normalised text: a formula character first once leading whitespace is
 * trimmed, or a tab, CR or LF first at all. The cell keeps its original text.
 */
function looksLikeFormula(value: string): boolean {
  const text = value.normalize("NFKC");
  return CONTROL_START.test(text) || FORMULA_START.test(text.trimStart());
}

export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return String(value);
  const text = looksLikeFormula(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const CSV_COLUMNS = [
  "seq",
  "event_id",
  "occurred_at",
  "received_at",
  "event_type",
  "crud",
  "actor_type",
  "actor_id",
  "actor_display",
  "on_behalf_of",
  "channel",
  "outcome",
  "error",
  "targets",
  "reason",
  "conversation_id",
  "tool_name",
  "risk",
  "leaf_hash",
  "event",
] as const;

export const CSV_HEADER = `${CSV_COLUMNS.join(",")}\r\n`;

/** One row; `line` is the event's exact NDJSON line, kept whole in the last column. */
export function csvRow(e: AuditEvent, line: string): string {
  const error = e.error ? (e.error.code ? `${e.error.code}: ${e.error.message}` : e.error.message) : null;
  const cells = [
    e.seq,
    e.event_id,
    e.occurred_at,
    e.received_at,
    e.event_type,
    e.crud,
    e.actor.type,
    e.actor.id,
    e.actor.display,
    e.on_behalf_of,
    e.channel,
    e.outcome,
    error,
    e.target.map((t) => `${t.type}:${t.id}`).join("; "),
    e.reason,
    e.ai?.conversation_id,
    e.ai?.tool_name,
    e.risk.level,
    e.integrity.leaf_hash,
    line,
  ];
  return `${cells.map(csvCell).join(",")}\r\n`;
}
