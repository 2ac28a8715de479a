import { defineConfig, env } from "prisma/config";

// For the Prisma CLI on a machine with internet access (it downloads the native schema engine):
//   DATABASE_URL=postgresql://... npx prisma migrate deploy --config prisma/postgresql.config.ts
// reads the same folders as `npm run db:migrate`, which needs no download. Paths are relative to this file.
export default defineConfig({
  schema: "postgresql/schema.prisma",
  migrations: { path: "postgresql/migrations" },
  datasource: { url: env("DATABASE_URL") },
});
