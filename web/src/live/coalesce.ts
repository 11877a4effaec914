/**
 * Folds bursts of calls into one: the first runs after `delay`, and runs are at least `gap` apart.
 * Live pages refetch with it, so a busy tenant costs one request a second, not one per event.
 */
export function coalesce(
  fn: () => void,
  delay = 250,
  gap: number | (() => number) = 1000,
): { (): void; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastRun = 0;
  const run = () => {
    if (timer) return;
    const wait = Math.max(delay, lastRun + (typeof gap === "number" ? gap : gap()) - Date.now());
    timer = setTimeout(() => {
      timer = undefined;
      lastRun = Date.now();
      fn();
    }, wait);
  };
  run.cancel = () => {
    clearTimeout(timer);
    timer = undefined;
  };
  return run;
}
