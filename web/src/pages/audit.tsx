import { revalidate } from "@solidjs/router";
import { type Component, createMemo, createSignal, ErrorBoundary, Show, Suspense } from "solid-js";
import { type AuditEvent, listArchivedEvents, listAuditEvents } from "../api/audit";
import { isAdmin } from "../api/users";
import { AdminsOnly } from "../components/audit/empty-states";
import { EventDrawer } from "../components/audit/event-drawer";
import { EventListSection } from "../components/audit/event-list-section";
import { EventTableSkeleton } from "../components/audit/event-table";
import { ExportMenu } from "../components/audit/export-menu";
import { AuditFilterBar } from "../components/audit/filter-bar";
import { activeCount, toQuery, useAuditFilters } from "../components/audit/filters-state";
import { IntegrityStrip } from "../components/audit/integrity-strip";
import { FormAlert } from "../components/form-alert";
import { RequireSession } from "../components/require-session";

const ListError: Component<{ error: unknown; retry: () => void }> = (props) => (
  <div class="card list-error" role="alert">
    <h2>Audit events could not be loaded</h2>
    <FormAlert error={props.error} />
    <button type="button" class="button secondary" onClick={() => props.retry()}>
      Try again
    </button>
  </div>
);

const ConversationBanner: Component<{ id: string; onLeave: () => void }> = (props) => (
  <div class="audit-conversation-banner" role="note">
    <div>
      <strong>Conversation</strong> <code>{props.id}</code>
      <p class="muted">
        Its audit events in the order they happened. The assistant's conversation page isn't built yet, so
        this is the audit log's record of the conversation.
      </p>
    </div>
    <button type="button" class="button small secondary" onClick={() => props.onLeave()}>
      All events
    </button>
  </div>
);

const AuditLog: Component = () => {
  const { filters, update, clear, openEvent, source } = useAuditFilters();
  // Resolved once per filter change, so a preset range keeps one query key while the page is open.
  const query = createMemo(() => toQuery(filters(), Date.now()));
  const [rows, setRows] = createSignal<readonly AuditEvent[]>([]);
  const row = () => rows().find((e) => e.event_id === openEvent());
  const head = () => rows().reduce((max, e) => Math.max(max, e.seq), 0);

  const open = (id: string) => update({ event: id });
  const close = () => {
    const id = openEvent();
    update({ event: undefined });
    // Back to the row the panel was opened from, for keyboard users.
    queueMicrotask(() =>
      document.querySelector<HTMLElement>(`tr[data-id="${CSS.escape(id ?? "")}"] .audit-open`)?.focus(),
    );
  };
  const step = (by: 1 | -1) => {
    const list = rows();
    const at = list.findIndex((e) => e.event_id === openEvent());
    const next = list[at + by];
    if (!next) return;
    update({ event: next.event_id }, true);
    queueMicrotask(() =>
      document
        .querySelector(`tr[data-id="${CSS.escape(next.event_id)}"]`)
        ?.scrollIntoView({ block: "nearest" }),
    );
  };

  return (
    <div class="audit-page" classList={{ "with-drawer": !!openEvent() }}>
      <header class="page-head audit-head">
        <div>
          <h1>Audit log</h1>
          <p class="muted">
            Every change in this workspace, made by people, keys or assistants, in one append-only,
            tamper-evident log.
          </p>
        </div>
        <ExportMenu query={query()} />
      </header>
      <IntegrityStrip head={head()} />
      <AuditFilterBar
        filters={filters()}
        update={update}
        clear={clear}
        source={source()}
        onSource={(s) => update({ source: s === "archive" ? s : undefined, event: undefined })}
      />
      <Show when={filters().conversation_id}>
        {(id) => <ConversationBanner id={id()} onLeave={() => update({ conversation_id: undefined })} />}
      </Show>
      <ErrorBoundary
        fallback={(error, reset) => (
          <ListError
            error={error}
            retry={() => {
              void revalidate([listAuditEvents.key, listArchivedEvents.key]);
              reset();
            }}
          />
        )}
      >
        <Suspense fallback={<EventTableSkeleton />}>
          <EventListSection
            query={query()}
            source={source()}
            filtered={activeCount(filters()) > 0}
            chronological={!!filters().conversation_id}
            selected={openEvent()}
            onOpen={open}
            onClear={clear}
            onRows={setRows}
          />
        </Suspense>
      </ErrorBoundary>
      <Show when={openEvent()}>
        {(id) => <EventDrawer id={id()} row={row()} onClose={close} onStep={row() ? step : undefined} />}
      </Show>
    </div>
  );
};

export const AuditPage: Component = () => (
  <RequireSession what="the audit log">
    {(session) => (isAdmin(session.user.role) ? <AuditLog /> : <AdminsOnly />)}
  </RequireSession>
);
