import { type Component, For, Show } from "solid-js";
import type { AuditEvent } from "../../api/audit";
import { ShortTime, Skeleton } from "../governance/shared";
import { ActorCell, OutcomeTag, RiskTag, TargetCell } from "./badges";

type Props = {
  rows: readonly AuditEvent[];
  selected: string | undefined;
  fresh: Record<string, boolean>;
  onOpen: (id: string) => void;
};

/** Arrow keys walk the rows' buttons; Home/End jump to the ends. */
function moveFocus(e: KeyboardEvent) {
  const keys = ["ArrowDown", "ArrowUp", "Home", "End"];
  if (!keys.includes(e.key) || !(e.target instanceof HTMLElement)) return;
  const buttons = [...(e.currentTarget as HTMLElement).querySelectorAll<HTMLElement>(".audit-open")];
  const at = buttons.indexOf(e.target);
  if (at < 0) return;
  const next = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: buttons.length - 1 }[e.key] ?? at;
  const target = buttons[Math.max(0, Math.min(buttons.length - 1, next))];
  if (target) {
    e.preventDefault();
    target.focus();
  }
}

const Row: Component<{ e: AuditEvent; selected: boolean; fresh: boolean; onOpen: () => void }> = (props) => (
  <tr
    data-id={props.e.event_id}
    classList={{ selected: props.selected, fresh: props.fresh, failed: props.e.outcome === "failure" }}
    aria-selected={props.selected}
    onClick={(ev) => {
      // Links inside the row keep their own meaning.
      if (!(ev.target instanceof Element && ev.target.closest("a"))) props.onOpen();
    }}
  >
    <td class="nowrap muted audit-time">
      <ShortTime value={props.e.occurred_at} />
    </td>
    <td>
      <button
        type="button"
        class="link-button audit-open"
        onClick={(ev) => {
          ev.stopPropagation();
          props.onOpen();
        }}
      >
        <code>{props.e.event_type}</code>
      </button>
      <Show when={props.e.ai?.tool_name}>{(tool) => <span class="sub muted">tool {tool()}</span>}</Show>
    </td>
    <td>
      <ActorCell actor={props.e.actor} />
    </td>
    <td class="audit-behalf">
      <Show when={props.e.on_behalf_of} fallback={<span class="muted">—</span>}>
        {(who) => <span title={who()}>{who()}</span>}
      </Show>
    </td>
    <td>
      <TargetCell targets={props.e.target} />
    </td>
    <td>
      <OutcomeTag outcome={props.e.outcome} />
    </td>
    <td>
      <RiskTag level={props.e.risk.level} />
    </td>
  </tr>
);

/** The events, one dense row each; a row opens its detail. */
export const EventTable: Component<Props> = (props) => (
  <div class="table-wrap">
    <table class="data-table gov-table audit-table" aria-label="Audit events">
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Event</th>
          <th scope="col">Actor</th>
          <th scope="col">On behalf of</th>
          <th scope="col">Target</th>
          <th scope="col">Outcome</th>
          <th scope="col">Risk</th>
        </tr>
      </thead>
      <tbody onKeyDown={moveFocus}>
        <For each={props.rows}>
          {(e) => (
            <Row
              e={e}
              selected={props.selected === e.event_id}
              fresh={!!props.fresh[e.event_id]}
              onOpen={() => props.onOpen(e.event_id)}
            />
          )}
        </For>
      </tbody>
    </table>
  </div>
);

export const EventTableSkeleton: Component = () => (
  <div class="gov-skeleton-stack audit-skeleton" aria-busy="true">
    <p class="visually-hidden" role="status">
      Loading audit events…
    </p>
    <Skeleton height="2rem" />
    <For each={Array.from({ length: 8 })}>{() => <Skeleton height="2.4rem" />}</For>
  </div>
);
