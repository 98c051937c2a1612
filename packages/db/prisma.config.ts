import { defineConfig } from "prisma/config";

// Only `prisma generate` runs here (the schema engine cannot be downloaded); migrations are ours.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
