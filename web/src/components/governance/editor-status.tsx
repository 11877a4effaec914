import { type Component, For, Match, Show, Switch } from "solid-js";
import type { DryRun, SourceIssue } from "../../api/governor";
import type { CheckState } from "./use-rule-check";

const text = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v) : undefined);

/** One sentence saying what the saved rule will do, from the server's normalized definition. */
export function describeRule(rule: DryRun["rule"]): string {
  const target =
    text(rule.target_span_type) === "all" ? "every span" : `${text(rule.target_span_type)} spans`;
  const guard = text(rule.when) ? ` where ${text(rule.when)}` : "";
  if (text(rule.measure)) {
    const amber = Number(rule.threshold_amber ?? 0.8);
    return `Measures ${text(rule.measure)} on ${target}${guard}: red when ${text(rule.op) ?? ">"} ${text(rule.limit)}, amber from a score of ${amber}.`;
  }
  return `Checks ${target}${guard}: red when ${text(rule.condition) ?? "its condition"} holds.`;
}

type Props = {
  state: CheckState;
  stale: boolean;
  issues: readonly SourceIssue[];
  rule: DryRun["rule"] | undefined;
  onLine: (line: number) => void;
};

/** Live validation result under the editor; problems link to their line. */
export const EditorStatus: Component<Props> = (props) => (
  <div id="editor-status" class="gov-editor-status" aria-live="polite">
    <Switch>
      <Match when={props.state === "checking" || (props.stale && props.state !== "idle")}>
        <p class="muted">Checking…</p>
      </Match>
      <Match when={props.state === "valid"}>
        <p class="gov-valid">
          <span aria-hidden="true">✓</span> Valid rule.{" "}
          <Show when={props.rule}>{(r) => <span class="muted">{describeRule(r())}</span>}</Show>
        </p>
      </Match>
      <Match when={props.state === "invalid"}>
        <div class="gov-issues" role="alert">
          <p>
            {props.issues.length === 1 ? "1 problem" : `${props.issues.length} problems`} — the rule can't be
            saved yet.
          </p>
          <ul>
            <For each={props.issues}>
              {(issue) => (
                <li>
                  <Show
                    when={issue.line}
                    fallback={<span class="gov-issue-where">{issue.path || "rule"}</span>}
                  >
                    {(line) => (
                      <button
                        type="button"
                        class="link-button gov-issue-where"
                        onClick={() => props.onLine(line())}
                      >
                        Line {line()}
                        {issue.column ? `:${issue.column}` : ""}
                      </button>
                    )}
                  </Show>{" "}
                  <Show when={issue.path}>
                    <code>{issue.path}</code>{" "}
                  </Show>
                  {issue.message}
                </li>
              )}
            </For>
          </ul>
        </div>
      </Match>
      <Match when={props.state === "unknown"}>
        <p class="muted">Couldn't check the rule just now; saving will still validate it.</p>
      </Match>
    </Switch>
  </div>
);
