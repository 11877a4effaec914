import { createSignal } from "solid-js";

// Canvas charts can't read CSS variables, so they read them when drawn and redraw on a scheme change.
const media = typeof window === "undefined" ? undefined : window.matchMedia("(prefers-color-scheme: dark)");
const [dark, setDark] = createSignal(media?.matches ?? false);
media?.addEventListener("change", (e) => setDark(e.matches));

export type ChartTheme = { text: string; muted: string; grid: string; surface: string; font: string };

/** The current scheme's chart colours; reading it inside an effect re-runs the effect on a change. */
export function chartTheme(): ChartTheme {
  dark();
  const css = getComputedStyle(document.documentElement);
  const v = (name: string) => css.getPropertyValue(name).trim();
  return {
    text: v("--text"),
    muted: v("--muted"),
    grid: v("--border"),
    surface: v("--surface"),
    font: `12px ${v("--font") || "system-ui"}`,
  };
}
