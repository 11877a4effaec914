import type { Component } from "solid-js";

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** An ISO timestamp in the reader's locale and time zone. */
export const Time: Component<{ value: string }> = (props) => (
  <time datetime={props.value} title={props.value}>
    {dateTime.format(new Date(props.value))}
  </time>
);
