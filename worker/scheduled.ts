import { sweepAlertDeliveries } from "./alerts/channels/sweep";
import { sweepAlerts } from "./alerts/sweep";
import { sweepAnalytics } from "./analytics/sweep";
import { runRetention } from "./audit/archive/retention";
import { sweepOutbox } from "./audit/outbox";
import { sweepSiem } from "./audit/siem/sweep";
import { sweepCheckpoints } from "./audit/tlog/sweep";

/** Cron triggers (wrangler.toml): every minute the safety nets, daily the audit retention. */
export async function handleScheduled(controller: ScheduledController, env: Env): Promise<void> {
  if (controller.cron === "17 3 * * *") {
    await runRetention(env, controller.scheduledTime);
    return;
  }
  // The outbox first: the events it delivers are then in the logs the checkpoint sweep looks at.
  await sweepOutbox(env).catch((err) => console.error("audit outbox sweep failed", err));
  // The detectors after the fold, so they read the minute's rollups (and see a fold that is stuck).
  await Promise.allSettled([
    sweepCheckpoints(env),
    sweepSiem(env),
    sweepAnalytics(env).then(() => sweepAlerts(env, controller.scheduledTime)),
    sweepAlertDeliveries(env),
  ]);
}
