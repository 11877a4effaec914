import { type Component, createEffect, createSignal, createUniqueId, For, onCleanup, Show } from "solid-js";
import type { AuditSource } from "../../api/audit";
import {
  type AuditFilterState,
  activeCount,
  type FilterPatch,
  type RangeKey,
  rangeLabels,
  ranges,
} from "./filters-state";
import { MoreFilters } from "./more-filters";

type Update = (patch: FilterPatch, replace?: boolean) => void;

type Props = {
  filters: AuditFilterState;
  update: Update;
  clear: () => void;
  source: AuditSource;
  onSource: (source: AuditSource) => void;
};

type FieldProps = { filters: AuditFilterState; update: Update };

const pad = (n: number) => String(n).padStart(2, "0");
/** An ISO time as a `datetime-local` value in the reader's zone. */
const toLocalInput = (iso: string | undefined) => {
  const d = iso ? new Date(iso) : undefined;
  if (!d || Number.isNaN(d.getTime())) return "";
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};
const fromLocalInput = (v: string) => (v ? new Date(v).toISOString() : undefined);

type Chip = { label: string; clear: FilterPatch };

/** One removable chip per narrowing filter kept under "More filters", and one per field condition. */
function chipsFor(f: AuditFilterState): Chip[] {
  const list: Chip[] = [];
  const add = (label: string, value: string | undefined, key: keyof FilterPatch) => {
    if (value) list.push({ label: `${label}: ${value}`, clear: { [key]: undefined } });
  };
  add("Type", f.event_type, "event_type");
  add("Actor", f.actor, "actor");
  add("User", f.user, "user");
  add("Tool", f.tool_name, "tool_name");
  add("Conversation", f.conversation_id, "conversation_id");
  add("Target", f.target, "target");
  add("Outcome", f.outcome, "outcome");
  add("Risk", f.risk && `${f.risk} or higher`, "risk");
  for (const [i, c] of f.field.entries()) {
    list.push({ label: c, clear: { field: f.field.filter((_, j) => j !== i) } });
  }
  return list;
}

/** Filters set under "More filters": all of them but the search, the range and the chat switch. */
const extraCount = (f: AuditFilterState) =>
  activeCount(f) - (f.q ? 1 : 0) - (f.range ? 1 : 0) - (f.chat ? 1 : 0);

const SearchBox: Component<FieldProps> = (props) => {
  const id = createUniqueId();
  let typing: ReturnType<typeof setTimeout> | undefined;
  let input: HTMLInputElement | undefined;
  onCleanup(() => clearTimeout(typing));
  // The box follows the URL (back, "Clear all") but never rewrites what is being typed into it.
  createEffect(() => {
    const q = props.filters.q ?? "";
    if (input && document.activeElement !== input) input.value = q;
  });
  return (
    <div class="field audit-search">
      <label for={id} class="visually-hidden">
        Search
      </label>
      <input
        ref={input}
        id={id}
        type="search"
        placeholder="Search types, actors, targets, reasons, prompts"
        onInput={(e) => {
          const value = e.currentTarget.value;
          clearTimeout(typing);
          typing = setTimeout(() => props.update({ q: value.trim() }, true), 300);
        }}
      />
    </div>
  );
};

const RangeSelect: Component<FieldProps> = (props) => {
  const id = createUniqueId();
  return (
    <div class="field">
      <label for={id} class="visually-hidden">
        Time range
      </label>
      <select
        id={id}
        value={props.filters.range ?? ""}
        onChange={(e) => props.update({ range: e.currentTarget.value })}
      >
        <option value="">All time</option>
        <For each={[...(Object.keys(ranges) as RangeKey[]), "custom" as const]}>
          {(key) => <option value={key}>{rangeLabels[key]}</option>}
        </For>
      </select>
    </div>
  );
};

const SourceSwitch: Component<{ source: AuditSource; onSource: (source: AuditSource) => void }> = (props) => (
  <fieldset class="segmented audit-source" aria-label="Search in">
    <button type="button" aria-pressed={props.source === "log"} onClick={() => props.onSource("log")}>
      Log
    </button>
    <button
      type="button"
      aria-pressed={props.source === "archive"}
      title="Days older than the retention period, kept in R2"
      onClick={() => props.onSource("archive")}
    >
      Archive
    </button>
  </fieldset>
);

const ChatSwitch: Component<FieldProps> = (props) => (
  <button
    type="button"
    class="audit-switch"
    aria-pressed={props.filters.chat}
    onClick={() => props.update({ actor_type: props.filters.chat ? undefined : "ai_assistant" })}
  >
    <span class="audit-switch-track" aria-hidden="true" />
    Chat-originated only
  </button>
);

const MoreToggle: Component<{ open: boolean; count: number; onToggle: () => void }> = (props) => (
  <button
    type="button"
    class="button secondary audit-more-toggle"
    aria-expanded={props.open}
    aria-controls="audit-more-filters"
    onClick={() => props.onToggle()}
  >
    More filters
    <Show when={props.count > 0}>
      <span class="badge">{props.count}</span>
    </Show>
  </button>
);

const TimeField: Component<{ label: string; value: string | undefined; onChange: (iso?: string) => void }> = (
  props,
) => {
  const id = createUniqueId();
  return (
    <div class="field audit-field">
      <label for={id}>{props.label}</label>
      <input
        id={id}
        type="datetime-local"
        value={toLocalInput(props.value)}
        onChange={(e) => props.onChange(fromLocalInput(e.currentTarget.value))}
      />
    </div>
  );
};

const CustomRange: Component<FieldProps> = (props) => (
  <div class="audit-filter-row audit-custom-range">
    <TimeField label="From" value={props.filters.from} onChange={(from) => props.update({ from })} />
    <TimeField label="To" value={props.filters.to} onChange={(to) => props.update({ to })} />
  </div>
);

const FilterChips: Component<{ chips: readonly Chip[]; update: Update; clear: () => void }> = (props) => (
  <div class="audit-chips">
    <For each={props.chips}>
      {(chip) => (
        <button
          type="button"
          class="audit-chip"
          aria-label={`Remove filter ${chip.label}`}
          onClick={() => props.update(chip.clear)}
        >
          <code>{chip.label}</code>
          <span aria-hidden="true">×</span>
        </button>
      )}
    </For>
    <button type="button" class="link-button" onClick={() => props.clear()}>
      Clear all filters
    </button>
  </div>
);

export const AuditFilterBar: Component<Props> = (props) => {
  const [open, setOpen] = createSignal(false);
  const chips = () => chipsFor(props.filters);
  return (
    <search class="card audit-filters" aria-label="Filter audit events">
      <div class="audit-filter-row">
        <SearchBox filters={props.filters} update={props.update} />
        <RangeSelect filters={props.filters} update={props.update} />
        <SourceSwitch source={props.source} onSource={props.onSource} />
        <ChatSwitch filters={props.filters} update={props.update} />
        <MoreToggle open={open()} count={extraCount(props.filters)} onToggle={() => setOpen(!open())} />
      </div>
      <Show when={props.filters.range === "custom"}>
        <CustomRange filters={props.filters} update={props.update} />
      </Show>
      <Show when={open()}>
        <MoreFilters {...props} />
      </Show>
      <Show when={chips().length > 0 || activeCount(props.filters) > 0}>
        <FilterChips chips={chips()} update={props.update} clear={props.clear} />
      </Show>
    </search>
  );
};
