import { type Component, For, Show } from "solid-js";
import type { Counts, GovRule, GovSummary } from "../../api/governor";
import { humanize, useGroup } from "./overview-stats";
import { CountBar, formatCount, SeverityBadge, totalOf } from "./shared";

type Row = Counts & {
  id: string;
  name: string;
  group: string;
  severity: string;
  enabled: boolean | undefined;
};

/** Every rule with its counts for the range: current rules at zero included, deleted ones kept. */
function rows(summary: GovSummary, rules: readonly GovRule[]): Row[] {
  const counted = new Map(summary.rules.map((r) => [r.rule_id, r]));
  const out: Row[] = rules.map((rule) => {
    const c = counted.get(rule.id);
    counted.delete(rule.id);
    const counts = c ?? { pass: 0, amber: 0, red: 0, error: 0 };
    return {
      ...counts,
      id: rule.id,
      name: rule.name,
      group: rule.policy_group,
      severity: rule.severity,
      enabled: rule.enabled,
    };
  });
  for (const r of counted.values())
    out.push({ ...r, id: r.rule_id, name: r.rule_name, group: r.policy_group, enabled: undefined });
  return out.sort(
    (a, b) =>
      b.red - a.red ||
      b.amber - a.amber ||
      b.error - a.error ||
      totalOf(b) - totalOf(a) ||
      a.name.localeCompare(b.name),
  );
}

const Num: Component<{ value: number; outcome: string }> = (props) => (
  <td
    class="num"
    classList={{
      [`gov-num-${props.outcome}`]: props.value > 0 && props.outcome !== "pass",
      zero: props.value === 0,
    }}
  >
    {formatCount(props.value)}
  </td>
);

export const RuleCountsTable: Component<{ summary: GovSummary; rules: readonly GovRule[] }> = (props) => {
  const [group, setGroup] = useGroup();
  const shown = () => rows(props.summary, props.rules).filter((r) => !group() || r.group === group());
  return (
    <>
      <Show when={group()}>
        {(g) => (
          <p class="gov-filter-note">
            Showing <strong>{humanize(g())}</strong> only.{" "}
            <button type="button" class="link-button" onClick={() => setGroup(undefined)}>
              Show all groups
            </button>
          </p>
        )}
      </Show>
      <div class="table-wrap">
        <table class="data-table gov-table" aria-label="Outcomes per rule">
          <thead>
            <tr>
              <th>Rule</th>
              <th>Group</th>
              <th>Severity</th>
              <th class="num">Pass</th>
              <th class="num">Amber</th>
              <th class="num">Red</th>
              <th class="num">Error</th>
              <th class="bar-col">Distribution</th>
            </tr>
          </thead>
          <tbody>
            <For each={shown()}>
              {(r) => (
                <tr classList={{ quiet: totalOf(r) === 0 }}>
                  <td class="rule-name">
                    <a href={`/governance/rules/${encodeURIComponent(r.id)}`}>{r.name}</a>
                    <Show when={r.enabled === false}>
                      <span class="badge muted-badge">disabled</span>
                    </Show>
                    <Show when={r.enabled === undefined}>
                      <span class="badge muted-badge">deleted</span>
                    </Show>
                  </td>
                  <td class="muted nowrap">{humanize(r.group)}</td>
                  <td>
                    <SeverityBadge severity={r.severity} />
                  </td>
                  <Num value={r.pass} outcome="pass" />
                  <Num value={r.amber} outcome="amber" />
                  <Num value={r.red} outcome="red" />
                  <Num value={r.error} outcome="error" />
                  <td class="bar-col">
                    <CountBar counts={r} />
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
    </>
  );
};
