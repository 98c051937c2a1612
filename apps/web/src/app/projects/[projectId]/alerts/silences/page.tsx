import type { Metadata } from "next";
import { Suspense } from "react";
import { PageHeader } from "@/components/page-header.tsx";
import { projectPage } from "@/lib/project-page.ts";
import { SilencesView } from "./silences-view.tsx";

export const metadata: Metadata = { title: "Silences" };

export default async function SilencesPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId, viewer } = await projectPage(params);
  return (
    <div className="space-y-6">
      <PageHeader
        title="Silences"
        description="Mute notifications for matching alerts during maintenance or while a fix rolls out."
      />
      <Suspense>
        <SilencesView projectId={projectId} canEdit={viewer.can("editor")} />
      </Suspense>
    </div>
  );
}
