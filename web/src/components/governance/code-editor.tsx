import { type Component, createMemo, createSignal, For, Show } from "solid-js";
import type { SourceIssue } from "../../api/governor";

type Props = {
  value: string;
  onInput: (text: string) => void;
  /** Problems with a line are drawn on that line; `stale` hides their messages while the text changes. */
  issues: readonly SourceIssue[];
  stale: boolean;
  labelledBy: string;
  describedBy?: string;
  onShortcut?: (key: "save" | "run") => void;
  ref?: (el: HTMLTextAreaElement) => void;
};

type Line = { number: number; text: string; messages: string[]; column?: number };

function toLines(text: string, issues: readonly SourceIssue[]): Line[] {
  const lines: Line[] = text.split("\n").map((t, i) => ({ number: i + 1, text: t, messages: [] }));
  for (const issue of issues) {
    if (!issue.line) continue;
    const line = lines[Math.min(issue.line, lines.length) - 1];
    if (!line) continue;
    line.messages.push(issue.path ? `${issue.path}: ${issue.message}` : issue.message);
    line.column ??= issue.column;
  }
  return lines;
}

/** The line's text with the part from the reported column on underlined (the text itself is invisible). */
const Marked: Component<{ line: Line }> = (props) => {
  const split = () => {
    const col = Math.max(0, Math.min((props.line.column ?? 1) - 1, props.line.text.length));
    const end = props.line.text.trimEnd().length;
    return [props.line.text.slice(0, col), props.line.text.slice(col, Math.max(col, end)) || " "];
  };
  return (
    <>
      <span>{split()[0]}</span>
      <span class="ce-squiggle">{split()[1]}</span>
    </>
  );
};

const INDENT = "  ";

/**
 * A plain textarea over a backdrop that draws line highlights and error messages in the same
 * monospace grid, so the text stays a native, accessible input. Tab indents; Escape then Tab leaves.
 */
export const CodeEditor: Component<Props> = (props) => {
  const [scrollLeft, setScrollLeft] = createSignal(0);
  const lines = createMemo(() => toLines(props.value, props.issues));
  let escaped = false;

  const onKeyDown = (e: KeyboardEvent & { currentTarget: HTMLTextAreaElement }) => {
    const mod = e.metaKey || e.ctrlKey;
    if (mod && (e.key === "s" || e.key === "Enter")) {
      e.preventDefault();
      props.onShortcut?.(e.key === "s" ? "save" : "run");
      return;
    }
    if (e.key === "Escape") escaped = true;
    else if (e.key === "Tab" && !e.shiftKey && !escaped && !mod) {
      e.preventDefault();
      // execCommand keeps the browser's undo history; setRangeText is the fallback.
      if (!document.execCommand("insertText", false, INDENT)) {
        e.currentTarget.setRangeText(
          INDENT,
          e.currentTarget.selectionStart,
          e.currentTarget.selectionEnd,
          "end",
        );
        props.onInput(e.currentTarget.value);
      }
    } else escaped = false;
  };

  return (
    <div class="code-editor" classList={{ invalid: props.issues.length > 0 }}>
      <div class="ce-gutter" aria-hidden="true">
        <For each={lines()}>
          {(line) => (
            <div class="ce-num" classList={{ error: line.messages.length > 0 }}>
              {line.number}
            </div>
          )}
        </For>
      </div>
      <div class="ce-body">
        <div class="ce-backdrop" aria-hidden="true" style={{ transform: `translateX(${-scrollLeft()}px)` }}>
          <For each={lines()}>
            {(line) => (
              <div class="ce-line" classList={{ error: line.messages.length > 0 }} data-line={line.number}>
                <Show when={line.messages.length > 0} fallback={line.text || " "}>
                  <Marked line={line} />
                  <Show when={!props.stale}>
                    <span class="ce-message" data-testid={`editor-error-line-${line.number}`}>
                      {line.messages.join(" · ")}
                    </span>
                  </Show>
                </Show>
              </div>
            )}
          </For>
        </div>
        <textarea
          ref={props.ref}
          class="ce-input"
          wrap="off"
          spellcheck={false}
          autocapitalize="off"
          autocomplete="off"
          aria-labelledby={props.labelledBy}
          aria-describedby={props.describedBy}
          aria-invalid={props.issues.length > 0}
          style={{ height: `calc(${lines().length} * var(--ce-line) + var(--ce-pad) * 2 + 14px)` }}
          value={props.value}
          onInput={(e) => props.onInput(e.currentTarget.value)}
          onScroll={(e) => setScrollLeft(e.currentTarget.scrollLeft)}
          onKeyDown={onKeyDown}
        />
      </div>
    </div>
  );
};
