import { Router } from "@solidjs/router";
import type { Component } from "solid-js";
import { Layout } from "./components/layout";
import { routes } from "./routes";

export const App: Component = () => <Router root={Layout}>{routes}</Router>;
