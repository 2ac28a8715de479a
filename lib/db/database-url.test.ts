import path from "node:path";
import { describe, expect, it } from "vitest";
import { InvalidDatabaseUrlError, parseDatabaseUrl, scrubCredentials } from "@/lib/db/database-url";

describe("parseDatabaseUrl", () => {
  it("reads SQLite file URLs, absolute and relative to the working directory", () => {
    expect(parseDatabaseUrl("file:/var/lib/portal/portal.db")).toEqual({
      provider: "sqlite",
      filePath: "/var/lib/portal/portal.db",
      description: "SQLite database /var/lib/portal/portal.db",
    });
    expect(parseDatabaseUrl("file:///var/lib/portal/portal.db")).toMatchObject({ filePath: "/var/lib/portal/portal.db" });
    expect(parseDatabaseUrl("file:./data/portal.db?connection_limit=1")).toMatchObject({ filePath: path.resolve("data/portal.db") });
    expect(() => parseDatabaseUrl("file::memory:")).toThrow(InvalidDatabaseUrlError);
  });

  it("reads PostgreSQL URLs without putting the password in the description", () => {
    const target = parseDatabaseUrl("postgresql://portal:p%40ss%3Aword@db.example.com:6543/portal?schema=mail&sslmode=require");
    expect(target).toMatchObject({
      provider: "postgresql",
      host: "db.example.com",
      port: 6543,
      database: "portal",
      user: "portal",
      password: "p@ss:word",
      schema: "mail",
      description: "PostgreSQL at db.example.com:6543",
    });
    expect(parseDatabaseUrl("postgres://u@[::1]/db")).toMatchObject({ host: "::1", port: 5432, description: "PostgreSQL at [::1]:5432" });
  });

  it("rejects other URLs without echoing them", () => {
    for (const url of ["mysql://root:hunter2@x/db", "postgresql://user:hunter2@/db", "postgresql://user:hunter2@host:99999999/db"]) {
      const error = (() => {
        try {
          parseDatabaseUrl(url);
        } catch (e) {
          return e as Error;
        }
      })();
      expect(error).toBeInstanceOf(InvalidDatabaseUrlError);
      expect(error?.message).not.toContain("hunter2");
    }
  });
});

describe("scrubCredentials", () => {
  it("removes connection-string credentials and the target's password, also percent-encoded", () => {
    const target = parseDatabaseUrl("postgresql://portal:p%40ss@db:5432/portal");
    expect(scrubCredentials("failed for postgresql://portal:p%40ss@db:5432/portal", target)).toBe("failed for postgresql://***@db:5432/portal");
    expect(scrubCredentials("password p@ss was wrong", target)).toBe("password *** was wrong");
  });
});
