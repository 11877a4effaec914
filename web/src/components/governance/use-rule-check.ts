import { createSignal, onCleanup } from "solid-js";
import { ApiError } from "../../api/client";
import { type DryRun, dryRunRule, type SourceIssue } from "../../api/governor";

export type CheckState = "idle" | "checking" | "valid" | "invalid" | "unknown";

const NAME_LINE = /^\s*-?\s*name\s*:/;

/** The problems an error names, placed on lines where the server (or the text) tells us which. */
export function issuesOf(err: unknown, text: string): SourceIssue[] | undefined {
  if (!(err instanceof ApiError)) return undefined;
  if (err.status === 400) return err.details.length ? [...err.details] : [{ path: "", message: err.message }];
  if (err.status === 409) {
    const line = text.split("\n").findIndex((l) => NAME_LINE.test(l)) + 1;
    return [{ path: "name", message: err.message, line: line || undefined }];
  }
  return undefined;
}

/**
 * Validates the draft while the author types (debounced), by a dry run over a single span: the server
 * is the only parser and type checker of rules, so the editor shows exactly what saving would say.
 */
export function useRuleCheck(delayMs = 600) {
  const [issues, setIssues] = createSignal<SourceIssue[]>([]);
  const [checkedText, setCheckedText] = createSignal<string | undefined>();
  const [state, setState] = createSignal<CheckState>("idle");
  const [summary, setSummary] = createSignal<DryRun["rule"] | undefined>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let latest = 0;

  const apply = (text: string, found: SourceIssue[] | undefined, rule?: DryRun["rule"]) => {
    setCheckedText(text);
    if (found === undefined) return setState("unknown");
    setIssues(found);
    setSummary(rule);
    setState(found.length ? "invalid" : "valid");
  };

  const run = async (text: string) => {
    const id = ++latest;
    setState("checking");
    try {
      const result = await dryRunRule(text, 1);
      if (id === latest) apply(text, [], result.rule);
    } catch (err) {
      if (id === latest) apply(text, issuesOf(err, text));
    }
  };

  const schedule = (text: string) => {
    clearTimeout(timer);
    timer = setTimeout(() => void run(text), delayMs);
  };
  onCleanup(() => clearTimeout(timer));

  return { issues, checkedText, state, summary, schedule, run, apply };
}
