import { useAction, useBeforeLeave, useNavigate, useSubmission } from "@solidjs/router";
import { type Component, createSignal, For, onCleanup, onMount, Show } from "solid-js";
import { type DryRun, dryRunRule, type GovRule, type SourceIssue, saveRule } from "../../api/governor";
import { FormAlert } from "../form-alert";
import { CodeEditor } from "./code-editor";
import { DryRunPanel } from "./dry-run-panel";
import { EditorStatus } from "./editor-status";
import { TEMPLATES, type TemplateKey } from "./templates";
import { issuesOf, useRuleCheck } from "./use-rule-check";

type Props = { rule?: GovRule; initial: string; restoredFrom?: number };

const LIMITS = [100, 500, 1000, 5000];

type ActionProps = {
  running: boolean;
  saving: boolean;
  limit: number;
  onLimit: (n: number) => void;
  onDryRun: () => void;
  onSave: () => void;
  cancelHref: string;
  saveLabel: string;
};

const EditorActions: Component<ActionProps> = (props) => (
  <div class="gov-editor-actions">
    <div class="gov-dry-controls">
      <button
        type="button"
        class="button secondary"
        onClick={() => props.onDryRun()}
        disabled={props.running}
      >
        {props.running ? "Running…" : "Dry run"}
      </button>
      <label class="gov-inline-field">
        <span>against the last</span>
        <select value={props.limit} onChange={(e) => props.onLimit(Number(e.currentTarget.value))}>
          <For each={LIMITS}>{(n) => <option value={n}>{n} spans</option>}</For>
        </select>
      </label>
    </div>
    <div class="gov-save-controls">
      <a class="button ghost" href={props.cancelHref}>
        Cancel
      </a>
      <button type="button" class="button primary" onClick={() => props.onSave()} disabled={props.saving}>
        {props.saving ? "Saving…" : props.saveLabel}
      </button>
    </div>
  </div>
);

/** Warns before leaving with unsaved changes, inside the app and when closing the tab. */
function useUnsavedGuard(dirty: () => boolean) {
  useBeforeLeave((e) => {
    if (!dirty() || e.defaultPrevented) return;
    e.preventDefault();
    if (window.confirm("Leave the editor? Your changes to this rule are not saved.")) e.retry(true);
  });
  const onUnload = (e: BeforeUnloadEvent) => dirty() && e.preventDefault();
  onMount(() => window.addEventListener("beforeunload", onUnload));
  onCleanup(() => window.removeEventListener("beforeunload", onUnload));
}

export const RuleEditor: Component<Props> = (props) => {
  const [text, setText] = createSignal(props.initial);
  const [saved, setSaved] = createSignal(false);
  const [limit, setLimit] = createSignal(500);
  const [dry, setDry] = createSignal<{ text: string; result: DryRun } | undefined>();
  const [running, setRunning] = createSignal(false);
  const [failure, setFailure] = createSignal<unknown>();
  const check = useRuleCheck();
  const save = useAction(saveRule);
  const saving = useSubmission(saveRule);
  const navigate = useNavigate();
  let input: HTMLTextAreaElement | undefined;

  const dirty = () => !saved() && text() !== props.initial;
  useUnsavedGuard(dirty);
  onMount(() => void check.run(text()));

  const issues = (): SourceIssue[] => check.issues();
  const stale = () => check.checkedText() !== text();

  const onInput = (value: string) => {
    setText(value);
    setFailure(undefined);
    check.schedule(value);
  };

  const fail = (err: unknown, source: string) => {
    const found = issuesOf(err, source);
    if (found) check.apply(source, found);
    else setFailure(err);
  };

  const runDry = async () => {
    const source = text();
    setRunning(true);
    setFailure(undefined);
    try {
      const result = await dryRunRule(source, limit());
      setDry({ text: source, result });
      check.apply(source, [], result.rule);
    } catch (err) {
      fail(err, source);
    } finally {
      setRunning(false);
    }
  };

  const submit = async () => {
    const source = text();
    setFailure(undefined);
    try {
      const rule = await save(props.rule?.id ?? null, source);
      setSaved(true);
      navigate(`/governance/rules/${encodeURIComponent(rule.id)}`);
    } catch (err) {
      fail(err, source);
    }
  };

  const applyTemplate = (key: TemplateKey) => {
    if (dirty() && !window.confirm("Replace your draft with this template?")) return;
    onInput(TEMPLATES[key].source);
  };

  const goToLine = (line: number) => {
    if (!input) return;
    const start =
      text()
        .split("\n")
        .slice(0, line - 1)
        .join("\n").length + (line > 1 ? 1 : 0);
    input.focus();
    input.setSelectionRange(start, start);
  };

  return (
    <div class="gov-editor-layout">
      <section class="card gov-section gov-editor" aria-labelledby="editor-title">
        <div class="gov-section-head">
          <h2 id="editor-title">Rule source (YAML)</h2>
          <Show when={!props.rule}>
            <label class="gov-inline-field">
              <span>Start from</span>
              <select onChange={(e) => applyTemplate(e.currentTarget.value as TemplateKey)}>
                <For each={Object.entries(TEMPLATES)}>
                  {([key, t]) => <option value={key}>{t.label}</option>}
                </For>
              </select>
            </label>
          </Show>
        </div>
        <Show when={props.restoredFrom}>
          {(rev) => (
            <p class="gov-notice">
              Loaded from revision r{rev()}. Saving makes it revision r{(props.rule?.revision ?? 0) + 1}.
            </p>
          )}
        </Show>
        <CodeEditor
          ref={(el) => {
            input = el;
          }}
          value={text()}
          onInput={onInput}
          issues={issues()}
          stale={stale()}
          labelledBy="editor-title"
          describedBy="editor-status"
          onShortcut={(key) => void (key === "save" ? submit() : runDry())}
        />
        <EditorStatus
          state={check.state()}
          stale={stale()}
          issues={issues()}
          rule={check.summary()}
          onLine={goToLine}
        />
        <FormAlert error={failure()} />
        <EditorActions
          running={running()}
          saving={saving.pending ?? false}
          limit={limit()}
          onLimit={setLimit}
          onDryRun={runDry}
          onSave={submit}
          cancelHref={
            props.rule ? `/governance/rules/${encodeURIComponent(props.rule.id)}` : "/governance/rules"
          }
          saveLabel={props.rule ? "Save new revision" : "Create rule"}
        />
        <p class="hint">
          Ctrl/⌘ + Enter runs a dry run, Ctrl/⌘ + S saves. Tab indents; press Esc then Tab to leave the
          editor.
        </p>
      </section>
      <Show when={dry()}>{(d) => <DryRunPanel result={d().result} stale={d().text !== text()} />}</Show>
    </div>
  );
};
