export async function sweepSiem(_env: Env): Promise<void> {}
