# === Connect to Exchange Online PowerShell ===
# Run these in PowerShell as an Exchange administrator of the tenant (replace the placeholder with the
# tenant ID or its .onmicrosoft.com domain). Install-Module is needed only once per computer.
Install-Module -Name ExchangeOnlineManagement -Scope CurrentUser
Import-Module ExchangeOnlineManagement
Connect-ExchangeOnline -Organization '<TENANT-ID-OR-DOMAIN>'

# === Turn the protocols on for each mailbox ===
# IMAP, POP and SMTP AUTH can be switched off per mailbox, and then a login fails with a generic
# error. SMTP AUTH is off by default in organisations created after January 2020:
# -SmtpClientAuthenticationDisabled $false turns it on for this mailbox even when the organisation
# keeps it off ($null would inherit the organisation's setting).
Set-CASMailbox -Identity 'shared@fabrikam.com' -ImapEnabled $true

# === Register the app's service principal in Exchange ===
# Exchange only accepts app-only tokens from an app it knows. -ObjectId is the Object ID of the
# Enterprise application (Microsoft Entra ID → Enterprise applications → the app → Overview), not the
# Object ID shown under App registrations: the wrong ID makes every login fail. An app-only token's
# oid claim carries the right value. Replace the placeholder in this and the following blocks.
# <ENTERPRISE-APP-OBJECT-ID>: Microsoft Entra ID → Enterprise applications → O'Brien's $(mail) app → Overview → Object ID.
# NOT App registrations → Overview → Object ID (that is the application object, not its service principal).
# With Microsoft Graph PowerShell: (Get-MgServicePrincipal -Filter "appId eq 'b19bba8f-95da-41c2-9167-474dca5f0c0c'").Id
New-ServicePrincipal -AppId 'b19bba8f-95da-41c2-9167-474dca5f0c0c' -ObjectId '<ENTERPRISE-APP-OBJECT-ID>' -DisplayName 'O''Brien''s $(mail) app'

# === Give the service principal access to each mailbox ===
# FullAccess lets the app open the mailbox over IMAP, POP and SMTP with user=<mailbox>. For IMAP and
# POP this is the only gate: the app reaches exactly the mailboxes listed here. Without it IMAP
# answers "User is authenticated but not connected".
Add-MailboxPermission -Identity 'shared@fabrikam.com' -User '<ENTERPRISE-APP-OBJECT-ID>' -AccessRights FullAccess
