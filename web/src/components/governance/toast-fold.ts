import type { LiveConstitutionalAlert } from "../../../../worker/live/protocol";

/** One toast per trace × rule: the alerts folded into it, and the one it shows. */
export type AlertToast = LiveConstitutionalAlert & { key: number; alerts: number };
export type ToastStack = { toasts: AlertToast[]; overflow: number };

const sameSubject = (a: LiveConstitutionalAlert, b: LiveConstitutionalAlert) =>
  a.trace_id === b.trace_id && a.rule_id === b.rule_id;

/**
 * Adds an alert to the stack. An alert for a trace × rule already shown updates that toast (a
 * trace-level rule alerts amber, then red; a per-span rule alerts for each span that breaks it)
 * and brings it to the front; it never adds a second toast. A red toast is not turned back to
 * amber by a later amber alert: it only counts it. Beyond `max` toasts the oldest give way and
 * `overflow` counts them. Pure, so the page keeps the returned stack as its state.
 */
export function foldAlert(
  stack: ToastStack,
  alert: LiveConstitutionalAlert,
  key: number,
  max: number,
): ToastStack {
  const earlier = stack.toasts.find((t) => sameSubject(t, alert));
  const others = stack.toasts.filter((t) => t !== earlier);
  let toast: AlertToast;
  if (!earlier) toast = { ...alert, key, alerts: 1 };
  else if (earlier.outcome === "red" && alert.outcome === "amber")
    toast = { ...earlier, alerts: earlier.alerts + 1 };
  else toast = { ...alert, key: earlier.key, alerts: earlier.alerts + 1 };
  const all = [...others, toast];
  const dropped = Math.max(0, all.length - max);
  return { toasts: all.slice(dropped), overflow: stack.overflow + dropped };
}
