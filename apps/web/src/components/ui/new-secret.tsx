"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button.tsx";

/** A secret shown once, with a copy button; it is gone once dismissed. */
export function NewSecret({
  label,
  secret,
  onDismiss,
}: {
  label: string;
  secret: string;
  onDismiss: () => void;
}) {
  const [copied, setCopied] = useState(false);
  return (
    <div
      role="status"
      className="space-y-2 rounded-md border border-emerald-200 bg-emerald-50 p-3 text-sm dark:border-emerald-900 dark:bg-emerald-950/40"
    >
      <p className="font-medium text-emerald-900 dark:text-emerald-200">
        {label}. Copy it now: it will not be shown again.
      </p>
      <div className="flex items-center gap-2">
        <code
          data-testid="new-secret"
          className="flex-1 select-all overflow-x-auto rounded bg-white px-2 py-1 font-mono text-xs text-zinc-900 dark:bg-zinc-900 dark:text-zinc-100"
        >
          {secret}
        </code>
        <Button
          variant="secondary"
          onClick={async () => {
            await navigator.clipboard?.writeText(secret);
            setCopied(true);
          }}
        >
          {copied ? "Copied" : "Copy"}
        </Button>
        <Button variant="ghost" onClick={onDismiss}>
          Done
        </Button>
      </div>
    </div>
  );
}
