import { createAsync, useAction, useSubmission } from "@solidjs/router";
import { type Component, For, Show } from "solid-js";
import { type AlertRule, type Detector, listAlertRules, saveAlertRule } from "../../api/alert-rules";
import { FormAlert } from "../form-alert";

const detectorText: Record<Detector, { name: string; what: string }> = {
  spike: {
    name: "Spike",
    what: "A capability's interactions today far above the median of the days before.",
  },
  drop: { name: "Drop", what: "A capability's interactions today far below the median of the days before." },
  error_surge: { name: "Error surge", what: "Failed ÷ all interactions over a short window above a rate." },
  new_capability: { name: "New capability", what: "A capability seen for the first time." },
  deviation: { name: "Deviation", what: "A day's interactions several standard deviations off the mean." },
  freshness: { name: "Freshness", what: "The analytics fold falling behind incoming traces." },
};

/** Field names as people read them; the rest are shown as they are spelled in the rules file. */
const fieldText: Record<string, string> = {
  factor: "Factor (× median)",
  baseline_days: "Baseline days",
  min_median: "Minimum median",
  silence_minutes: "Silence (minutes)",
  rate: "Error rate (0–1)",
  window_minutes: "Window (minutes)",
  min_volume: "Minimum interactions",
  lookback_hours: "Look back (hours)",
  sigma: "Standard deviations",
  min_mean: "Minimum mean",
  max_lag_minutes: "Stale after (minutes)",
  critical_lag_minutes: "Critical after (minutes)",
  renotify_minutes: "Remind every (minutes)",
};

const numberFields = (config: Record<string, unknown>) =>
  Object.entries(config).filter((e): e is [string, number] => typeof e[1] === "number");

const RuleForm: Component<{ rule: AlertRule }> = (props) => {
  const save = useAction(saveAlertRule);
  const saving = useSubmission(saveAlertRule, ([d]) => d === props.rule.detector);
  const onSubmit = (e: SubmitEvent & { currentTarget: HTMLFormElement }) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const config: Record<string, unknown> = { ...props.rule.config, enabled: form.get("enabled") === "on" };
    for (const [key] of numberFields(props.rule.config)) config[key] = Number(form.get(key));
    void save(props.rule.detector, config).catch(() => {});
  };
  const text = () => detectorText[props.rule.detector];
  return (
    <form
      class="alert-rule"
      aria-label={`${text().name} detector`}
      data-testid={`alert-rule-${props.rule.detector}`}
      onSubmit={onSubmit}
    >
      <div class="alert-rule-head">
        <label class="toggle">
          <input type="checkbox" name="enabled" checked={props.rule.enabled} />
          <strong>{text().name}</strong>
        </label>
        <Show when={props.rule.customized}>
          <span class="badge muted-badge">customized</span>
        </Show>
      </div>
      <p class="muted">{text().what}</p>
      <div class="alert-rule-fields">
        <For each={numberFields(props.rule.config)}>
          {([key, value]) => (
            <label class="alert-rule-field">
              <span>{fieldText[key] ?? key}</span>
              <input type="number" name={key} value={value} step="any" required />
            </label>
          )}
        </For>
      </div>
      <Show when={saving.error}>
        <FormAlert error={saving.error} />
      </Show>
      <div class="alert-rule-actions">
        <button type="submit" class="button secondary small" disabled={saving.pending}>
          {saving.pending ? "Saving…" : "Save"}
        </button>
        {/* The submission outlives this form, which is rebuilt when the saved rules are read again. */}
        <Show when={saving.result && !saving.pending}>
          <span class="muted" role="status">
            Saved
          </span>
        </Show>
      </div>
    </form>
  );
};

/** The detectors' thresholds, one small form each (Settings → Alert channels, under the channels). */
export const AlertRulesSection: Component = () => {
  const rules = createAsync(() => listAlertRules());
  return (
    <section class="card" aria-labelledby="alert-rules-title">
      <div class="section-head">
        <div>
          <h2 id="alert-rules-title">Detector thresholds</h2>
          <p class="muted">
            When the analytics numbers raise an alert. Changes apply from the next minute's check.
          </p>
        </div>
      </div>
      <div class="alert-rules">
        <For each={rules()}>{(rule) => <RuleForm rule={rule} />}</For>
      </div>
    </section>
  );
};
