export async function kickSiem(_env: Env, _tenantId: string): Promise<void> {}
