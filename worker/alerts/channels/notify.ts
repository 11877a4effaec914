/**
 * Placeholder until the channels feature lands (it replaces this file): takes the notices and
 * delivers nothing.
 */
import type { TenantContext } from "../../db/client";
import type { AlertNotice } from "../schemas";

export async function notifyChannels(_tenant: TenantContext, _notices: AlertNotice[]): Promise<void> {}
