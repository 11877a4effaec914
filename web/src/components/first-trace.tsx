import { A, revalidate } from "@solidjs/router";
import { type Component, createSignal, Show } from "solid-js";
import { listApiKeys } from "../api/api-keys";
import { useLiveFeed } from "../live/use-live-feed";

type Arrival = { id: string; agent: string; name: string | null };

/**
 * Part of the first-run guide: waits on the live feed and says so the moment a trace arrives, and
 * refreshes the key list so its 'Last used' column shows the key that sent it.
 */
export const FirstTrace: Component = () => {
  const [arrival, setArrival] = createSignal<Arrival>();
  useLiveFeed(() => "/ws/live", {
    onMessages: (messages) => {
      for (const m of messages) {
        if (m.event === "trace.started" && !arrival()) {
          setArrival({ id: m.payload.id, agent: m.payload.agent, name: m.payload.name });
          // The key that sent it has just been used: the list above shows when.
          void revalidate(listApiKeys.key);
        }
      }
    },
  });
  return (
    <Show
      when={arrival()}
      fallback={
        <p class="first-trace waiting" aria-live="polite">
          <span class="first-trace-dot" aria-hidden="true" /> Waiting for a trace… it will show up here as
          soon as it arrives.
        </p>
      }
    >
      {(a) => (
        <div class="notice success first-trace" role="status">
          <strong>Trace received</strong> from <code>{a().agent}</code>
          <Show when={a().name}>{(name) => <span>: {name()}</span>}</Show>
          {/[.?!]$/.test(a().name ?? "") ? " " : ". "}
          <A href={`/traces/${encodeURIComponent(a().id)}`}>Open it →</A>
        </div>
      )}
    </Show>
  );
};
