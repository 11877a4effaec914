import type { Component } from "solid-js";

export const NotFoundPage: Component = () => (
  <div class="narrow card">
    <h1>Page not found</h1>
    <p class="muted">There is nothing at this address.</p>
    <a class="button secondary" href="/">
      Go to the home page
    </a>
  </div>
);
