import { createAsync, useSearchParams } from "@solidjs/router";
import { type Component, For, Show, Suspense } from "solid-js";
import { type GovRule, listRules } from "../../api/governor";
import { GovernanceHeader } from "./governance-header";
import { humanize } from "./overview-stats";
import { DeleteRule, RuleToggle } from "./rule-actions";
import { SeverityBadge, ShortTime, Skeleton } from "./shared";

type Filter = { text: string; state: string; group: string };

const matches = (rule: GovRule, f: Filter) =>
  (!f.group || rule.policy_group === f.group) &&
  (!f.state || (f.state === "enabled") === rule.enabled) &&
  (!f.text || `${rule.name} ${rule.description ?? ""}`.toLowerCase().includes(f.text.toLowerCase()));

const RuleRow: Component<{ rule: GovRule; editable: boolean }> = (props) => (
  <tr classList={{ disabled: !props.rule.enabled }}>
    <td class="switch-col">
      <Show
        when={props.editable}
        fallback={
          <span class={`badge ${props.rule.enabled ? "" : "muted-badge"}`}>
            {props.rule.enabled ? "Enabled" : "Disabled"}
          </span>
        }
      >
        <RuleToggle rule={props.rule} />
      </Show>
    </td>
    <td class="rule-name">
      <a href={`/governance/rules/${encodeURIComponent(props.rule.id)}`}>{props.rule.name}</a>
      <Show when={props.rule.description}>
        <span class="rule-description" title={props.rule.description ?? ""}>
          {props.rule.description}
        </span>
      </Show>
      <span class="sub muted">
        {props.rule.pack ? `${props.rule.pack} pack` : "Custom"} · r{props.rule.revision} · updated{" "}
        <ShortTime value={props.rule.updated_at} />
      </span>
    </td>
    <td class="muted nowrap">{humanize(props.rule.policy_group)}</td>
    <td>
      <SeverityBadge severity={props.rule.severity} />
    </td>
    <td>
      <code class="prefix">{props.rule.target_span_type}</code>
    </td>
    <Show when={props.editable}>
      <td class="actions">
        <a
          class="button small secondary"
          href={`/governance/rules/${encodeURIComponent(props.rule.id)}/edit`}
        >
          Edit
        </a>
        <DeleteRule rule={props.rule} />
      </td>
    </Show>
  </tr>
);

const Filters: Component<{ groups: string[] }> = (props) => {
  const [search, setSearch] = useSearchParams();
  const text = (k: string) => (typeof search[k] === "string" ? String(search[k]) : "");
  return (
    <div class="gov-filters">
      <label class="field grow">
        <span class="visually-hidden">Search rules</span>
        <input
          type="search"
          placeholder="Search rules by name or description"
          value={text("q")}
          onInput={(e) => setSearch({ q: e.currentTarget.value || undefined }, { replace: true })}
        />
      </label>
      <label class="field">
        <span class="visually-hidden">Policy group</span>
        <select
          value={text("group")}
          onChange={(e) => setSearch({ group: e.currentTarget.value || undefined })}
        >
          <option value="">All groups</option>
          <For each={props.groups}>{(g) => <option value={g}>{humanize(g)}</option>}</For>
        </select>
      </label>
      <label class="field">
        <span class="visually-hidden">State</span>
        <select
          value={text("state")}
          onChange={(e) => setSearch({ state: e.currentTarget.value || undefined })}
        >
          <option value="">Enabled and disabled</option>
          <option value="enabled">Enabled only</option>
          <option value="disabled">Disabled only</option>
        </select>
      </label>
    </div>
  );
};

/** The tenant's rules; owners and admins switch them on and off, edit and delete them. */
export const RulesList: Component<{ editable: boolean }> = (props) => {
  const rules = createAsync(() => listRules());
  const [search] = useSearchParams();
  const filter = (): Filter => ({
    text: String(search.q ?? ""),
    state: String(search.state ?? ""),
    group: String(search.group ?? ""),
  });
  const groups = () => [...new Set(rules()?.data.map((r) => r.policy_group))].sort();
  const shown = () => rules()?.data.filter((r) => matches(r, filter())) ?? [];
  return (
    <div class="gov-page">
      <GovernanceHeader
        title="Rules"
        lead="Every span is checked against the enabled rules as it arrives."
        actions={
          <Show when={props.editable}>
            <a class="button primary" href="/governance/rules/new">
              New rule
            </a>
          </Show>
        }
      />
      <Show when={!props.editable}>
        <p class="gov-readonly" role="note">
          You have read-only access to rules. Owners and admins can add, edit and switch them off.
        </p>
      </Show>
      <section class="card gov-section">
        <Suspense fallback={<Skeleton height="20rem" />}>
          <Filters groups={groups()} />
          <Show when={shown().length > 0} fallback={<p class="empty">No rules match these filters.</p>}>
            <div class="table-wrap">
              <table class="data-table gov-table gov-rules" aria-label="Rules">
                <thead>
                  <tr>
                    <th class="switch-col">{props.editable ? "On" : "State"}</th>
                    <th>Rule</th>
                    <th>Group</th>
                    <th>Severity</th>
                    <th>Target</th>
                    <Show when={props.editable}>
                      <th>
                        <span class="visually-hidden">Actions</span>
                      </th>
                    </Show>
                  </tr>
                </thead>
                <tbody>
                  <For each={shown()}>{(rule) => <RuleRow rule={rule} editable={props.editable} />}</For>
                </tbody>
              </table>
            </div>
          </Show>
        </Suspense>
      </section>
    </div>
  );
};
