/**
 * One detector run for one tenant: read the rollups, find what holds, reconcile incidents, put
 * new and resolved ones on the live feed, and send the channels whatever they lag behind.
 * The minute cron runs every detector for every tenant with analytics; a fold runs all but
 * freshness (a stuck fold never folds, so only the cron can notice it), at most once a minute.
 */

import { foldEnabled } from "../analytics/fold";
import {
  capabilitiesFirstSeenSince,
  dailyInteractions,
  historyArriving,
  windowCounts,
} from "../analytics/signals";
import { readFreshness } from "../analytics/sync";
import type { TenantContext } from "../db/client";
import { newId } from "../lib/ids";
import type { HubEvent } from "../live/protocol";
import { publishToHub } from "../live/publish";
import {
  DAY,
  dayStart,
  detectDeviation,
  detectDrop,
  detectErrorSurge,
  detectFreshness,
  detectNewCapability,
  detectSilence,
  detectSpike,
  type Finding,
  HOUR,
  MINUTE,
} from "./detectors";
import { type Reconciled, reconcile } from "./incidents";
import { sendPendingNotices } from "./notices";
import { loadRules } from "./queries";
import { DETECTORS } from "./rules";
import type { AlertEvent, AlertNotice, Detector } from "./schemas";

type Rules = Awaited<ReturnType<typeof loadRules>>;

export type ScanResult = Reconciled & { notices: AlertNotice[] };

/** Every input the detectors read, in one round of queries. */
async function findings(tenant: TenantContext, rules: Rules, now: number, ran: Set<Detector>) {
  const today = dayStart(now);
  const days = Math.max(
    rules.spike.config.baseline_days,
    rules.drop.config.baseline_days + 1,
    rules.deviation.config.baseline_days + 1,
  );
  const surge = rules.error_surge.config.window_minutes * MINUTE;
  const silence = rules.drop.config.silence_minutes * MINUTE;
  const on = (d: Detector) => ran.has(d) && rules[d].config.enabled;
  const [daily, recent, quiet, firstSeen, fresh] = await Promise.all([
    dailyInteractions(tenant, today - days * DAY, today + DAY),
    on("error_surge") ? windowCounts(tenant, now - surge, now + 1) : new Map(),
    on("drop") ? windowCounts(tenant, now - silence, now + 1) : new Map(),
    on("new_capability")
      ? capabilitiesFirstSeenSince(tenant, now - rules.new_capability.config.lookback_hours * HOUR)
      : [],
    on("freshness") ? readFreshness(tenant, now) : null,
  ]);
  const by: Record<Detector, () => Finding[]> = {
    spike: () => detectSpike(daily, rules.spike.config, now),
    drop: () => [
      ...detectDrop(daily, rules.drop.config, now),
      ...detectSilence(daily, quiet, rules.drop.config, now),
    ],
    error_surge: () => detectErrorSurge(recent, rules.error_surge.config, now),
    new_capability: () => detectNewCapability(firstSeen, rules.new_capability.config, now),
    deviation: () => detectDeviation(daily, rules.deviation.config, now),
    freshness: () => detectFreshness(fresh, rules.freshness.config, now),
  };
  return DETECTORS.filter(on).flatMap((d) => by[d]());
}

const COUNT_DETECTORS: readonly Detector[] = ["spike", "drop", "deviation"];

const hubEvent = (event: "alert.fired" | "alert.resolved", payload: AlertEvent): HubEvent => ({
  event,
  payload,
  traceId: `alert:${payload.id}`,
  ownerUserId: null,
});

export async function scanTenant(
  tenant: TenantContext,
  opts: { now?: number; freshness?: boolean; onlyFreshness?: boolean } = {},
): Promise<ScanResult> {
  const now = opts.now ?? Date.now();
  // With the fold switched off (ANALYTICS_FOLD), its lag is no news.
  const freshness = opts.freshness !== false && foldEnabled(tenant.env);
  // Detectors not run are neither fired nor resolved (reconcile leaves their incidents alone).
  const ran = new Set(DETECTORS.filter((d) => (d === "freshness" ? freshness : !opts.onlyFreshness)));
  // While history is still arriving, daily counts are not final: spike, drop and deviation wait
  // (they neither fire nor resolve) until a minute after the last of it.
  if (await historyArriving(tenant, now)) for (const d of COUNT_DETECTORS) ran.delete(d);
  const rules = await loadRules(tenant);
  const found = await findings(tenant, rules, now, ran);
  const result = await reconcile(tenant, found, ran, now, () => newId("alrt_", now));
  const live = [
    ...result.fired.map((e) => hubEvent("alert.fired", e)),
    ...result.resolved.map((e) => hubEvent("alert.resolved", e)),
  ];
  await publishToHub(tenant.env, tenant.id, live).catch((err) =>
    console.error("alert live publish failed", err),
  );
  const notices = await sendPendingNotices(tenant, rules, now).catch((err) => {
    console.error("alert notices failed; the next scan sends them", tenant.id, err);
    return [];
  });
  return { ...result, notices };
}
