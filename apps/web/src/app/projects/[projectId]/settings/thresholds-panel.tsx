"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Card } from "@/components/ui/card.tsx";
import { Input } from "@/components/ui/field.tsx";
import { useRefetchAfterWrite, useTRPC } from "@/trpc/react.tsx";

type Key = "errorRate" | "cacheHitRate" | "replicaLagSeconds" | "shardSkew";
const rows: { key: Key; label: string; unit: string; percent: boolean; worse: string }[] = [
  { key: "errorRate", label: "Error rate", unit: "%", percent: true, worse: "above" },
  { key: "cacheHitRate", label: "Cache hit rate", unit: "%", percent: true, worse: "below" },
  { key: "replicaLagSeconds", label: "Replica lag", unit: "s", percent: false, worse: "above" },
  { key: "shardSkew", label: "Shard skew (max ÷ mean)", unit: "×", percent: false, worse: "above" },
];

/** The overview's warning and bad thresholds for this project (admins change them). */
export function ThresholdsPanel({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const refetch = useRefetchAfterWrite();
  const current = useQuery(trpc.projects.get.queryOptions({ projectId }));
  const thresholds = useQuery(trpc.projects.thresholds.queryOptions({ projectId }));
  const save = useMutation(
    trpc.projects.setThresholds.mutationOptions({
      onSuccess: () => refetch(trpc.projects.thresholds.queryKey({ projectId })),
    }),
  );
  const isAdmin = current.data?.role === "admin";

  function onSave(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (name: string, percent: boolean) => Number(form.get(name)) / (percent ? 100 : 1);
    save.mutate({
      projectId,
      thresholds: Object.fromEntries(
        rows.map((row) => [
          row.key,
          {
            warning: value(`${row.key}.warning`, row.percent),
            bad: value(`${row.key}.bad`, row.percent),
          },
        ]),
      ),
    });
  }

  return (
    <Card
      title="Thresholds"
      description="When the overview colours a signal amber (warning) or red (bad)."
    >
      {thresholds.data ? (
        <form onSubmit={onSave} className="space-y-3" aria-label="thresholds">
          <table className="text-sm">
            <thead>
              <tr className="text-left text-xs text-zinc-500">
                <th className="pr-4 font-normal">signal</th>
                <th className="pr-4 font-normal">warning</th>
                <th className="pr-4 font-normal">bad</th>
                <th className="font-normal" />
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => {
                const limits = thresholds.data[row.key];
                const shown = (n: number) => (row.percent ? Math.round(n * 1000) / 10 : n);
                return (
                  <tr key={`${row.key}-${limits.warning}-${limits.bad}`}>
                    <td className="py-1 pr-4">{row.label}</td>
                    {(["warning", "bad"] as const).map((level) => (
                      <td key={level} className="py-1 pr-4">
                        <Input
                          name={`${row.key}.${level}`}
                          aria-label={`${row.label} ${level}`}
                          type="number"
                          step="any"
                          required
                          disabled={!isAdmin}
                          defaultValue={shown(limits[level])}
                          className="w-24"
                        />
                      </td>
                    ))}
                    <td className="py-1 text-xs text-zinc-500">
                      {row.unit}, worse {row.worse}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {isAdmin ? (
            <Button type="submit" disabled={save.isPending}>
              Save thresholds
            </Button>
          ) : (
            <p className="text-xs text-zinc-500">Only admins change thresholds.</p>
          )}
          {save.error ? <Alert tone="error">{save.error.message}</Alert> : null}
          {save.isSuccess ? <Alert tone="success">Thresholds saved.</Alert> : null}
        </form>
      ) : null}
    </Card>
  );
}
