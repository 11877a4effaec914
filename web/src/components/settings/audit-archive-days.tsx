import { createAsync } from "@solidjs/router";
import { type Component, For, Show, Suspense } from "solid-js";
import { archiveDayHref, listArchiveDays } from "../../api/audit";
import { SkeletonRows } from "./skeleton-rows";

const size = (bytes: number) =>
  bytes < 1024
    ? `${bytes} B`
    : bytes < 1048576
      ? `${(bytes / 1024).toFixed(1)} KB`
      : `${(bytes / 1048576).toFixed(1)} MB`;

const Days: Component = () => {
  const page = createAsync(() => listArchiveDays(undefined));
  return (
    <Show when={page()}>
      {(p) => (
        <Show
          when={p().data.length > 0}
          fallback={
            <p class="empty">
              Nothing is archived yet: the first day moves here once it is older than the retention period.
            </p>
          }
        >
          <div class="table-wrap">
            <table class="data-table audit-archive" aria-label="Archived days">
              <thead>
                <tr>
                  <th>Day (UTC)</th>
                  <th class="num">Events</th>
                  <th>Seq</th>
                  <th class="num">Size</th>
                  <th>SHA-256</th>
                  <th>
                    <span class="visually-hidden">Download</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                <For each={p().data}>
                  {(d) => (
                    <tr>
                      <td>{d.day}</td>
                      <td class="num">{d.count.toLocaleString()}</td>
                      <td class="muted">
                        #{d.first_seq}–#{d.last_seq}
                      </td>
                      <td class="num">{size(d.bytes)}</td>
                      <td>
                        <code title={d.sha256}>{d.sha256.slice(0, 16)}…</code>
                      </td>
                      <td class="actions">
                        <a href={archiveDayHref(d.day)} download={`${d.day}.ndjson.gz`}>
                          .ndjson.gz
                        </a>
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        </Show>
      )}
    </Show>
  );
};

/** The days retention moved to R2, each with its count, seq range and hash, to download and check. */
export const AuditArchiveDays: Component = () => (
  <div class="audit-archive-days">
    <div class="audit-archive-head">
      <h3 class="subhead">Archive</h3>
      <a href="/audit?source=archive">Search the archive →</a>
    </div>
    <Suspense fallback={<SkeletonRows rows={2} />}>
      <Days />
    </Suspense>
  </div>
);
