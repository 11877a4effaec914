import { useAction, useSubmission } from "@solidjs/router";
import { type Component, createEffect, createSignal, createUniqueId, on, Show } from "solid-js";
import { type AuditSettings, type AuditSettingsChange, saveAuditSettings } from "../../api/audit";
import { ApiError } from "../../api/client";
import { FormAlert } from "../form-alert";
import { AuditArchiveDays } from "./audit-archive-days";
import { SaveStatus } from "./audit-save-status";

const MIN_DAYS = 180;
const MAX_DAYS = 3650;

const about = (days: number) =>
  days >= 365
    ? `about ${(days / 365).toFixed(days % 365 === 0 ? 0 : 1)} years`
    : `about ${Math.round(days / 30)} months`;

const isRetention = (c: AuditSettingsChange) => c.retention_days !== undefined;

export const AuditRetention: Component<{ settings: AuditSettings }> = (props) => {
  const id = createUniqueId();
  const save = useAction(saveAuditSettings);
  const submission = useSubmission(saveAuditSettings, ([change]) => isRetention(change));
  const [days, setDays] = createSignal(props.settings.retention_days);
  // A change waiting for approval has not happened: the field goes back to what is in force.
  createEffect(
    on(
      () => [submission.result, props.settings.retention_days] as const,
      ([result, current]) => {
        if (result) setDays(current);
      },
      { defer: true },
    ),
  );
  const problem = () =>
    !Number.isInteger(days()) || days() < MIN_DAYS || days() > MAX_DAYS
      ? `Between ${MIN_DAYS} and ${MAX_DAYS} whole days.`
      : undefined;
  const serverProblem = () =>
    submission.error instanceof ApiError ? submission.error.fieldMessage("retention_days") : undefined;
  const lowering = () => days() < props.settings.retention_days;
  const dualLower = () => props.settings.dual_approval_actions.includes("audit.retention.lower");
  return (
    <section class="card audit-card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Retention</h2>
      <p class="muted">
        Events stay in the searchable log for this many days. Older ones move to the archive: one compressed
        NDJSON file per day in R2, with a manifest and the signed checkpoint that covers it, so they can still
        be exported and verified. The log keeps at least {MIN_DAYS} days.
      </p>
      <form
        class="audit-inline-form"
        aria-label="Audit retention"
        onSubmit={(e) => {
          e.preventDefault();
          if (!problem()) void save({ retention_days: days() }).catch(() => {});
        }}
      >
        <FormAlert error={submission.error} fields={["retention_days"]} />
        <div class="field" classList={{ invalid: !!(problem() ?? serverProblem()) }}>
          <label for={id}>Keep events for</label>
          <div class="audit-days">
            <input
              id={id}
              type="number"
              name="retention_days"
              min={MIN_DAYS}
              max={MAX_DAYS}
              step={1}
              value={days()}
              aria-describedby={`${id}-hint`}
              aria-invalid={!!(problem() ?? serverProblem())}
              onInput={(e) => setDays(e.currentTarget.valueAsNumber)}
            />
            <span>days</span>
            <button
              type="submit"
              class="button primary"
              disabled={submission.pending || !!problem() || days() === props.settings.retention_days}
            >
              {submission.pending ? "Saving…" : "Save"}
            </button>
          </div>
          <p id={`${id}-hint`} class={(problem() ?? serverProblem()) ? "field-error" : "hint"}>
            {problem() ??
              serverProblem() ??
              `${about(days() || MIN_DAYS)}. ${lowering() && dualLower() ? "Lowering it needs a second admin to approve." : ""}`}
          </p>
        </div>
      </form>
      <Show when={!submission.pending}>
        <SaveStatus result={submission.result} />
      </Show>
      <AuditArchiveDays />
    </section>
  );
};
