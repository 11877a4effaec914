import { createAsync, type RouteSectionProps } from "@solidjs/router";
import { type Component, Show } from "solid-js";
import { canEditRules } from "../api/governor";
import { getSession } from "../api/session";
import { RuleDetail } from "../components/governance/rule-detail";
import { EditRulePage, NewRulePage } from "../components/governance/rule-editor-page";
import { RulesList } from "../components/governance/rules-list";
import { SignedIn, useSignedIn } from "../components/require-session";

export { Overview as GovernanceOverview } from "../components/governance/overview";

const SignedOut: Component = () => (
  <div class="card narrow">
    <h1>Governance</h1>
    <p class="muted">Log in to see how your agents measure up against your rules.</p>
    <a class="button primary" href="/">
      Log in
    </a>
  </div>
);

/** `/governance/*`: the signed-in check around overview, rules, `rules/new`, `rules/:id`, `rules/:id/edit`. */
export const GovernanceLayout: Component<RouteSectionProps> = (props) => {
  const session = createAsync(() => getSession());
  return (
    <Show when={session() !== undefined}>
      <Show when={session()} fallback={<SignedOut />}>
        {(me) => <SignedIn value={me}>{props.children}</SignedIn>}
      </Show>
    </Show>
  );
};

const useEditable = () => {
  const me = useSignedIn();
  return () => canEditRules(me().user.role);
};

/** The `:id` segment as the rule's id (the router leaves path segments encoded). */
const ruleId = (params: RouteSectionProps["params"]) => decodeURIComponent(params.id ?? "");

export const GovernanceRules: Component = () => {
  const editable = useEditable();
  return <RulesList editable={editable()} />;
};

export const GovernanceNewRule: Component = () => {
  const editable = useEditable();
  return <NewRulePage editable={editable()} />;
};

// Keyed on the id, so moving from one rule to another starts the page afresh.
export const GovernanceRule: Component<RouteSectionProps> = (props) => {
  const editable = useEditable();
  return (
    <Show when={ruleId(props.params)} keyed>
      {(id) => <RuleDetail id={id} editable={editable()} />}
    </Show>
  );
};

export const GovernanceEditRule: Component<RouteSectionProps> = (props) => {
  const editable = useEditable();
  return (
    <Show when={ruleId(props.params)} keyed>
      {(id) => <EditRulePage id={id} editable={editable()} />}
    </Show>
  );
};

export const GovernanceNotFound: Component = () => (
  <div class="card">
    <h1>Not found</h1>
    <p class="muted">There is no governance page at this address.</p>
    <a href="/governance">Back to the overview</a>
  </div>
);
