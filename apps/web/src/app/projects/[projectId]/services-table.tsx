import type { listServices } from "@/domain/telemetry/services.ts";
import { formatWhen } from "@/lib/format.ts";

type Services = Awaited<ReturnType<typeof listServices>>;

export function ServicesTable({ services }: { services: Services }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <thead className="text-xs uppercase tracking-wide text-zinc-500">
          <tr>
            <th className="py-2 pr-4 font-medium">Service</th>
            <th className="py-2 pr-4 font-medium">Environment</th>
            <th className="py-2 pr-4 font-medium">Instances</th>
            <th className="py-2 pr-4 font-medium">Versions</th>
            <th className="py-2 font-medium">Last seen</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
          {services.map((service) => {
            const versions = [
              ...new Set(service.instances.map((instance) => instance.version).filter(Boolean)),
            ];
            return (
              <tr key={`${service.name}/${service.environment}`}>
                <td className="py-2 pr-4 font-medium">{service.name}</td>
                <td className="py-2 pr-4">
                  {service.environment || <span className="text-zinc-400">—</span>}
                </td>
                <td className="py-2 pr-4 tabular-nums">{service.instances.length}</td>
                <td className="py-2 pr-4 font-mono text-xs">
                  {versions.join(", ") || <span className="text-zinc-400">—</span>}
                </td>
                <td className="py-2">{formatWhen(new Date(service.lastSeen))}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
