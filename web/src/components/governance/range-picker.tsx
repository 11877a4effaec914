import { useSearchParams } from "@solidjs/router";
import { type Component, For } from "solid-js";
import { isRange, RANGES, type RangeKey } from "../../api/governor";

const LABELS = { "24h": "24 hours", "7d": "7 days", "30d": "30 days" } satisfies Record<RangeKey, string>;

/** The page's time range, kept in the URL (`?range=7d`) so a view can be shared. */
export function useRange(): () => RangeKey {
  const [search] = useSearchParams();
  return () => (isRange(search.range) ? search.range : "7d");
}

export const RangePicker: Component = () => {
  const range = useRange();
  const [, setSearch] = useSearchParams();
  return (
    <fieldset class="segmented gov-segmented" aria-label="Time range">
      <For each={Object.keys(RANGES) as RangeKey[]}>
        {(key) => (
          <button
            type="button"
            aria-pressed={range() === key}
            title={`Last ${LABELS[key]}`}
            onClick={() => setSearch({ range: key === "7d" ? undefined : key })}
          >
            {key}
          </button>
        )}
      </For>
    </fieldset>
  );
};
