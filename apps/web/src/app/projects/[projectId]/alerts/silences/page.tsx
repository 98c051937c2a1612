import type { Metadata } from "next";
import { Suspense } from "react";
import { PageHeader } from "@/components/page-header.tsx";
import { canEditProject } from "@/lib/page-role.ts";
import { SilencesView } from "./silences-view.tsx";

export const metadata: Metadata = { title: "Silences" };

export default async function SilencesPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  return (
    <div className="space-y-6">
      <PageHeader
        title="Silences"
        description="Mute notifications for matching alerts during maintenance or while a fix rolls out."
      />
      <Suspense>
        <SilencesView projectId={projectId} canEdit={await canEditProject(projectId)} />
      </Suspense>
    </div>
  );
}
