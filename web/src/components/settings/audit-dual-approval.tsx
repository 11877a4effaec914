import { useAction, useSubmission } from "@solidjs/router";
import { type Component, createEffect, createSignal, createUniqueId, For, on, Show } from "solid-js";
import { type AuditSettings, saveAuditSettings } from "../../api/audit";
import { FormAlert } from "../form-alert";
import { SaveStatus } from "./audit-save-status";

/**
 * The actions the server knows how to hold for approval (worker/audit/approvals/actions.ts registers
 * them). The API takes any names; one it does not know is simply never asked for.
 */
const known: Record<string, string> = {
  "audit.retention.lower": "Lowering audit retention",
  "api_key.revoke_all": "Revoking every API key at once",
  "user.grant_owner": "Making someone an owner",
  "tenant.delete": "Deleting the workspace",
};

const same = (a: readonly string[], b: readonly string[]) => [...a].sort().join() === [...b].sort().join();

export const AuditDualApproval: Component<{ settings: AuditSettings }> = (props) => {
  const id = createUniqueId();
  const save = useAction(saveAuditSettings);
  const submission = useSubmission(
    saveAuditSettings,
    ([change]) => change.dual_approval_actions !== undefined,
  );
  const [chosen, setChosen] = createSignal<string[]>([...props.settings.dual_approval_actions]);
  createEffect(
    on(
      () => props.settings.dual_approval_actions,
      (saved) => setChosen([...saved]),
      { defer: true },
    ),
  );
  const names = () => [...new Set([...Object.keys(known), ...props.settings.dual_approval_actions])];
  const toggle = (name: string, on: boolean) =>
    setChosen((all) => (on ? [...all, name] : all.filter((n) => n !== name)));
  return (
    <section class="card audit-card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Dual approval</h2>
      <p class="muted">
        These actions wait for a second owner or admin before they happen. The person asking can cancel but
        never approve their own request; requests expire after 24 hours. Pending requests are under{" "}
        <a href="/settings/approvals">Approvals</a>.
      </p>
      <FormAlert error={submission.error} />
      <fieldset class="audit-checks">
        <legend class="visually-hidden">Actions that need a second admin</legend>
        <For each={names()}>
          {(name) => (
            <label class="check">
              <input
                type="checkbox"
                checked={chosen().includes(name)}
                onChange={(e) => toggle(name, e.currentTarget.checked)}
              />
              <span>
                <strong>{known[name] ?? name}</strong> <code class="muted">{name}</code>
              </span>
            </label>
          )}
        </For>
      </fieldset>
      <Show when={props.settings.dual_approval_actions.some((a) => !chosen().includes(a))}>
        <p class="hint audit-warning">
          Taking an action off this list needs another admin's approval too, so one admin alone can never
          switch the control off.
        </p>
      </Show>
      <div class="audit-card-actions">
        <button
          type="button"
          class="button primary"
          disabled={submission.pending || same(chosen(), props.settings.dual_approval_actions)}
          onClick={() =>
            void save({
              dual_approval_actions: chosen() as typeof props.settings.dual_approval_actions,
            }).catch(() => {})
          }
        >
          {submission.pending ? "Saving…" : "Save dual approval"}
        </button>
        <Show when={!submission.pending && same(chosen(), props.settings.dual_approval_actions)}>
          <SaveStatus result={submission.result} />
        </Show>
      </div>
    </section>
  );
};
