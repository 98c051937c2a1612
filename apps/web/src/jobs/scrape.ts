import { logger } from "../lib/logger.ts";
import { Scraper } from "../scrape/scraper.ts";
import { type ScrapeTarget, scrapeTargets } from "../scrape/targets.ts";
import type { Job } from "./scheduler.ts";

const TARGETS_TTL_MS = 5_000;
let targets: { at: number; list: ScrapeTarget[] } = { at: 0, list: [] };

/** The scraper the leader runs (its per-target state lives as long as the process). */
export const scraper = new Scraper(() => logger());

/**
 * Four times a second: scrapes that are due start, each on its own with its own deadline, so a
 * slow target never delays another. The target list (file and registry) is read every 5 s.
 */
export const scrapes: Job = {
  name: "scrapes",
  everyMs: 250,
  async run(signal) {
    const now = Date.now();
    if (now - targets.at > TARGETS_TTL_MS) targets = { at: now, list: await scrapeTargets() };
    scraper.startDue(targets.list, now, signal);
  },
};
