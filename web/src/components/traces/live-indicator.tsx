import type { Component } from "solid-js";
import type { FeedState } from "../../live/feed";

const labels: Record<FeedState["status"], string> = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
  closed: "Offline",
};

const titles: Record<FeedState["status"], string> = {
  connecting: "Opening the live feed",
  live: "New data appears as it arrives",
  reconnecting: "The live feed dropped; retrying. Nothing is lost: missed events are replayed.",
  closed: "Not receiving live updates",
};

export const LiveIndicator: Component<{ state: FeedState | undefined }> = (props) => {
  const status = () => props.state?.status ?? "connecting";
  return (
    <span class={`live-indicator live-${status()}`} role="status" title={titles[status()]}>
      <span class="dot" aria-hidden="true" />
      {labels[status()]}
    </span>
  );
};
