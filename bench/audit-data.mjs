// Synthetic audit events: what the append benchmark POSTs and what the query benchmark seeds
// straight into SQLite (same stored shape the worker writes: canonical body + RFC 6962 leaf hash).
import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import { rng } from "./data.mjs";

const TYPES = [
  "refund.initiate",
  "refund.approve",
  "order.update",
  "customer.update",
  "prompt.update",
  "user.change_role",
  "api_key.create",
  "api_key.revoke",
  "rule.update",
  "crawl.run",
  "invoice.create",
  "ticket.close",
  "kill_switch.enable",
  "billing.grace.start",
  "export.run",
];
const USERS = Array.from({ length: 20 }, (_, i) => `u_bench${String(i).padStart(2, "0")}`);
export const RARE_AUDIT_WORD = "zanzibarquokka";

/** One tenant's event as POSTed (deterministic per index). */
export function inputEvent(r, index) {
  const type = TYPES[Math.floor(r() * TYPES.length)];
  const user = USERS[Math.floor(r() * USERS.length)];
  const chat = r() < 0.3;
  const amount = Math.floor(r() * 100_000);
  const failed = r() < 0.03;
  return {
    event_type: type,
    crud: type.endsWith("create") || type.endsWith("initiate") ? "c" : "u",
    actor: chat
      ? { type: "ai_assistant", id: `ai_assistant:${user}`, display: "Ops assistant" }
      : { type: "user", id: user },
    channel: chat ? "chat" : "manual",
    ...(failed
      ? { outcome: "failure", error: { code: "denied", message: "provider declined" } }
      : { outcome: "success" }),
    target: [
      {
        type: type.split(".")[0],
        id: `${type.split(".")[0]}_${Math.floor(r() * 100_000)}`,
        name: `item ${index}`,
      },
    ],
    changes: { before: { status: "open", amount }, after: { status: "done", amount } },
    reason: index % 100_000 === 7 ? `escalated ${RARE_AUDIT_WORD}` : "customer request",
    metadata: { amount, currency: "HUF", region: r() < 0.5 ? "eu" : "us" },
    ...(chat
      ? {
          ai: {
            conversation_id: `conv_${Math.floor(r() * 50_000)}`,
            message_id: `msg_${index}`,
            prompt: `please ${type.replace(".", " ")} for order ${index}`,
            tool_name: `${type.split(".")[0]}.tool`,
            tool_args: { id: index, amount },
            model: "gpt-bench",
          },
        }
      : {}),
  };
}

/** `count` events per request body; the load client checks that all were recorded. */
export function auditBody(args, index) {
  const r = rng(args.seed * 1_000_003 + index + 1_000_000);
  const events = Array.from({ length: args.perRequest }, (_, i) =>
    inputEvent(r, index * args.perRequest + i),
  );
  const body = args.perRequest === 1 ? events[0] : { events };
  return { body: JSON.stringify(body), spans: events.length };
}

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
function eventId(ms, n) {
  let t = ms;
  let time = "";
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  return `ev_${time}${n.toString(32).toUpperCase().padStart(16, "0")}`;
}

const HIGH_RISK = /^(prompt\.|kill_switch\.|user\.change_role$|api_key\.revoke$)/;

/** The stored row for event `index` received at `ms` (what record.ts would have written). */
export function storedRow(tenantId, r, index, ms) {
  const e = inputEvent(r, index);
  const iso = new Date(ms).toISOString();
  const high = HIGH_RISK.test(e.event_type);
  const body = {
    schema_version: "1.0",
    event_id: eventId(ms, index),
    tenant_id: tenantId,
    event_type: e.event_type,
    crud: e.crud,
    occurred_at: iso,
    received_at: iso,
    actor: e.actor,
    on_behalf_of: e.ai ? e.actor.id.slice(13) : null,
    channel: e.channel,
    source_ip: null,
    user_agent: null,
    outcome: e.outcome,
    error: e.error ?? null,
    target: e.target,
    changes: e.changes,
    changes_ref: null,
    reason: e.reason,
    metadata: e.metadata,
    ai: e.ai ?? null,
    risk: { level: high ? "high" : "none", rules: high ? [e.event_type] : [] },
    approval: null,
    correlation: {},
    masking: { policy_version: "builtin-1", masked: 0 },
  };
  const canonical = canonicalize(body);
  const leaf = createHash("sha256")
    .update(Buffer.from([0]))
    .update(canonical)
    .digest("hex");
  const user = body.on_behalf_of ?? (e.actor.type === "user" ? e.actor.id : null);
  return [
    tenantId,
    index + 1,
    body.event_id,
    e.event_type,
    e.crud,
    ms,
    ms,
    e.actor.type,
    e.actor.id,
    user,
    e.channel,
    e.outcome,
    e.ai?.tool_name ?? null,
    e.ai?.conversation_id ?? null,
    body.risk.level,
    null,
    canonical,
    leaf,
  ];
}
