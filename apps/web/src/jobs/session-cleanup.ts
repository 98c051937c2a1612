import { db } from "@vigil/db";
import type { Job } from "./scheduler.ts";

/** Deletes expired sign-in sessions and verification tokens. */
export const sessionCleanup: Job = {
  name: "session-cleanup",
  everyMs: 60 * 60 * 1000,
  async run() {
    const now = new Date();
    await db().prisma.session.deleteMany({ where: { expiresAt: { lt: now } } });
    await db().prisma.verification.deleteMany({ where: { expiresAt: { lt: now } } });
  },
};
