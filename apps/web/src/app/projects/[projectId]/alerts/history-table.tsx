import { DataTable } from "@/components/ui/table.tsx";
import { formatValue } from "@/domain/alerting/format.ts";
import { formatWhen } from "@/lib/format.ts";
import { LabelList, StateBadge } from "./state-badge.tsx";

type Event = {
  id: string;
  at: Date | string;
  ruleName: string;
  labels: Record<string, string>;
  fromState: string;
  toState: string;
  value: number | null;
  reason: string;
};

/** Alert state changes, newest first; `skip` leaves out labels every row shares. */
export function HistoryTable({
  events,
  skip,
  showRule,
}: {
  events: Event[];
  skip: string[];
  showRule: boolean;
}) {
  return (
    <DataTable columns={["When", ...(showRule ? ["Alert"] : []), "Labels", "Change", "Value"]}>
      {events.map((event) => (
        <tr key={event.id}>
          <td className="py-2 pr-4 whitespace-nowrap text-zinc-500">
            {formatWhen(new Date(event.at))}
          </td>
          {showRule ? <td className="py-2 pr-4 font-medium">{event.ruleName}</td> : null}
          <td className="py-2 pr-4">
            <LabelList labels={event.labels} skip={["alertname", ...skip]} />
          </td>
          <td className="py-2 pr-4 whitespace-nowrap">
            <StateBadge state={event.fromState} /> → <StateBadge state={event.toState} />
          </td>
          <td className="py-2 pr-4 tabular-nums text-zinc-600 dark:text-zinc-400">
            {event.reason || formatValue(event.value)}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
