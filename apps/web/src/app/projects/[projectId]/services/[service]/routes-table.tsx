import { SparkCell } from "@/components/charts/sparkline.tsx";
import { DataTable } from "@/components/ui/table.tsx";
import type { ServiceDetail } from "@/domain/services/service-detail.ts";
import { formatMs, formatPercent, formatRate } from "@/lib/format.ts";

/** RED per route over the window. */
export function RoutesTable({ routes }: { routes: ServiceDetail["routes"] }) {
  if (routes.length === 0) {
    return (
      <p className="text-sm text-zinc-500">
        No routes in this range: requests need an http.route attribute (the agent and the
        Express/Fastify instrumentations set it) or server and consumer spans.
      </p>
    );
  }
  return (
    <DataTable columns={["Route", "Throughput", "Errors", "Latency p50 / p95 / p99"]}>
      {routes.map((route) => (
        <tr key={route.route} aria-label={`route ${route.route}`}>
          <td className="py-2 pr-4 font-mono text-xs">{route.route}</td>
          <SparkCell
            value={formatRate(route.rate)}
            detail={`${route.requests.toLocaleString("en")} req`}
            spark={route.spark}
            field="rate"
            color="#6366f1"
            label={`${route.route} throughput over time`}
          />
          <SparkCell
            value={formatPercent(route.errorRate)}
            detail={`${route.errors.toLocaleString("en")} failed`}
            valueClass={route.errors > 0 ? "font-medium text-red-700 dark:text-red-400" : ""}
            spark={route.spark}
            field="errorRate"
            color="#ef4444"
            label={`${route.route} error rate over time`}
          />
          <SparkCell
            value={`${formatMs(route.p50)} / ${formatMs(route.p95)} / ${formatMs(route.p99)}`}
            spark={route.spark}
            field="p95"
            color="#0ea5e9"
            label={`${route.route} p95 latency over time`}
          />
        </tr>
      ))}
    </DataTable>
  );
}
