import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header.tsx";
import { projectPage } from "@/lib/project-page.ts";
import { ReceiversView } from "./receivers-view.tsx";
import { RoutingCard } from "./routing-card.tsx";

export const metadata: Metadata = { title: "Alert receivers" };

export default async function ReceiversPage({
  params,
}: {
  params: Promise<{ projectId: string }>;
}) {
  const { projectId, viewer } = await projectPage(params);
  const isAdmin = viewer.can("admin");
  return (
    <div className="space-y-6">
      <PageHeader
        title="Receivers"
        description="Where notifications go. Failed deliveries are retried with backoff (429, 5xx, network errors); a 410 disables the receiver; every attempt is logged here."
      />
      <ReceiversView projectId={projectId} isAdmin={isAdmin} />
      <RoutingCard projectId={projectId} isAdmin={isAdmin} />
    </div>
  );
}
