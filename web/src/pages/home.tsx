import { createAsync } from "@solidjs/router";
import { type Component, Show } from "solid-js";
import { getSession } from "../api/session";
import { Dashboard } from "../components/dashboard";
import { Welcome } from "../components/welcome";

export const HomePage: Component = () => {
  const session = createAsync(() => getSession());
  return (
    <Show when={session() !== undefined}>
      <Show when={session()} fallback={<Welcome />}>
        {(me) => <Dashboard session={me()} />}
      </Show>
    </Show>
  );
};
