"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { type FormEvent, useState } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Card } from "@/components/ui/card.tsx";
import { Field, Input, Select } from "@/components/ui/field.tsx";
import { DataTable } from "@/components/ui/table.tsx";
import { formatWhen } from "@/lib/format.ts";
import { useRefetchAfterWrite, useTRPC } from "@/trpc/react.tsx";
import { StateBadge } from "../state-badge.tsx";

const DURATIONS = [
  ["1h", 3_600_000],
  ["2h", 7_200_000],
  ["4h", 14_400_000],
  ["1 day", 86_400_000],
  ["1 week", 604_800_000],
] as const;

/** Silences: matchers for a while, with who and why; expiring one ends it now. */
export function SilencesView({ projectId, canEdit }: { projectId: string; canEdit: boolean }) {
  const trpc = useTRPC();
  const refetch = useRefetchAfterWrite();
  const search = useSearchParams();
  const [duration, setDuration] = useState<number>(DURATIONS[1][1]);
  const silences = useQuery(trpc.alerting.silences.queryOptions({ projectId }));
  const invalidate = () => refetch(trpc.alerting.silences.queryKey({ projectId }));
  const create = useMutation(
    trpc.alerting.createSilence.mutationOptions({ onSuccess: invalidate }),
  );
  const expire = useMutation(
    trpc.alerting.expireSilence.mutationOptions({ onSuccess: invalidate }),
  );

  function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const target = event.currentTarget;
    const form = new FormData(target);
    create.mutate(
      {
        projectId,
        silence: {
          matchers: String(form.get("matchers")).split(/\s+/).filter(Boolean),
          endsAt: new Date(Date.now() + duration).toISOString(),
          comment: String(form.get("comment") ?? ""),
        },
      },
      { onSuccess: () => target.reset() },
    );
  }

  return (
    <div className="space-y-6">
      {canEdit ? (
        <Card
          title="New silence"
          description="Alerts matching every matcher are not notified while the silence lasts (they still show, marked silenced)."
        >
          <form
            onSubmit={onCreate}
            className="grid gap-3 sm:grid-cols-[2fr_8rem_2fr_auto] sm:items-end"
          >
            <Field label="Matchers" hint="name=value, name!=value, name=~regex, space-separated">
              <Input
                name="matchers"
                defaultValue={search.get("matchers") ?? ""}
                placeholder="alertname=CheckoutSlow service=checkout"
                required
              />
            </Field>
            <Field label="For">
              <Select
                value={String(duration)}
                onChange={(event) => setDuration(Number(event.target.value))}
              >
                {DURATIONS.map(([label, ms]) => (
                  <option key={label} value={ms}>
                    {label}
                  </option>
                ))}
              </Select>
            </Field>
            <Field label="Comment">
              <Input name="comment" placeholder="deploying a fix" />
            </Field>
            <Button type="submit" disabled={create.isPending}>
              Silence
            </Button>
          </form>
          {create.error ? (
            <div className="mt-2">
              <Alert tone="error">{create.error.message}</Alert>
            </div>
          ) : null}
        </Card>
      ) : null}
      <Card title="Silences">
        {silences.data?.length === 0 ? (
          <p className="text-sm text-zinc-500">No silences in the last week.</p>
        ) : (
          <DataTable columns={["State", "Matchers", "Until", "By", "Comment", ""]}>
            {silences.data?.map((silence) => (
              <tr key={silence.id}>
                <td className="py-2 pr-4">
                  <StateBadge state={silence.state} />
                </td>
                <td className="py-2 pr-4 font-mono text-xs">{silence.matchers.join(" ")}</td>
                <td className="py-2 pr-4 whitespace-nowrap text-zinc-500">
                  {formatWhen(new Date(silence.endsAt))}
                </td>
                <td className="py-2 pr-4 text-xs">{silence.createdBy}</td>
                <td className="py-2 pr-4 text-xs">{silence.comment}</td>
                <td className="py-2">
                  {canEdit && silence.state !== "expired" ? (
                    <Button
                      variant="ghost"
                      onClick={() => expire.mutate({ projectId, silenceId: silence.id })}
                    >
                      Expire
                    </Button>
                  ) : null}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </Card>
    </div>
  );
}
