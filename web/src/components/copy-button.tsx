import { type Component, createSignal, onCleanup } from "solid-js";

type Props = { text: string; label?: string };

export const CopyButton: Component<Props> = (props) => {
  const [state, setState] = createSignal<"idle" | "copied" | "failed">("idle");
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));

  // The clipboard API needs a secure context (HTTPS or localhost) and may be refused by the browser.
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.text);
      setState("copied");
    } catch {
      setState("failed");
    }
    clearTimeout(timer);
    timer = setTimeout(() => setState("idle"), 2000);
  };

  const label = () => {
    if (state() === "copied") return "Copied";
    if (state() === "failed") return "Copy failed, select the text";
    return props.label ?? "Copy";
  };

  return (
    <button type="button" class="button small secondary copy" onClick={copy} aria-live="polite">
      {label()}
    </button>
  );
};
