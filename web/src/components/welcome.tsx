import type { Component } from "solid-js";
import { LogInForm } from "./log-in-form";
import { SignUpForm } from "./sign-up-form";

export const Welcome: Component = () => (
  <div class="welcome">
    <section class="hero">
      <h1>Know what your AI agents did, and why.</h1>
      <p class="lead">
        AuditTrail records every run of your agents (model calls, tool calls, inputs and outputs) in a
        tamper-evident trail your whole team can search.
      </p>
    </section>
    <div class="auth-forms">
      <SignUpForm />
      <LogInForm />
    </div>
  </div>
);
