# === Connect to Exchange Online PowerShell ===
# Run these in PowerShell as an Exchange administrator of the tenant. Install-Module is needed only
# once per computer.
Install-Module -Name ExchangeOnlineManagement -Scope CurrentUser
Import-Module ExchangeOnlineManagement
Connect-ExchangeOnline -Organization 'b3922080-3ce0-4dbb-b906-e7d97973bbe4'

# === Turn the protocols on for each mailbox ===
# IMAP, POP and SMTP AUTH can be switched off per mailbox, and then a login fails with a generic
# error. SMTP AUTH is off by default in organisations created after January 2020:
# -SmtpClientAuthenticationDisabled $false turns it on for this mailbox even when the organisation
# keeps it off ($null would inherit the organisation's setting). EWS is being retired in Exchange
# Online: from 2026-10-01 it is off unless the organisation sets EWSEnabled to True and lists this app
# in EWSAllowedAppIDs, and it shuts down on 2027-04-01. Plan a move to Microsoft Graph.
Set-CASMailbox -Identity 'support@contoso.com' -ImapEnabled $true -SmtpClientAuthenticationDisabled $false
Set-CASMailbox -Identity 'alex.wilber@contoso.com' -PopEnabled $true
Set-CASMailbox -Identity 'adele.vance@contoso.com' -EWSEnabled $true
Set-CASMailbox -Identity 'megan.bowen@contoso.com' -SmtpClientAuthenticationDisabled $false
Set-CASMailbox -Identity 'sales@contoso.com' -ImapEnabled $true -SmtpClientAuthenticationDisabled $false

# === Register the app's service principal in Exchange ===
# Exchange only accepts app-only tokens from an app it knows. -ObjectId is the Object ID of the
# Enterprise application (Microsoft Entra ID → Enterprise applications → the app → Overview), not the
# Object ID shown under App registrations: the wrong ID makes every login fail. An app-only token's
# oid claim carries the right value.
New-ServicePrincipal -AppId 'b19bba8f-95da-41c2-9167-474dca5f0c0c' -ObjectId '95aa62ea-1af4-4ce9-9e54-1f57195f62ae' -DisplayName 'Contoso Mailbox Daemon'

# === Give the service principal access to each mailbox ===
# FullAccess lets the app open the mailbox over IMAP, POP and SMTP with user=<mailbox>. For IMAP and
# POP this is the only gate: the app reaches exactly the mailboxes listed here. Without it IMAP
# answers "User is authenticated but not connected".
Add-MailboxPermission -Identity 'support@contoso.com' -User '95aa62ea-1af4-4ce9-9e54-1f57195f62ae' -AccessRights FullAccess
Add-MailboxPermission -Identity 'alex.wilber@contoso.com' -User '95aa62ea-1af4-4ce9-9e54-1f57195f62ae' -AccessRights FullAccess

# === Allow the service principal to send as each outbound mailbox ===
# Send As lets the app put the mailbox's address (or, granted on another mailbox, that address) in
# From. A From the token may not use is refused with 554 5.2.252 SendAsDenied.
Add-RecipientPermission -Identity 'support@contoso.com' -Trustee '95aa62ea-1af4-4ce9-9e54-1f57195f62ae' -AccessRights SendAs -Confirm:$false

# === Shared mailboxes: give the signing user access ===
# A shared mailbox is reached with the token of a user who has access to it; the shared address goes
# into user=. The user needs FullAccess to read it and Send As to send from it.
Add-MailboxPermission -Identity 'sales@contoso.com' -User 'megan.bowen@contoso.com' -AccessRights FullAccess -AutoMapping $false
Add-RecipientPermission -Identity 'sales@contoso.com' -Trustee 'megan.bowen@contoso.com' -AccessRights SendAs -Confirm:$false

# === Restrict the app to these mailboxes (RBAC for Applications) ===
# A management scope lists the mailboxes; a role assignment gives the app a role only within it. This
# covers Microsoft Graph, EWS and SMTP (IMAP and POP are limited by the mailbox permissions above).
# RBAC for Applications adds to the permissions granted in Microsoft Entra ID, it does not narrow
# them: remove the tenant-wide application permissions (Mail.Read, Mail.Send, full_access_as_app,
# SMTP.SendAsApp) from the app registration, or the scope restricts nothing. For SMTP through RBAC,
# add no Entra permission at all. Changes reportedly take 30 minutes to 2 hours to apply.
# Application Mail.Read: adele.vance@contoso.com
New-ManagementScope -Name 'Contoso Mailbox Daemon - Mail.Read' -RecipientRestrictionFilter 'PrimarySmtpAddress -eq ''adele.vance@contoso.com'''
New-ManagementRoleAssignment -Name 'Contoso Mailbox Daemon - Mail.Read' -App '95aa62ea-1af4-4ce9-9e54-1f57195f62ae' -Role 'Application Mail.Read' -CustomResourceScope 'Contoso Mailbox Daemon - Mail.Read'

# Application EWS.AccessAsApp: adele.vance@contoso.com
New-ManagementScope -Name 'Contoso Mailbox Daemon - EWS.AccessAsApp' -RecipientRestrictionFilter 'PrimarySmtpAddress -eq ''adele.vance@contoso.com'''
New-ManagementRoleAssignment -Name 'Contoso Mailbox Daemon - EWS.AccessAsApp' -App '95aa62ea-1af4-4ce9-9e54-1f57195f62ae' -Role 'Application EWS.AccessAsApp' -CustomResourceScope 'Contoso Mailbox Daemon - EWS.AccessAsApp'

# Application SMTP.SendAsApp: support@contoso.com
New-ManagementScope -Name 'Contoso Mailbox Daemon - SMTP.SendAsApp' -RecipientRestrictionFilter 'PrimarySmtpAddress -eq ''support@contoso.com'''
New-ManagementRoleAssignment -Name 'Contoso Mailbox Daemon - SMTP.SendAsApp' -App '95aa62ea-1af4-4ce9-9e54-1f57195f62ae' -Role 'Application SMTP.SendAsApp' -CustomResourceScope 'Contoso Mailbox Daemon - SMTP.SendAsApp'

# Check: InScope is True for each mailbox, and False for one the app must not reach.
Test-ServicePrincipalAuthorization -Identity '95aa62ea-1af4-4ce9-9e54-1f57195f62ae' -Resource 'adele.vance@contoso.com'
Test-ServicePrincipalAuthorization -Identity '95aa62ea-1af4-4ce9-9e54-1f57195f62ae' -Resource 'support@contoso.com'

# === Legacy alternative: Application Access Policy ===
# Use this only where RBAC for Applications is not an option: Microsoft calls Application Access
# Policies legacy. A policy limits the app's Graph mail permissions and full_access_as_app (EWS) to
# the members of one mail-enabled security group; it does not cover IMAP, POP or SMTP. Changes can
# take more than an hour to apply.
Add-DistributionGroupMember -Identity 'portal-mailboxes@contoso.com' -Member 'adele.vance@contoso.com'
New-ApplicationAccessPolicy -AppId 'b19bba8f-95da-41c2-9167-474dca5f0c0c' -PolicyScopeGroupId 'portal-mailboxes@contoso.com' -AccessRight RestrictAccess -Description 'Restrict Contoso Mailbox Daemon to its mailboxes'
Test-ApplicationAccessPolicy -Identity 'adele.vance@contoso.com' -AppId 'b19bba8f-95da-41c2-9167-474dca5f0c0c'
