import { createAsync } from "@solidjs/router";
import { type Component, createUniqueId, ErrorBoundary, For, Suspense } from "solid-js";
import { listAgentNames } from "../../api/agents";
import { type RangeId, ranges } from "../../api/analytics";
import { Segmented } from "./segmented";

type Props = {
  range: RangeId;
  agent: string | undefined;
  onRange: (range: RangeId) => void;
  onAgent: (agent: string | undefined) => void;
};

const rangeOptions = (Object.keys(ranges) as RangeId[]).map((value) => ({ value, label: value }));

const AgentSelect: Component<Props & { id: string }> = (props) => {
  const agents = createAsync(() => listAgentNames());
  // A filtered agent missing from the list (not seen yet, or a shared link) stays selectable.
  const names = () => {
    const list = agents() ?? [];
    return props.agent && !list.includes(props.agent) ? [props.agent, ...list] : list;
  };
  return (
    <select
      id={props.id}
      value={props.agent ?? ""}
      onChange={(e) => props.onAgent(e.currentTarget.value || undefined)}
    >
      <option value="">All agents</option>
      <For each={names()}>{(name) => <option value={name}>{name}</option>}</For>
    </select>
  );
};

export const Filters: Component<Props> = (props) => {
  const id = createUniqueId();
  const fallback = (
    <select id={id} disabled>
      <option>{props.agent ?? "All agents"}</option>
    </select>
  );
  return (
    <div class="filters">
      <div class="select-field">
        <label for={id}>Agent</label>
        <ErrorBoundary fallback={fallback}>
          <Suspense fallback={fallback}>
            <AgentSelect {...props} id={id} />
          </Suspense>
        </ErrorBoundary>
      </div>
      <Segmented
        label="Time range"
        options={rangeOptions}
        value={props.range}
        onChange={(value) => props.onRange(value)}
      />
    </div>
  );
};
