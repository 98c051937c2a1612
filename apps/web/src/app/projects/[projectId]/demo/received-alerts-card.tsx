import Link from "next/link";
import { Card } from "@/components/ui/card.tsx";
import { DataTable } from "@/components/ui/table.tsx";
import type { FleetStatus } from "@/demo/fleet-client.ts";
import { formatWhen } from "@/lib/format.ts";

/** The notifications Vigil delivered to the demo's webhook receiver (signatures checked). */
export function ReceivedAlertsCard({
  alerts,
  receiversHref,
}: {
  alerts: FleetStatus["alertsReceived"];
  receiversHref: string;
}) {
  return (
    <Card
      title="Alerts the demo receiver got"
      description="Vigil's signed webhooks, as the fleet's receiver verified them. Every delivery attempt is also in Alerts → Receivers."
      actions={
        <Link
          href={receiversHref}
          className="text-sm text-indigo-600 hover:underline dark:text-indigo-400"
        >
          Delivery log →
        </Link>
      }
    >
      {alerts.length === 0 ? (
        <p className="text-sm text-zinc-500">Nothing yet: flip a switch and wait for its rule.</p>
      ) : (
        <DataTable columns={["Received", "Status", "Alerts"]}>
          {alerts.slice(0, 10).map((delivery) => (
            <tr key={delivery.webhookId}>
              <td className="py-1.5 pr-4 whitespace-nowrap">
                {formatWhen(new Date(delivery.receivedAt))}
              </td>
              <td className="py-1.5 pr-4">{delivery.status}</td>
              <td className="py-1.5 pr-4">
                {delivery.alerts.map((alert) => (
                  <div key={`${alert.name}-${alert.summary}`}>
                    <span className="font-medium">{alert.name}</span>{" "}
                    <span className="text-zinc-500">
                      {alert.status} · {alert.summary}
                    </span>
                  </div>
                ))}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </Card>
  );
}
