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

type Props = {
  filters: AuditFilterState;
  update: (patch: FilterPatch, replace?: boolean) => void;
  clear: () => void;
  source: AuditSource;
  onSource: (source: AuditSource) => void;
};

const pad = (n: number) => String(n).padStart(2, "0");
/** An ISO time as a `datetime-local` value in the reader's zone. */
const toLocalInput = (iso: string | undefined) => {
  const d = iso ? new Date(iso) : undefined;
  if (!d || Number.isNaN(d.getTime())) return "";
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};
const fromLocalInput = (v: string) => (v ? new Date(v).toISOString() : undefined);

export const AuditFilterBar: Component<Props> = (props) => {
  const [open, setOpen] = createSignal(false);
  const extra = () =>
    activeCount(props.filters) -
    (props.filters.q ? 1 : 0) -
    (props.filters.range ? 1 : 0) -
    (props.filters.chat ? 1 : 0);
  let typing: ReturnType<typeof setTimeout> | undefined;
  let search: HTMLInputElement | undefined;
  onCleanup(() => clearTimeout(typing));
  // The box follows the URL (back, "Clear all") but never rewrites what is being typed into it.
  createEffect(() => {
    const q = props.filters.q ?? "";
    if (search && document.activeElement !== search) search.value = q;
  });
  const ids = { q: createUniqueId(), range: createUniqueId(), from: createUniqueId(), to: createUniqueId() };
  const chips = () => {
    const f = props.filters;
    const list: { label: string; clear: FilterPatch }[] = [];
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
  };
  return (
    <search class="card audit-filters" aria-label="Filter audit events">
      <div class="audit-filter-row">
        <div class="field audit-search">
          <label for={ids.q} class="visually-hidden">
            Search
          </label>
          <input
            ref={search}
            id={ids.q}
            type="search"
            placeholder="Search types, actors, targets, reasons, prompts"
            onInput={(e) => {
              const value = e.currentTarget.value;
              clearTimeout(typing);
              typing = setTimeout(() => props.update({ q: value.trim() }, true), 300);
            }}
          />
        </div>
        <div class="field">
          <label for={ids.range} class="visually-hidden">
            Time range
          </label>
          <select
            id={ids.range}
            value={props.filters.range ?? ""}
            onChange={(e) => props.update({ range: e.currentTarget.value })}
          >
            <option value="">All time</option>
            <For each={[...(Object.keys(ranges) as RangeKey[]), "custom" as const]}>
              {(key) => <option value={key}>{rangeLabels[key]}</option>}
            </For>
          </select>
        </div>
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
        <button
          type="button"
          class="audit-switch"
          aria-pressed={props.filters.chat}
          onClick={() => props.update({ actor_type: props.filters.chat ? undefined : "ai_assistant" })}
        >
          <span class="audit-switch-track" aria-hidden="true" />
          Chat-originated only
        </button>
        <button
          type="button"
          class="button secondary audit-more-toggle"
          aria-expanded={open()}
          aria-controls="audit-more-filters"
          onClick={() => setOpen(!open())}
        >
          More filters
          <Show when={extra() > 0}>
            <span class="badge">{extra()}</span>
          </Show>
        </button>
      </div>
      <Show when={props.filters.range === "custom"}>
        <div class="audit-filter-row audit-custom-range">
          <div class="field audit-field">
            <label for={ids.from}>From</label>
            <input
              id={ids.from}
              type="datetime-local"
              value={toLocalInput(props.filters.from)}
              onChange={(e) => props.update({ from: fromLocalInput(e.currentTarget.value) })}
            />
          </div>
          <div class="field audit-field">
            <label for={ids.to}>To</label>
            <input
              id={ids.to}
              type="datetime-local"
              value={toLocalInput(props.filters.to)}
              onChange={(e) => props.update({ to: fromLocalInput(e.currentTarget.value) })}
            />
          </div>
        </div>
      </Show>
      <Show when={open()}>
        <MoreFilters {...props} />
      </Show>
      <Show when={chips().length > 0 || activeCount(props.filters) > 0}>
        <div class="audit-chips">
          <For each={chips()}>
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
          <button type="button" class="gov-link-button" onClick={() => props.clear()}>
            Clear all filters
          </button>
        </div>
      </Show>
    </search>
  );
};
