import { z } from "@hono/zod-openapi";
import { hasSearchableWord, NO_SEARCHABLE_WORDS } from "../lib/free-text";
import { EVENT_TIME_TEXT, IsoTime, isEventTime } from "../lib/time";

/** Limits in the spirit of WorkOS: free-form strings ≤ 500, metadata ≤ 50 keys of ≤ 40 chars. */
export const LIMITS = {
  freeText: 500,
  metadataKeys: 50,
  metadataKeyLength: 40,
  prompt: 16_000,
  toolArgs: 16_000,
  /** Canonical JSON of one stored event; bigger `changes` move to R2 by hash. */
  eventBytes: 64 * 1024,
  batch: 100,
} as const;

export const ActorType = z.enum(["user", "ai_assistant", "api_key", "system"]).openapi("AuditActorType");
export const Channel = z.enum(["manual", "chat", "api", "scheduled"]).openapi("AuditChannel");
export const Crud = z.enum(["c", "r", "u", "d"]).openapi("AuditCrud");
export const Outcome = z.enum(["success", "failure"]).openapi("AuditOutcome");
export const RiskLevel = z.enum(["none", "low", "medium", "high"]).openapi("AuditRiskLevel");

const id = z.string().trim().min(1).max(200);
const text = z.string().max(LIMITS.freeText);
const eventType = z
  .string()
  .max(100)
  .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/, "use resource.verb, lower case (e.g. refund.initiate)");

export const Actor = z
  .object({
    type: ActorType,
    id: id.openapi({ description: "For an assistant: `ai_assistant:<userId>` of the user it acts for" }),
    display: text.optional(),
  })
  .openapi("AuditActor");

export const Target = z
  .object({ type: z.string().min(1).max(100), id, name: text.optional() })
  .openapi("AuditTarget");

const metadataValue = z.union([text, z.number(), z.boolean(), z.null()]);
export const Metadata = z
  .record(z.string().min(1).max(LIMITS.metadataKeyLength, "keys are at most 40 characters"), metadataValue)
  .refine((m) => Object.keys(m).length <= LIMITS.metadataKeys, "at most 50 metadata keys")
  .openapi("AuditMetadata");

const jsonRecord = z.record(z.string(), z.unknown());
export const Changes = z
  .object({ before: jsonRecord.nullable().optional(), after: jsonRecord.nullable().optional() })
  .openapi("AuditChanges");

export const AiContext = z
  .object({
    conversation_id: id,
    message_id: id.optional(),
    prompt: z.string().max(LIMITS.prompt).optional(),
    tool_name: z.string().min(1).max(200).optional(),
    tool_args: jsonRecord.optional(),
    mcp_server: z.string().max(200).optional(),
    model: z.string().max(200).optional(),
  })
  .openapi("AuditAiContext");

export const Risk = z
  .object({ level: RiskLevel, rules: z.array(z.string().max(200)).max(20).default([]) })
  .openapi("AuditRisk");

export const Approval = z
  .object({
    request_id: id.optional(),
    approvers: z
      .array(z.object({ id, decision: z.enum(["approved", "rejected"]), at: z.iso.datetime().optional() }))
      .max(10)
      .default([]),
  })
  .openapi("AuditApproval");

export const Correlation = z
  .object({ request_id: z.string().max(200).optional(), trace_id: z.string().max(200).optional() })
  .openapi("AuditCorrelation");

/** Set by AuditTrail on events sent through POST /audit/events; a sender cannot set it. */
export const SubmittedBy = z
  .object({
    api_key_id: z.string().nullable(),
    api_key_name: z.string().nullable(),
    user_id: z.string().nullable(),
    source_ip: z.string().nullable(),
    request_id: z.string().nullable(),
  })
  .openapi("AuditSubmittedBy", {
    description: "Who really sent the event, as AuditTrail saw it (the body's actor is the sender's claim)",
  });
export type SubmittedBy = z.output<typeof SubmittedBy>;

export const ErrorInfo = z
  .object({ code: z.string().max(100).optional(), message: text })
  .openapi("AuditError");

