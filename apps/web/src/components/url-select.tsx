"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";

/** A select that keeps its value in one URL search parameter (empty removes it). */
export function UrlSelect({
  label,
  param,
  value,
  options,
}: {
  label: string;
  param: string;
  value: string;
  options: { value: string; label: string }[];
}) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  return (
    <label className="flex items-center gap-2 text-sm">
      <span className="text-zinc-500">{label}</span>
      <select
        value={value}
        onChange={(event) => {
          const next = new URLSearchParams(params.toString());
          if (event.target.value) next.set(param, event.target.value);
          else next.delete(param);
          router.push(`${pathname}?${next.toString()}`);
        }}
        className="rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900"
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}
