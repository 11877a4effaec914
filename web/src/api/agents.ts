import { query } from "@solidjs/router";
import type { AgentList } from "../../../worker/agents/schemas";
import { request } from "./client";

/** The tenant's agent names, most recently seen first (the API's order). */
export const listAgentNames = query(async () => {
  const page = await request<AgentList>("GET", "/api/v1/agents");
  return page.data.map((a) => a.name);
}, "agent-names");
