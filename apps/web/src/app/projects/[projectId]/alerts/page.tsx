import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header.tsx";
import { projectPage } from "@/lib/project-page.ts";
import { AlertsNow } from "./alerts-now.tsx";

export const metadata: Metadata = { title: "Alerts" };

export default async function AlertsPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await projectPage(params);
  return (
    <div className="space-y-6">
      <PageHeader
        title="Alerts"
        description="Rules over metrics and the registry raise alerts; receivers get them as signed Alertmanager webhooks."
      />
      <AlertsNow projectId={projectId} />
    </div>
  );
}
