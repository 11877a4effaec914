import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { retentionCutoff, runRetention, utcDay } from "../../../worker/audit/archive/retention";
import {
  chatRefund,
  DAY,
  d1Seqs,
  eventsOfType,
  gunzipText,
  keyDelete,
  manualUpdate,
  plainRead,
  post,
  sha256Hex,
  tenantWithHistory,
} from "./fixtures";

type ArchiveRow = {
  day: string;
  object_key: string;
  first_seq: number;
  last_seq: number;
  event_count: number;
  sha256: string;
  bytes: number;
  pruned_at: number | null;
};

async function archiveRows(tenantId: string) {
  const { results } = await env.DB.prepare("SELECT * FROM audit_archives WHERE tenant_id = ? ORDER BY day")
    .bind(tenantId)
    .all<ArchiveRow>();
  return results;
}

async function objectLines(key: string) {
  const object = await env.ARCHIVE.get(key);
  if (!object) throw new Error(`no object ${key}`);
  const bytes = await object.arrayBuffer();
  const text = await gunzipText(bytes);
  return {
    bytes,
    text,
    lines: text
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { seq: number }),
  };
}

/** Everything a tenant has in D1 as export NDJSON lines (the archive's exact bytes). */
async function d1Lines(tenantId: string, through: number) {
  const { results } = await env.DB.prepare(
    "SELECT seq, body, leaf_hash FROM audit_events WHERE tenant_id = ? AND seq <= ? ORDER BY seq",
  )
    .bind(tenantId, through)
    .all<{ seq: number; body: string; leaf_hash: string }>();
  return results.map(
    (r) => `${r.body.slice(0, -1)},"seq":${r.seq},"integrity":{"leaf_hash":"${r.leaf_hash}"}}\n`,
  );
}

const dayAgo = (days: number) => utcDay(Date.now() - days * DAY);

