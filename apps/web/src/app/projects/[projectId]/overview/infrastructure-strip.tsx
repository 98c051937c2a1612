import { Card } from "@/components/ui/card.tsx";
import type { ServiceInfra } from "@/domain/overview/infrastructure.ts";
import { formatBytes, formatMs, formatPercent } from "@/lib/format.ts";

const code = "rounded bg-zinc-100 px-1 font-mono text-xs dark:bg-zinc-800";

/** CPU, memory, network and event-loop delay per service. */
export function InfrastructureStrip({ rows }: { rows: ServiceInfra[] }) {
  return (
    <Card
      title="Infrastructure"
      description="Means over the range per service: CPU share, resident memory per instance, network on its hosts, worst event-loop delay."
    >
      {rows.length === 0 ? (
        <p className="text-sm text-zinc-500">
          No runtime metrics yet — the agent sends them (<code className={code}>process.*</code>,{" "}
          <code className={code}>system.*</code>, <code className={code}>nodejs.eventloop.*</code>
          ).
        </p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="text-xs uppercase tracking-wide text-zinc-500">
              <tr>
                <th className="py-2 pr-4 font-medium">Service</th>
                <th className="py-2 pr-4 font-medium">Instances</th>
                <th className="py-2 pr-4 font-medium">CPU</th>
                <th className="py-2 pr-4 font-medium">Memory</th>
                <th className="py-2 pr-4 font-medium">Network</th>
                <th className="py-2 font-medium">Event loop p99</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-200 tabular-nums dark:divide-zinc-800">
              {rows.map((row) => (
                <tr key={row.service} aria-label={`infrastructure of ${row.service}`}>
                  <td className="py-2 pr-4 font-medium">{row.service}</td>
                  <td className="py-2 pr-4">{row.instances}</td>
                  <td className="py-2 pr-4">{formatPercent(row.cpu)}</td>
                  <td className="py-2 pr-4">{formatBytes(row.memory)}</td>
                  <td className="py-2 pr-4">
                    {row.network === null ? "—" : `${formatBytes(row.network)}/s`}
                  </td>
                  <td className="py-2">{formatMs(row.eventLoopP99)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
