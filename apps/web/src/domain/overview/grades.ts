/** How a signal reads against its thresholds. */
export type Grade = "good" | "warning" | "bad" | "unknown";

/** Thresholds for the scaling panel (project-specific thresholds are a later step). */
export const THRESHOLDS = {
  /** Cache hit rate below these is a warning / bad. */
  cacheHitRate: { warning: 0.8, bad: 0.5 },
  /** Replica lag in seconds above these. */
  replicaLagSeconds: { warning: 5, bad: 30 },
  /** Shard skew (max ÷ mean) above these. */
  shardSkew: { warning: 1.5, bad: 3 },
  /** Error rate above these. */
  errorRate: { warning: 0.01, bad: 0.05 },
} as const;

export function gradeAbove(value: number | null, limits: { warning: number; bad: number }): Grade {
  if (value === null) return "unknown";
  return value > limits.bad ? "bad" : value > limits.warning ? "warning" : "good";
}

export function gradeBelow(value: number | null, limits: { warning: number; bad: number }): Grade {
  if (value === null) return "unknown";
  return value < limits.bad ? "bad" : value < limits.warning ? "warning" : "good";
}
