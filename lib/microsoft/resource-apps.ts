// The two resource applications mail permissions belong to (reference §2.4).

/** Office 365 Exchange Online: IMAP/POP/SMTP/EWS app-only roles and EWS delegated scope (reference §2.4, [X3]). */
export const EXCHANGE_ONLINE_APP_ID = "00000002-0000-0ff1-ce00-000000000000";
/** Microsoft Graph (reference §2.4). */
export const MICROSOFT_GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";

export type ResourceApiName = "Microsoft Graph" | "Office 365 Exchange Online";

export const resourceApiNames: Record<string, ResourceApiName> = {
  [EXCHANGE_ONLINE_APP_ID]: "Office 365 Exchange Online",
  [MICROSOFT_GRAPH_APP_ID]: "Microsoft Graph",
};
