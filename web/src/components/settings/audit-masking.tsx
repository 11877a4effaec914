import { useAction, useSubmission } from "@solidjs/router";
import { type Component, createEffect, createSignal, createUniqueId, Index, on, Show } from "solid-js";
import { type AuditSettings, saveAuditSettings } from "../../api/audit";
import { ApiError } from "../../api/client";
import { FormAlert } from "../form-alert";
import { SaveStatus } from "./audit-save-status";

type Pattern = AuditSettings["masking_patterns"][number];
const MAX = 20;

/** A pattern's compile error in this browser; the server also refuses slow (non-linear) patterns. */
const compileProblem = (pattern: string) => {
  if (!pattern) return undefined;
  try {
    new RegExp(pattern, "g");
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
};

/** The sample with each draft pattern applied as the server would label it. */
function preview(sample: string, patterns: readonly Pattern[]): { text: string; hits: number } {
  let hits = 0;
  let text = sample;
  for (const p of patterns) {
    if (!p.pattern || compileProblem(p.pattern)) continue;
    text = text.replace(new RegExp(p.pattern, "g"), () => {
      hits++;
      return `[MASKED:${p.name || "pattern"}]`;
    });
  }
  return { text, hits };
}

const same = (a: readonly Pattern[], b: readonly Pattern[]) => JSON.stringify(a) === JSON.stringify(b);

export const AuditMasking: Component<{ settings: AuditSettings }> = (props) => {
  const id = createUniqueId();
  const save = useAction(saveAuditSettings);
  const submission = useSubmission(saveAuditSettings, ([change]) => change.masking_patterns !== undefined);
  const [rows, setRows] = createSignal<Pattern[]>(props.settings.masking_patterns.map((p) => ({ ...p })));
  createEffect(
    on(
      () => props.settings.masking_patterns,
      (saved) => setRows(saved.map((p) => ({ ...p }))),
      { defer: true },
    ),
  );
  const [sample, setSample] = createSignal("Order 1042 for EMP-004211, call +36 30 123 4567");
  const serverIssue = (i: number, field: "name" | "pattern") =>
    submission.error instanceof ApiError
      ? submission.error.fieldMessage(`masking_patterns.${i}.${field}`)
      : undefined;
  const edit = (i: number, patch: Partial<Pattern>) =>
    setRows((all) => all.map((row, j) => (j === i ? { ...row, ...patch } : row)));
  const complete = () => rows().filter((r) => r.name.trim() || r.pattern);
  const invalid = () => complete().some((r) => !r.name.trim() || !r.pattern || compileProblem(r.pattern));
  const tried = () => preview(sample(), rows());

  return (
    <section class="card audit-card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Masking patterns</h2>
      <p class="muted">
        Secrets are masked before an event is stored, so they never enter the log. Built-in rules always apply
        (card numbers, API keys and tokens, JWTs, private keys, passwords, and values under keys such as{" "}
        <code>password</code> or <code>card_number</code>); add your own regular expressions for identifiers
        only you know. Matches become <code>[MASKED:name]</code>.
      </p>
      <FormAlert error={submission.error} fields={["masking_patterns"]} />
      <fieldset class="audit-patterns">
        <legend class="visually-hidden">Masking patterns</legend>
        <Index each={rows()} fallback={<p class="muted">No patterns of your own yet.</p>}>
          {(row, i) => {
            const nameIssue = () => serverIssue(i, "name");
            const patternIssue = () => compileProblem(row().pattern) ?? serverIssue(i, "pattern");
            return (
              <div class="audit-pattern-row" data-testid="masking-row">
                <div class="field" classList={{ invalid: !!nameIssue() }}>
                  <label for={`${id}-name-${i}`}>Name</label>
                  <input
                    id={`${id}-name-${i}`}
                    type="text"
                    value={row().name}
                    maxLength={60}
                    placeholder="employee_id"
                    onInput={(e) => edit(i, { name: e.currentTarget.value })}
                  />
                  <Show when={nameIssue()}>{(m) => <p class="field-error">{m()}</p>}</Show>
                </div>
                <div class="field grow" classList={{ invalid: !!patternIssue() }}>
                  <label for={`${id}-pattern-${i}`}>Regular expression</label>
                  <input
                    id={`${id}-pattern-${i}`}
                    type="text"
                    class="mono"
                    value={row().pattern}
                    maxLength={300}
                    placeholder="EMP-\d{6}"
                    aria-invalid={!!patternIssue()}
                    onInput={(e) => edit(i, { pattern: e.currentTarget.value })}
                  />
                  <Show when={patternIssue()}>
                    {(m) => (
                      <p class="field-error" data-testid="pattern-error">
                        {m()}
                      </p>
                    )}
                  </Show>
                </div>
                <button
                  type="button"
                  class="button small ghost audit-pattern-remove"
                  aria-label={`Remove pattern ${row().name || i + 1}`}
                  onClick={() => setRows((all) => all.filter((_, j) => j !== i))}
                >
                  Remove
                </button>
              </div>
            );
          }}
        </Index>
      </fieldset>
      <button
        type="button"
        class="button small secondary"
        disabled={rows().length >= MAX}
        onClick={() => setRows((all) => [...all, { name: "", pattern: "" }])}
      >
        Add pattern
      </button>
      <div class="audit-try">
        <label for={`${id}-sample`}>Try your patterns</label>
        <input
          id={`${id}-sample`}
          type="text"
          value={sample()}
          onInput={(e) => setSample(e.currentTarget.value)}
        />
        <p class="hint">
          <Show when={tried().hits > 0} fallback="Nothing in this text matches your patterns.">
            Stored as: <code>{tried().text}</code>
          </Show>
        </p>
      </div>
      <div class="audit-card-actions">
        <button
          type="button"
          class="button primary"
          disabled={submission.pending || invalid() || same(complete(), props.settings.masking_patterns)}
          onClick={() => void save({ masking_patterns: complete() }).catch(() => {})}
        >
          {submission.pending ? "Saving…" : "Save masking patterns"}
        </button>
        <Show when={!submission.pending && same(complete(), props.settings.masking_patterns)}>
          <SaveStatus result={submission.result} />
        </Show>
        <span class="hint">Policy {props.settings.masking_policy_version}</span>
      </div>
    </section>
  );
};
