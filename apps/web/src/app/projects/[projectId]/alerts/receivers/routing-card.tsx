"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Card } from "@/components/ui/card.tsx";
import { useRefetchAfterWrite, useTRPC } from "@/trpc/react.tsx";

/** The routing tree and inhibit rules as JSON, as Alertmanager's route block (camelCase keys). */
export function RoutingCard({ projectId, isAdmin }: { projectId: string; isAdmin: boolean }) {
  const trpc = useTRPC();
  const refetch = useRefetchAfterWrite();
  const routing = useQuery(trpc.alerting.routing.queryOptions({ projectId }));
  const [text, setText] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    if (routing.data)
      setText(
        JSON.stringify(
          { route: routing.data.route, inhibitRules: routing.data.inhibitRules },
          null,
          2,
        ),
      );
  }, [routing.data]);
  const save = useMutation(
    trpc.alerting.setRouting.mutationOptions({
      onSuccess: () => refetch(trpc.alerting.routing.queryKey({ projectId })),
    }),
  );
  const custom = routing.data?.custom;
  return (
    <Card
      title="Routing and inhibition"
      description={`Which receiver gets which alerts, grouped how (group_wait 30s, group_interval 5m, repeat_interval 4h unless set). ${
        custom?.route
          ? "This project's own tree."
          : "The default: every receiver gets every alert, grouped by alertname."
      } ${custom?.inhibitRules ? "" : "Default inhibition: a critical alert mutes warning and info alerts of its service."} Alerts on a service that calls a service critical in the registry are inhibited too.`}
    >
      <textarea
        aria-label="Routing JSON"
        value={text}
        onChange={(event) => setText(event.target.value)}
        readOnly={!isAdmin}
        rows={12}
        className="w-full rounded-md border border-zinc-300 px-3 py-2 font-mono text-xs dark:border-zinc-700 dark:bg-zinc-900"
      />
      {isAdmin ? (
        <div className="mt-2 flex gap-2">
          <Button
            onClick={() => {
              setProblem(null);
              try {
                save.mutate({ projectId, routing: JSON.parse(text) });
              } catch (error) {
                setProblem(`Not JSON: ${(error as Error).message}`);
              }
            }}
          >
            Save routing
          </Button>
          <Button
            variant="ghost"
            onClick={() => save.mutate({ projectId, routing: { route: null, inhibitRules: null } })}
          >
            Restore defaults
          </Button>
        </div>
      ) : null}
      {(problem ?? save.error) ? (
        <div className="mt-2">
          <Alert tone="error">{problem ?? save.error?.message}</Alert>
        </div>
      ) : null}
      {save.isSuccess ? <p className="mt-2 text-sm text-emerald-700">Saved.</p> : null}
    </Card>
  );
}
