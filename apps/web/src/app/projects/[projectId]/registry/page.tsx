import type { Metadata } from "next";
import { projectPage } from "@/lib/project-page.ts";
import { RegistryView } from "./registry-view.tsx";

export const metadata: Metadata = { title: "Registry" };

export default async function RegistryPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await projectPage(params);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-xl font-semibold">Registry</h1>
        <p className="text-sm text-zinc-500">
          Service instances registered through the Consul-compatible API, their health checks and
          every change of state. Updates live.
        </p>
      </div>
      <RegistryView projectId={projectId} />
    </div>
  );
}
