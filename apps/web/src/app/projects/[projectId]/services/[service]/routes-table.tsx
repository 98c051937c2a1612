import { DataTable } from "@/components/ui/table.tsx";
import type { ServiceDetail } from "@/domain/services/service-detail.ts";
import { formatMs, formatPercent, formatRate } from "@/lib/format.ts";

/** RED per route over the window. */
export function RoutesTable({ routes }: { routes: ServiceDetail["routes"] }) {
  if (routes.length === 0) {
    return (
      <p className="text-sm text-zinc-500">
        No routes in this range: requests need an http.route attribute (the agent and the
        Express/Fastify instrumentations set it) or server spans.
      </p>
    );
  }
  return (
    <DataTable columns={["Route", "Throughput", "Requests", "Errors", "p50", "p95", "p99"]}>
      {routes.map((route) => (
        <tr key={route.route} aria-label={`route ${route.route}`}>
          <td className="py-2 pr-4 font-mono text-xs">{route.route}</td>
          <td className="py-2 pr-4 tabular-nums">{formatRate(route.rate)}</td>
          <td className="py-2 pr-4 tabular-nums">{route.requests.toLocaleString("en")}</td>
          <td
            className={`py-2 pr-4 tabular-nums ${route.errors > 0 ? "font-medium text-red-700 dark:text-red-400" : ""}`}
          >
            {formatPercent(route.errorRate)}{" "}
            <span className="text-xs text-zinc-500">({route.errors.toLocaleString("en")})</span>
          </td>
          <td className="py-2 pr-4 tabular-nums">{formatMs(route.p50)}</td>
          <td className="py-2 pr-4 tabular-nums">{formatMs(route.p95)}</td>
          <td className="py-2 pr-4 tabular-nums">{formatMs(route.p99)}</td>
        </tr>
      ))}
    </DataTable>
  );
}
