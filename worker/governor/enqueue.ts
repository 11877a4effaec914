import type { StoredBatch } from "../ingest/listeners";
import { type EvaluateSpans, SPANS_PER_MESSAGE } from "./messages";

/** Ingest listener: hands every stored span to the governor queue (after the response is sent). */
export async function enqueueEvaluation(env: Env, stored: StoredBatch): Promise<void> {
  const keys = stored.batch.spans.map((s): [string, string] => [s.trace_id, s.id]);
  const messages: { body: EvaluateSpans }[] = [];
  for (let i = 0; i < keys.length; i += SPANS_PER_MESSAGE) {
    messages.push({
      body: {
        kind: "evaluate",
        tenant_id: stored.tenant.id,
        spans: keys.slice(i, i + SPANS_PER_MESSAGE),
      },
    });
  }
  // sendBatch takes at most 100 messages per call.
  for (let i = 0; i < messages.length; i += 100)
    await env.GOVERNOR_QUEUE.sendBatch(messages.slice(i, i + 100));
}
