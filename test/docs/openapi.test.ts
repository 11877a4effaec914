import { describe, expect, it } from "vitest";
import { buildApp } from "../../worker/app";
import { call } from "../helpers";

const UNDOCUMENTED = new Set(["GET /healthz", "GET /api/v1/openapi.json", "GET /api/docs"]);

describe("OpenAPI document", () => {
  it("documents every route the app serves", async () => {
    const res = await call("/api/v1/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe("3.1.0");
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
      ),
    );
    const served = buildApp()
      .routes.filter((r) => r.method !== "ALL")
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, "{$1}").replace(/(.)\/$/, "$1")}`)
      .filter((r) => !UNDOCUMENTED.has(r));
    expect(served.length).toBeGreaterThan(15);
    for (const route of served) expect(documented, route).toContain(route);
  });

  it("serves the interactive reference page", async () => {
    const res = await call("/api/docs");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("/vendor/swagger-ui/swagger-ui-bundle.js");
  });
});
