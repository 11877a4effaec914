// The audit log's API: search, one event, settings. Types come from the worker's schemas; the query
// string repeats `field` for each advanced condition, as the route reads it.
import type { z } from "@hono/zod-openapi";
import { action, json, query } from "@solidjs/router";
import type { PendingApproval } from "../../../worker/approvals/schemas";
import type { ArchiveDayList } from "../../../worker/audit/archive/schemas";
import type {
  ActorType,
  AuditEventList,
  AuditEvent as AuditEventSchema,
  AuditListQuery,
  AuditSettingsPatch,
  AuditSettings as AuditSettingsSchema,
  Outcome,
  RiskLevel,
} from "../../../worker/audit/schemas";
import { api, ok, queryOf } from "./client";

export type AuditEvent = z.output<typeof AuditEventSchema>;
export type AuditPage = z.output<typeof AuditEventList>;
export type AuditSettings = z.output<typeof AuditSettingsSchema>;
export type AuditSettingsChange = z.input<typeof AuditSettingsPatch>;
/** The route's query as sent (`limit` is coerced from text, so its input type is `unknown`). */
export type AuditQuery = Omit<z.input<typeof AuditListQuery>, "limit"> & { limit?: number };
export type AuditRisk = z.output<typeof RiskLevel>;
export type AuditOutcome = z.output<typeof Outcome>;
export type AuditActorType = z.output<typeof ActorType>;
export type { PendingApproval };

export const riskLevels = ["none", "low", "medium", "high"] as const satisfies readonly AuditRisk[];
export const outcomes = ["success", "failure"] as const satisfies readonly AuditOutcome[];

/** A page of events, uncached: "load more" and the new-events check read past the cache. */
export function fetchAuditEvents(q: AuditQuery): Promise<AuditPage> {
  return ok(api.audit.events.$get({ query: queryOf(q) }));
}

export const listAuditEvents = query((q: AuditQuery) => fetchAuditEvents(q), "audit-events");

/** Where a search runs: the live log in D1, or the days retention moved to R2. */
export type AuditSource = "log" | "archive";

/** Archived events, with the same filters and page shape as the live log. */
export function fetchArchivedEvents(q: AuditQuery): Promise<AuditPage> {
  return ok(api.audit.archive.events.$get({ query: queryOf(q) }));
}

export const listArchivedEvents = query((q: AuditQuery) => fetchArchivedEvents(q), "audit-archived-events");

export type ArchiveDay = z.output<typeof ArchiveDayList>["data"][number];

export const listArchiveDays = query(
  (cursor: string | undefined) => ok(api.audit.archive.$get({ query: queryOf({ cursor, limit: 30 }) })),
  "audit-archive-days",
);

export const archiveDayHref = (day: string) => `/api/v1/audit/archive/days/${encodeURIComponent(day)}`;

export const getAuditEvent = query(
  (id: string) => ok(api.audit.events[":event_id"].$get({ param: { event_id: id } })),
  "audit-event",
);

export const getAuditSettings = query(() => ok(api.audit.settings.$get()), "audit-settings");

/** The 202 answer of a change that waits for a second admin. */
export type PendingChange = PendingApproval;

export const isPending = (v: unknown): v is PendingChange =>
  typeof v === "object" && v !== null && "approval_request_id" in v;

/** Answers with the new settings, or with the approval request when a second admin must agree. */
export const saveAuditSettings = action(async (change: AuditSettingsChange) => {
  const result = await ok(api.audit.settings.$patch({ json: change }));
  // "approvals" is listApprovals' key (audit-approvals.ts imports this file, not the other way).
  return json(result, { revalidate: [getAuditSettings.key, "approvals"] });
}, "audit-save-settings");
