import { Environment } from "@marcbachmann/cel-js";

/** `usage` in CEL: counts are CEL ints (BigInt), cost a double. Missing values are 0. */
export class CelUsage {
  constructor(
    readonly input_tokens: bigint,
    readonly output_tokens: bigint,
    readonly total_tokens: bigint,
    readonly cost_usd: number,
  ) {}
}

/** `trace` in CEL: the trace so far (spans that started at or before this one). */
export class CelTraceContext {
  constructor(
    readonly agent: string,
    readonly span_count: bigint,
    readonly tool_call_count: bigint,
    readonly llm_call_count: bigint,
    readonly error_count: bigint,
    readonly cost_usd: number,
    readonly total_tokens: bigint,
    readonly same_tool_count: bigint,
    readonly duration_ms: bigint,
  ) {}
}

type VariableDoc = { name: string; type: string; description: string };

/** Every variable a rule can read; docs/rules.md lists the same table. */
export const RULE_VARIABLES: readonly VariableDoc[] = [
  { name: "span", type: "map", description: "All fields of the span" },
  { name: "tool", type: "map", description: "{name, arguments, result}; {} when the span has no tool call" },
  { name: "tool_name", type: "string", description: "The tool's name, '' when none" },
  {
    name: "arguments",
    type: "map",
    description: "The tool call's arguments (JSON text is parsed); {} when none",
  },
  { name: "arguments_text", type: "string", description: "tool.arguments as text (JSON), '' when none" },
  { name: "result_text", type: "string", description: "tool.result as text (JSON), '' when none" },
  { name: "model", type: "string", description: "Model name, '' when none" },
  { name: "provider", type: "string", description: "Model provider, '' when none" },
  {
    name: "usage",
    type: "Usage",
    description: "{input_tokens, output_tokens, total_tokens: int, cost_usd: double}",
  },
  { name: "cost_usd", type: "double", description: "The span's cost in USD, 0 when unknown" },
  { name: "duration_ms", type: "int", description: "The span's duration, 0 while it is open" },
  { name: "status", type: "string", description: "'ok', 'error' or 'unset'" },
  { name: "error", type: "map", description: "{type, message} when the span failed, else {}" },
  { name: "input", type: "dyn", description: "The span's input as sent (null when none)" },
  { name: "output", type: "dyn", description: "The span's output as sent (null when none)" },
  { name: "input_text", type: "string", description: "input as text: a string as is, anything else as JSON" },
  {
    name: "output_text",
    type: "string",
    description: "output as text: a string as is, anything else as JSON",
  },
  { name: "attributes", type: "map", description: "The span's attributes, {} when none" },
  { name: "agent", type: "string", description: "The agent that produced the trace" },
  { name: "trace", type: "TraceContext", description: "The trace so far (see docs/rules.md)" },
];

/** Structural limits checked while parsing, so a rule cannot build a huge or deep AST. */
const LIMITS = {
  maxAstNodes: 400,
  maxDepth: 24,
  maxListElements: 100,
  maxMapEntries: 50,
  maxCallArguments: 8,
};

function buildEnvironment(): Environment {
  const env = new Environment({ enableOptionalTypes: true, limits: LIMITS })
    .registerType("Usage", {
      ctor: CelUsage,
      fields: { input_tokens: "int", output_tokens: "int", total_tokens: "int", cost_usd: "double" },
    })
    .registerType("TraceContext", {
      ctor: CelTraceContext,
      fields: {
        agent: "string",
        span_count: "int",
        tool_call_count: "int",
        llm_call_count: "int",
        error_count: "int",
        cost_usd: "double",
        total_tokens: "int",
        same_tool_count: "int",
        duration_ms: "int",
      },
    });
  for (const v of RULE_VARIABLES) env.registerVariable(v.name, v.type, { description: v.description });
  return env;
}

/** The one CEL environment every rule is checked and compiled in (built once per isolate). */
export const ruleEnvironment: Environment = buildEnvironment();
