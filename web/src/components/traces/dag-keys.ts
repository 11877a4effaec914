import type { Accessor } from "solid-js";
import type { DagNode } from "../../api/traces";

type Options = {
  nodes: Accessor<DagNode[]>;
  byId: Accessor<Map<string, DagNode>>;
  folded: (n: DagNode) => boolean;
  current: () => string | undefined;
  select: (id: string) => void;
  toggle: (id: string) => void;
  zoomBy: (factor: number) => void;
  fit: () => void;
};

/**
 * Keyboard use of the graph, after the WAI-ARIA tree pattern: up/down walk the drawn nodes in
 * order, right unfolds or enters the first child, left folds or goes to the parent, Enter folds.
 */
export function createDagKeys(o: Options) {
  const step = (id: string, key: string): string | undefined => {
    const list = o.nodes();
    const index = list.findIndex((n) => n.id === id);
    const node = list[index];
    if (!node) return list[0]?.id;
    const child = list[index + 1]?.parent_id === id ? list[index + 1] : undefined;
    switch (key) {
      case "ArrowDown":
        return list[index + 1]?.id;
      case "ArrowUp":
        return list[index - 1]?.id;
      case "Home":
        return list[0]?.id;
      case "End":
        return list[list.length - 1]?.id;
      case "ArrowRight":
        if (o.folded(node)) o.toggle(id);
        else return child?.id;
        return undefined;
      case "ArrowLeft":
        if (node.child_count > 0 && !o.folded(node)) o.toggle(id);
        else return node.parent_id ?? undefined;
        return undefined;
      case "Enter":
      case " ":
        o.toggle(id);
        return undefined;
    }
    return undefined;
  };

  return (e: KeyboardEvent) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === "+" || e.key === "=") return o.zoomBy(1.25);
    if (e.key === "-") return o.zoomBy(0.8);
    if (e.key === "0") return o.fit();
    const id = o.current();
    const handled = ["ArrowDown", "ArrowUp", "ArrowLeft", "ArrowRight", "Home", "End", "Enter", " "];
    if (!id || !handled.includes(e.key)) return;
    e.preventDefault();
    const next = step(id, e.key);
    if (next && o.byId().has(next)) o.select(next);
  };
}
