import { useAction, useNavigate, useSubmission } from "@solidjs/router";
import { type Component, createSignal, Show } from "solid-js";
import { deleteRule, type GovRule, setRuleEnabled } from "../../api/governor";
import { FormAlert } from "../form-alert";

/** On/off switch for a rule; shows the requested state while the change is saved. */
export const RuleToggle: Component<{ rule: GovRule }> = (props) => {
  const toggle = useAction(setRuleEnabled);
  const saving = useSubmission(setRuleEnabled, ([id]) => id === props.rule.id);
  const checked = () => (saving.pending ? Boolean(saving.input?.[1]) : props.rule.enabled);
  return (
    <span class="gov-switch-wrap">
      <button
        type="button"
        role="switch"
        class="gov-switch"
        aria-checked={checked()}
        aria-label={`${props.rule.name} enabled`}
        disabled={saving.pending}
        onClick={() => void toggle(props.rule.id, !props.rule.enabled).catch(() => {})}
      >
        <span class="gov-switch-knob" aria-hidden="true" />
      </button>
      <Show when={saving.error}>
        <span class="field-error" role="alert">
          Not saved
        </span>
      </Show>
    </span>
  );
};

/** Delete with an inline confirmation; `then` is where to go afterwards (if anywhere). */
export const DeleteRule: Component<{ rule: GovRule; then?: string; large?: boolean }> = (props) => {
  const size = () => (props.large ? "button" : "button small");
  const [confirming, setConfirming] = createSignal(false);
  const remove = useAction(deleteRule);
  const deleting = useSubmission(deleteRule, ([id]) => id === props.rule.id);
  const navigate = useNavigate();
  const confirm = async () => {
    try {
      await remove(props.rule.id);
      if (props.then) navigate(props.then);
    } catch {
      // Shown from the submission's error below.
    }
  };
  return (
    <span class="gov-delete">
      <Show
        when={confirming()}
        fallback={
          <button
            type="button"
            class={`${size()} danger-outline`}
            aria-label={`Delete ${props.rule.name}`}
            onClick={() => setConfirming(true)}
          >
            Delete
          </button>
        }
      >
        <span class="inline-confirm">
          <button type="button" class={`${size()} danger`} disabled={deleting.pending} onClick={confirm}>
            {deleting.pending ? "Deleting…" : `Delete ${props.rule.name}`}
          </button>
          <button type="button" class={`${size()} ghost`} onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </span>
      </Show>
      <FormAlert error={deleting.error} />
    </span>
  );
};
