/**
 * OCSF 1.8.0 API Activity (class 6003) with the `ai_operation` profile. Whatever has no OCSF
 * attribute goes to `unmapped`, so an OCSF line still carries the whole event.
 */
import type { AuditEvent } from "../schemas";

export const OCSF_VERSION = "1.8.0";
const CLASS_UID = 6003;
const CATEGORY_UID = 6;

const ACTIVITY = {
  c: { id: 1, name: "Create" },
  r: { id: 2, name: "Read" },
  u: { id: 3, name: "Update" },
  d: { id: 4, name: "Delete" },
} as const;

const SEVERITY = {
  none: { id: 1, name: "Informational" },
  low: { id: 2, name: "Low" },
  medium: { id: 3, name: "Medium" },
  high: { id: 4, name: "High" },
} as const;

type Json = Record<string, unknown>;

/** Drops undefined and null members so absent data is absent, not `null`. */
function compact<T extends Json>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as T;
}

/** A person is `actor.user`; assistants, keys and jobs are the app, acting for `on_behalf_of`. */
function actorOf(e: AuditEvent): Json {
  if (e.actor.type === "user") {
    return { user: compact({ uid: e.actor.id, name: e.actor.display, type_id: 1, type: "User" }) };
  }
  return compact({
    app_uid: e.actor.id,
    app_name: e.actor.display ?? (e.actor.type === "system" ? "AuditTrail" : undefined),
    user: e.on_behalf_of ? { uid: e.on_behalf_of, type_id: 1, type: "User" } : undefined,
  });
}

function unmapped(e: AuditEvent): Json {
  const ai = e.ai
    ? compact({
        message_id: e.ai.message_id,
        prompt: e.ai.prompt,
        tool_name: e.ai.tool_name,
        tool_args: e.ai.tool_args,
        mcp_server: e.ai.mcp_server,
      })
    : undefined;
  return compact({
    schema_version: e.schema_version,
    actor_type: e.actor.type,
    on_behalf_of: e.on_behalf_of,
    channel: e.channel,
    crud: e.crud,
    changes: e.changes,
    changes_ref: e.changes_ref,
    metadata: Object.keys(e.metadata).length ? e.metadata : undefined,
    risk: e.risk,
    approval: e.approval,
    correlation: Object.keys(e.correlation).length ? e.correlation : undefined,
    masking: e.masking,
    ai: ai && Object.keys(ai).length ? ai : undefined,
    integrity: e.integrity,
  });
}

export function toOcsf(e: AuditEvent): Json {
  const activity = ACTIVITY[e.crud];
  const severity = SEVERITY[e.risk.level];
  const failed = e.outcome === "failure";
  return compact({
    class_uid: CLASS_UID,
    class_name: "API Activity",
    category_uid: CATEGORY_UID,
    category_name: "Application Activity",
    activity_id: activity.id,
    activity_name: activity.name,
    type_uid: CLASS_UID * 100 + activity.id,
    type_name: `API Activity: ${activity.name}`,
    time: Date.parse(e.occurred_at),
    severity_id: severity.id,
    severity: severity.name,
    status_id: failed ? 2 : 1,
    status: failed ? "Failure" : "Success",
    status_code: e.error?.code,
    status_detail: e.error?.message,
    message: e.reason,
    actor: actorOf(e),
    api: compact({
      operation: e.event_type,
      request: e.correlation.request_id ? { uid: e.correlation.request_id } : undefined,
    }),
    resources: e.target.map((t) => compact({ type: t.type, uid: t.id, name: t.name })),
    src_endpoint: compact({ ip: e.source_ip }),
    http_request: e.user_agent ? { user_agent: e.user_agent } : undefined,
    ai_model: e.ai?.model ? { name: e.ai.model } : undefined,
    message_context: e.ai ? { uid: e.ai.conversation_id } : undefined,
    metadata: compact({
      uid: e.event_id,
      tenant_uid: e.tenant_id,
      sequence: e.seq,
      correlation_uid: e.correlation.trace_id ?? e.correlation.request_id,
      logged_time: Date.parse(e.received_at),
      original_time: e.occurred_at,
      version: OCSF_VERSION,
      product: { name: "AuditTrail", vendor_name: "AuditTrail" },
      profiles: e.ai ? ["ai_operation"] : undefined,
    }),
    unmapped: unmapped(e),
  });
}
