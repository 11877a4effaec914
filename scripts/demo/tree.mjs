// Builds native ingest spans from a nested description, laying out realistic timestamps:
// children run one after another inside their parent, which ends after its own `ms` of work.

import { randomUUID } from "node:crypto";

export const MINUTE = 60_000;

export const iso = (ms) => new Date(ms).toISOString();
export const between = (min, max) => min + Math.floor(Math.random() * (max - min + 1));
export const pick = (list) => list[Math.floor(Math.random() * list.length)];
export const shortId = () => randomUUID().slice(0, 8);

/**
 * step(type, name, fields, children) describes one span. Extra keys in `fields`:
 * `ms` (the span's own work after its children), `delayMs` (pause before it starts).
 */
export function step(type, name, fields = {}, children = []) {
  return { type, name, fields, children };
}

/** Depth-first spans (parents before children) and the end time of the whole tree. */
export function layout(traceId, startMs, root) {
  const spans = [];
  const endMs = place(root, { traceId, parentId: null, cursor: startMs }, spans);
  return { spans, endMs };
}

function place(node, { traceId, parentId, cursor }, out) {
  const { ms = between(3, 20), delayMs = between(1, 15), ...fields } = node.fields;
  const id = randomUUID();
  const startedAt = cursor + delayMs;
  const span = {
    id,
    trace_id: traceId,
    parent_id: parentId,
    type: node.type,
    name: node.name,
    started_at: iso(startedAt),
    status: "ok",
    ...fields,
  };
  out.push(span);
  let t = startedAt;
  for (const child of node.children) t = place(child, { traceId, parentId: id, cursor: t }, out);
  span.ended_at = iso(t + ms);
  return t + ms;
}

/** An LLM step with chat messages in and out; tokens roughly follow the text lengths. */
export function llm(name, { model, provider, system, prompt, completion, ms, attributes }) {
  const input = [...(system ? [{ role: "system", content: system }] : []), { role: "user", content: prompt }];
  const output = [{ role: "assistant", content: completion }];
  const tokens = (messages) => Math.ceil(JSON.stringify(messages).length / 4);
  return step("llm", name, {
    model,
    provider,
    input,
    output,
    usage: { input_tokens: tokens(input) + between(200, 1200), output_tokens: tokens(output) },
    ms: ms ?? between(700, 3500),
    attributes,
  });
}

/** A tool step; `error` makes it a failed call (status error, no result). */
export function tool(name, args, result, { ms, delayMs, error, attributes } = {}) {
  return step("tool", name, {
    tool: error ? { name, arguments: args } : { name, arguments: args, result },
    ...(error ? { status: "error", error } : {}),
    ms: ms ?? between(150, 1400),
    delayMs,
    attributes,
  });
}
