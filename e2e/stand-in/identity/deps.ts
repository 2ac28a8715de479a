// What the identity endpoints share.
import type { SigningKey } from "../crypto/signing-key";
import type { Directory } from "../directory";
import type { FaultBoard } from "../faults";
import type { Settings } from "../settings";
import type { IdentityState } from "./state";
import type { TokenFactory } from "./token-factory";

export interface IdentityDeps {
  directory: Directory;
  state: IdentityState;
  tokens: TokenFactory;
  faults: FaultBoard;
  signingKey: SigningKey;
  settings(): Settings;
  /** https://host:port of the identity listener (the "login host"). */
  baseUrl(): string;
  /** https://host:port of the Graph listener (discovery's msgraph_host, userinfo). */
  graphBaseUrl(): string;
}
