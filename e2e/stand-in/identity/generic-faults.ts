// server_error / throttled / hang on identity endpoints, shared by all of them.
import type { RequestContext } from "../http/server";
import type { ArmedFault, FaultProbe } from "../faults";
import type { IdentityDeps } from "./deps";
import { aad } from "./errors";
import { sendErrorPage, sendTokenError } from "./respond";

/** Takes a matching armed fault; answers generic ones here. Returns the fault (already answered when generic). */
export async function takeGenericFault(deps: IdentityDeps, ctx: RequestContext, probe: FaultProbe, surface: "json" | "page" = "json"): Promise<ArmedFault | undefined> {
  const fault = deps.faults.take(probe);
  if (!fault) return undefined;
  ctx.record.faultId = fault.id;
  switch (fault.kind) {
    case "hang":
      ctx.hang();
      return fault;
    case "server_error":
      if (surface === "page") sendErrorPage(ctx, aad.serverError());
      else sendTokenError(ctx, aad.serverError(), deps.baseUrl());
      return fault;
    case "throttled":
      if (surface === "page") sendErrorPage(ctx, aad.throttled(fault.retryAfterSeconds));
      else sendTokenError(ctx, aad.throttled(fault.retryAfterSeconds), deps.baseUrl());
      return fault;
    default:
      return fault;
  }
}

export function isGeneric(fault: ArmedFault): boolean {
  return fault.kind === "hang" || fault.kind === "server_error" || fault.kind === "throttled";
}
