import { createAsync } from "@solidjs/router";
import { type Component, For, Show } from "solid-js";
import { listApiKeys } from "../api/api-keys";
import { ApiKeyRow } from "./api-key-row";

export const ApiKeyList: Component = () => {
  const keys = createAsync(() => listApiKeys());
  return (
    <Show when={keys()}>
      {(page) => (
        <Show when={page().data.length > 0} fallback={<p class="empty">No API keys yet.</p>}>
          <div class="table-wrap">
            <table class="data-table keys">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Key</th>
                  <th>Scopes</th>
                  <th>Created</th>
                  <th>Last used</th>
                  <th>
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                <For each={page().data}>{(apiKey) => <ApiKeyRow apiKey={apiKey} />}</For>
              </tbody>
            </table>
          </div>
        </Show>
      )}
    </Show>
  );
};
