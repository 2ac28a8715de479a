// Runtime switches tests change through the control API.
import { z } from "zod";

export const settingsSchema = z.object({
  /** Access token lifetime; Microsoft randomises 60-90 min (reference §5), tests want short ones. */
  accessTokenLifetimeSeconds: z.number().int().min(1).max(86_400),
  idTokenLifetimeSeconds: z.number().int().min(60).max(86_400),
  /** Reference §5: about 10 minutes, single use. */
  authorizationCodeLifetimeSeconds: z.number().int().min(1).max(3600),
  /**
   * Reference §5: Microsoft does NOT revoke a rotated-away refresh token. Tests that prove the
   * portal discards old refresh tokens turn this on so the old one fails (invalid_grant 70000).
   */
  revokeRotatedRefreshTokens: z.boolean(),
});

export type Settings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  accessTokenLifetimeSeconds: 3600,
  idTokenLifetimeSeconds: 3600,
  authorizationCodeLifetimeSeconds: 600,
  revokeRotatedRefreshTokens: false,
};
