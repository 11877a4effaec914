import { useSubmission } from "@solidjs/router";
import { type Component, createEffect, createUniqueId, For, on } from "solid-js";
import { createSiemEndpoint, type SiemFormat, siemFormats } from "../../api/audit-siem";
import { FormAlert } from "../form-alert";
import { TextField } from "../text-field";

const fields = ["name", "url", "format", "start"] as const;

export const SiemForm: Component = () => {
  const submission = useSubmission(createSiemEndpoint);
  const formatId = createUniqueId();
  const startId = createUniqueId();
  let form: HTMLFormElement | undefined;
  createEffect(
    on(
      () => submission.result,
      (created) => created && form?.reset(),
    ),
  );
  return (
    <form
      ref={form}
      action={createSiemEndpoint}
      method="post"
      class="key-form siem-form"
      aria-label="Add SIEM endpoint"
    >
      <FormAlert error={submission.error} fields={fields} />
      <div class="siem-form-grid">
        <TextField name="name" label="Name" placeholder="Splunk HEC" required error={submission.error} />
        <TextField
          name="url"
          label="URL"
          placeholder="https://siem.example.com/ingest/audittrail"
          hint="HTTPS, reachable from the internet. Events are POSTed in order, at least once."
          required
          error={submission.error}
        />
        <div class="field">
          <label for={formatId}>Format</label>
          <select id={formatId} name="format">
            <For each={Object.entries(siemFormats) as [SiemFormat, string][]}>
              {([id, text]) => <option value={id}>{text}</option>}
            </For>
          </select>
        </div>
        <div class="field">
          <label for={startId}>Start from</label>
          <select id={startId} name="start">
            <option value="now">New events only</option>
            <option value="beginning">Every event still in the log</option>
          </select>
        </div>
      </div>
      <button type="submit" class="button primary" disabled={submission.pending}>
        {submission.pending ? "Adding…" : "Add endpoint"}
      </button>
    </form>
  );
};
