import { deliverDue } from "../domain/alerting/delivery.ts";
import { evaluateDueRules } from "../domain/alerting/evaluate.ts";
import { notifyAll } from "../domain/alerting/notify.ts";
import type { Job } from "./scheduler.ts";

// Three separate jobs, so a rule's evaluation never waits on a slow receiver and a slow rule
// never holds up deliveries.

/** Every second: rules whose interval has passed are evaluated. */
export const alertEvaluation: Job = {
  name: "alert-evaluation",
  everyMs: 1000,
  async run() {
    await evaluateDueRules();
  },
};

/** Every second: groups due after group_wait, group_interval or repeat_interval are notified. */
export const alertNotification: Job = {
  name: "alert-notification",
  everyMs: 1000,
  async run() {
    await notifyAll();
  },
};

/** Four times a second: due notifications are sent, retried or given up. */
export const alertDelivery: Job = {
  name: "alert-delivery",
  everyMs: 250,
  async run() {
    // Drain what is due, batch by batch.
    while ((await deliverDue()) > 0);
  },
};
