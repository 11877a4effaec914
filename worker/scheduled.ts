import { runRetention } from "./audit/archive/retention";
import { sweepSiem } from "./audit/siem/sweep";
import { sweepCheckpoints } from "./audit/tlog/sweep";

/** Cron triggers (wrangler.toml): every minute the safety nets, daily the audit retention. */
export async function handleScheduled(controller: ScheduledController, env: Env): Promise<void> {
  if (controller.cron === "17 3 * * *") {
    await runRetention(env, controller.scheduledTime);
    return;
  }
  await Promise.allSettled([sweepCheckpoints(env), sweepSiem(env)]);
}
