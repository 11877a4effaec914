import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { evaluateMessage } from "../../worker/governor/consumer";
import worker from "../../worker/index";
import { at, traceId } from "../fixtures";
import { as, createKey, type ErrorBody, ingest, type Session, signup, unique, withKey } from "../helpers";

const BULK_DELETE = `
name: no_bulk_delete_test
description: Flag attempts to delete many files at once
version: "1.1"
target_span_type: tool
when: "tool.name.contains('delete')"
measure: "size(tool.arguments.?files.orValue([]))"
limit: 5
policy_group: data_safety
severity: high
`;

function yamlPost(s: Session, path: string, body: string, method = "POST") {
  return as(s, path, { method, body, headers: { "content-type": "application/yaml" } });
}

function deleteSpan(id: string, trace: string, files: number) {
  return {
    id,
    trace_id: trace,
    type: "tool",
    name: "delete_files",
    started_at: at(0),
    ended_at: at(10),
    status: "ok",
    tool: {
      name: "delete_files",
      arguments: { files: Array.from({ length: files }, (_, i) => `f${i}.txt`) },
    },
  };
}

type Rule = { id: string; name: string; revision: number; enabled: boolean; version: string };
type Evaluations = {
  data: {
    outcome: string;
    span_id: string;
    rule_name: string;
    rule_revision: number;
    measured: number;
    score: number;
  }[];
};

async function evaluationsFor(s: Session, query: string) {
  return (await (await as(s, `/api/v1/evaluations?${query}`)).json()) as Evaluations;
}

