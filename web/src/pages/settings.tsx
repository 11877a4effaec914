import type { Component } from "solid-js";

export const SettingsPage: Component = () => <div class="card">Coming soon.</div>;
