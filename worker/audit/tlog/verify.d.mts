/** Types for verify.mjs, the offline verifier's core. */
import type { TrustedKey } from "./note.mjs";

export class EventCollector {
  files: string[];
  malformed: { file: number; line: number; message: string }[];
  count: number;
  beginFile(name: string): number;
  addLine(buf: Uint8Array, start: number, end: number, file: number, line: number): void;
  addText(text: string, file: number, line: number): void;
  addObject(event: unknown, file: number, line: number): void;
  seq(i: number): number;
  line(i: number): number;
  file(i: number): number;
  content(i: number): Uint8Array;
  claimed(i: number): Uint8Array | null;
}

export function canonicalJson(value: unknown): string;
export function eventLeafHash(event: Record<string, unknown>): Uint8Array;
export function parseTrustedKey(text: string, checkpointNote?: string): TrustedKey;
export function parseRange(range: unknown): [number, number] | null;

export type FindingClass =
  | "modified"
  | "removed"
  | "inserted"
  | "reordered"
  | "malformed"
  | "tile"
  | "checkpoint"
  | "rollback"
  | "fork"
  | "manifest";

export type Finding = {
  class: FindingClass;
  seq?: number;
  file?: string;
  line?: number;
  path?: string;
  code?: string;
  message: string;
};

export type VerifyResult = {
  ok: boolean;
  status: "verified" | "tampered" | "incomplete";
  checkpoint: { origin: string; size: number; root_hash: string } | null;
  range: { from: number; to: number } | null;
  events: {
    read: number;
    verified: number;
    not_covered: { count: number; min: number | null; max: number | null };
    files: string[];
  };
  tiles_used: boolean;
  previous_checkpoint: { size: number; root_hash: string; result: string } | null;
  counts: Partial<Record<FindingClass, number>>;
  findings: Finding[];
  findings_not_listed: number;
  incomplete: string | null;
  warnings: string[];
};

/** The fields of an export or archive manifest the verifier reads. */
export type Manifest = {
  range?: unknown;
  count?: number;
  sha256?: string;
  content_sha256?: string;
  filters?: unknown;
  checkpoint?: unknown;
  consistency_proof?: ConsistencyProofJson;
};

/** As GET /api/v1/audit/proofs/consistency answers (hashes in base64). */
export type ConsistencyProofJson = { from_size: number; to_size: number; hashes: string[] };

export type VerifyOptions = {
  checkpoint: string;
  key: TrustedKey;
  events: EventCollector;
  fetchTile?: (path: string) => Promise<Uint8Array | null>;
  previousCheckpoint?: string;
  range?: [number, number];
  /** False for a filtered export (seqs left out on purpose): no "removed" findings. */
  complete?: boolean;
  origin?: string;
  manifests?: { file: number; manifest: Manifest; hashes?: string[] }[];
  /** Bridges an export ending at seq `from_size` to a checkpoint of `to_size` (no tiles needed). */
  consistencyProof?: ConsistencyProofJson;
};

export function verifyLog(options: VerifyOptions): Promise<VerifyResult>;
export function exitCode(result: VerifyResult): 0 | 1 | 2;