describe("audit retention", () => {
  it("archives old days to R2 with a manifest, prunes them from D1 and records the prune", async () => {
    const t = await tenantWithHistory([
      { daysAgo: 400, events: [chatRefund(), manualUpdate()] },
      { daysAgo: 399, events: [keyDelete()] },
      { daysAgo: 10, events: [plainRead()] },
    ]);
    const tenantId = t.s.tenantId;
    const before = await d1Seqs(tenantId);
    const recent = (await eventsOfType(tenantId, "report.view"))[0]?.seq ?? 0;
    const expectedLines = await d1Lines(tenantId, recent - 1);

    const report = await runRetention(env, Date.now(), { tenants: [tenantId] });
    const mine = report.tenants.find((x) => x.tenantId === tenantId);
    expect(mine?.error).toBeUndefined();
    expect(mine?.archived.map((d) => d.day)).toEqual([dayAgo(400), dayAgo(399)]);

    const rows = await archiveRows(tenantId);
    expect(rows.map((r) => r.day)).toEqual([dayAgo(400), dayAgo(399)]);
    expect(rows[0]?.first_seq).toBe(1);
    expect(rows[1]?.first_seq).toBe((rows[0]?.last_seq ?? 0) + 1);
    expect(rows[1]?.last_seq).toBe(recent - 1);

    const archivedLines: string[] = [];
    for (const row of rows) {
      expect(row.object_key).toBe(`audit/${tenantId}/archive/${row.day}.ndjson.gz`);
      expect(row.pruned_at).not.toBeNull();
      const { bytes, text, lines } = await objectLines(row.object_key);
      expect(lines.map((l) => l.seq)).toEqual(
        Array.from({ length: row.event_count }, (_, i) => row.first_seq + i),
      );
      archivedLines.push(...text.split(/(?<=\n)/));
      expect(row.sha256).toBe(await sha256Hex(bytes));
      expect(row.bytes).toBe(bytes.byteLength);

      const manifest = (await (
        await env.ARCHIVE.get(`audit/${tenantId}/archive/${row.day}.manifest.json`)
      )?.json()) as Record<string, unknown> & { range: { first_seq: number; last_seq: number } };
      expect(manifest).toMatchObject({
        export_id: null,
        tenant_id: tenantId,
        format: "ndjson.gz",
        day: row.day,
        object_key: row.object_key,
        count: row.event_count,
        bytes: row.bytes,
        sha256: row.sha256,
        content_sha256: await sha256Hex(new TextEncoder().encode(text)),
        range: { first_seq: row.first_seq, last_seq: row.last_seq },
      });
      const [origin, size] = String(manifest.checkpoint).split("\n");
      expect(origin).toBe(`audittrail/${tenantId}`);
      expect(Number(size)).toBeGreaterThanOrEqual(row.last_seq);
    }
    // Byte for byte what D1 held, nothing lost, nothing twice.
    expect(archivedLines).toEqual(expectedLines);

    const after = await d1Seqs(tenantId);
    expect(after[0]).toBe(recent);
    expect(after.filter((s) => s < recent)).toEqual([]);
    expect(before.filter((s) => s >= recent).every((s) => after.includes(s))).toBe(true);
    const targets = await env.DB.prepare(
      "SELECT count(*) AS n FROM audit_event_targets WHERE tenant_id = ? AND seq < ?",
    )
      .bind(tenantId, recent)
      .first<{ n: number }>();
    expect(targets?.n).toBe(0);

    const prunes = await eventsOfType(tenantId, "audit.retention.prune");
    expect(prunes).toHaveLength(2);
    expect(prunes[0]).toMatchObject({
      crud: "d",
      actor: { type: "system", id: "retention" },
      channel: "scheduled",
      target: [{ type: "audit_archive", id: dayAgo(400) }],
      metadata: {
        day: dayAgo(400),
        first_seq: 1,
        last_seq: rows[0]?.last_seq,
        count: rows[0]?.event_count,
        object_key: rows[0]?.object_key,
        sha256: rows[0]?.sha256,
      },
    });
    expect(prunes.every((p) => p.seq > recent)).toBe(true);
    expect(after).toEqual(Array.from({ length: after.length }, (_, i) => recent + i));

    // The log is still append-only for everyone else.
    await expect(
      env.DB.prepare("DELETE FROM audit_events WHERE tenant_id = ? AND seq = ?").bind(tenantId, recent).run(),
    ).rejects.toThrow(/append-only/);
    await expect(
      env.DB.prepare("UPDATE audit_events SET outcome = 'failure' WHERE tenant_id = ?").bind(tenantId).run(),
    ).rejects.toThrow(/append-only/);
    const grants = await env.DB.prepare("SELECT count(*) AS n FROM audit_prune_grants WHERE tenant_id = ?")
      .bind(tenantId)
      .first<{ n: number }>();
    expect(grants?.n).toBe(0);

    // A second run has nothing to do.
    const again = await runRetention(env, Date.now(), { tenants: [tenantId] });
    expect(again.tenants.flatMap((x) => x.archived)).toEqual([]);
    expect(await archiveRows(tenantId)).toHaveLength(2);

    // New events still get the next seq, never a pruned one.
    const [added] = await post(t.key, [plainRead()]);
    expect(added?.seq).toBe((after.at(-1) ?? 0) + 1);
  });

  it("re-runs cleanly after a crash between the R2 write and the D1 prune", async () => {
    const t = await tenantWithHistory([
      { daysAgo: 380, events: [chatRefund(), manualUpdate(), keyDelete()] },
      { daysAgo: 1, events: [plainRead()] },
    ]);
    const tenantId = t.s.tenantId;
    const recent = (await eventsOfType(tenantId, "report.view"))[0]?.seq ?? 0;
    const expectedLines = await d1Lines(tenantId, recent - 1);
    const key = `audit/${tenantId}/archive/${dayAgo(380)}.ndjson.gz`;

    const crashed = await runRetention(env, Date.now(), {
      tenants: [tenantId],
      afterObjectWritten: () => {
        throw new Error("injected crash after the put");
      },
    });
    expect(crashed.tenants[0]?.error).toContain("injected crash");
    expect(await env.ARCHIVE.head(key)).not.toBeNull();
    expect(await archiveRows(tenantId)).toEqual([]);
    expect((await d1Seqs(tenantId)).slice(0, recent)).toEqual(
      Array.from({ length: recent }, (_, i) => i + 1),
    );
    expect(await eventsOfType(tenantId, "audit.retention.prune")).toEqual([]);

    let rewrites = 0;
    const rerun = await runRetention(env, Date.now(), {
      tenants: [tenantId],
      afterObjectWritten: () => {
        rewrites += 1;
      },
    });
    expect(rerun.tenants[0]?.error).toBeUndefined();
    expect(rewrites).toBe(0); // the object from the crashed run was re-verified, not written again
    const rows = await archiveRows(tenantId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ first_seq: 1, last_seq: recent - 1, event_count: recent - 1 });
    const { text } = await objectLines(key);
    expect(text.split(/(?<=\n)/)).toEqual(expectedLines);
    expect(await eventsOfType(tenantId, "audit.retention.prune")).toHaveLength(1);
    expect((await d1Seqs(tenantId))[0]).toBe(recent);
  });

  it("rewrites an object that does not match D1 before pruning", async () => {
    const t = await tenantWithHistory([{ daysAgo: 370, events: [chatRefund(), plainRead()] }]);
    const tenantId = t.s.tenantId;
    const key = `audit/${tenantId}/archive/${dayAgo(370)}.ndjson.gz`;
    const lastOld = (await eventsOfType(tenantId, "report.view")).at(-1)?.seq ?? 0;
    const expectedLines = await d1Lines(tenantId, lastOld);
    // A half-written or foreign object where the day's archive goes.
    await env.ARCHIVE.put(key, "not gzip at all");

    let rewrites = 0;
    const report = await runRetention(env, Date.now(), {
      tenants: [tenantId],
      afterObjectWritten: () => {
        rewrites += 1;
      },
    });
    expect(report.tenants[0]?.error).toBeUndefined();
    expect(rewrites).toBe(1);
    const { text } = await objectLines(key);
    expect(text.split(/(?<=\n)/)).toEqual(expectedLines);
    expect((await archiveRows(tenantId))[0]).toMatchObject({ last_seq: lastOld });
  });

  it("never prunes events younger than 180 days, whatever the settings say", async () => {
    const t = await tenantWithHistory([
      { daysAgo: 200, events: [chatRefund()] },
      { daysAgo: 100, events: [manualUpdate()] },
    ]);
    const tenantId = t.s.tenantId;
    // Below the floor the settings API refuses; written straight to the table here.
    await env.DB.prepare(
      `INSERT INTO audit_settings (tenant_id, retention_days, high_risk_types, dual_approval_actions, masking_patterns, updated_at)
       VALUES (?, 30, '[]', '[]', '[]', ?)
       ON CONFLICT (tenant_id) DO UPDATE SET retention_days = 30`,
    )
      .bind(tenantId, Date.now())
      .run();
    const young = (await eventsOfType(tenantId, "customer.update"))[0]?.seq ?? 0;

    const report = await runRetention(env, Date.now(), { tenants: [tenantId] });
    expect(report.tenants[0]?.archived.map((d) => d.day)).toEqual([dayAgo(200)]);
    const left = await d1Seqs(tenantId);
    expect(left[0]).toBe(young);

    expect(retentionCutoff(Date.parse("2026-07-01T12:00:00Z"), 30)).toBe(Date.parse("2026-01-02T00:00:00Z"));
    expect(retentionCutoff(Date.parse("2026-07-01T12:00:00Z"), 365)).toBe(Date.parse("2025-07-01T00:00:00Z"));
  });

  it("spreads a backlog over runs, a few days per tenant each", async () => {
    const t = await tenantWithHistory([
      { daysAgo: 500, events: [plainRead()] },
      { daysAgo: 450, events: [plainRead()] },
      { daysAgo: 420, events: [plainRead()] },
    ]);
    const tenantId = t.s.tenantId;
    const first = await runRetention(env, Date.now(), { tenants: [tenantId], maxDaysPerTenant: 2 });
    expect(first.tenants[0]?.archived.map((d) => d.day)).toEqual([dayAgo(500), dayAgo(450)]);
    const second = await runRetention(env, Date.now(), { tenants: [tenantId], maxDaysPerTenant: 2 });
    expect(second.tenants[0]?.archived.map((d) => d.day)).toEqual([dayAgo(420)]);
    const rows = await archiveRows(tenantId);
    expect(rows.map((r) => [r.first_seq, r.last_seq])).toEqual([
      [1, rows[0]?.last_seq],
      [(rows[0]?.last_seq ?? 0) + 1, rows[1]?.last_seq],
      [(rows[1]?.last_seq ?? 0) + 1, rows[2]?.last_seq],
    ]);
  });

  it("uploads a day bigger than one part in equal parts and still verifies it", async () => {
    // R2 (and Miniflare) want parts of at least 5 MiB: ~6.5 MB of incompressible metadata.
    const noise = () => {
      const bytes = crypto.getRandomValues(new Uint8Array(375));
      return btoa(String.fromCharCode(...bytes));
    };
    const big = () =>
      plainRead({ metadata: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, noise()])) });
    const batch = () => Array.from({ length: 100 }, big);
    const t = await tenantWithHistory([
      { daysAgo: 400, events: [...batch(), ...batch(), ...batch(), ...batch()] },
    ]);
    const tenantId = t.s.tenantId;
    const lastOld = (await eventsOfType(tenantId, "report.view")).at(-1)?.seq ?? 0;
    const expectedLines = await d1Lines(tenantId, lastOld);
    const report = await runRetention(env, Date.now(), { tenants: [tenantId], partSize: 5 * 1024 * 1024 });
    expect(report.tenants[0]?.error).toBeUndefined();
    const row = (await archiveRows(tenantId))[0];
    expect(row?.bytes).toBeGreaterThan(5 * 1024 * 1024);
    expect(row?.event_count).toBe(lastOld);
    const { text, bytes } = await objectLines(row?.object_key ?? "");
    expect(text.split(/(?<=\n)/)).toEqual(expectedLines);
    expect(row?.sha256).toBe(await sha256Hex(bytes));
  }, 60_000);

  it("deletes Idempotency-Key replays older than 24 hours", async () => {
    const now = Date.now();
    const insert = (key: string, at: number) =>
      env.DB.prepare(
        "INSERT INTO audit_idempotency (tenant_id, key, request_hash, status, response, created_at) VALUES ('t_idem', ?, 'h', 201, '{}', ?)",
      )
        .bind(key, at)
        .run();
    await insert("old", now - 25 * 3_600_000);
    await insert("fresh", now - 3_600_000);
    const report = await runRetention(env, now, { tenants: [] });
    expect(report.idempotencyDeleted).toBeGreaterThanOrEqual(1);
    const { results } = await env.DB.prepare(
      "SELECT key FROM audit_idempotency WHERE tenant_id = 't_idem'",
    ).all<{
      key: string;
    }>();
    expect(results.map((r) => r.key)).toEqual(["fresh"]);
  });
});
