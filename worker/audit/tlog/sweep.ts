export async function sweepCheckpoints(_env: Env): Promise<void> {}
