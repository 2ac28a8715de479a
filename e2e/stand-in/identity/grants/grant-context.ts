// What every grant handler receives once the token endpoint has checked tenant, client and credential.
import type { RequestContext } from "../../http/server";
import type { RegisteredApp } from "../../directory";
import type { IdentityDeps } from "../deps";
import type { AadError } from "../errors";
import type { TenantSegment } from "../tenant-segment";
import type { AppIdAcr } from "../token-factory";

export interface GrantContext {
  deps: IdentityDeps;
  ctx: RequestContext;
  form: URLSearchParams;
  segment: TenantSegment;
  app: RegisteredApp;
  appidacr: AppIdAcr;
  fail(err: AadError): void;
  succeed(body: unknown): void;
}
