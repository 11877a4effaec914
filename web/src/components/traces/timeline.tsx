import { type Component, createEffect, createMemo, For, on } from "solid-js";
import type { TreeSpan } from "../../api/traces";
import { SpanTypeIcon } from "./badges";
import { formatDuration } from "./format";

type Props = {
  spans: readonly TreeSpan[];
  selectedId: string | undefined;
  onSelect: (id: string) => void;
  /** For spans still running: their bar runs to now. */
  now: number;
};

const INDENT_PX = 14;
const MAX_INDENT_DEPTH = 12;

type Bar = { left: number; width: number };

/** Waterfall of the spans in tree order: one row each, bar placed by start and duration. */
export const Timeline: Component<Props> = (props) => {
  const scale = createMemo(() => {
    let start = Number.POSITIVE_INFINITY;
    let end = Number.NEGATIVE_INFINITY;
    for (const s of props.spans) {
      const from = Date.parse(s.started_at);
      start = Math.min(start, from);
      end = Math.max(end, s.ended_at ? Date.parse(s.ended_at) : s.duration_ms === null ? props.now : from);
    }
    return { start, total: Math.max(1, end - start) };
  });
  const bar = (s: TreeSpan): Bar => {
    const { start, total } = scale();
    const from = Date.parse(s.started_at);
    const to = s.ended_at ? Date.parse(s.ended_at) : s.duration_ms === null ? props.now : from;
    return { left: ((from - start) / total) * 100, width: Math.max(0, ((to - from) / total) * 100) };
  };
  const ticks = () =>
    [0, 0.25, 0.5, 0.75, 1].map((f) => ({ f, label: formatDuration(Math.round(scale().total * f)) }));

  let list: HTMLDivElement | undefined;
  createEffect(
    on(
      () => props.selectedId,
      (id) => {
        if (!id || !list) return;
        const row = list.querySelector<HTMLElement>(`[data-id="${CSS.escape(id)}"]`);
        if (!row) return;
        // Scrolls the list only: selecting in the graph must not move the page under the pointer.
        const top = row.offsetTop; // the list is the rows' offset parent (position: relative)
        if (top < list.scrollTop) list.scrollTop = top;
        else if (top + row.offsetHeight > list.scrollTop + list.clientHeight) {
          list.scrollTop = top + row.offsetHeight - list.clientHeight;
        }
      },
    ),
  );

  const onKeyDown = (e: KeyboardEvent) => {
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1 };
    const move = moves[e.key];
    if (!move) return;
    e.preventDefault();
    const index = props.spans.findIndex((s) => s.id === props.selectedId);
    const next = props.spans[Math.min(props.spans.length - 1, Math.max(0, index + move))];
    if (!next) return;
    props.onSelect(next.id);
    list?.querySelector<HTMLElement>(`[data-id="${CSS.escape(next.id)}"]`)?.focus({ preventScroll: true });
  };

  const focusable = () => props.selectedId ?? props.spans[0]?.id;

  return (
    <div class="timeline">
      <div class="timeline-axis" aria-hidden="true">
        <span class="timeline-axis-label">Span</span>
        <div class="timeline-ticks">
          <For each={ticks()}>
            {(t) => (
              <span class="tick" style={{ left: `${t.f * 100}%` }}>
                {t.label}
              </span>
            )}
          </For>
        </div>
        <span class="timeline-axis-label num">Duration</span>
      </div>
      {/* One tab stop: arrow keys move between rows (the selected one holds the focus). */}
      <div class="timeline-rows" ref={list}>
        <For each={props.spans}>
          {(s) => (
            <button
              type="button"
              class={`timeline-row kind-${s.type}`}
              classList={{
                selected: s.id === props.selectedId,
                failed: s.status === "error",
                running: s.status === "unset" && s.duration_ms === null,
              }}
              aria-pressed={s.id === props.selectedId}
              tabindex={focusable() === s.id ? 0 : -1}
              data-id={s.id}
              onClick={() => props.onSelect(s.id)}
              onKeyDown={onKeyDown}
            >
              <span
                class="timeline-name"
                style={{ "padding-left": `${Math.min(s.depth, MAX_INDENT_DEPTH) * INDENT_PX}px` }}
              >
                <SpanTypeIcon type={s.type} />
                <span class="truncate" title={s.name}>
                  {s.name}
                </span>
              </span>
              <span class="timeline-track">
                <span class="timeline-bar" style={{ left: `${bar(s).left}%`, width: `${bar(s).width}%` }} />
              </span>
              <span class="timeline-duration num">{formatDuration(s.duration_ms)}</span>
            </button>
          )}
        </For>
      </div>
    </div>
  );
};
