import { db } from "@vigil/db";

/** How long alert history and finished notifications (with their attempts) are kept. */
export const ALERT_HISTORY_DAYS = 90;
export const NOTIFICATION_LOG_DAYS = 30;

/** Deletes alert history and finished notifications past their keeping time. */
export async function forgetOldAlerting(nowMs = Date.now()): Promise<number> {
  const day = 86_400_000;
  const events = await db().prisma.alertEvent.deleteMany({
    where: { at: { lt: new Date(nowMs - ALERT_HISTORY_DAYS * day) } },
  });
  const notifications = await db().prisma.alertNotification.deleteMany({
    where: {
      status: { not: "pending" },
      createdAt: { lt: new Date(nowMs - NOTIFICATION_LOG_DAYS * day) },
    },
  });
  return events.count + notifications.count;
}
