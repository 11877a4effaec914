import { DurableObject } from "cloudflare:workers";

/** Per-tenant Merkle log sequencer (placeholder; being built). */
export class AuditLog extends DurableObject<Env> {}
