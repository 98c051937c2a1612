import { Card } from "@/components/ui/card.tsx";
import type { ProjectOverview } from "@/domain/overview/overview.ts";
import { formatPercent } from "@/lib/format.ts";
import { GradeDot, gradeText } from "./grade.tsx";

const code = "rounded bg-zinc-100 px-1 font-mono text-xs dark:bg-zinc-800";

/** How each service's requests spread over its instances: what its load balancer achieved. */
export function BalanceCard({ overview }: { overview: ProjectOverview }) {
  const { balances, thresholds } = overview;
  return (
    <Card
      title="Load balance"
      description={`Requests per instance; skew is the busiest ÷ the mean, warning above ${thresholds.shardSkew.warning}, bad above ${thresholds.shardSkew.bad}.`}
    >
      {balances.length === 0 ? (
        <p className="text-sm text-zinc-500">
          No service with several instances yet — each instance's{" "}
          <code className={code}>http.server.request.duration</code> (the agent sends it).
        </p>
      ) : (
        <ul className="space-y-4">
          {balances.map((balance) => {
            const busiest = Math.max(1, ...balance.instances.map((i) => i.requests));
            return (
              <li
                key={`${balance.service}/${balance.environment}`}
                aria-label={`instances of ${balance.service}`}
                className="space-y-1.5"
              >
                <div className="flex items-center justify-between gap-3 text-sm">
                  <span className="flex items-center gap-2">
                    <GradeDot grade={balance.grade} />
                    <span className="font-medium">{balance.service}</span>
                    <span className="text-xs text-zinc-500">
                      {balance.instances.length} instances
                    </span>
                  </span>
                  <span className={`font-semibold tabular-nums ${gradeText[balance.grade]}`}>
                    skew {balance.skew === null ? "—" : balance.skew.toFixed(2)}
                  </span>
                </div>
                {balance.instances.map((instance) => (
                  <div key={instance.instance} className="flex items-center gap-2 text-xs">
                    <span className="w-28 truncate text-zinc-500" title={instance.instance}>
                      {instance.instance}
                    </span>
                    <div className="h-2 flex-1 rounded bg-zinc-100 dark:bg-zinc-800">
                      <div
                        className={`h-2 rounded ${instance.instance === balance.busiest ? "bg-indigo-500" : "bg-indigo-300 dark:bg-indigo-700"}`}
                        style={{ width: `${(instance.requests / busiest) * 100}%` }}
                      />
                    </div>
                    <span className="w-32 text-right tabular-nums">
                      {instance.requests.toLocaleString("en")} req ·{" "}
                      {formatPercent(instance.requests ? instance.errors / instance.requests : 0)}{" "}
                      err
                    </span>
                  </div>
                ))}
              </li>
            );
          })}
        </ul>
      )}
    </Card>
  );
}
