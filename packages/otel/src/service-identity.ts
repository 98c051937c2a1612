import { attributesProblem, limits } from "./limits.ts";
import type { Attributes, AttributeValue } from "./model.ts";

export type ServiceIdentity = {
  name: string;
  environment: string;
  instance: string;
  version: string;
  host: string;
  attributes: Attributes;
};

const str = (value: AttributeValue | undefined): string =>
  value === undefined || value === null
    ? ""
    : typeof value === "string"
      ? value
      : JSON.stringify(value);

/**
 * Which service and instance a resource describes, by the semantic conventions: service.name
 * (OpenTelemetry's own fallback is "unknown_service"), deployment.environment.name (or the older
 * deployment.environment), service.instance.id else host.name, service.version, host.name.
 */
export function serviceIdentity(attributes: Attributes): ServiceIdentity {
  const host = str(attributes["host.name"]);
  return {
    name: str(attributes["service.name"]) || "unknown_service",
    environment: str(
      attributes["deployment.environment.name"] ?? attributes["deployment.environment"],
    ),
    instance: str(attributes["service.instance.id"]) || host,
    version: str(attributes["service.version"]),
    host,
    attributes,
  };
}

/** Why a resource's identity cannot be stored (a name past the bound), or null. */
export function identityProblem(identity: ServiceIdentity): string | null {
  for (const field of ["name", "environment", "instance", "version", "host"] as const) {
    if (identity[field].length > limits.nameLength)
      return `a resource's service ${field} is longer than ${limits.nameLength} characters`;
  }
  return attributesProblem(identity.attributes, "resource attribute");
}
