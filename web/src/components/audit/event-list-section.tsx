import { useIsRouting } from "@solidjs/router";
import { type Component, createEffect, onCleanup, Show } from "solid-js";
import type { AuditEvent, AuditQuery, AuditSource } from "../../api/audit";
import { coalesce } from "../../live/coalesce";
import { useLiveFeed } from "../../live/use-live-feed";
import { FormAlert } from "../form-alert";
import { NoEventsYet, NoMatchingEvents, NothingArchived, RecordYourOwn } from "./empty-states";
import { createAuditList, pageSize } from "./event-list";
import { EventTable } from "./event-table";

const CHECK_EVERY_MS = 15_000;

type Props = {
  query: AuditQuery;
  source: AuditSource;
  filtered: boolean;
  /** A conversation reads oldest first, like the conversation itself. */
  chronological: boolean;
  selected: string | undefined;
  onOpen: (id: string) => void;
  onClear: () => void;
  /** The rows in display order, for the detail panel's previous/next. */
  onRows: (rows: readonly AuditEvent[]) => void;
};

const NewEventsBanner: Component<{ count: number; overflow: boolean; onShow: () => void }> = (props) => (
  <div class="audit-new" role="status">
    <button type="button" class="button small primary" onClick={() => props.onShow()}>
      {props.overflow ? `${props.count}+` : props.count} new event{props.count === 1 ? "" : "s"} — show
    </button>
  </div>
);

/** The rows, below the page's error boundary and Suspense: every read of the list happens here. */
export const EventListSection: Component<Props> = (props) => {
  const list = createAuditList(
    () => props.query,
    () => pageSize(props.chronological),
    () => props.source,
  );
  const rows = () => (props.chronological ? [...list.state.rows].reverse() : list.state.rows);
  createEffect(() => props.onRows(rows()));
  const routing = useIsRouting();
  const check = coalesce(() => void list.check(), 300, 2000);
  onCleanup(check.cancel);
  // High-risk events arrive live; the rest are picked up by a quiet check while the tab is visible.
  useLiveFeed(() => "/ws/live", {
    onMessages: (messages) => {
      if (messages.some((m) => m.event === "audit.high_risk")) check();
    },
    onSync: check,
  });
  const timer = setInterval(() => {
    if (document.visibilityState === "visible") check();
  }, CHECK_EVERY_MS);
  onCleanup(() => clearInterval(timer));

  const banner = () =>
    list.state.waiting.length > 0 && (
      <NewEventsBanner
        count={list.state.waiting.length}
        overflow={list.state.overflow}
        onShow={list.showNew}
      />
    );
  const more = () => (
    <div class="list-footer audit-footer">
      <span class="muted">
        {list.state.rows.length} event{list.state.rows.length === 1 ? "" : "s"}
        {list.state.cursor ? " loaded" : ", all loaded"}
      </span>
      <Show when={list.state.moreError}>
        <FormAlert error={list.state.moreError} />
      </Show>
      <Show when={list.state.cursor}>
        <button
          type="button"
          class="button secondary"
          disabled={list.state.loadingMore}
          onClick={() => void list.loadMore()}
        >
          {list.state.loadingMore ? "Loading…" : props.chronological ? "Load earlier events" : "Load more"}
        </button>
      </Show>
    </div>
  );

  return (
    <Show when={list.loaded()}>
      <Show
        when={list.state.rows.length > 0}
        fallback={
          <>
            {banner()}
            <Show
              when={props.source === "log"}
              fallback={<NothingArchived filtered={props.filtered} onClear={props.onClear} />}
            >
              <Show when={props.filtered} fallback={<NoEventsYet />}>
                <NoMatchingEvents onClear={props.onClear} />
              </Show>
            </Show>
          </>
        }
      >
        <div class="card audit-list" classList={{ stale: routing() }}>
          <Show when={props.chronological}>{more()}</Show>
          <Show when={!props.chronological}>{banner()}</Show>
          <EventTable
            rows={rows()}
            selected={props.selected}
            fresh={list.state.fresh}
            onOpen={props.onOpen}
          />
          <Show when={props.chronological}>{banner()}</Show>
          <Show when={!props.chronological}>{more()}</Show>
        </div>
        <Show when={!props.filtered && props.source === "log"}>
          <RecordYourOwn open={!list.state.rows.some((e) => e.channel === "api" || e.channel === "chat")} />
        </Show>
      </Show>
    </Show>
  );
};
