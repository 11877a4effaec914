import { query } from "@solidjs/router";
import { api, ok } from "./client";

/** The tenant's agent names, most recently seen first (the API's order). */
export const listAgentNames = query(async () => {
  const page = await ok(api.agents.$get());
  return page.data.map((a) => a.name);
}, "agent-names");