/** What a tenant's service sends to POST /api/v1/audit/events. */
export const AuditEventInput = z
  .object({
    tenant_id: z
      .string()
      .optional()
      .openapi({ description: "Ignored if it matches the key's tenant; 403 if not" }),
    event_type: eventType.openapi({ example: "refund.initiate" }),
    crud: Crud,
    occurred_at: IsoTime.optional(),
    actor: Actor,
    on_behalf_of: id.nullable().optional(),
    channel: Channel.default("api"),
    source_ip: z.union([z.ipv4(), z.ipv6()]).nullable().optional(),
    user_agent: text.nullable().optional(),
    outcome: Outcome.default("success"),
    error: ErrorInfo.nullable().optional(),
    target: z.array(Target).max(20).default([]),
    changes: Changes.nullable().optional(),
    reason: text.nullable().optional(),
    metadata: Metadata.optional(),
    ai: AiContext.nullable().optional(),
    risk: Risk.nullable().optional(),
    approval: Approval.nullable().optional(),
    correlation: Correlation.nullable().optional(),
  })
  .strict()
  .superRefine((e, ctx) => {
    if (e.actor.type === "ai_assistant" && !e.ai) {
      ctx.addIssue({
        code: "custom",
        path: ["ai"],
        message: "events by an ai_assistant need ai.conversation_id",
      });
    }
    if (e.occurred_at && !isEventTime(Date.parse(e.occurred_at))) {
      ctx.addIssue({ code: "custom", path: ["occurred_at"], message: `must be within ${EVENT_TIME_TEXT}` });
    }
    if (e.approval) {
      ctx.addIssue({
        code: "custom",
        path: ["approval"],
        message:
          "approval is set only by AuditTrail's own dual approval; describe your own approval in metadata",
      });
    }
    if (e.outcome === "failure" && !e.error) {
      ctx.addIssue({ code: "custom", path: ["error"], message: "a failure needs error.message" });
    }
  })
  .openapi("AuditEventInput");
export type AuditEventInput = z.output<typeof AuditEventInput>;

export const AuditEventBatch = z
  .object({ events: z.array(AuditEventInput).min(1).max(LIMITS.batch) })
  .openapi("AuditEventBatch");

/** The hashed part of an event: exactly what the leaf hash covers (RFC 8785 canonical JSON). */
export const AuditEventBody = z
  .object({
    schema_version: z.literal("1.0"),
    event_id: z.string(),
    tenant_id: z.string(),
    event_type: z.string(),
    crud: Crud,
    occurred_at: z.iso.datetime(),
    received_at: z.iso.datetime(),
    actor: Actor,
    on_behalf_of: z.string().nullable(),
    channel: Channel,
    source_ip: z.string().nullable(),
    user_agent: z.string().nullable(),
    outcome: Outcome,
    error: ErrorInfo.nullable(),
    target: z.array(Target),
    changes: Changes.nullable(),
    changes_ref: z
      .object({ sha256: z.string(), bytes: z.number().int() })
      .nullable()
      .openapi({ description: "Set when `changes` was too big to keep inline; fetch it by hash" }),
    reason: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()),
    ai: AiContext.nullable(),
    risk: Risk,
    approval: Approval.nullable(),
    correlation: Correlation.extend({
      client_request_id: z
        .string()
        .optional()
        .openapi({ description: "The X-Request-Id the client sent, if any (ours is request_id)" }),
    }),
    submitted_by: SubmittedBy.optional(),
    masking: z.object({ policy_version: z.string(), masked: z.number().int() }),
  })
  .openapi("AuditEventBody");
export type AuditEventBody = z.output<typeof AuditEventBody>;

export const AuditEvent = AuditEventBody.extend({
  seq: z.number().int().openapi({ description: "Position in the tenant's log, from 1, gap-free" }),
  integrity: z.object({
    leaf_hash: z
      .string()
      .openapi({ description: "hex SHA-256(0x00 ‖ canonical JSON of the event without seq and integrity)" }),
  }),
}).openapi("AuditEvent");
export type AuditEvent = z.output<typeof AuditEvent>;

