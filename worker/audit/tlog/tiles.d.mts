/** Types for tiles.mjs (C2SP tlog-tiles layout). */
import type { NodeHash } from "./merkle.mjs";

export type TileRef = { level: number; index: number; width: number };

export const TILE_HEIGHT: 8;
export const TILE_WIDTH: 256;

export function tileIndexPath(index: number): string;
export function tilePath(level: number, index: number, width?: number): string;
export function entriesAt(level: number, size: number): number;
export function levelCount(size: number): number;
export function tilesBetween(from: number, to: number): TileRef[];
export function tilesForSize(size: number): TileRef[];
export function perfectRoot(entries: Uint8Array, count: number): Uint8Array;
export function nodeHashFromEntries(
  readEntries: (level: number, start: number, count: number) => Uint8Array,
): NodeHash;

export class EntryStore {
  count(level: number): number;
  put(level: number, index: number, hash: Uint8Array): void;
  putMany(level: number, bytes: Uint8Array): void;
  read(level: number, start: number, count: number): Uint8Array;
  entry(level: number, index: number): Uint8Array;
  tile(level: number, index: number, width?: number): Uint8Array;
}

export function entriesFromLeaves(leaves: Uint8Array, count: number): { store: EntryStore; root: Uint8Array };
