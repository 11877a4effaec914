/** The default rule packs, bundled as text (wrangler.toml has a Text module rule for *.yaml). */
import costBudgets from "../../../rules/cost-budgets.yaml";
import dangerousTools from "../../../rules/dangerous-tools.yaml";
import dataSafety from "../../../rules/data-safety.yaml";
import latencySlos from "../../../rules/latency-slos.yaml";
import loopStorms from "../../../rules/loop-storms.yaml";
import piiLeakage from "../../../rules/pii-leakage.yaml";
import promptInjection from "../../../rules/prompt-injection.yaml";

export type DefaultPack = { id: string; title: string; source: string };

export const DEFAULT_PACKS: readonly DefaultPack[] = [
  { id: "data-safety", title: "Data safety", source: dataSafety },
  { id: "cost-budgets", title: "Cost and token budgets", source: costBudgets },
  { id: "pii-leakage", title: "PII leakage", source: piiLeakage },
  { id: "dangerous-tools", title: "Dangerous tools and payments", source: dangerousTools },
  { id: "latency-slos", title: "Latency SLOs", source: latencySlos },
  { id: "prompt-injection", title: "Prompt injection", source: promptInjection },
  { id: "loop-storms", title: "Loops and retry storms", source: loopStorms },
];
