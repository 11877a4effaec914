import type { Component } from "solid-js";

export const TraceDetailPage: Component = () => <div class="card">Coming soon.</div>;
