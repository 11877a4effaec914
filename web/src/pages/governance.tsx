import { createAsync, useParams } from "@solidjs/router";
import { type Component, Match, Show, Switch } from "solid-js";
import { canEditRules } from "../api/governor";
import { getSession } from "../api/session";
import { Overview } from "../components/governance/overview";
import { RuleDetail } from "../components/governance/rule-detail";
import { EditRulePage, NewRulePage } from "../components/governance/rule-editor-page";
import { RulesList } from "../components/governance/rules-list";

const SignedOut: Component = () => (
  <div class="card narrow">
    <h1>Governance</h1>
    <p class="muted">Log in to see how your agents measure up against your rules.</p>
    <a class="button primary" href="/">
      Log in
    </a>
  </div>
);

const NotFound: Component = () => (
  <div class="card">
    <h1>Not found</h1>
    <p class="muted">There is no governance page at this address.</p>
    <a href="/governance">Back to the overview</a>
  </div>
);

/** `/governance/*rest`: overview, rules, `rules/new`, `rules/:id`, `rules/:id/edit`. */
const Sections: Component<{ rest: string; editable: boolean }> = (props) => {
  const parts = () => props.rest.split("/").filter(Boolean).map(decodeURIComponent);
  const ruleId = () => parts()[1] ?? "";
  return (
    <Switch fallback={<NotFound />}>
      <Match when={parts().length === 0}>
        <Overview />
      </Match>
      <Match when={parts()[0] !== "rules"}>
        <NotFound />
      </Match>
      <Match when={parts().length === 1}>
        <RulesList editable={props.editable} />
      </Match>
      <Match when={parts().length === 2 && ruleId() === "new"}>
        <NewRulePage editable={props.editable} />
      </Match>
      <Match when={parts().length === 2}>
        <Show when={ruleId()} keyed>
          {(id) => <RuleDetail id={id} editable={props.editable} />}
        </Show>
      </Match>
      <Match when={parts().length === 3 && parts()[2] === "edit"}>
        <Show when={ruleId()} keyed>
          {(id) => <EditRulePage id={id} editable={props.editable} />}
        </Show>
      </Match>
    </Switch>
  );
};

export const GovernancePage: Component = () => {
  const session = createAsync(() => getSession());
  const params = useParams();
  return (
    <Show when={session() !== undefined}>
      <Show when={session()} fallback={<SignedOut />}>
        {(me) => <Sections rest={params.rest ?? ""} editable={canEditRules(me().user.role)} />}
      </Show>
    </Show>
  );
};
