// Alert detector thresholds (docs/alerts.md): one rule per detector, saved whole.
import { action, query, revalidate } from "@solidjs/router";
import type { AlertRule, Detector } from "../../../worker/alerts/schemas";
import { api, ok } from "./client";

export type { AlertRule, Detector };

export const listAlertRules = query(async () => (await ok(api.alerts.rules.$get())).data, "alert-rules");

export const saveAlertRule = action(async (detector: Detector, config: Record<string, unknown>) => {
  // The route takes any JSON object (the detector's schema checks it), so the body is not typed.
  const saved = await ok(
    api.alerts.rules[":detector"].$put(
      { param: { detector } },
      { init: { body: JSON.stringify(config) }, headers: { "content-type": "application/json" } },
    ),
  );
  await revalidate(listAlertRules.key);
  return saved;
});
