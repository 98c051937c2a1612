import { Card } from "@/components/ui/card.tsx";
import type { Grade } from "@/domain/overview/grades.ts";
import type { ProjectOverview } from "@/domain/overview/overview.ts";
import { formatBytes, formatPercent } from "@/lib/format.ts";
import { BalanceCard } from "./balance-card.tsx";
import { GradeDot, gradeText } from "./grade.tsx";

function Empty({ children }: { children: React.ReactNode }) {
  return <p className="text-sm text-zinc-500">{children}</p>;
}

const code = "rounded bg-zinc-100 px-1 font-mono text-xs dark:bg-zinc-800";

/** One graded signal: what it is, where it comes from, its figure and the counts behind it. */
function SignalRow(props: {
  label: string;
  grade: Grade;
  name: string;
  source: string;
  value: string;
  detail: string;
}) {
  return (
    <li aria-label={props.label} className="flex items-center justify-between gap-3 text-sm">
      <span className="flex items-center gap-2">
        <GradeDot grade={props.grade} />
        <span className="font-medium">{props.name}</span>
        <span className="text-xs text-zinc-500">{props.source}</span>
      </span>
      <span className="text-right">
        <span className={`font-semibold tabular-nums ${gradeText[props.grade]}`}>
          {props.value}
        </span>
        <span className="block whitespace-nowrap text-xs text-zinc-500 tabular-nums">
          {props.detail}
        </span>
      </span>
    </li>
  );
}

/**
 * Cache hit rate, replica lag, shard balance and load balance: what decides whether a scaled-out
 * app is healthy.
 */
export function ScalingPanel({ overview }: { overview: ProjectOverview }) {
  const { caches, replicas, shards, thresholds } = overview;
  return (
    <div className="grid gap-4 lg:grid-cols-2 2xl:grid-cols-4">
      <Card
        title="Cache hit rate"
        description={`Warning below ${formatPercent(thresholds.cacheHitRate.warning, 0)}, bad below ${formatPercent(thresholds.cacheHitRate.bad, 0)}.`}
      >
        {caches.length === 0 ? (
          <Empty>
            No cache metrics yet — <code className={code}>probeRedis(client)</code> or{" "}
            <code className={code}>vigil.cache("name")</code> in the agent.
          </Empty>
        ) : (
          <ul className="space-y-2">
            {caches.map((cache) => (
              <SignalRow
                key={cache.cache}
                label={`cache ${cache.cache}`}
                grade={cache.grade}
                name={cache.cache}
                source={cache.services.join(", ")}
                value={formatPercent(cache.hitRate)}
                detail={`${cache.hits.toLocaleString("en")} hits · ${cache.misses.toLocaleString("en")} misses`}
              />
            ))}
          </ul>
        )}
      </Card>
      <Card
        title="Replica lag"
        description={`Warning above ${thresholds.replicaLagSeconds.warning} s, bad above ${thresholds.replicaLagSeconds.bad} s.`}
      >
        {replicas.length === 0 ? (
          <Empty>
            No replica metrics yet — <code className={code}>probePostgresReplicas(…)</code> in the
            agent, or a Collector's postgresql receiver.
          </Empty>
        ) : (
          <ul className="space-y-2">
            {replicas.map((lag) => (
              <SignalRow
                key={`${lag.service}/${lag.replica}`}
                label={`replica ${lag.replica}`}
                grade={lag.grade}
                name={lag.replica || "replica"}
                source={lag.service}
                value={lag.seconds === null ? "—" : `${lag.seconds.toFixed(1)} s`}
                detail={`${formatBytes(lag.bytes)} behind`}
              />
            ))}
          </ul>
        )}
      </Card>
      <Card
        title="Shard balance"
        description={`Skew is the largest shard ÷ the mean; warning above ${thresholds.shardSkew.warning}, bad above ${thresholds.shardSkew.bad}.`}
      >
        {shards.length === 0 ? (
          <Empty>
            No shard metrics yet — <code className={code}>probeShards(…)</code> in the agent.
          </Empty>
        ) : (
          <ul className="space-y-4">
            {shards.map((store) => {
              const sizes = store.shards.map((shard) => shard.rows ?? shard.bytes ?? 0);
              const largest = Math.max(1, ...sizes);
              return (
                <li
                  key={store.store}
                  aria-label={`shards of ${store.store}`}
                  className="space-y-1.5"
                >
                  <div className="flex items-center justify-between gap-3 text-sm">
                    <span className="flex items-center gap-2">
                      <GradeDot grade={store.grade} />
                      <span className="font-medium">{store.store}</span>
                    </span>
                    <span className={`font-semibold tabular-nums ${gradeText[store.grade]}`}>
                      skew {store.skew === null ? "—" : store.skew.toFixed(2)}
                    </span>
                  </div>
                  {store.shards.map((shard, i) => (
                    <div key={shard.shard} className="flex items-center gap-2 text-xs">
                      <span className="w-16 truncate text-zinc-500">{shard.shard}</span>
                      <div className="h-2 flex-1 rounded bg-zinc-100 dark:bg-zinc-800">
                        <div
                          className={`h-2 rounded ${shard.shard === store.largest ? "bg-indigo-500" : "bg-indigo-300 dark:bg-indigo-700"}`}
                          style={{ width: `${((sizes[i] ?? 0) / largest) * 100}%` }}
                        />
                      </div>
                      <span className="w-20 text-right tabular-nums">
                        {shard.rows === null
                          ? formatBytes(shard.bytes)
                          : `${shard.rows.toLocaleString("en")} rows`}
                      </span>
                    </div>
                  ))}
                  {store.largest ? (
                    <p className="text-xs text-zinc-500">
                      Largest: <span className="font-medium">{store.largest}</span> · CV{" "}
                      {store.cv?.toFixed(2)}
                    </p>
                  ) : null}
                </li>
              );
            })}
          </ul>
        )}
      </Card>
      <BalanceCard overview={overview} />
    </div>
  );
}
