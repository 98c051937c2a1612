import { Field, Select } from "@/components/ui/field.tsx";

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
