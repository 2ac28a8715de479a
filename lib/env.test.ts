import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";

describe("environment", () => {
  it("defaults to SQLite in ./data and a localhost URL", () => {
    const env = parseEnv({});
    expect(env.databaseProvider).toBe("sqlite");
    expect(env.databaseUrl).toMatch(/^file:.*data\/portal\.db$/);
    expect(env.portalUrl).toBe("http://localhost:3000");
    expect(env.secureCookies).toBe(false);
    expect(env.autoMigrate).toBe(true);
    expect(env.TRUST_PROXY).toBe(false);
  });

  it("uses PostgreSQL for a postgres URL and does not auto-migrate it", () => {
    const env = parseEnv({ DATABASE_URL: "postgresql://u:p@localhost:5432/portal" });
    expect(env.databaseProvider).toBe("postgresql");
    expect(env.autoMigrate).toBe(false);
  });

  it("turns on secure cookies for an https public URL and trims its slash", () => {
    const env = parseEnv({ PORTAL_URL: "https://mail.example.com/" });
    expect(env.portalUrl).toBe("https://mail.example.com");
    expect(env.secureCookies).toBe(true);
  });

  it("names the variable that is wrong", () => {
    expect(() => parseEnv({ DATABASE_URL: "mysql://x" })).toThrow(/^DATABASE_URL is invalid: must be file:/);
    expect(() => parseEnv({ PORT: "99999" })).toThrow(/^PORT is invalid/);
    expect(() => parseEnv({ PORTAL_URL: "mail.example.com" })).toThrow(/^PORTAL_URL is invalid/);
    expect(() => parseEnv({ TRUST_PROXY: "maybe" })).toThrow(/^TRUST_PROXY is invalid/);
  });

  it("wants all Entra sign-in variables or none", () => {
    expect(() => parseEnv({ ENTRA_SIGNIN_CLIENT_ID: "x" })).toThrow(/ENTRA_SIGNIN_CLIENT_SECRET is missing/);
  });
});
