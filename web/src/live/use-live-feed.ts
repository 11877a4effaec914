import { type Accessor, createEffect, createMemo, on, onCleanup } from "solid-js";
import { type FeedState, type LiveMessage, openLiveFeed } from "./feed";

type Handlers = {
  /** Every frame's messages, in order. */
  onMessages?: (messages: LiveMessage[]) => void;
  /** The page should refetch what it shows over REST (first connection ready, or a replay gap). */
  onSync?: () => void;
};

/**
 * A live feed owned by the calling component: opened for `path` (reopened when it changes, none
 * while it is undefined) and closed with the component. Returns the feed's state for indicators.
 */
export function useLiveFeed(
  path: Accessor<string | undefined>,
  handlers: Handlers,
): Accessor<FeedState | undefined> {
  // A memo of the path, so the socket is reopened only when the path itself changes.
  const current = createMemo(path);
  const feed = createMemo(() => {
    const p = current();
    if (!p) return undefined;
    const f = openLiveFeed(p);
    const stop = f.listen((messages) => handlers.onMessages?.(messages));
    onCleanup(() => {
      stop();
      f.close();
    });
    return f;
  });
  createEffect(
    on(
      () => feed()?.state.syncs,
      (syncs) => {
        if (syncs) handlers.onSync?.();
      },
      { defer: true },
    ),
  );
  return () => feed()?.state;
}
