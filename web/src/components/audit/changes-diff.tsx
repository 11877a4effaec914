import { type Component, createMemo, createSignal, For, Show } from "solid-js";
import type { AuditEvent } from "../../api/audit";
import { MaskedText } from "./badges";
import { type DiffRow, diffChanges, showValue } from "./diff";

const kindLabel: Record<DiffRow["kind"], string> = {
  added: "added",
  removed: "removed",
  changed: "changed",
  same: "unchanged",
};

const Value: Component<{ value: unknown; absent?: boolean }> = (props) => (
  <Show when={!props.absent} fallback={<span class="muted">—</span>}>
    <code class="audit-diff-value">
      <MaskedText text={showValue(props.value)} />
    </code>
  </Show>
);

const Row: Component<{ row: DiffRow }> = (props) => (
  <tr class={`audit-diff-${props.row.kind}`}>
    <th scope="row">
      <span class="audit-diff-sign" aria-hidden="true">
        {{ added: "+", removed: "−", changed: "~", same: "" }[props.row.kind]}
      </span>
      <code>{props.row.path}</code>
      <span class="visually-hidden"> {kindLabel[props.row.kind]}</span>
    </th>
    <td class="audit-diff-before">
      <Value value={props.row.before} absent={props.row.kind === "added"} />
    </td>
    <td class="audit-diff-after">
      <Value value={props.row.after} absent={props.row.kind === "removed"} />
    </td>
  </tr>
);

/** `changes` as a key-by-key table: added, removed and changed fields highlighted, the rest folded. */
export const ChangesDiff: Component<{ changes: NonNullable<AuditEvent["changes"]> }> = (props) => {
  const rows = createMemo(() => diffChanges(props.changes.before, props.changes.after));
  const differing = () => rows().filter((r) => r.kind !== "same");
  const unchanged = () => rows().filter((r) => r.kind === "same");
  const [showAll, setShowAll] = createSignal(false);
  const counts = () => {
    const by = (k: DiffRow["kind"]) => rows().filter((r) => r.kind === k).length;
    return [
      [by("added"), "added"],
      [by("removed"), "removed"],
      [by("changed"), "changed"],
    ].filter(([n]) => n) as [number, string][];
  };
  return (
    <div class="audit-diff" data-testid="changes-diff">
      <p class="audit-diff-summary muted">
        <Show when={counts().length} fallback="No field differs between before and after.">
          {counts()
            .map(([n, what]) => `${n} ${what}`)
            .join(" · ")}
          <Show when={props.changes.before == null}> · created (no before)</Show>
          <Show when={props.changes.after == null}> · deleted (no after)</Show>
        </Show>
      </p>
      <Show when={rows().length > 0}>
        <div class="table-wrap">
          <table class="audit-diff-table">
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Before</th>
                <th scope="col">After</th>
              </tr>
            </thead>
            <tbody>
              <For each={differing()}>{(row) => <Row row={row} />}</For>
              <Show when={showAll()}>
                <For each={unchanged()}>{(row) => <Row row={row} />}</For>
              </Show>
            </tbody>
          </table>
        </div>
        <Show when={unchanged().length > 0}>
          <button type="button" class="link-button audit-diff-toggle" onClick={() => setShowAll(!showAll())}>
            {showAll()
              ? "Hide unchanged fields"
              : `Show ${unchanged().length} unchanged field${unchanged().length === 1 ? "" : "s"}`}
          </button>
        </Show>
      </Show>
    </div>
  );
};
