/** The governor's pure rule engine: parse and validate rules, build span activations, evaluate. */
export { type SpanActivation, spanActivation, type TraceContext, traceContexts } from "./activation";
export { type CompiledRule, clearCompileCache, compileRule, type Evaluation, type Outcome } from "./compile";
export { DEFAULT_PACKS, type DefaultPack } from "./default-packs";
export { RULE_VARIABLES } from "./environment";
export { type RuleErrorDetail, RuleValidationError } from "./errors";
export { ruleHash } from "./hash";
export { parseRule, parseRulePack, type RuleFormat, validateRule } from "./parse";
export { RuleDefinition, RuleInput, RuleOp, RuleSeverity, TargetSpanType } from "./schema";
