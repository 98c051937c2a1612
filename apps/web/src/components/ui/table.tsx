import type { ReactNode } from "react";

/**
 * A scrollable table with the app's header style; `columns` are the header labels (an empty
 * label for an actions column), `children` the body rows.
 */
export function DataTable({
  columns,
  bodyClassName = "",
  children,
}: {
  columns: string[];
  bodyClassName?: string;
  children: ReactNode;
}) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <thead className="text-xs uppercase tracking-wide text-zinc-500">
          <tr>
            {columns.map((label, i) => (
              <th key={label || `column-${i}`} className="py-2 pr-4 font-medium">
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className={`divide-y divide-zinc-200 dark:divide-zinc-800 ${bodyClassName}`}>
          {children}
        </tbody>
      </table>
    </div>
  );
}
