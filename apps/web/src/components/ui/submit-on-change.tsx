"use client";

import type { SelectHTMLAttributes } from "react";
import { Select } from "./field.tsx";

/** A select that submits its form as soon as it changes (a choice that reshapes the form). */
export function SubmitOnChangeSelect(props: SelectHTMLAttributes<HTMLSelectElement>) {
  return <Select {...props} onChange={(event) => event.currentTarget.form?.requestSubmit()} />;
}
