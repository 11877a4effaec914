import { createAsync } from "@solidjs/router";
import { type Component, createEffect, createSignal, For, on, onCleanup, Show } from "solid-js";
import { listAgentNames } from "../../api/agents";
import type { TraceFilters } from "../../api/traces";
import { activeFilterCount } from "./trace-filters-state";

type Props = {
  filters: TraceFilters;
  update: (patch: Partial<Record<keyof TraceFilters, string | undefined>>, replace?: boolean) => void;
  clear: () => void;
  /** Models seen in the loaded rows, offered as suggestions. */
  models: readonly string[];
};

const durations = [
  ["", "Any duration"],
  ["100", "≥ 100 ms"],
  ["1000", "≥ 1 s"],
  ["5000", "≥ 5 s"],
  ["30000", "≥ 30 s"],
  ["60000", "≥ 1 min"],
] as const;

/** A text input that writes to the URL a moment after typing stops, without a history entry per key. */
const DebouncedSearch: Component<{
  id: string;
  label: string;
  value: string | undefined;
  placeholder: string;
  list?: string;
  onCommit: (value: string) => void;
}> = (props) => {
  const [draft, setDraft] = createSignal(props.value ?? "");
  createEffect(
    on(
      () => props.value,
      (v) => setDraft(v ?? ""),
      { defer: true },
    ),
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));
  const commit = (value: string) => {
    clearTimeout(timer);
    if (value.trim() !== (props.value ?? "")) props.onCommit(value.trim());
  };
  return (
    <div class="filter">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="search"
        value={draft()}
        placeholder={props.placeholder}
        list={props.list}
        autocomplete="off"
        onInput={(e) => {
          const value = e.currentTarget.value;
          setDraft(value);
          clearTimeout(timer);
          timer = setTimeout(() => commit(value), 350);
        }}
        onKeyDown={(e) => e.key === "Enter" && commit(e.currentTarget.value)}
      />
    </div>
  );
};

const Select: Component<{
  id: string;
  label: string;
  value: string | undefined;
  options: readonly (readonly [string, string])[];
  onChange: (value: string) => void;
}> = (props) => (
  <div class="filter">
    <label for={props.id}>{props.label}</label>
    <select id={props.id} onChange={(e) => props.onChange(e.currentTarget.value)}>
      <For each={props.options}>
        {([value, text]) => (
          <option value={value} selected={value === (props.value ?? "")}>
            {text}
          </option>
        )}
      </For>
    </select>
  </div>
);

export const TraceFilterBar: Component<Props> = (props) => {
  // Alphabetical here, where a name is looked up; the API lists the most recently seen first.
  const agents = createAsync(async () => [...(await listAgentNames())].sort((a, b) => a.localeCompare(b)), {
    initialValue: [],
  });
  const agentOptions = () => {
    const names = agents();
    const current = props.filters.agent;
    const all = current && !names.includes(current) ? [current, ...names] : names;
    return [["", "All agents"] as const, ...all.map((n) => [n, n] as const)];
  };
  const durationOptions = () => {
    const current = props.filters.min_duration_ms;
    const known = durations.some(([v]) => v === current);
    return current && !known ? [...durations, [current, `≥ ${current} ms`] as const] : durations;
  };
  return (
    <section class="filter-bar card" aria-label="Filters">
      <div class="filter-grid">
        <div class="filter-search">
          <DebouncedSearch
            id="filter-q"
            label="Search"
            value={props.filters.q}
            placeholder="Names, inputs and outputs…"
            onCommit={(q) => props.update({ q }, true)}
          />
        </div>
        <Select
          id="filter-agent"
          label="Agent"
          value={props.filters.agent}
          options={agentOptions()}
          onChange={(agent) => props.update({ agent })}
        />
        <Select
          id="filter-status"
          label="Status"
          value={props.filters.status}
          options={[
            ["", "Any status"],
            ["ok", "OK"],
            ["error", "Error"],
            ["unset", "Unset / running"],
          ]}
          onChange={(status) => props.update({ status })}
        />
        <Select
          id="filter-range"
          label="Started"
          value={props.filters.range}
          options={[
            ["", "Any time"],
            ["1h", "Last hour"],
            ["24h", "Last 24 hours"],
            ["7d", "Last 7 days"],
            ["30d", "Last 30 days"],
            ["custom", "Custom range…"],
          ]}
          onChange={(range) => props.update({ range, from: undefined, to: undefined })}
        />
        <DebouncedSearch
          id="filter-model"
          label="Model"
          value={props.filters.model}
          placeholder="e.g. gpt-4o"
          list="filter-model-options"
          onCommit={(model) => props.update({ model }, true)}
        />
        <datalist id="filter-model-options">
          <For each={props.models}>{(m) => <option value={m} />}</For>
        </datalist>
        <Select
          id="filter-violation"
          label="Rules"
          value={props.filters.has_violation}
          options={[
            ["", "Any outcome"],
            ["true", "With violations"],
            ["false", "Without violations"],
          ]}
          onChange={(has_violation) => props.update({ has_violation })}
        />
        <Select
          id="filter-duration"
          label="Duration"
          value={props.filters.min_duration_ms}
          options={durationOptions()}
          onChange={(min_duration_ms) => props.update({ min_duration_ms })}
        />
      </div>
      <Show when={props.filters.range === "custom"}>
        <div class="filter-custom-range">
          <div class="filter">
            <label for="filter-from">From</label>
            <input
              id="filter-from"
              type="datetime-local"
              value={props.filters.from ?? ""}
              onChange={(e) => props.update({ from: e.currentTarget.value })}
            />
          </div>
          <div class="filter">
            <label for="filter-to">To</label>
            <input
              id="filter-to"
              type="datetime-local"
              value={props.filters.to ?? ""}
              onChange={(e) => props.update({ to: e.currentTarget.value })}
            />
          </div>
          <p class="hint">In your time zone ({Intl.DateTimeFormat().resolvedOptions().timeZone}).</p>
        </div>
      </Show>
      <Show when={activeFilterCount(props.filters) > 0}>
        <div class="filter-summary">
          <span class="muted">
            {activeFilterCount(props.filters)} filter{activeFilterCount(props.filters) === 1 ? "" : "s"}{" "}
            applied
          </span>
          <button type="button" class="button ghost small" onClick={() => props.clear()}>
            Clear filters
          </button>
        </div>
      </Show>
    </section>
  );
};
