/** Who must act on a failure, in words a newcomer understands (the catalog's actor codes). */
export const actorLabels: Record<string, string> = {
  admin: "An admin (of the tenant or this portal)",
  mailbox_owner: "The mailbox owner",
  retry: "Nobody: temporary, the portal retries",
  portal_operator: "Whoever runs this portal",
};

export const actorLabel = (actor: string) => actorLabels[actor] ?? actor;
