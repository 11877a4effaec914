import { createAsync } from "@solidjs/router";
import { type Accessor, batch, createEffect, on, onCleanup } from "solid-js";
import { createStore } from "solid-js/store";
import {
  type AuditEvent,
  type AuditQuery,
  type AuditSource,
  fetchArchivedEvents,
  fetchAuditEvents,
  listArchivedEvents,
  listAuditEvents,
} from "../../api/audit";

const PAGE = 50;
/** A conversation is read whole where it can be: oldest first, up to this many events. */
const CONVERSATION_LIMIT = 200;
/** How far the new-events check looks; beyond it the banner says "100+" and showing reloads. */
const LOOKAHEAD = 100;
const FRESH_FOR_MS = 4000;

type ListState = {
  rows: AuditEvent[];
  cursor: string | null;
  loadingMore: boolean;
  moreError: unknown;
  /** Events newer than the top row that match the filters, held until the reader asks for them. */
  waiting: AuditEvent[];
  /** True when more arrived than the check looks at. */
  overflow: boolean;
  fresh: Record<string, boolean>;
};

/** How many events the first page holds. */
export const pageSize = (chronological: boolean) => (chronological ? CONVERSATION_LIMIT : PAGE);

/** The first page of a query, from the log or the archive (cached by the router, and preloaded). */
export const firstPage = (query: AuditQuery, limit: number, source: AuditSource) =>
  (source === "archive" ? listArchivedEvents : listAuditEvents)({ ...query, limit });

/**
 * The audit list for a query: the first page (cached by the router), older pages on demand, and
 * newer events gathered by `check()` without moving the rows under the reader until `showNew()`.
 */
export function createAuditList(
  query: Accessor<AuditQuery>,
  limit: Accessor<number>,
  source: Accessor<AuditSource>,
) {
  const [state, setState] = createStore<ListState>({
    rows: [],
    cursor: null,
    loadingMore: false,
    moreError: undefined,
    waiting: [],
    overflow: false,
    fresh: {},
  });
  const archived = () => source() === "archive";
  const first = createAsync(() => firstPage(query(), limit(), source()));
  const fetchPage = (q: AuditQuery) => (archived() ? fetchArchivedEvents : fetchAuditEvents)(q);
  let checking = false;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  onCleanup(() => timers.forEach(clearTimeout));

  createEffect(
    on(first, (page) => {
      if (!page) return;
      batch(() =>
        setState({
          rows: page.data,
          cursor: page.next_cursor,
          moreError: undefined,
          waiting: [],
          overflow: false,
        }),
      );
    }),
  );

  const loadMore = async () => {
    if (!state.cursor || state.loadingMore) return;
    setState({ loadingMore: true, moreError: undefined });
    try {
      const page = await fetchPage({ ...query(), limit: limit(), cursor: state.cursor });
      const held = new Set(state.rows.map((e) => e.event_id));
      setState({
        rows: [...state.rows, ...page.data.filter((e) => !held.has(e.event_id))],
        cursor: page.next_cursor,
        loadingMore: false,
      });
    } catch (err) {
      setState({ loadingMore: false, moreError: err });
    }
  };

  /** Counts events newer than the top row; quiet on failure (the next check tries again). */
  const check = async () => {
    // The archive only grows once a day, by retention, so it is not watched.
    if (checking || archived() || first() === undefined) return;
    checking = true;
    try {
      const top = state.rows[0]?.seq ?? 0;
      const page = await fetchAuditEvents({ ...query(), limit: LOOKAHEAD });
      const newer = page.data.filter((e) => e.seq > top);
      setState({ waiting: newer, overflow: newer.length === page.data.length && page.next_cursor !== null });
    } catch {
      // A dropped connection or an expired session shows up on the next real action.
    } finally {
      checking = false;
    }
  };

  const showNew = () => {
    const ids = state.waiting.map((e) => e.event_id);
    if (state.overflow) {
      // More than the check saw: start from the newest page again.
      setState({ rows: state.waiting, cursor: null, waiting: [], overflow: false });
      void fetchAuditEvents({ ...query(), limit: limit() }).then((page) =>
        setState({ rows: page.data, cursor: page.next_cursor }),
      );
    } else {
      setState({ rows: [...state.waiting, ...state.rows], waiting: [] });
    }
    setState("fresh", Object.fromEntries(ids.map((id) => [id, true])));
    const timer = setTimeout(() => {
      timers.delete(timer);
      setState("fresh", {});
    }, FRESH_FOR_MS);
    timers.add(timer);
  };

  return { state, loaded: () => first() !== undefined, loadMore, check, showNew };
}
