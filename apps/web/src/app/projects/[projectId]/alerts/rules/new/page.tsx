import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header.tsx";
import { canEditProject } from "@/lib/page-role.ts";
import { RuleEditor } from "../rule-editor.tsx";

export const metadata: Metadata = { title: "New alert rule" };

export default async function NewRulePage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  return (
    <div className="space-y-6">
      <PageHeader
        title="New alert rule"
        description="Preview it against the last hours of data before you save it."
      />
      <RuleEditor projectId={projectId} canEdit={await canEditProject(projectId)} />
    </div>
  );
}
