import { createAsync, useSearchParams } from "@solidjs/router";
import { type Component, Show } from "solid-js";
import { getRule, listRuleVersions } from "../../api/governor";
import { GovernanceHeader } from "./governance-header";
import { RuleEditor } from "./rule-editor";
import { TEMPLATES } from "./templates";

const ReadOnly: Component = () => (
  <div class="card">
    <h2>Only owners and admins edit rules</h2>
    <p class="muted">Ask an owner or admin of this workspace to make the change.</p>
    <a class="button secondary" href="/governance/rules">
      Back to rules
    </a>
  </div>
);

export const NewRulePage: Component<{ editable: boolean }> = (props) => (
  <div class="gov-page">
    <GovernanceHeader
      crumbs={<a href="/governance/rules">Rules</a>}
      title="New rule"
      lead="Write the rule in YAML with CEL expressions. It is checked as you type; try it on recent spans before saving."
    />
    <Show when={props.editable} fallback={<ReadOnly />}>
      <RuleEditor initial={TEMPLATES.measure.source} />
    </Show>
  </div>
);

/** Edits a rule; `?revision=N` starts from that saved revision instead of the current one. */
export const EditRulePage: Component<{ id: string; editable: boolean }> = (props) => {
  const rule = createAsync(() => getRule(props.id));
  const [search] = useSearchParams();
  const revision = () => Number(search.revision) || undefined;
  const versions = createAsync(async () => (revision() ? listRuleVersions(props.id) : undefined));
  const initial = () => {
    const r = rule();
    if (!r || (revision() && !versions())) return undefined;
    return versions()?.data.find((v) => v.revision === revision())?.source ?? r.source;
  };
  return (
    <Show when={rule()}>
      {(r) => (
        <div class="gov-page">
          <GovernanceHeader
            crumbs={
              <>
                <a href="/governance/rules">Rules</a> /{" "}
                <a href={`/governance/rules/${encodeURIComponent(r().id)}`}>{r().name}</a>
              </>
            }
            title={`Edit ${r().name}`}
            lead={`Saving creates revision r${r().revision + 1}; earlier evaluations keep naming the revision they used.`}
          />
          <Show when={props.editable} fallback={<ReadOnly />}>
            <Show when={initial()} keyed>
              {(source) => <RuleEditor rule={r()} initial={source} restoredFrom={revision()} />}
            </Show>
          </Show>
        </div>
      )}
    </Show>
  );
};
