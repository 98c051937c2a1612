/** What the test helpers read: a server to create test databases on, else an embedded one. */
export function testEnv(): { DATABASE_URL?: string } {
  const url = process.env.DATABASE_URL?.trim();
  if (url && !/^postgres(ql)?:\/\//.test(url))
    throw new Error("DATABASE_URL must be a postgresql:// URL");
  return { DATABASE_URL: url || undefined };
}
