/**
 * USD per million tokens for models whose clients often omit cost. Matched by longest prefix, so
 * dated snapshots ("gpt-4o-mini-2024-07-18") price as their family. Update with providers' lists.
 */
const PRICES: Record<string, { input: number; output: number }> = {
  "gpt-4.1": { input: 2, output: 8 },
  "gpt-4.1-mini": { input: 0.4, output: 1.6 },
  "gpt-4.1-nano": { input: 0.1, output: 0.4 },
  "gpt-4o": { input: 2.5, output: 10 },
  "gpt-4o-mini": { input: 0.15, output: 0.6 },
  "gpt-4-turbo": { input: 10, output: 30 },
  "gpt-3.5-turbo": { input: 0.5, output: 1.5 },
  "gpt-5": { input: 1.25, output: 10 },
  "gpt-5-mini": { input: 0.25, output: 2 },
  "gpt-5-nano": { input: 0.05, output: 0.4 },
  o1: { input: 15, output: 60 },
  "o1-mini": { input: 1.1, output: 4.4 },
  o3: { input: 2, output: 8 },
  "o3-mini": { input: 1.1, output: 4.4 },
  "o4-mini": { input: 1.1, output: 4.4 },
  "text-embedding-3-small": { input: 0.02, output: 0 },
  "text-embedding-3-large": { input: 0.13, output: 0 },
  "claude-opus-4": { input: 15, output: 75 },
  "claude-sonnet-4": { input: 3, output: 15 },
  "claude-3-7-sonnet": { input: 3, output: 15 },
  "claude-3-5-sonnet": { input: 3, output: 15 },
  "claude-3-5-haiku": { input: 0.8, output: 4 },
  "claude-haiku-4": { input: 1, output: 5 },
  "claude-3-opus": { input: 15, output: 75 },
  "claude-3-haiku": { input: 0.25, output: 1.25 },
  "gemini-2.5-pro": { input: 1.25, output: 10 },
  "gemini-2.5-flash": { input: 0.3, output: 2.5 },
  "gemini-2.0-flash": { input: 0.1, output: 0.4 },
  "gemini-1.5-pro": { input: 1.25, output: 5 },
  "gemini-1.5-flash": { input: 0.075, output: 0.3 },
  "mistral-large": { input: 2, output: 6 },
  "mistral-small": { input: 0.2, output: 0.6 },
  "llama-3.1-70b": { input: 0.88, output: 0.88 },
  "llama-3.1-8b": { input: 0.18, output: 0.18 },
};

const byLength = Object.keys(PRICES).sort((a, b) => b.length - a.length);
const cache = new Map<string, { input: number; output: number } | null>();

export function priceFor(model: string) {
  const key = model.toLowerCase().replace(/^(openai|anthropic|google|models)\//, "");
  let hit = cache.get(key);
  if (hit === undefined) {
    const name = byLength.find((m) => key === m || key.startsWith(`${m}-`) || key.startsWith(`${m}@`));
    hit = name ? PRICES[name] : null;
    cache.set(key, hit);
  }
  return hit;
}

/** Cost in USD, or null when the model is unknown or no tokens were reported. */
export function estimateCost(model: string | undefined, inputTokens?: number, outputTokens?: number) {
  if (!model || (inputTokens === undefined && outputTokens === undefined)) return null;
  const price = priceFor(model);
  if (!price) return null;
  return ((inputTokens ?? 0) * price.input + (outputTokens ?? 0) * price.output) / 1_000_000;
}
