import { createAsync, revalidate } from "@solidjs/router";
import { type Accessor, batch, createEffect, on, onCleanup } from "solid-js";
import { createStore, reconcile } from "solid-js/store";
import { fetchTraces, listTraces, type Trace, type TraceFilters, type TracePage } from "../../api/traces";

type ListState = {
  rows: Trace[];
  cursor: string | null;
  loadingMore: boolean;
  moreError: unknown;
  /** Rows that arrived live, highlighted for a moment. */
  fresh: Record<string, boolean>;
};

const FRESH_FOR_MS = 4000;

/** Newest first, as the API sorts: started_at, then id, both descending. */
const before = (a: Trace, b: Trace) =>
  a.started_at > b.started_at || (a.started_at === b.started_at && a.id > b.id);

/**
 * Merges a fresh first page into the rows: updates rows it holds, inserts new ones in order, and
 * drops rows inside the page's span that no longer match (an alert can take a trace out of
 * "without violations"). Rows older than the page are left as they are.
 */
export function mergeFirstPage(rows: readonly Trace[], page: TracePage): { rows: Trace[]; added: string[] } {
  const incoming = new Map(page.data.map((t) => [t.id, t]));
  const oldest = page.next_cursor ? page.data[page.data.length - 1] : undefined;
  const covered = (t: Trace) => !oldest || !before(oldest, t);
  const kept = rows.filter((t) => incoming.has(t.id) || !covered(t)).map((t) => incoming.get(t.id) ?? t);
  const held = new Set(rows.map((t) => t.id));
  const added = page.data.filter((t) => !held.has(t.id));
  const merged = [...kept, ...added].sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
  return { rows: merged, added: added.map((t) => t.id) };
}

/** The first visible row and where it sits, so inserting rows above it leaves it where it was. */
function scrollAnchor(table: HTMLElement | undefined) {
  if (!table) return undefined;
  const rows = table.querySelectorAll<HTMLElement>("tbody tr[data-id]");
  for (const [index, row] of rows.entries()) {
    const box = row.getBoundingClientRect();
    if (box.bottom <= 0) continue;
    // At the top of the list, new rows should appear in view rather than be scrolled past.
    if (index === 0 && box.top >= 0) return undefined;
    return { id: row.dataset.id ?? "", top: box.top };
  }
  return undefined;
}

function restoreAnchor(table: HTMLElement | undefined, anchor: ReturnType<typeof scrollAnchor>) {
  if (!table || !anchor) return;
  const row = table.querySelector<HTMLElement>(`tbody tr[data-id="${CSS.escape(anchor.id)}"]`);
  if (row) window.scrollBy(0, row.getBoundingClientRect().top - anchor.top);
}

export function createTraceList(filters: Accessor<TraceFilters>, table: () => HTMLElement | undefined) {
  const [state, setState] = createStore<ListState>({
    rows: [],
    cursor: null,
    loadingMore: false,
    moreError: undefined,
    fresh: {},
  });
  const first = createAsync(async () => {
    const f = filters();
    return { key: JSON.stringify(f), page: await listTraces(f) };
  });
  let shownKey: string | undefined;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  onCleanup(() => timers.forEach(clearTimeout));

  const markFresh = (ids: string[]) => {
    if (!ids.length) return;
    setState("fresh", (f) => ({ ...f, ...Object.fromEntries(ids.map((id) => [id, true])) }));
    const timer = setTimeout(() => {
      timers.delete(timer);
      setState("fresh", (f) => Object.fromEntries(Object.entries(f).filter(([id]) => !ids.includes(id))));
    }, FRESH_FOR_MS);
    timers.add(timer);
  };

  createEffect(
    on(first, (loaded) => {
      if (!loaded) return;
      if (loaded.key !== shownKey) {
        shownKey = loaded.key;
        batch(() => {
          setState({
            rows: loaded.page.data,
            cursor: loaded.page.next_cursor,
            moreError: undefined,
            fresh: {},
          });
        });
        return;
      }
      const anchor = scrollAnchor(table());
      const wasEmpty = state.rows.length === 0;
      const merged = mergeFirstPage(state.rows, loaded.page);
      setState("rows", reconcile(merged.rows, { key: "id" }));
      if (wasEmpty) setState("cursor", loaded.page.next_cursor);
      markFresh(merged.added);
      queueMicrotask(() => restoreAnchor(table(), anchor));
    }),
  );

  const loadMore = async () => {
    if (!state.cursor || state.loadingMore) return;
    setState({ loadingMore: true, moreError: undefined });
    try {
      const page = await fetchTraces(filters(), state.cursor);
      const held = new Set(state.rows.map((t) => t.id));
      setState({
        rows: [...state.rows, ...page.data.filter((t) => !held.has(t.id))],
        cursor: page.next_cursor,
        loadingMore: false,
      });
    } catch (err) {
      setState({ loadingMore: false, moreError: err });
    }
  };

  return {
    state,
    /** Undefined until the first page of the current filters has loaded (suspends inside <Suspense>). */
    loaded: () => first() !== undefined,
    loadMore,
    /** Refetch the first page with the current filters and merge it in (the live feed's nudge). */
    refresh: () => revalidate(listTraces.keyFor(filters())),
  };
}
