import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header.tsx";
import { projectPage } from "@/lib/project-page.ts";
import { RuleEditor } from "../rule-editor.tsx";

export const metadata: Metadata = { title: "New alert rule" };

export default async function NewRulePage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId, viewer } = await projectPage(params);
  return (
    <div className="space-y-6">
      <PageHeader
        title="New alert rule"
        description="Preview it against the last hours of data before you save it."
      />
      <RuleEditor projectId={projectId} canEdit={viewer.can("editor")} />
    </div>
  );
}
