import { onCleanup } from "solid-js";

/**
 * A toast's self-dismissal: `onDone` after `ms`, held while the reader hovers or focuses it.
 * Pausing keeps the time left, so toasts sliding under a resting pointer still leave in the end.
 * Spread the returned handlers on the toast element.
 */
export function dismissTimer(ms: number, onDone: () => void) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let remaining = ms;
  let startedAt = 0;
  const resume = () => {
    clearTimeout(timer);
    startedAt = Date.now();
    timer = setTimeout(onDone, remaining);
  };
  const pause = () => {
    clearTimeout(timer);
    remaining = Math.max(1500, remaining - (Date.now() - startedAt));
  };
  resume();
  onCleanup(() => clearTimeout(timer));
  return { onMouseEnter: pause, onMouseLeave: resume, onFocusIn: pause, onFocusOut: resume };
}
