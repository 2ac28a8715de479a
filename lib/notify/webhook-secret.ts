import { randomBytes } from "node:crypto";
import { decryptSecret, encryptSecret } from "@/lib/vault/vault";

// A webhook channel's signing secret: generated (shown once) or entered by the admin (the receiver's own),
// stored only through the vault under the channel's context (lib/vault/encrypted-fields.ts).

export const GENERATED_SECRET_PREFIX = "whsec_";
export const MIN_SECRET_LENGTH = 24;

export function generateWebhookSecret(): string {
  return GENERATED_SECRET_PREFIX + randomBytes(32).toString("base64url");
}

export const channelSecretContext = (channelId: string) => `notification-channel:${channelId}:secret`;

export function sealChannelSecret(channelId: string, secret: string): string {
  return encryptSecret(secret, channelSecretContext(channelId));
}

export function openChannelSecret(channelId: string, ciphertext: string): string {
  return decryptSecret(ciphertext, channelSecretContext(channelId));
}
