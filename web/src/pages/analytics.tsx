import type { Component } from "solid-js";

export const AnalyticsPage: Component = () => <div class="card">Coming soon.</div>;
