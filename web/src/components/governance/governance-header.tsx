import { useLocation } from "@solidjs/router";
import { type Component, For, type JSX, Show } from "solid-js";

const TABS = [
  {
    href: "/governance",
    label: "Overview",
    match: (p: string) => p === "/governance" || p === "/governance/",
  },
  { href: "/governance/rules", label: "Rules", match: (p: string) => p.startsWith("/governance/rules") },
];

type Props = { title: string; lead?: JSX.Element; actions?: JSX.Element; crumbs?: JSX.Element };

/** The section's heading, its sub-navigation and the page's own actions. */
export const GovernanceHeader: Component<Props> = (props) => {
  const location = useLocation();
  return (
    <header class="gov-head">
      <nav class="gov-tabs" aria-label="Governance">
        <For each={TABS}>
          {(tab) => (
            <a href={tab.href} aria-current={tab.match(location.pathname) ? "page" : undefined}>
              {tab.label}
            </a>
          )}
        </For>
      </nav>
      <div class="gov-head-row">
        <div class="gov-head-text">
          <Show when={props.crumbs}>
            <p class="eyebrow">{props.crumbs}</p>
          </Show>
          <h1>{props.title}</h1>
          <Show when={props.lead}>
            <p class="muted">{props.lead}</p>
          </Show>
        </div>
        <Show when={props.actions}>
          <div class="gov-head-actions">{props.actions}</div>
        </Show>
      </div>
    </header>
  );
};
