import type { Component } from "solid-js";

export const GovernancePage: Component = () => <div class="card">Coming soon.</div>;
