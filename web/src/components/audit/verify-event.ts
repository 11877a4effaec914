import type { AuditEvent } from "../../api/audit";
import { fetchCheckpoint, fetchInclusionProof, getPublicKey } from "../../api/audit-proofs";
import { ApiError } from "../../api/client";
import {
  hashBytes,
  leafHashOf,
  noteSignedBy,
  parseCheckpointNote,
  rootFromInclusionProof,
  sameBytes,
  toHex,
} from "./verify";

export type Step = { ok: boolean | null; text: string };
export type Verdict = { ok: boolean; title: string; steps: Step[] };

const short = (hex: string) => `${hex.slice(0, 12)}…`;
const reason = (err: unknown) => (err instanceof ApiError ? err.message : "the server could not be reached");

/** Is the checkpoint's note signed by the log's key, and does it say what the checkpoint says? */
async function checkSignature(note: string, size: number, rootB64: string): Promise<Step> {
  const parsed = parseCheckpointNote(note);
  if (!parsed || parsed.size !== size || !sameBytes(hashBytes(parsed.root), hashBytes(rootB64))) {
    return {
      ok: false,
      text: "The checkpoint's signed note does not state the size and root it was served with.",
    };
  }
  let key: Awaited<ReturnType<typeof getPublicKey>>;
  try {
    key = await getPublicKey();
  } catch (err) {
    return {
      ok: null,
      text: `The signature was not checked: the public key could not be read (${reason(err)}).`,
    };
  }
  const signed = await noteSignedBy(parsed, {
    name: key.key_name,
    keyIdHex: key.key_id,
    publicKey: hashBytes(key.public_key),
  });
  if (signed === null)
    return { ok: null, text: "This browser cannot check Ed25519 signatures; the signature was not checked." };
  return signed
    ? { ok: true, text: `The checkpoint is signed by the log's key ${key.key_id} (Ed25519).` }
    : { ok: false, text: `The checkpoint's signature does not verify with key ${key.key_id}.` };
}

/** Does the event's leaf, with its proof, lead to the root of the latest checkpoint? */
async function checkInclusion(event: AuditEvent, leaf: Uint8Array, steps: Step[]): Promise<boolean> {
  let checkpoint: Awaited<ReturnType<typeof fetchCheckpoint>>;
  try {
    checkpoint = await fetchCheckpoint();
  } catch (err) {
    steps.push({ ok: false, text: `No signed checkpoint to check against: ${reason(err)}.` });
    return false;
  }
  if (checkpoint.size < event.seq) {
    steps.push({
      ok: false,
      text: `The latest checkpoint covers ${checkpoint.size} events and this is #${event.seq}: it is signed within seconds, try again shortly.`,
    });
    return false;
  }
  let proof: Awaited<ReturnType<typeof fetchInclusionProof>>;
  try {
    proof = await fetchInclusionProof(event.seq, checkpoint.size);
  } catch (err) {
    steps.push({ ok: false, text: `The inclusion proof could not be fetched: ${reason(err)}.` });
    return false;
  }
  const root = await rootFromInclusionProof(
    event.seq - 1,
    checkpoint.size,
    leaf,
    proof.hashes.map(hashBytes),
  );
  const expected = hashBytes(checkpoint.root_hash);
  const included = root !== null && sameBytes(root, expected);
  steps.push(
    included
      ? {
          ok: true,
          text: `Its ${proof.hashes.length}-step inclusion proof leads to the root ${short(toHex(expected))} of the checkpoint of ${checkpoint.size} events.`,
        }
      : {
          ok: false,
          text: `Its inclusion proof does not lead to the checkpoint's root ${short(toHex(expected))}: the event is not in the log as signed.`,
        },
  );
  const signature = await checkSignature(checkpoint.note, checkpoint.size, checkpoint.root_hash);
  steps.push(signature);
  return included && signature.ok !== false;
}

/** Every check the browser can make on one event; each step says what it found. */
export async function verifyEvent(event: AuditEvent): Promise<Verdict> {
  const steps: Step[] = [];
  const leaf = await leafHashOf(event);
  const leafOk = toHex(leaf) === event.integrity.leaf_hash.toLowerCase();
  steps.push(
    leafOk
      ? { ok: true, text: "The leaf hash recomputed from the event's content matches the recorded one." }
      : {
          ok: false,
          text: `The content hashes to ${short(toHex(leaf))}, not to the recorded ${short(event.integrity.leaf_hash)}.`,
        },
  );
  const included = await checkInclusion(event, leaf, steps);
  const ok = leafOk && included;
  const title = ok
    ? "Verified: this event is in the signed log, unchanged"
    : !leafOk
      ? "Not verified: the event's content does not match its leaf hash"
      : "Not verified";
  return { ok, title, steps };
}
