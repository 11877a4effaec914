import { useSearchParams } from "@solidjs/router";
import { type Component, For, Show } from "solid-js";
import type { Counts, GovSummary } from "../../api/governor";
import { CountBar, formatCount, formatPercent, OUTCOMES, outcomeLabel, totalOf } from "./shared";

const HINTS = {
  pass: "within every rule",
  amber: "approaching a limit",
  red: "crossed a limit",
  error: "rule could not run",
} as const;

/** Pass/amber/red/error totals for the range, each with its share of all evaluations. */
export const TotalTiles: Component<{ totals: Counts }> = (props) => {
  const total = () => totalOf(props.totals);
  return (
    <div class="gov-tiles">
      <For each={[...OUTCOMES]}>
        {(o) => (
          <div class={`gov-tile surface gov-tile-${o}`} data-testid={`total-${o}`}>
            <span class="gov-tile-label">{outcomeLabel[o]}</span>
            <strong class="gov-tile-value">{formatCount(props.totals[o])}</strong>
            <span class="gov-tile-hint">
              {total() > 0 ? `${formatPercent(props.totals[o] / total())} · ` : ""}
              {HINTS[o]}
            </span>
          </div>
        )}
      </For>
    </div>
  );
};

export const humanize = (group: string) => {
  const words = group.replaceAll("_", " ").replaceAll("-", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** Selected policy group (`?group=`), which narrows the rule table. */
export function useGroup(): [() => string | undefined, (g: string | undefined) => void] {
  const [search, setSearch] = useSearchParams();
  return [
    () => (typeof search.group === "string" ? search.group : undefined),
    (group) => setSearch({ group }),
  ];
}

type Group = GovSummary["policy_groups"][number];

const GroupCard: Component<{ group: Group; rules: number }> = (props) => {
  const [selected, select] = useGroup();
  const active = () => selected() === props.group.policy_group;
  const violations = () => props.group.red + props.group.amber;
  return (
    <button
      type="button"
      class="gov-group surface"
      classList={{ active: active(), clean: violations() === 0 }}
      aria-pressed={active()}
      onClick={() => select(active() ? undefined : props.group.policy_group)}
    >
      <span class="gov-group-name">{humanize(props.group.policy_group)}</span>
      <span class="gov-group-counts">
        <span class="gov-num-red">{formatCount(props.group.red)} red</span>
        <span class="gov-num-amber">{formatCount(props.group.amber)} amber</span>
        <Show when={props.group.error > 0}>
          <span class="gov-num-error">{formatCount(props.group.error)} error</span>
        </Show>
      </span>
      <CountBar counts={props.group} />
      <span class="gov-group-foot muted">
        {formatCount(totalOf(props.group))} evaluations · {props.rules} {props.rules === 1 ? "rule" : "rules"}
      </span>
    </button>
  );
};

/** One card per policy group; groups with no evaluations in the range still show, at zero. */
export const GroupCards: Component<{ groups: Group[]; ruleGroups: string[] }> = (props) => {
  const all = () => {
    const known = new Map(props.groups.map((g) => [g.policy_group, g]));
    for (const name of props.ruleGroups)
      if (!known.has(name)) known.set(name, { policy_group: name, pass: 0, amber: 0, red: 0, error: 0 });
    return [...known.values()].sort(
      (a, b) => b.red - a.red || b.amber - a.amber || a.policy_group.localeCompare(b.policy_group),
    );
  };
  const ruleCount = (group: string) => props.ruleGroups.filter((g) => g === group).length;
  return (
    <div class="gov-groups">
      <For each={all()}>{(g) => <GroupCard group={g} rules={ruleCount(g.policy_group)} />}</For>
    </div>
  );
};
