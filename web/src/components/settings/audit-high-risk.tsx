import { useAction, useSubmission } from "@solidjs/router";
import { type Component, createEffect, createSignal, createUniqueId, on, Show } from "solid-js";
import { type AuditSettings, saveAuditSettings } from "../../api/audit";
import { FormAlert } from "../form-alert";
import { ChipEditor } from "./audit-chip-editor";
import { SaveStatus } from "./audit-save-status";

// The server matches `a.*` as a prefix, `*.b` as a suffix and anything else exactly.
const SEGMENT = "[a-z][a-z0-9_]*";
const PATTERN = new RegExp(`^(?:\\*\\.)?${SEGMENT}(?:\\.${SEGMENT})*(?:\\.\\*)?$`);

const checkPattern = (p: string) => {
  if (p.length > 100) return "At most 100 characters.";
  if (p.startsWith("*.") && p.endsWith(".*"))
    return "Use a prefix (refund.*) or a suffix (*.delete), not both.";
  if (!PATTERN.test(p))
    return "Lower-case event types such as user.change_role, with at most one * at the start or end.";
  return undefined;
};

const same = (a: readonly string[], b: readonly string[]) => a.join("\n") === b.join("\n");

export const AuditHighRisk: Component<{ settings: AuditSettings }> = (props) => {
  const id = createUniqueId();
  const save = useAction(saveAuditSettings);
  const submission = useSubmission(saveAuditSettings, ([change]) => change.high_risk_types !== undefined);
  const [items, setItems] = createSignal<string[]>([...props.settings.high_risk_types]);
  createEffect(
    on(
      () => props.settings.high_risk_types,
      (saved) => setItems([...saved]),
      { defer: true },
    ),
  );
  return (
    <section class="card audit-card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>High-risk event types</h2>
      <p class="muted">
        Events of these types are marked high risk: they raise a toast for owners and admins as they happen
        and can be filtered on in the audit log. <code>prompt.*</code> matches every type starting with{" "}
        <code>prompt.</code>, <code>*.delete</code> every type ending in <code>.delete</code>, anything else
        one type exactly.
      </p>
      <FormAlert error={submission.error} />
      <ChipEditor
        label="High-risk event types"
        items={items()}
        onChange={setItems}
        placeholder="refund.*"
        check={checkPattern}
        max={100}
        hint="Press Enter to add. Changes apply to events recorded after you save."
      />
      <div class="audit-card-actions">
        <button
          type="button"
          class="button primary"
          disabled={submission.pending || same(items(), props.settings.high_risk_types)}
          onClick={() => void save({ high_risk_types: items() }).catch(() => {})}
        >
          {submission.pending ? "Saving…" : "Save high-risk types"}
        </button>
        <Show when={!same(items(), props.settings.high_risk_types)}>
          <button
            type="button"
            class="button ghost"
            onClick={() => setItems([...props.settings.high_risk_types])}
          >
            Undo changes
          </button>
        </Show>
        <Show when={!submission.pending && same(items(), props.settings.high_risk_types)}>
          <SaveStatus result={submission.result} />
        </Show>
      </div>
    </section>
  );
};