async function waitFor<T>(read: () => Promise<T>, done: (v: T) => boolean, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("rules API", () => {
  it("installs the default packs for a new tenant", async () => {
    const s = await signup();
    const list = (await (await as(s, "/api/v1/rules")).json()) as { data: Rule[] };
    expect(list.data.length).toBeGreaterThanOrEqual(15);
  });

  it("creates a rule from YAML, versions edits and toggles it", async () => {
    const s = await signup();
    const created = await yamlPost(s, "/api/v1/rules", BULK_DELETE);
    expect(created.status).toBe(201);
    const rule = (await created.json()) as Rule;
    expect(rule).toMatchObject({ name: "no_bulk_delete_test", revision: 1, enabled: true, version: "1.1" });
    const edited = await yamlPost(
      s,
      `/api/v1/rules/${rule.id}`,
      BULK_DELETE.replace("limit: 5", "limit: 3").replace('"1.1"', '"1.2"'),
      "PUT",
    );
    expect(edited.status).toBe(200);
    expect(((await edited.json()) as Rule).revision).toBe(2);
    const versions = (await (await as(s, `/api/v1/rules/${rule.id}/versions`)).json()) as {
      data: { revision: number }[];
    };
    expect(versions.data.map((v) => v.revision)).toEqual([2, 1]);
    const off = await as(s, `/api/v1/rules/${rule.id}`, { method: "PATCH", json: { enabled: false } });
    expect(((await off.json()) as Rule).enabled).toBe(false);
    expect((await as(s, `/api/v1/rules/${rule.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await as(s, `/api/v1/rules/${rule.id}`)).status).toBe(404);
  });

  it("accepts a JSON rule body", async () => {
    const s = await signup();
    const res = await as(s, "/api/v1/rules", {
      method: "POST",
      json: {
        name: "slow_llm",
        target_span_type: "llm",
        measure: "duration_ms",
        limit: 30000,
        policy_group: "latency",
        severity: "medium",
      },
    });
    expect(res.status).toBe(201);
  });

  it("points YAML syntax errors at the line and writes nothing", async () => {
    const s = await signup();
    const before = ((await (await as(s, "/api/v1/rules")).json()) as { data: unknown[] }).data.length;
    const res = await yamlPost(s, "/api/v1/rules", "name: broken\nmeasure: [unclosed\n");
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody & { error: { details: { line?: number }[] } };
    expect(body.error.details[0].line).toBeGreaterThan(0);
    expect(((await (await as(s, "/api/v1/rules")).json()) as { data: unknown[] }).data.length).toBe(before);
  });

  it("rejects a CEL error with the field path", async () => {
    const s = await signup();
    const res = await yamlPost(
      s,
      "/api/v1/rules",
      BULK_DELETE.replace("size(tool.arguments.?files.orValue([]))", "size(tool.arguments.files"),
    );
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error.details?.[0].path).toBe("measure");
  });

  it("refuses a duplicate name and non-admins", async () => {
    const s = await signup();
    expect((await yamlPost(s, "/api/v1/rules", BULK_DELETE)).status).toBe(201);
    expect((await yamlPost(s, "/api/v1/rules", BULK_DELETE)).status).toBe(409);
    const { key } = await createKey(s);
    expect(
      (
        await withKey(key, "/api/v1/rules", {
          method: "POST",
          body: BULK_DELETE,
          headers: { "content-type": "application/yaml" },
        })
      ).status,
    ).toBe(403);
  });
});

describe("governor evaluation", () => {
  it("evaluates ingested spans through the queue: pass, amber and red, and flags the trace", async () => {
    const s = await signup();
    await yamlPost(s, "/api/v1/rules", BULK_DELETE);
    const { key } = await createKey(s);
    const trace = traceId("del");
    await ingest(key, {
      traces: [{ id: trace, agent: "janitor", started_at: at(0) }],
      spans: [deleteSpan("d2", trace, 2), deleteSpan("d4", trace, 4), deleteSpan("d6", trace, 6)],
    });
    const result = await waitFor(
      () => evaluationsFor(s, `trace_id=${trace}`),
      (r) => r.data.filter((e) => e.rule_name === "no_bulk_delete_test").length === 2,
    );
    const mine = Object.fromEntries(
      result.data.filter((e) => e.rule_name === "no_bulk_delete_test").map((e) => [e.span_id, e.outcome]),
    );
    // Findings are stored one row each; a pass is only counted (see the summary below).
    expect(mine).toEqual({ d4: "amber", d6: "red" });
    const passing = (await (await withKey(key, "/api/v1/spans/d2")).json()) as { worst_outcome: string };
    expect(passing.worst_outcome).toBe("pass");
    const findings = await evaluationsFor(s, `trace_id=${trace}&outcome=amber,red&rule_id=`);
    expect(
      findings.data
        .filter((e) => e.rule_name === "no_bulk_delete_test")
        .map((e) => e.outcome)
        .sort(),
    ).toEqual(["amber", "red"]);
    const flagged = (await (await withKey(key, "/api/v1/traces?has_violation=true")).json()) as {
      data: { id: string; worst_outcome: string }[];
    };
    expect(flagged.data).toEqual([expect.objectContaining({ id: trace, worst_outcome: "red" })]);
    const summary = (await (await as(s, "/api/v1/evaluations/summary")).json()) as {
      rules: { rule_name: string; pass: number; amber: number; red: number }[];
      trend: unknown[];
    };
    expect(summary.rules.find((r) => r.rule_name === "no_bulk_delete_test")).toMatchObject({
      pass: 1,
      amber: 1,
      red: 1,
    });
  });

  it("does not duplicate evaluations when a message is redelivered", async () => {
    const s = await signup();
    await yamlPost(s, "/api/v1/rules", BULK_DELETE);
    const { key } = await createKey(s);
    const trace = traceId("redeliver");
    await ingest(key, {
      traces: [{ id: trace, agent: "janitor", started_at: at(0) }],
      spans: [deleteSpan("r6", trace, 6)],
    });
    const message = {
      kind: "evaluate" as const,
      tenant_id: s.tenantId,
      data_db: "DB",
      spans: [[trace, "r6"]] as [string, string][],
    };
    await evaluateMessage(env, "m1", message);
    await evaluateMessage(env, "m1", message);
    const batch = createMessageBatch("audittrail-governor", [
      { id: "m1", timestamp: new Date(), attempts: 2, body: message },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toContain("m1");
    const rows = await env.DB.prepare(
      "SELECT count(*) AS n FROM constitutional_evaluations WHERE tenant_id = ? AND span_id = 'r6' AND rule_name = 'no_bulk_delete_test'",
    )
      .bind(s.tenantId)
      .first<{ n: number }>();
    expect(rows?.n).toBe(1);
  });

  it("clears a finding when the span is re-sent and now passes", async () => {
    const s = await signup();
    await yamlPost(s, "/api/v1/rules", BULK_DELETE);
    const { key } = await createKey(s);
    const trace = traceId("clear");
    await ingest(key, {
      traces: [{ id: trace, agent: "janitor", started_at: at(0) }],
      spans: [deleteSpan("c1", trace, 9)],
    });
    const mineFor = async () =>
      (await evaluationsFor(s, `span_id=c1`)).data.filter((e) => e.rule_name === "no_bulk_delete_test");
    expect((await waitFor(mineFor, (r) => r.length === 1)).map((e) => e.outcome)).toEqual(["red"]);
    await ingest(key, { spans: [deleteSpan("c1", trace, 1)] });
    expect(await waitFor(mineFor, (r) => r.length === 0)).toEqual([]);
    const trace2 = (await (await withKey(key, `/api/v1/traces/${trace}`)).json()) as {
      trace: { worst_outcome: string };
    };
    expect(trace2.trace.worst_outcome).not.toBe("red");
  });

  it("records a rule that fails at runtime as an error outcome", async () => {
    const s = await signup();
    const rule = `name: needs_field\ntarget_span_type: tool\nmeasure: "tool.arguments.count"\nlimit: 3\npolicy_group: test\nseverity: low\n`;
    expect((await yamlPost(s, "/api/v1/rules", rule)).status).toBe(201);
    const { key } = await createKey(s);
    const trace = traceId("err");
    await ingest(key, {
      traces: [{ id: trace, agent: "a", started_at: at(0) }],
      spans: [deleteSpan("e1", trace, 1)],
    });
    const result = await waitFor(
      () => evaluationsFor(s, `trace_id=${trace}&outcome=error`),
      (r) => r.data.length > 0,
    );
    expect(result.data.map((e) => e.rule_name)).toContain("needs_field");
  });

  it("keeps malformed queue messages as dead letters visible to admins", async () => {
    const s = await signup();
    const batch = createMessageBatch("audittrail-governor", [
      {
        id: unique("bad"),
        timestamp: new Date(),
        attempts: 1,
        body: { kind: "evaluate", tenant_id: s.tenantId },
      },
    ]);
    await worker.queue(batch, env);
    const list = (await (await as(s, "/api/v1/governor/dead-letters")).json()) as { data: unknown[] };
    expect(list.data).toHaveLength(1);
  });
});

describe("dry run", () => {
  it("evaluates a draft rule against recent spans without saving it", async () => {
    const s = await signup();
    const { key } = await createKey(s);
    const trace = traceId("dry");
    await ingest(key, {
      traces: [{ id: trace, agent: "janitor", started_at: at(0) }],
      spans: [deleteSpan("x2", trace, 2), deleteSpan("x5", trace, 5), deleteSpan("x9", trace, 9)],
    });
    const res = await as(s, "/api/v1/rules/dry-run", {
      method: "POST",
      json: { rule: BULK_DELETE, limit: 100 },
    });
    expect(res.status).toBe(200);
    const out = (await res.json()) as {
      counts: Record<string, number>;
      matches: { span_id: string; outcome: string }[];
    };
    expect(out.counts).toMatchObject({ pass: 1, amber: 1, red: 1 });
    expect(out.matches.map((m) => [m.span_id, m.outcome])).toEqual([
      ["x5", "amber"],
      ["x9", "red"],
    ]);
    const names = ((await (await as(s, "/api/v1/rules")).json()) as { data: Rule[] }).data.map((r) => r.name);
    expect(names).not.toContain("no_bulk_delete_test");
  });

  it("only validates when the limit is 0", async () => {
    const s = await signup();
    const res = await as(s, "/api/v1/rules/dry-run", {
      method: "POST",
      json: { rule: BULK_DELETE, limit: 0 },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { spans_checked: number }).spans_checked).toBe(0);
  });

  it("rejects an invalid draft with the field path", async () => {
    const s = await signup();
    const res = await as(s, "/api/v1/rules/dry-run", {
      method: "POST",
      json: { rule: { name: "x", target_span_type: "tool" } },
    });
    expect(res.status).toBe(400);
  });
});

describe("evaluations API", () => {
  it("hides other tenants' evaluations and rejects bad filters", async () => {
    const a = await signup();
    const b = await signup();
    expect((await as(b, "/api/v1/evaluations/ev_missing")).status).toBe(404);
    expect((await as(a, "/api/v1/evaluations?outcome=purple")).status).toBe(400);
    expect(((await (await as(b, "/api/v1/evaluations")).json()) as Evaluations).data).toHaveLength(0);
  });
});
