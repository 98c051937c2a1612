"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Card } from "@/components/ui/card.tsx";
import type { FleetStatus } from "@/demo/fleet-client.ts";
import { useTRPC } from "@/trpc/react.tsx";
import { BalancingCard } from "./balancing-card.tsx";
import { type Switch, switches } from "./incidents.ts";
import { ReceivedAlertsCard } from "./received-alerts-card.tsx";

/** The incident switches, the gateway's balancing and the alerts the demo receiver got. */
export function DemoPanel({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const status = useQuery({
    ...trpc.demo.status.queryOptions({ projectId }),
    refetchInterval: 2000,
    staleTime: 0,
  });
  const set = useMutation(trpc.demo.set.mutationOptions({ onSuccess: () => status.refetch() }));
  const fleet = status.data;
  if (status.error)
    return <Alert tone="error">The demo fleet did not answer: {status.error.message}</Alert>;
  if (!fleet) return <p className="text-sm text-zinc-500">Asking the demo fleet…</p>;

  const flip = (name: Switch["name"], on: boolean) => set.mutate({ projectId, name, on });
  return (
    <div className="space-y-6">
      {set.error ? <Alert tone="error">{set.error.message}</Alert> : null}
      <div className="grid gap-4 md:grid-cols-2">
        {switches.map((item) => (
          <SwitchCard
            key={item.name}
            item={item}
            fleet={fleet}
            base={`/projects/${projectId}`}
            busy={set.isPending}
            onFlip={(on) => flip(item.name, on)}
          />
        ))}
      </div>
      <BalancingCard
        fleet={fleet}
        busy={set.isPending}
        onStrategy={(value) => set.mutate({ projectId, name: "strategy", value })}
      />
      <ReceivedAlertsCard
        alerts={fleet.alertsReceived}
        receiversHref={`/projects/${projectId}/alerts/receivers`}
      />
    </div>
  );
}

function SwitchCard({
  item,
  fleet,
  base,
  busy,
  onFlip,
}: {
  item: Switch;
  fleet: FleetStatus;
  base: string;
  busy: boolean;
  onFlip: (on: boolean) => void;
}) {
  const on = item.isOn ? item.isOn(fleet.incidents) : false;
  const state = item.isOn
    ? on
      ? "on"
      : "off"
    : fleet.incidents.lastFlushAt
      ? `flushed ${new Date(fleet.incidents.lastFlushAt).toLocaleTimeString("en-GB")}`
      : "never flushed";
  return (
    <Card
      title={item.title}
      description={item.breaks}
      actions={
        <span
          data-testid={`state-${item.name}`}
          className={`rounded px-1.5 py-0.5 text-xs font-medium ${on ? "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300" : "bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300"}`}
        >
          {state}
        </span>
      }
    >
      <p className="text-sm text-zinc-600 dark:text-zinc-400">{item.shows}</p>
      <div className="mt-3 flex items-center justify-between gap-3">
        <Button variant={on ? "secondary" : "danger"} disabled={busy} onClick={() => onFlip(!on)}>
          {on ? item.offLabel : item.onLabel}
        </Button>
        <Link
          href={`${base}${item.look.path}`}
          className="text-sm text-indigo-600 hover:underline dark:text-indigo-400"
        >
          {item.look.label} →
        </Link>
      </div>
    </Card>
  );
}
