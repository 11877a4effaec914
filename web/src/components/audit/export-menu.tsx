import { type Component, createSignal, For, onCleanup, Show } from "solid-js";
import type { AuditQuery } from "../../api/audit";
import { downloadExport, type ExportFormat, type ExportResult, manifestHref } from "../../api/audit-export";
import { FormAlert } from "../form-alert";

const formats: { id: ExportFormat; label: string; note: string }[] = [
  { id: "csv", label: "CSV", note: "one row per event, for spreadsheets" },
  { id: "json", label: "JSON", note: "an array of events" },
  { id: "ndjson", label: "NDJSON", note: "one event per line, for pipelines" },
  { id: "ocsf", label: "OCSF", note: "API Activity objects, for SIEMs" },
];

const kb = (bytes: number) =>
  bytes < 1024
    ? `${bytes} B`
    : bytes < 1048576
      ? `${(bytes / 1024).toFixed(1)} KB`
      : `${(bytes / 1048576).toFixed(1)} MB`;

/** Downloads the log with the page's filters; afterwards links to the export's manifest. */
export const ExportMenu: Component<{ query: AuditQuery }> = (props) => {
  const [open, setOpen] = createSignal(false);
  const [busy, setBusy] = createSignal<ExportFormat>();
  const [done, setDone] = createSignal<ExportResult>();
  const [error, setError] = createSignal<unknown>();
  let root: HTMLDivElement | undefined;
  const outside = (e: PointerEvent) => {
    if (root && e.target instanceof Node && !root.contains(e.target)) setOpen(false);
  };
  const onEscape = (e: KeyboardEvent) => {
    if (e.key !== "Escape" || !open()) return;
    e.preventDefault();
    setOpen(false);
    root?.querySelector<HTMLElement>(".audit-export-toggle")?.focus();
  };
  document.addEventListener("pointerdown", outside);
  document.addEventListener("keydown", onEscape);
  onCleanup(() => {
    document.removeEventListener("pointerdown", outside);
    document.removeEventListener("keydown", onEscape);
  });

  const run = async (format: ExportFormat) => {
    setOpen(false);
    setBusy(format);
    setError(undefined);
    setDone(undefined);
    try {
      setDone(await downloadExport(format, props.query));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <div class="audit-export" ref={root}>
      <button
        type="button"
        class="button secondary audit-export-toggle"
        aria-expanded={open()}
        aria-controls="audit-export-formats"
        disabled={busy() !== undefined}
        onClick={() => setOpen(!open())}
      >
        {busy() ? `Exporting ${busy()?.toUpperCase()}…` : "Export"}
        <span aria-hidden="true">▾</span>
      </button>
      <Show when={open()}>
        <ul id="audit-export-formats" class="audit-export-menu" aria-label="Export format">
          <For each={formats}>
            {(f) => (
              <li>
                <button type="button" onClick={() => void run(f.id)}>
                  <strong>{f.label}</strong>
                  <span class="muted">{f.note}</span>
                </button>
              </li>
            )}
          </For>
          <li class="hint">With the filters shown on this page.</li>
        </ul>
      </Show>
      <Show when={done()}>
        {(d) => (
          <p class="audit-export-done" role="status">
            Downloaded <code>{d().filename}</code> ({kb(d().bytes)})
            <Show when={d().exportId}>
              {(id) => (
                <>
                  {" · "}
                  <a href={manifestHref(id())} target="_blank" rel="noopener">
                    Manifest
                  </a>
                </>
              )}
            </Show>
          </p>
        )}
      </Show>
      <Show when={error()}>
        <FormAlert error={error()} />
      </Show>
    </div>
  );
};
