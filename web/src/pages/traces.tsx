import type { Component } from "solid-js";

export const TracesPage: Component = () => <div class="card">Coming soon.</div>;
