import { createAsync } from "@solidjs/router";
import { type Component, For, Show } from "solid-js";
import { listAgentNames } from "../../api/agents";
import type { TraceFilters } from "../../api/traces";
import { DateTimeField, DebouncedSearch, type Options, Select } from "./filter-fields";
import { activeFilterCount, chipKeys } from "./trace-filters-state";

type Update = (patch: Partial<Record<keyof TraceFilters, string | undefined>>, replace?: boolean) => void;

type Props = {
  filters: TraceFilters;
  update: Update;
  clear: () => void;
  /** Models seen in the loaded rows, offered as suggestions. */
  models: readonly string[];
};

type FieldProps = { filters: TraceFilters; update: Update };

const statuses: Options = [
  ["", "Any status"],
  ["ok", "OK"],
  ["error", "Error"],
  ["unset", "Unset / running"],
];

const ranges: Options = [
  ["", "Any time"],
  ["1h", "Last hour"],
  ["24h", "Last 24 hours"],
  ["7d", "Last 7 days"],
  ["30d", "Last 30 days"],
  ["custom", "Custom range…"],
];

const violations: Options = [
  ["", "Any outcome"],
  ["true", "With violations"],
  ["false", "Without violations"],
];

const durations: Options = [
  ["", "Any duration"],
  ["100", "≥ 100 ms"],
  ["1000", "≥ 1 s"],
  ["5000", "≥ 5 s"],
  ["30000", "≥ 30 s"],
  ["60000", "≥ 1 min"],
];

/** Every agent seen, alphabetically; an agent from the URL that is not among them stays selectable. */
const AgentSelect: Component<FieldProps> = (props) => {
  // Alphabetical here, where a name is looked up; the API lists the most recently seen first.
  const agents = createAsync(async () => [...(await listAgentNames())].sort((a, b) => a.localeCompare(b)), {
    initialValue: [],
  });
  const options = (): Options => {
    const names = agents();
    const current = props.filters.agent;
    const all = current && !names.includes(current) ? [current, ...names] : names;
    return [["", "All agents"], ...all.map((n) => [n, n] as const)];
  };
  return (
    <Select
      id="filter-agent"
      label="Agent"
      value={props.filters.agent}
      options={options()}
      onChange={(agent) => props.update({ agent })}
    />
  );
};

/** The preset minimum durations, plus one from the URL that is not among them. */
const DurationSelect: Component<FieldProps> = (props) => {
  const options = (): Options => {
    const current = props.filters.min_duration_ms;
    const known = durations.some(([v]) => v === current);
    return current && !known ? [...durations, [current, `≥ ${current} ms`]] : durations;
  };
  return (
    <Select
      id="filter-duration"
      label="Duration"
      value={props.filters.min_duration_ms}
      options={options()}
      onChange={(min_duration_ms) => props.update({ min_duration_ms })}
    />
  );
};

const ModelSearch: Component<FieldProps & { models: readonly string[] }> = (props) => (
  <>
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
  </>
);

const CustomRange: Component<FieldProps> = (props) => (
  <div class="filter-custom-range">
    <DateTimeField
      id="filter-from"
      label="From"
      value={props.filters.from}
      onChange={(from) => props.update({ from })}
    />
    <DateTimeField
      id="filter-to"
      label="To"
      value={props.filters.to}
      onChange={(to) => props.update({ to })}
    />
    <p class="hint">In your time zone ({Intl.DateTimeFormat().resolvedOptions().timeZone}).</p>
  </div>
);

const chipLabels = { capability: "Capability", workspace: "Workspace", provider: "Provider" } as const;

/** Filters set by a link from Analytics, each with a button that removes it. */
const LinkChips: Component<FieldProps> = (props) => {
  const set = () => chipKeys.filter((k) => props.filters[k] !== undefined);
  return (
    <Show when={set().length > 0}>
      <ul class="filter-chips" aria-label="Filters from the link">
        <For each={set()}>
          {(key) => (
            <li class="filter-chip">
              <span class="muted">{chipLabels[key]}:</span> <strong>{props.filters[key]}</strong>
              <button
                type="button"
                aria-label={`Remove the ${chipLabels[key].toLowerCase()} filter`}
                onClick={() => props.update({ [key]: undefined })}
              >
                ×
              </button>
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
};

const FilterSummary: Component<{ count: number; clear: () => void }> = (props) => (
  <div class="filter-summary">
    <span class="muted">
      {props.count} filter{props.count === 1 ? "" : "s"} applied
    </span>
    <button type="button" class="button ghost small" onClick={() => props.clear()}>
      Clear filters
    </button>
  </div>
);

export const TraceFilterBar: Component<Props> = (props) => (
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
      <AgentSelect filters={props.filters} update={props.update} />
      <Select
        id="filter-status"
        label="Status"
        value={props.filters.status}
        options={statuses}
        onChange={(status) => props.update({ status })}
      />
      <Select
        id="filter-range"
        label="Started"
        value={props.filters.range}
        options={ranges}
        onChange={(range) => props.update({ range, from: undefined, to: undefined })}
      />
      <ModelSearch filters={props.filters} update={props.update} models={props.models} />
      <Select
        id="filter-violation"
        label="Rules"
        value={props.filters.has_violation}
        options={violations}
        onChange={(has_violation) => props.update({ has_violation })}
      />
      <DurationSelect filters={props.filters} update={props.update} />
    </div>
    <LinkChips filters={props.filters} update={props.update} />
    <Show when={props.filters.range === "custom"}>
      <CustomRange filters={props.filters} update={props.update} />
    </Show>
    <Show when={activeFilterCount(props.filters) > 0}>
      <FilterSummary count={activeFilterCount(props.filters)} clear={props.clear} />
    </Show>
  </section>
);
