import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../auth/middleware";
import { NotFoundError } from "../../lib/errors";
import { createRouter, errors, json, security } from "../../lib/openapi";
import { consistencyProof, inclusionProof, latestCheckpoint, publicKey } from "../tlog/client";
import {
  Checkpoint,
  ConsistencyProof,
  ConsistencyQuery,
  InclusionProof,
  InclusionQuery,
  PublicKey,
} from "./schemas";

// The tenant always comes from the credentials, so another tenant's log is unreachable.
const readers = {
  security: security.either,
  middleware: [requireAuth({ scope: "read", roles: ["owner", "admin"] })],
};
const tags = ["audit"];

const checkpoint = createRoute({
  ...readers,
  method: "get",
  path: "/audit/checkpoint",
  tags,
  summary: "The latest signed checkpoint of the tenant's audit log",
  description:
    "Keep the `note`: a later checkpoint must be consistent with it (GET /audit/proofs/consistency).",
  responses: { 200: json(Checkpoint, "The checkpoint"), ...errors(401, 403, 404) },
});

const inclusion = createRoute({
  ...readers,
  method: "get",
  path: "/audit/proofs/inclusion",
  tags,
  summary: "Proof that the event with this seq is in the checkpointed tree",
  request: { query: InclusionQuery },
  responses: { 200: json(InclusionProof, "The inclusion proof"), ...errors(400, 401, 403, 404) },
});

const consistency = createRoute({
  ...readers,
  method: "get",
  path: "/audit/proofs/consistency",
  tags,
  summary: "Proof that the tree of size `to` extends the tree of size `from` (nothing rewritten)",
  request: { query: ConsistencyQuery },
  responses: { 200: json(ConsistencyProof, "The consistency proof"), ...errors(400, 401, 403, 404) },
});

const key = createRoute({
  ...readers,
  method: "get",
  path: "/audit/public-key",
  tags,
  summary: "The Ed25519 key that signs the tenant's checkpoints",
  responses: { 200: json(PublicKey, "The public key"), ...errors(401, 403) },
});

export const auditProofRoutes = createRouter()
  .openapi(checkpoint, async (c) => {
    const latest = await latestCheckpoint(c.env, c.var.principal.tenant.id);
    if (!latest) throw new NotFoundError("Checkpoint", "No checkpoint yet: the audit log is empty");
    return c.json(latest, 200);
  })
  .openapi(inclusion, async (c) => {
    const q = c.req.valid("query");
    return c.json(await inclusionProof(c.env, c.var.principal.tenant.id, q.seq, q.tree_size), 200);
  })
  .openapi(consistency, async (c) => {
    const q = c.req.valid("query");
    return c.json(await consistencyProof(c.env, c.var.principal.tenant.id, q.from, q.to), 200);
  })
  .openapi(key, async (c) => c.json(await publicKey(c.env, c.var.principal.tenant.id), 200));
