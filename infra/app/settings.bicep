// The Functions app's application settings: every name here is one the code reads
// (function_app/settings.py AppSettings, graph_clients/graph/settings.py GraphSettings) or the Functions host
// reads (HOST_AZURE there); tests/app/test_settings_declared.py checks both ways.
// Secrets are Key Vault references resolved by the user-assigned identity; put their values in with
// docs/deploy.md step 4 (until then `iro doctor` reports the reference as unresolved).
// Flex Consumption refuses FUNCTIONS_WORKER_RUNTIME and FUNCTIONS_EXTENSION_VERSION as settings: the
// runtime is functionAppConfig.runtime in main.bicep.

@description('Storage account of the host (identity-based: AzureWebJobsStorage__*).')
param storageAccountName string
@description('Client id of the user-assigned managed identity.')
param identityClientId string
@description('Principal name of the identity: the PostgreSQL role it logs in as.')
param identityName string
@description('Application Insights connection string (Entra-authenticated ingestion).')
param insightsConnectionString string
@description('Key Vault holding the secrets.')
param vaultName string
@description('PostgreSQL server host name.')
param postgresHost string
@description('Database name.')
param databaseName string
@description('Directory (tenant) id.')
param tenantId string
@description('The app\'s host name, for the webhook addresses.')
param appHostName string
@description('IRO_SERVICE_MAILBOX.')
param serviceMailbox string
@description('IRO_SITE_ID.')
param caseFolderSiteId string
@description('IRO_DRIVE_ID.')
param caseFolderDriveId string
@description('IRO_DRIVE_SUBSCRIPTIONS: false when the council grants no drive-root subscription; a 15-minute delta catch-up then watches the case folders (docs/permissions.md).')
param driveSubscriptions bool = true
@description('IRO_CASE_FOLDER_PATTERN.')
param caseFolderPattern string
@description('IRO_ALERTS_FROM (YYYY-MM-DD or empty).')
param alertsFrom string
@description('IRO_POLICY_FILE.')
param policyFile string
@description('IRO_TRACKER_URL.')
param trackerUrl string
@description('IRO_BOT_APP_ID.')
param botAppId string
@description('True when the bot has a client secret (SingleTenant) in Key Vault.')
param botUsesSecret bool
@description('IRO_TEAMS_BOT_CHANNELS: JSON, channel key -> Teams channel id (channel cards through the bot).')
param teamsBotChannels string = '{}'
@description('IRO_ROSTER_SOURCE.')
param rosterSource string
@description('IRO_ROSTER_LOCATION.')
param rosterLocation string

// Key Vault secret names (docs/deploy.md step 4 sets them).
var secret = {
  clientState: 'iro-client-state'
  notificationUrl: 'iro-notification-url'
  lifecycleUrl: 'iro-lifecycle-url'
  channelUrls: 'iro-teams-channel-urls'
  personFlowUrl: 'iro-teams-person-flow-url'
  botSecret: 'iro-bot-app-secret'
}
var kv = '@Microsoft.KeyVault(VaultName=${vaultName};SecretName='

output values object = {
  // Functions host (identity-based storage; Entra-authenticated Application Insights)
  AzureWebJobsStorage__accountName: storageAccountName
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: insightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'

  // The app (function_app/settings.py)
  IRO_MODE: 'graph'
  IRO_LOCAL_ROOT: ''
  IRO_DB_URL: 'postgresql+psycopg://${identityName}@${postgresHost}:5432/${databaseName}?sslmode=require'
  IRO_DB_ENTRA_AUTH: 'true'
  IRO_POLICY_FILE: policyFile
  IRO_ALERTS_FROM: alertsFrom
  IRO_TEAMS_CHANNEL_URLS: '${kv}${secret.channelUrls})'
  IRO_TEAMS_PERSON_FLOW_URL: '${kv}${secret.personFlowUrl})'
  IRO_TRACKER_URL: trackerUrl
  IRO_BOT_APP_ID: botAppId
  IRO_BOT_APP_SECRET: botUsesSecret ? '${kv}${secret.botSecret})' : ''
  IRO_BOT_TENANT_ID: tenantId
  IRO_TEAMS_BOT: 'false'
  IRO_TEAMS_BOT_CHANNELS: teamsBotChannels
  IRO_ROSTER_SOURCE: rosterSource
  IRO_ROSTER_LOCATION: rosterLocation

  // Graph (graph_clients/graph/settings.py)
  IRO_TENANT_ID: tenantId
  IRO_CLIENT_ID: identityClientId
  IRO_CERTIFICATE_PATH: ''
  IRO_USE_MANAGED_IDENTITY: 'true'
  IRO_CLIENT_STATE: '${kv}${secret.clientState})'
  // The function key is part of the address, so the addresses are secrets too (step 5 of docs/deploy.md)
  IRO_NOTIFICATION_URL: '${kv}${secret.notificationUrl})'
  IRO_LIFECYCLE_URL: '${kv}${secret.lifecycleUrl})'
  IRO_SITE_ID: caseFolderSiteId
  IRO_DRIVE_ID: caseFolderDriveId
  IRO_DRIVE_SUBSCRIPTIONS: driveSubscriptions ? 'true' : 'false'
  IRO_CASE_FOLDER_PATTERN: caseFolderPattern
  IRO_SERVICE_MAILBOX: serviceMailbox
  IRO_UPLOAD_THRESHOLD_BYTES: '4194304'
  IRO_SUBSCRIPTION_MINUTES: '4230'
  IRO_GRAPH_BASE_URL: 'https://graph.microsoft.com/v1.0'
  IRO_GRAPH_TIMEOUT_SECONDS: '60'
}

@description('Where the webhook is, for the Key Vault secrets iro-notification-url and iro-lifecycle-url.')
output webhookBase string = 'https://${appHostName}/api'
