export async function runRetention(_env: Env, _now: number): Promise<void> {}
