// Types for the Workers tests that reuse the simulator's traffic (scripts/simulate/traffic.mjs).
type Item = Record<string, unknown>;
export type Batch = { traces: Item[]; spans: Item[] };
export type PatternName = "spike" | "drop" | "errors" | "new-capability";
export type TrafficOptions = {
  now: number;
  days?: number;
  capabilities?: string[];
  workspaces?: string[];
  seed?: number;
  /** Interactions on a normal weekday over all capabilities (default 1200). */
  tracesPerDay?: number;
  /** Every capability the same share (default: a long tail, 1/(rank+1)). */
  evenCapabilities?: boolean;
  /** Multiplier of a capability's volume on a UTC day. */
  scale?: (capability: string, dayStart: number) => number;
  /** Spans per batch (default and most 5000). */
  maxSpans?: number;
  maxTraces?: number;
  capability?: string;
};
export const CAPABILITIES: string[];
export const WORKSPACES: string[];
export const NEW_CAPABILITY: string;
export const PATTERN_NAMES: PatternName[];
export function rng(seed: number): () => number;
export function startOfDay(ms: number): number;
export function hourWeight(hour: number): number;
export function dayWeight(dayStart: number): number;
export function weekdayVolume(opts: TrafficOptions, capability: string): number;
export function expectedPerDay(opts: TrafficOptions, capability: string, dayStart: number): number;
export function dayStarts(now: number, days: number): number[];
export function interaction(
  r: () => number,
  o: { id: string; at: number; capability: string; workspace: string; errorRate: number },
): { trace: Item; spans: Item[] };
export function toBatches(
  items: { trace: Item; spans: Item[] }[],
  opts?: { maxSpans?: number; maxTraces?: number },
): Batch[];
export function dayInteractions(opts: TrafficOptions, dayStart: number): { trace: Item; spans: Item[] }[];
export function normalDays(opts: TrafficOptions): Batch[];
export function patternCapability(name: PatternName, opts?: { capabilities?: string[] }): string;
export function dropScale(o: {
  now: number;
  capability: string;
}): (capability: string, dayStart: number) => number;
export function pattern(name: PatternName, opts: TrafficOptions): Batch[];
export function scenario(name: PatternName, opts: TrafficOptions): { capability: string; batches: Batch[] };