export const AppendResult = z
  .object({ data: z.array(z.object({ event_id: z.string(), seq: z.number().int(), leaf_hash: z.string() })) })
  .openapi("AuditAppendResult");

export const AuditEventList = z
  .object({ data: z.array(AuditEvent), next_cursor: z.string().nullable() })
  .openapi("AuditEventList");

const csv = (max: number) =>
  z
    .string()
    .max(max)
    .optional()
    .transform((s) =>
      s
        ?.split(",")
        .map((x) => x.trim())
        .filter(Boolean),
    );

/** Filters shared by list, export and archive queries. */
export const AuditFilters = z.object({
  from: IsoTime.optional().openapi({ description: "occurred_at ≥ from" }),
  to: IsoTime.optional().openapi({ description: "occurred_at < to" }),
  event_type: csv(1000).openapi({ type: "string", description: "Comma list; `refund.*` matches a prefix" }),
  actor: z.string().max(200).optional().openapi({ description: "Actor id" }),
  actor_type: ActorType.optional().openapi({ description: "`ai_assistant` = chat-originated only" }),
  user: z.string().max(200).optional().openapi({ description: "The human: on_behalf_of, or a user actor" }),
  tool_name: z.string().max(200).optional(),
  conversation_id: z.string().max(200).optional(),
  outcome: Outcome.optional(),
  target: z.string().max(200).optional().openapi({ description: "Target id (any type)" }),
  risk: RiskLevel.optional().openapi({ description: "This risk level or higher" }),
  q: z
    .string()
    .max(200)
    // An empty `q=` (a blank search box) means no text filter, as it always has.
    .refine((q) => q === "" || hasSearchableWord(q), NO_SEARCHABLE_WORDS)
    .optional()
    .openapi({ description: "Free text over type, actor, targets, reason, prompt; needs a letter or digit" }),
  field: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
    .openapi({
      type: "string",
      description:
        "Repeatable JSON-field condition on the event, e.g. `metadata.amount>=50000` or `changes.after.currency=HUF` (ops = != > >= < <=)",
    }),
});
export type AuditFilters = z.output<typeof AuditFilters>;

export const AuditListQuery = AuditFilters.extend({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type AuditListQuery = z.output<typeof AuditListQuery>;

export const ExportFormat = z.enum(["csv", "json", "ndjson", "ocsf"]).openapi("AuditExportFormat");
export const AuditExportQuery = AuditFilters.extend({ format: ExportFormat.default("ndjson") });

export const EventIdParam = z.object({ event_id: z.string().min(1).max(100) });

/** The sensitive actions a tenant can put under dual approval (see worker/approvals/actions.ts). */
export const DualApprovalAction = z
  .enum(["tenant.delete", "audit.retention.lower", "api_key.revoke_all", "user.grant_owner"])
  .openapi("DualApprovalAction");

/** `prompt.*` (prefix), `*.delete` (suffix) or an exact event type. */
const EventTypePattern = z
  .string()
  .max(100)
  .regex(
    /^(\*\.[a-z0-9_]+(\.[a-z0-9_]+)*|[a-z][a-z0-9_]*(\.[a-z0-9_]+)*(\.\*)?)$/,
    "use an event type (user.change_role), a prefix (prompt.*) or a suffix (*.delete)",
  );

export const AuditSettings = z
  .object({
    retention_days: z.number().int().min(180).max(3650),
    high_risk_types: z.array(EventTypePattern).max(100),
    dual_approval_actions: z.array(DualApprovalAction).max(20),
    masking_patterns: z
      .array(z.object({ name: z.string().min(1).max(60), pattern: z.string().min(1).max(300) }))
      .max(20),
    masking_policy_version: z.string(),
    updated_at: z.iso.datetime().nullable(),
  })
  .openapi("AuditSettings");

export const AuditSettingsPatch = AuditSettings.omit({ masking_policy_version: true, updated_at: true })
  .partial()
  .strict()
  .openapi("AuditSettingsPatch");
