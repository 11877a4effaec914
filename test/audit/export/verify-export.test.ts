import { describe, expect, it } from "vitest";
import { parseVkey } from "../../../worker/audit/tlog/note.mjs";
import { verifyLog } from "../../../worker/audit/tlog/verify.mjs";
import { as, createKey, signup, withKey } from "../../helpers";
import { collect } from "../tlog/rows";

async function sha256Hex(text: string) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

describe("an export verifies offline with its manifest alone", () => {
  it("bridges from the file's last seq to the manifest's checkpoint, and catches an edit", async () => {
    const owner = await signup();
    const { key } = await createKey(owner, ["audit:write"]);
    const events = Array.from({ length: 5 }, (_, i) => ({
      event_type: "refund.initiate",
      crud: "c",
      actor: { type: "system", id: "billing" },
      metadata: { amount: 1000 * i },
    }));
    expect((await withKey(key, "/api/v1/audit/events", { method: "POST", json: { events } })).status).toBe(
      201,
    );
    const res = await as(owner, "/api/v1/audit/export?format=ndjson");
    expect(res.status).toBe(200);
    const text = await res.text();
    const exportId = res.headers.get("x-audit-export-id");
    const manifest = (await (await as(owner, `/api/v1/audit/exports/${exportId}/manifest`)).json()) as {
      checkpoint: string;
      range: { last_seq: number };
      consistency_proof?: { from_size: number; to_size: number; hashes: string[] };
    };
    // The export records its own event first, so the checkpoint is already past the file.
    expect(manifest.consistency_proof).toBeTruthy();
    const vkey = ((await (await as(owner, "/api/v1/audit/public-key")).json()) as { vkey: string }).vkey;
    const lines = text.trim().split("\n");
    const run = async (l: string[]) =>
      verifyLog({
        checkpoint: manifest.checkpoint,
        key: parseVkey(vkey),
        events: collect(l),
        manifests: [{ file: 0, manifest, hashes: [await sha256Hex(`${l.join("\n")}\n`)] }],
      });
    const ok = await run(lines);
    expect(ok.status).toBe("verified");
    const edited = lines.slice();
    edited[3] = (edited[3] ?? "").replace('"amount":', '"amount":9');
    const bad = await run(edited);
    expect(bad.status).not.toBe("verified");
    // The whole log is exported from seq 1, so line i holds seq i + 1; the file hash no longer matches either.
    const found = bad.findings.map((f: { class: string; seq?: number }) => `${f.class}:${f.seq ?? ""}`);
    expect(found).toEqual(["manifest:", "modified:4"]);
    expect(manifest.range.last_seq).toBe(lines.length);
  });
});
