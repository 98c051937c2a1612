import { Field, Select } from "@/components/ui/field.tsx";
import { RANGES, type RangeKey } from "@/domain/overview/time-range.ts";

/** A service filter for GET forms: every service name once, plus "any". */
export function ServiceFilter({
  services,
  value,
  anyLabel = "any",
}: {
  services: { name: string }[];
  value: string | undefined;
  anyLabel?: string;
}) {
  return (
    <Field label="Service">
      <Select name="service" defaultValue={value ?? ""}>
        <option value="">{anyLabel}</option>
        {[...new Set(services.map((service) => service.name))].map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </Select>
    </Field>
  );
}

/** The time range for GET forms (`range=`). */
export function RangeFilter({ value }: { value: RangeKey }) {
  return (
    <Field label="Time range">
      <Select name="range" defaultValue={value}>
        {Object.keys(RANGES).map((key) => (
          <option key={key} value={key}>
            last {key}
          </option>
        ))}
      </Select>
    </Field>
  );
}
