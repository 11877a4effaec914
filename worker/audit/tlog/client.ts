/** Placeholder until the log sequencer lands. */
export async function requestCheckpoint(_env: Env, _tenantId: string): Promise<void> {}
