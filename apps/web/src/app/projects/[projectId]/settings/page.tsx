import type { Metadata } from "next";
import { projectPage } from "@/lib/project-page.ts";
import { ApiKeysPanel } from "./api-keys-panel.tsx";
import { IngestLimitsPanel } from "./ingest-limits-panel.tsx";
import { MembersPanel } from "./members-panel.tsx";
import { ProjectsPanel } from "./projects-panel.tsx";
import { ThresholdsPanel } from "./thresholds-panel.tsx";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await projectPage(params);
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-xl font-semibold">Settings</h1>
        <p className="text-sm text-zinc-500">
          Keys for services and scripts, the people who can see this project, the overview's
          thresholds, and the organisation's projects.
        </p>
      </div>
      <ApiKeysPanel projectId={projectId} />
      <MembersPanel projectId={projectId} />
      <ThresholdsPanel projectId={projectId} />
      <IngestLimitsPanel projectId={projectId} />
      <ProjectsPanel projectId={projectId} />
    </div>
  );
}
