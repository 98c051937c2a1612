/**
 * What the test helpers read: a server to create test databases on, else an embedded one; and
 * VIGIL_TEST_SHARDS, the number of shards each test database spreads its telemetry over (0).
 */
export function testEnv(): { DATABASE_URL?: string; VIGIL_TEST_SHARDS: number } {
  const url = process.env.DATABASE_URL?.trim();
  if (url && !/^postgres(ql)?:\/\//.test(url))
    throw new Error("DATABASE_URL must be a postgresql:// URL");
  const shards = Number(process.env.VIGIL_TEST_SHARDS ?? 0);
  if (!Number.isInteger(shards) || shards < 0 || shards > 8)
    throw new Error("VIGIL_TEST_SHARDS must be a whole number from 0 to 8");
  return { DATABASE_URL: url || undefined, VIGIL_TEST_SHARDS: shards };
}
