import { type Component, createUniqueId, For, Show } from "solid-js";
import { type FleetFilters, type FleetRangeId, fleetRanges } from "../../api/fleet";
import { Segmented } from "../analytics/segmented";

export type FilterPatch = Partial<
  Record<"range" | "from" | "to" | "provider" | "capability", string | undefined>
>;

type Props = {
  filters: FleetFilters;
  providers: readonly string[];
  capabilities: readonly string[];
  onChange: (patch: FilterPatch) => void;
};

const rangeOptions = (Object.keys(fleetRanges) as FleetRangeId[]).map((value) => ({ value, label: value }));

/** A value from the URL that the list does not hold (a shared link) stays selectable. */
const withCurrent = (names: readonly string[], current: string | undefined) =>
  current && !names.includes(current) ? [current, ...names] : names;

const Pick: Component<{
  label: string;
  all: string;
  value: string | undefined;
  names: readonly string[];
  onChange: (v: string | undefined) => void;
}> = (props) => {
  const id = createUniqueId();
  return (
    <div class="select-field">
      <label for={id}>{props.label}</label>
      <select
        id={id}
        value={props.value ?? ""}
        onChange={(e) => props.onChange(e.currentTarget.value || undefined)}
      >
        <option value="">{props.all}</option>
        <For each={withCurrent(props.names, props.value)}>{(n) => <option value={n}>{n}</option>}</For>
      </select>
    </div>
  );
};

const fmt = new Intl.DateTimeFormat(undefined, {
  month: "short",
  day: "numeric",
  hour: "numeric",
  minute: "2-digit",
});

/** Date range (default 7 days), provider and capability: the filters every fleet tab shares. */
export const FleetFilterBar: Component<Props> = (props) => {
  const custom = () => Boolean(props.filters.from && props.filters.to);
  return (
    <div class="filters">
      <Pick
        label="Provider"
        all="All providers"
        value={props.filters.provider}
        names={props.providers}
        onChange={(provider) => props.onChange({ provider })}
      />
      <Pick
        label="Capability"
        all="All capabilities"
        value={props.filters.capability}
        names={props.capabilities}
        onChange={(capability) => props.onChange({ capability })}
      />
      <div class="range-field">
        <Show when={custom()}>
          <span class="pill range-pill" title="The range from the link you opened; pick a preset to leave it">
            {fmt.format(new Date(props.filters.from ?? 0))} – {fmt.format(new Date(props.filters.to ?? 0))}
          </span>
        </Show>
        <Segmented
          label="Date range"
          options={rangeOptions}
          value={custom() ? ("custom" as FleetRangeId) : props.filters.range}
          onChange={(range) => props.onChange({ range, from: undefined, to: undefined })}
        />
      </div>
    </div>
  );
};
