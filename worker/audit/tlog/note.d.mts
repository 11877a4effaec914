/** Types for note.mjs (C2SP signed notes and checkpoints). */

export type TrustedKey = { name: string; keyId: Uint8Array; publicKey: Uint8Array };
export type NoteSignature = { name: string; keyId: Uint8Array; signature: Uint8Array };
export type CheckpointBody = { origin: string; size: number; root: Uint8Array; extensions: string[] };
export type OpenedCheckpoint = CheckpointBody & { note: string };
export type NoteErrorCode = "malformed" | "unknown_key" | "bad_signature" | "wrong_origin";

export class NoteError extends Error {
  constructor(code: NoteErrorCode, message: string);
  readonly code: NoteErrorCode;
}

export function keyId(name: string, publicKey: Uint8Array): Uint8Array;
export function formatVkey(name: string, publicKey: Uint8Array): string;
export function parseVkey(vkey: string): TrustedKey;
export function trustedKey(name: string, publicKey: Uint8Array, expectedIdHex?: string): TrustedKey;
export function checkpointText(origin: string, size: number, root: Uint8Array): string;
export function parseCheckpointText(text: string): CheckpointBody;
export function signatureLine(name: string, id: Uint8Array, signature: Uint8Array): string;
export function assembleNote(text: string, signatureLines: string[]): string;
export function parseNote(note: string): { text: string; signatures: NoteSignature[] };
export function verifyNote(note: string, key: TrustedKey): Promise<string>;
export function openCheckpoint(
  note: string,
  key: TrustedKey,
  expectedOrigin?: string,
): Promise<OpenedCheckpoint>;
