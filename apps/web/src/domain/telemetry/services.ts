import { db } from "@vigil/db";
import { servicesOf } from "@vigil/db/telemetry";

/** Every service that has sent telemetry to the project, with its instances. */
export async function listServices(projectId: string) {
  const services = await servicesOf(db().reads(), projectId);
  return services.map((service) => ({
    ...service,
    firstSeen: service.firstSeen.toISOString(),
    lastSeen: service.lastSeen.toISOString(),
  }));
}
