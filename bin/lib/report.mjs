// The human-readable verification report (the --json output is the result object itself).

const LISTED = 50;

function rangeText(from, to) {
  return from === to ? `seq ${from}` : `seq ${from}–${to}`;
}

function where(f) {
  const parts = [];
  if (f.seq !== undefined) parts.push(`seq ${f.seq}`);
  if (f.file !== undefined) parts.push(f.line === undefined ? f.file : `${f.file}:${f.line}`);
  if (f.path !== undefined) parts.push(f.path);
  return parts.join("  ");
}

function header(r) {
  const lines = [];
  const cp = r.checkpoint;
  if (cp) {
    lines.push(`checkpoint  ${cp.origin}  size ${cp.size}  root ${cp.root_hash}  (signature OK)`);
    const covered =
      r.range.to >= r.range.from ? rangeText(r.range.from, Math.min(r.range.to, cp.size)) : "none";
    lines.push(
      `events      ${r.events.read} read from ${r.events.files.length} file(s); ${r.events.verified} of ${covered} match the log`,
    );
    lines.push(
      `tiles       ${r.tiles_used ? "used to check each event against the tree" : "not used: the events rebuilt the tree"}`,
    );
  }
  if (r.previous_checkpoint) {
    const p = r.previous_checkpoint;
    lines.push(`previous    size ${p.size}: ${p.result}`);
  }
  const nc = r.events.not_covered;
  if (nc.count)
    lines.push(
      `not covered ${nc.count} event(s), ${rangeText(nc.min, nc.max)}: newer than the checkpoint, not verified`,
    );
  return lines;
}

/** The report as text: a summary, then every finding (up to a limit), then warnings. */
export function formatReport(r) {
  const out = ["AuditTrail log verification", ...header(r).map((l) => `  ${l}`), ""];
  if (r.status === "verified") {
    const cp = r.checkpoint;
    out.push(
      `VERIFIED: every event of ${rangeText(r.range.from, Math.min(r.range.to, cp.size))} is exactly what the log committed in its signed checkpoint.`,
    );
  } else if (r.status === "incomplete") {
    out.push(`NOT VERIFIED: ${r.incomplete}.`);
  } else {
    const counts = Object.entries(r.counts)
      .map(([k, n]) => `${k} ${n}`)
      .join(", ");
    out.push(`TAMPERING FOUND: ${r.findings.length + r.findings_not_listed} finding(s) (${counts})`);
    for (const f of r.findings.slice(0, LISTED)) {
      out.push(`  ${f.class.toUpperCase().padEnd(10)} ${where(f).padEnd(28)} ${f.message}`);
    }
    const more = r.findings.length + r.findings_not_listed - LISTED;
    if (more > 0) out.push(`  … and ${more} more (all of them with --json)`);
  }
  for (const w of r.warnings) out.push(`warning: ${w}`);
  return `${out.join("\n")}\n`;
}
