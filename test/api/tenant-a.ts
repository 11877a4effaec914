/**
 * Tenant A with one resource of every kind a route takes an id of, made through the API (the
 * archived day through the retention job), so tenant B can be pointed at real ids.
 */
import { env } from "cloudflare:workers";
import { scanTenant } from "../../worker/alerts/scan";
import { foldTenant } from "../../worker/analytics/fold";
import { runRetention } from "../../worker/audit/archive/retention";
import { contextOf } from "../alerts/traffic";
import { plainRead, tenantWithHistory } from "../audit/archive/fixtures";
import { sink } from "../audit/siem/harness";
import { at, traceId } from "../fixtures";
import { as, createKey, ingest, type Session, unique } from "../helpers";
import { ruleYaml } from "./operations";

export type Kind =
  | "invitation"
  | "user"
  | "apiKey"
  | "trace"
  | "span"
  | "rule"
  | "evaluation"
  | "auditEvent"
  | "siemEndpoint"
  | "alertChannel"
  | "export"
  | "archiveDay"
  | "approval"
  | "alertEvent";

export type TenantA = { session: Session; key: string; ids: Record<Kind, string> };

/** The whole of this span's input goes to R2, so its payload route has something to serve. */
export const BIG_INPUT = "lorem ipsum ".repeat(4000);

async function json<T>(res: Response, status: number, what: string): Promise<T> {
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function poll<T>(read: () => Promise<T | undefined>, what: string, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function archivedDay(s: Session): Promise<string> {
  const report = await runRetention(env, Date.now(), { tenants: [s.tenantId] });
  if (report.tenants[0]?.error) throw new Error(`retention: ${report.tenants[0].error}`);
  const days = await json<{ data: { day: string }[] }>(await as(s, "/api/v1/audit/archive"), 200, "archive");
  if (!days.data[0]) throw new Error("retention archived no day");
  return days.data[0].day;
}

async function traced(s: Session, key: string) {
  const rule = await json<{ id: string }>(
    await as(s, "/api/v1/rules", {
      method: "POST",
      body: ruleYaml(`bulk_delete_${unique("r").replace(/\W/g, "_")}`),
      headers: { "content-type": "application/yaml" },
    }),
    201,
    "rule",
  );
  const trace = traceId("tenant-a");
  const span = `${trace}-delete`;
  await ingest(key, {
    traces: [{ id: trace, agent: "janitor", started_at: at(0) }],
    spans: [
      {
        id: span,
        trace_id: trace,
        type: "tool",
        name: "delete_files",
        started_at: at(0),
        ended_at: at(10),
        status: "ok",
        input: BIG_INPUT,
        tool: { name: "delete_files", arguments: { files: ["a", "b", "c", "d", "e", "f"] } },
      },
    ],
  });
  // The governor queue evaluates the span in the background; a finding is a stored evaluation.
  const evaluation = await poll(async () => {
    const page = await json<{ data: { id: string }[] }>(
      await as(s, `/api/v1/evaluations?trace_id=${trace}`),
      200,
      "evaluations",
    );
    return page.data[0]?.id;
  }, "an evaluation");
  return { rule: rule.id, trace, span, evaluation };
}

/** The traced agent, folded into analytics, is a new capability an hour after its first trace. */
async function alertEvent(s: Session): Promise<string> {
  const tenant = await contextOf(s);
  return poll(async () => {
    await foldTenant(env, s.tenantId);
    const { fired } = await scanTenant(tenant, { now: Date.parse(at(3_600_000)) });
    return fired[0]?.id;
  }, "an alert incident");
}

async function exported(s: Session): Promise<string> {
  const res = await as(s, "/api/v1/audit/export?format=ndjson");
  if (res.status !== 200) throw new Error(`export: ${res.status} ${await res.text()}`);
  const id = res.headers.get("x-audit-export-id") ?? "";
  await res.arrayBuffer();
  // The manifest is written once the export has been read to the end.
  await poll(async () => {
    const manifest = await as(s, `/api/v1/audit/exports/${id}/manifest`);
    await manifest.body?.cancel();
    return manifest.status === 200 ? true : undefined;
  }, "the export manifest");
  return id;
}

export async function tenantA(): Promise<TenantA> {
  // Signed up 400 days ago, so the retention job has a day to archive.
  const { s: session } = await tenantWithHistory([{ daysAgo: 400, events: [plainRead()] }]);
  const archiveDay = await archivedDay(session);
  const apiKey = await createKey(session, ["ingest", "read", "audit:write"]);
  const { rule, trace, span, evaluation } = await traced(session, apiKey.key);
  const invitation = await json<{ id: string }>(
    await as(session, "/api/v1/users/invitations", {
      method: "POST",
      json: { email: `${unique("invitee")}@example.com`, role: "viewer" },
    }),
    201,
    "invitation",
  );
  const endpoint = await json<{ id: string }>(
    await as(session, "/api/v1/audit/siem-endpoints", {
      method: "POST",
      json: { name: "Tenant A SIEM", format: "native", url: sink("tenant-a").url },
    }),
    201,
    "SIEM endpoint",
  );
  const channel = await json<{ id: string }>(
    await as(session, "/api/v1/alerts/channels", {
      method: "POST",
      json: { kind: "slack", name: "Tenant A Slack", url: sink("tenant-a-slack").url },
    }),
    201,
    "alert channel",
  );
  const exportId = await exported(session);
  const alert = await alertEvent(session);
  // Revoking every key waits for a second admin by default: the request stays pending.
  const approval = await json<{ approval_request_id: string }>(
    await as(session, "/api/v1/api-keys/revoke-all", { method: "POST" }),
    202,
    "approval request",
  );
  const events = await json<{ data: { event_id: string }[] }>(
    await as(session, "/api/v1/audit/events?limit=1"),
    200,
    "audit events",
  );
  return {
    session,
    key: apiKey.key,
    ids: {
      invitation: invitation.id,
      user: session.userId,
      apiKey: apiKey.id,
      trace,
      span,
      rule,
      evaluation,
      auditEvent: events.data[0]?.event_id ?? "",
      siemEndpoint: endpoint.id,
      alertChannel: channel.id,
      export: exportId,
      archiveDay,
      approval: approval.approval_request_id,
      alertEvent: alert,
    },
  };
}
