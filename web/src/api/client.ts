import { hc } from "hono/client";
import type { apiKeyRoutes } from "../../../worker/api-keys/routes";
import type { authRoutes } from "../../../worker/auth/routes";

export const auth = hc<typeof authRoutes>("/api/v1/auth");
export const apiKeys = hc<typeof apiKeyRoutes>("/api/v1/api-keys");

async function t() {
  const r = await auth.signup.$post({ json: { tenant_name: "a", email: "b", password: "c" } });
  if (r.ok) {
    const j = await r.json();
    j.csrf_token satisfies string;
  } else {
    const e = await r.json();
    e.error.message satisfies string;
  }
  const k = await apiKeys[":id"].$delete({ param: { id: "x" } });
  const l = await apiKeys.index.$get();
  if (l.ok) (await l.json()).data[0]?.prefix satisfies string | undefined;
}
void t;
type R = Awaited<ReturnType<typeof auth.signup.$post>>;
const probe: R["status"] = "x";
type O = R extends { ok: infer K } ? K : never;
const probe2: O = "y";
