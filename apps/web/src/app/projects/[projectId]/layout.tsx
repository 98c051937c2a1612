import type { ReactNode } from "react";
import { AppHeader } from "@/components/app-header.tsx";
import { listProjectsForUser } from "@/domain/tenancy/projects.ts";
import { projectPage } from "@/lib/project-page.ts";
import { demoFleet } from "@/server/runtime.ts";

export const dynamic = "force-dynamic";

export default async function ProjectLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ projectId: string }>;
}) {
  // The same check every page makes: here it decides the status (307 or 404) before streaming.
  const { projectId, viewer } = await projectPage(params);
  const projects = await listProjectsForUser(viewer.user.id);
  const current = projects.find((project) => project.id === projectId);
  if (!current) throw new Error("a member's project is missing from their project list");
  return (
    <div className="min-h-screen">
      <AppHeader
        user={viewer.user}
        projects={projects}
        current={current}
        demo={demoFleet()?.projectId === current.id}
      />
      <main className="mx-auto max-w-6xl px-6 py-8">{children}</main>
    </div>
  );
}
