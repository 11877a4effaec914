import { type Component, createSignal, onCleanup } from "solid-js";

type Props = { text: string; label?: string };

export const CopyButton: Component<Props> = (props) => {
  const [copied, setCopied] = createSignal(false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));

  const copy = async () => {
    await navigator.clipboard.writeText(props.text);
    setCopied(true);
    clearTimeout(timer);
    timer = setTimeout(() => setCopied(false), 2000);
  };

  return (
    <button type="button" class="button small secondary copy" onClick={copy} aria-live="polite">
      {copied() ? "Copied" : (props.label ?? "Copy")}
    </button>
  );
};
