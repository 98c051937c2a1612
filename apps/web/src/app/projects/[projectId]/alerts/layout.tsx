import type { ReactNode } from "react";
import { AlertsTabs } from "./alerts-tabs.tsx";

export default async function AlertsLayout({
  params,
  children,
}: {
  params: Promise<{ projectId: string }>;
  children: ReactNode;
}) {
  const { projectId } = await params;
  return (
    <div className="space-y-6">
      <AlertsTabs projectId={projectId} />
      {children}
    </div>
  );
}
