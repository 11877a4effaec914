import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * The audit log, one append-only sequence per tenant. `body` is the RFC 8785 canonical JSON of the
 * event as hashed into the tenant's Merkle log (everything but `seq` and `integrity`); the other
 * columns are copies of body fields for filtering. Triggers (migration 0004) refuse UPDATE and any
 * DELETE not covered by a retention grant, and keep the FTS and target index in step.
 */
export const auditEvents = sqliteTable(
  "audit_events",
  {
    pk: integer("pk").primaryKey({ autoIncrement: true }),
    tenantId: text("tenant_id").notNull(),
    /** Leaf index + 1 in the tenant's log; gap-free, assigned inside the inserting statement. */
    seq: integer("seq").notNull(),
    eventId: text("event_id").notNull(),
    eventType: text("event_type").notNull(),
    crud: text("crud").notNull(),
    occurredAt: integer("occurred_at").notNull(),
    receivedAt: integer("received_at").notNull(),
    actorType: text("actor_type").notNull(),
    actorId: text("actor_id").notNull(),
    /** The human behind the event: `on_behalf_of`, else the actor when the actor is a user. */
    userId: text("user_id"),
    channel: text("channel").notNull(),
    outcome: text("outcome").notNull(),
    toolName: text("tool_name"),
    conversationId: text("conversation_id"),
    riskLevel: text("risk_level").notNull(),
    traceId: text("trace_id"),
    body: text("body").notNull(),
    /** Hex SHA-256 of 0x00 ‖ body (RFC 6962 leaf hash). */
    leafHash: text("leaf_hash").notNull(),
  },
  (t) => [
    uniqueIndex("audit_events_tenant_seq_idx").on(t.tenantId, t.seq),
    uniqueIndex("audit_events_tenant_event_id_idx").on(t.tenantId, t.eventId),
    index("audit_events_type_idx").on(t.tenantId, t.eventType, t.seq),
    index("audit_events_actor_idx").on(t.tenantId, t.actorId, t.seq),
    index("audit_events_actor_type_idx").on(t.tenantId, t.actorType, t.seq),
    index("audit_events_user_idx").on(t.tenantId, t.userId, t.seq),
    index("audit_events_tool_idx").on(t.tenantId, t.toolName, t.seq),
    index("audit_events_conversation_idx").on(t.tenantId, t.conversationId, t.seq),
    index("audit_events_received_idx").on(t.tenantId, t.receivedAt),
    index("audit_events_occurred_idx").on(t.tenantId, t.occurredAt),
  ],
);

/** One row per event target, filled by trigger, so `?target=` is an index lookup. */
export const auditEventTargets = sqliteTable(
  "audit_event_targets",
  {
    tenantId: text("tenant_id").notNull(),
    targetId: text("target_id").notNull(),
    targetType: text("target_type").notNull(),
    seq: integer("seq").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.targetId, t.seq, t.targetType] })],
);

/** A retention run's permission to delete events up to `throughSeq` (checked by trigger). */
export const auditPruneGrants = sqliteTable("audit_prune_grants", {
  tenantId: text("tenant_id").primaryKey(),
  throughSeq: integer("through_seq").notNull(),
});

/** `Idempotency-Key` replays for POST /audit/events, kept 24 h. */
export const auditIdempotency = sqliteTable(
  "audit_idempotency",
  {
    tenantId: text("tenant_id").notNull(),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    status: integer("status").notNull(),
    response: text("response").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.key] }),
    index("audit_idempotency_created_idx").on(t.createdAt),
  ],
);

/** Per-tenant audit configuration; a missing row means the defaults. */
export const auditSettings = sqliteTable("audit_settings", {
  tenantId: text("tenant_id").primaryKey(),
  retentionDays: integer("retention_days").notNull(),
  highRiskTypes: text("high_risk_types", { mode: "json" }).$type<string[]>().notNull(),
  dualApprovalActions: text("dual_approval_actions", { mode: "json" }).$type<string[]>().notNull(),
  maskingPatterns: text("masking_patterns", { mode: "json" })
    .$type<{ name: string; pattern: string }[]>()
    .notNull(),
  updatedAt: integer("updated_at").notNull(),
  updatedBy: text("updated_by"),
});

/** Days archived to R2 (NDJSON.gz + manifest), and whether D1 has been pruned after the check. */
export const auditArchives = sqliteTable(
  "audit_archives",
  {
    tenantId: text("tenant_id").notNull(),
    day: text("day").notNull(),
    objectKey: text("object_key").notNull(),
    firstSeq: integer("first_seq").notNull(),
    lastSeq: integer("last_seq").notNull(),
    eventCount: integer("event_count").notNull(),
    sha256: text("sha256").notNull(),
    bytes: integer("bytes").notNull(),
    createdAt: integer("created_at").notNull(),
    prunedAt: integer("pruned_at"),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.day] })],
);

/** Dual approval: a sensitive action waiting for a second admin. */
export const approvalRequests = sqliteTable(
  "approval_requests",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    action: text("action").notNull(),
    params: text("params", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    summary: text("summary").notNull(),
    reason: text("reason"),
    requestedBy: text("requested_by").notNull(),
    requestedAt: integer("requested_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    status: text("status", { enum: ["pending", "approved", "rejected", "expired", "cancelled"] }).notNull(),
    decidedBy: text("decided_by"),
    decidedAt: integer("decided_at"),
  },
  (t) => [index("approval_requests_tenant_status_idx").on(t.tenantId, t.status, t.requestedAt)],
);

/** SIEM streaming destinations; `cursorSeq` is the last seq delivered (in order, at least once). */
export const siemEndpoints = sqliteTable(
  "siem_endpoints",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    name: text("name").notNull(),
    url: text("url").notNull(),
    format: text("format", { enum: ["ocsf", "native"] }).notNull(),
    /** HMAC secret, AES-GCM encrypted under a per-tenant key. */
    secretCipher: text("secret_cipher").notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull(),
    cursorSeq: integer("cursor_seq").notNull(),
    deliveredCount: integer("delivered_count").notNull().default(0),
    attempts: integer("attempts").notNull().default(0),
    lastAttemptAt: integer("last_attempt_at"),
    lastSuccessAt: integer("last_success_at"),
    lastStatus: integer("last_status"),
    lastError: text("last_error"),
    nextAttemptAt: integer("next_attempt_at"),
    createdAt: integer("created_at").notNull(),
    createdBy: text("created_by").notNull(),
    /** Delivery lease: one consumer at a time per endpoint, until `leaseUntil` (ms). */
    leaseToken: text("lease_token"),
    leaseUntil: integer("lease_until"),
  },
  (t) => [index("siem_endpoints_tenant_idx").on(t.tenantId)],
);

/**
 * Audit events of control-plane mutations (users, sessions, API keys, the tenant row) for a tenant
 * whose audit log is on another database: written in the control database in the same batch as the
 * mutation, then appended to the tenant's log (at once, and by the minute sweep if that failed) and
 * deleted. `row` is the event's insert parameters (record.ts `insertParams`); seq is assigned on
 * delivery, so the tenant's chain stays one gap-free sequence on one database.
 */
export const auditOutbox = sqliteTable(
  "audit_outbox",
  {
    pk: integer("pk").primaryKey({ autoIncrement: true }),
    tenantId: text("tenant_id").notNull(),
    eventId: text("event_id").notNull(),
    row: text("row").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("audit_outbox_tenant_id_pk_idx").on(t.tenantId, t.pk)],
);
