// Starting points for new rules; each is valid as it stands (docs/rules.md has the full language).

export const TEMPLATES = {
  measure: {
    label: "Measure rule (number against a limit)",
    source: `# A measure rule: amber when the measure approaches the limit, red when it crosses it.
name: bulk_delete_limit
description: Flag tool calls that delete many files at once
version: "1"
target_span_type: tool # tool | llm | chain | agent | retriever | embedding | guardrail | other | all
when: "tool_name.contains('delete')" # guard (CEL): the rule is skipped when false
measure: "size(arguments.?files.orValue([]))" # CEL, a number
limit: 5 # red when measure > limit
threshold_amber: 0.8 # amber from 80% of the limit
policy_group: data_safety
severity: high # low | medium | high | critical
`,
  },
  boolean: {
    label: "Boolean rule (red when a condition holds)",
    source: `# A boolean rule: red when \`condition\` is true, amber when \`warn_condition\` is.
name: external_email
description: Emails sent outside the company
version: "1"
target_span_type: tool
when: "tool_name == 'send_email'"
condition: "!string(arguments.?to.orValue('')).endsWith('@example.com')"
policy_group: data_safety
severity: medium
`,
  },
  budget: {
    label: "Budget rule (cost of one LLM call)",
    source: `# One LLM call costing more than $0.50 is red; amber from $0.40.
name: expensive_llm_call
description: A single model call over budget
version: "1"
target_span_type: llm
measure: cost_usd
limit: 0.5
policy_group: cost
severity: medium
`,
  },
} as const;

export type TemplateKey = keyof typeof TEMPLATES;
