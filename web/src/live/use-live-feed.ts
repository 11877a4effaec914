import { type Accessor, createEffect, createMemo, createSignal, onCleanup, untrack } from "solid-js";
import type { FeedState, LiveFeed, LiveMessage } from "./feed";

type Handlers = {
  /** Every frame's messages, in order. */
  onMessages?: (messages: LiveMessage[]) => void;
  /** The page should refetch what it shows over REST (first connection ready, or a replay gap). */
  onSync?: () => void;
};

// The feed module validates frames with zod; loading it when the first consumer mounts keeps zod
// out of the shell every page downloads.
const loadFeed = () => import("./feed");

/** Starts loading the feed module ahead of a page that opens the feed as soon as it mounts. */
export const preloadLiveFeed = () => void loadFeed();

/**
 * The live feed at `path` for the calling component: opened when it mounts (reopened when the path
 * changes, none while it is undefined) and closed with it. Consumers of one path share one socket,
 * which closes when the last of them unmounts. Returns the feed's state for indicators (undefined
 * until the feed module has loaded).
 *
 * Cleanup is registered before the module is awaited, so a component gone by the time it arrives
 * never opens a socket, and one that is still there always closes it.
 */
export function useLiveFeed(
  path: Accessor<string | undefined>,
  handlers: Handlers = {},
): Accessor<FeedState | undefined> {
  const [feed, setFeed] = createSignal<LiveFeed>();
  // A memo of the path, so the socket is reopened only when the path itself changes.
  const current = createMemo(path);
  // `syncs` already counted when this consumer joined: a socket that was open missed nothing.
  let seenSyncs = 0;

  createEffect(() => {
    const p = current();
    if (!p) return;
    let handle: LiveFeed | undefined;
    let gone = false;
    onCleanup(() => {
      gone = true;
      handle?.close();
      setFeed(undefined);
    });
    void loadFeed().then(({ openLiveFeed }) => {
      if (gone) return;
      handle = openLiveFeed(p);
      handle.listen((messages) => handlers.onMessages?.(messages));
      seenSyncs = handle.state.syncs;
      setFeed(handle);
    });
  });

  createEffect(() => {
    const syncs = feed()?.state.syncs;
    if (syncs === undefined || syncs <= seenSyncs) return;
    seenSyncs = syncs;
    untrack(() => handlers.onSync?.());
  });

  return () => feed()?.state;
}
