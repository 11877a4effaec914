import { createAsync } from "@solidjs/router";
import { type Component, For, Show } from "solid-js";
import { listRuleVersions } from "../../api/governor";
import { Time } from "../time";

/** Every saved revision of the rule, newest first, with the source as it was submitted. */
export const RevisionHistory: Component<{ ruleId: string; current: number; editable: boolean }> = (props) => {
  const versions = createAsync(() => listRuleVersions(props.ruleId));
  return (
    <Show when={versions()}>
      {(list) => (
        <ol class="list-column gov-revisions">
          <For each={list().data}>
            {(v) => (
              <li>
                <details>
                  <summary>
                    <span class="gov-rev-number">r{v.revision}</span>
                    <span>version {v.version}</span>
                    <Show when={v.revision === props.current}>
                      <span class="badge">current</span>
                    </Show>
                    <span class="muted gov-rev-when">
                      <Time value={v.created_at} />
                      {v.created_by ? "" : " · default pack"}
                    </span>
                  </summary>
                  <pre class="gov-source">{v.source}</pre>
                  <Show when={props.editable && v.revision !== props.current}>
                    <a
                      class="button small secondary"
                      href={`/governance/rules/${encodeURIComponent(props.ruleId)}/edit?revision=${v.revision}`}
                    >
                      Restore in the editor
                    </a>
                  </Show>
                </details>
              </li>
            )}
          </For>
        </ol>
      )}
    </Show>
  );
};
