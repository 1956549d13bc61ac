// The IRO automation in one resource group: a Flex Consumption Functions app on Python 3.11 and what it
// needs, every connection made by ONE user-assigned managed identity (no keys, no passwords):
//   storage (shared keys off), Key Vault (secrets by reference), Application Insights (Entra auth, local
//   auth off), PostgreSQL Flexible Server (Entra auth only), the Azure Bot for the Teams bot.
// Azure Verified Modules (br/public:avm/...) where one fits, each pinned to a version; the Azure Bot is a
// plain resource (infra/app/bot.bicep) because AVM publishes no bot-service module.
// `azd up` runs it (azure.yaml); docs/deploy.md is the whole path and what to check at each step.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name (e.g. iro-prod): names the resource group and seeds unique resource names.')
param environmentName string

@minLength(1)
@description('Azure region with Flex Consumption, e.g. uksouth (UK data residency for children\'s data).')
@metadata({ azd: { type: 'location' } })
param location string

@description('Object id of the person or pipeline deploying: gets Key Vault Secrets Officer to put the secrets in. Empty: none.')
param deployerPrincipalId string = ''

@description('The IRO service\'s shared mailbox (IRO_SERVICE_MAILBOX).')
param serviceMailbox string

@description('SharePoint site id of the case-folder library (IRO_SITE_ID); `iro doctor` checks it.')
param caseFolderSiteId string

@description('Drive id of the case-folder document library (IRO_DRIVE_ID).')
param caseFolderDriveId string

@description('Folder per child in the library; must contain {case_ref} (IRO_CASE_FOLDER_PATTERN).')
param caseFolderPattern string = 'Children/{case_ref}'

@description('Go-live date YYYY-MM-DD: nothing due before it is alerted on (IRO_ALERTS_FROM). Empty: none.')
param alertsFrom string = ''

@description('The council\'s policy file inside the deployed package (IRO_POLICY_FILE); empty: the embedded policy.')
param policyFile string = ''

@description('SharePoint view listing every open deadline, linked from digests (IRO_TRACKER_URL).')
param trackerUrl string = ''

@allowed(['UserAssignedMSI', 'SingleTenant'])
@description('How the Teams bot authenticates: UserAssignedMSI (the app\'s identity, no secret) or SingleTenant (an app registration whose secret goes in Key Vault as iro-bot-app-secret).')
param botAppType string = 'UserAssignedMSI'

@description('SingleTenant only: the bot app registration\'s client id. Ignored for UserAssignedMSI.')
param botAppId string = ''

@allowed(['', 'sharepoint', 'blob'])
@description('Where the council puts the daily roster export (IRO_ROSTER_SOURCE): blob (the roster container created here), sharepoint, or empty.')
param rosterSource string = 'blob'

@description('sharepoint: DRIVE-ID:/folder. blob: empty means this deployment\'s roster container (IRO_ROSTER_LOCATION).')
param rosterLocation string = ''

@description('PostgreSQL compute: Burstable Standard_B1ms suits one council (about 2,000 children).')
param postgresSku string = 'Standard_B1ms'

@allowed(['Burstable', 'GeneralPurpose', 'MemoryOptimized'])
@description('Tier matching postgresSku.')
param postgresTier string = 'Burstable'

@description('Log retention in days (Log Analytics).')
param logRetentionDays int = 90

@description('Largest number of Flex Consumption instances (the queue worker scales out; the store limits it).')
param maximumInstanceCount int = 40

var tags = { 'azd-env-name': environmentName }
var token = toLower(uniqueString(subscription().id, environmentName, location))
var appName = 'func-iro-${token}'
var deploymentContainer = 'app-package-${take(token, 7)}'
var rosterContainer = 'roster-export'
var databaseName = 'iro'
var storageName = 'stiro${take(token, 19)}'
var rosterContainerUrl = 'https://${storageName}.blob.${environment().suffixes.storage}/${rosterContainer}'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

// The one identity: Graph (its app role assignments, docs/permissions.md), storage, Key Vault, telemetry,
// the store and the bot all use it.
module identity 'br/public:avm/res/managed-identity/user-assigned-identity:0.6.0' = {
  scope: rg
  params: {
    name: 'id-iro-${token}'
    location: location
    tags: tags
  }
}

module storage 'br/public:avm/res/storage/storage-account:0.33.0' = {
  scope: rg
  params: {
    name: storageName
    location: location
    tags: tags
    skuName: 'Standard_ZRS'
    allowSharedKeyAccess: false          // identity-based connections only (AzureWebJobsStorage__*)
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    publicNetworkAccess: 'Enabled'
    networkAcls: { defaultAction: 'Allow', bypass: 'AzureServices' }
    blobServices: {
      containers: [
        { name: deploymentContainer }
        { name: rosterContainer }
      ]
    }
    roleAssignments: [
      // Storage Blob Data Owner: the host's leases and the deployment package; the roster export (read)
      { principalId: identity.outputs.principalId, principalType: 'ServicePrincipal', roleDefinitionIdOrName: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b' }
      // Storage Queue Data Contributor: the notification queue and its poison queue
      { principalId: identity.outputs.principalId, principalType: 'ServicePrincipal', roleDefinitionIdOrName: '974c5e8b-45b9-4653-ba55-5f855dd0fb88' }
    ]
  }
}

module logs 'br/public:avm/res/operational-insights/workspace:0.16.1' = {
  scope: rg
  params: {
    name: 'log-iro-${token}'
    location: location
    tags: tags
    dataRetention: logRetentionDays
  }
}

module insights 'br/public:avm/res/insights/component:0.8.0' = {
  scope: rg
  params: {
    name: 'appi-iro-${token}'
    location: location
    tags: tags
    workspaceResourceId: logs.outputs.resourceId
    disableLocalAuth: true               // ingestion only with an Entra token of the identity
    disableIpMasking: false              // client IPs are not kept
    retentionInDays: logRetentionDays
    roleAssignments: [
      // Monitoring Metrics Publisher: the identity may send telemetry
      { principalId: identity.outputs.principalId, principalType: 'ServicePrincipal', roleDefinitionIdOrName: '3913510d-42f4-4e42-8a64-420c390055eb' }
    ]
  }
}

module vault 'br/public:avm/res/key-vault/vault:0.14.0' = {
  scope: rg
  params: {
    name: 'kv-iro-${take(token, 15)}'
    location: location
    tags: tags
    sku: 'standard'
    enableRbacAuthorization: true
    enablePurgeProtection: true
    enableVaultForDeployment: false
    enableVaultForTemplateDeployment: false
    enableVaultForDiskEncryption: false
    roleAssignments: concat([
      // Key Vault Secrets User: the app resolves its Key Vault references with the identity
      { principalId: identity.outputs.principalId, principalType: 'ServicePrincipal', roleDefinitionIdOrName: '4633458b-17de-408a-b874-0445c86b69e6' }
    ], empty(deployerPrincipalId) ? [] : [
      // Key Vault Secrets Officer: the deployer puts the secrets in (docs/deploy.md step 4)
      { principalId: deployerPrincipalId, roleDefinitionIdOrName: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7' }
    ])
  }
}

module postgres 'br/public:avm/res/db-for-postgre-sql/flexible-server:0.16.0' = {
  scope: rg
  params: {
    name: 'psql-iro-${token}'
    location: location
    tags: tags
    skuName: postgresSku
    tier: postgresTier
    availabilityZone: -1
    highAvailability: 'Disabled'
    geoRedundantBackup: 'Disabled'
    backupRetentionDays: 35
    version: '16'
    authConfig: { activeDirectoryAuth: 'Enabled', passwordAuth: 'Disabled' }
    administrators: [
      { objectId: identity.outputs.principalId, principalName: identity.outputs.name, principalType: 'ServicePrincipal' }
    ]
    databases: [{ name: databaseName, charset: 'UTF8', collation: 'en_US.utf8' }]
    publicNetworkAccess: 'Enabled'
    firewallRules: [{ name: 'AllowAzureServices', startIpAddress: '0.0.0.0', endIpAddress: '0.0.0.0' }]
  }
}

module plan 'br/public:avm/res/web/serverfarm:0.7.0' = {
  scope: rg
  params: {
    name: 'plan-iro-${token}'
    location: location
    tags: tags
    skuName: 'FC1'
    kind: 'functionapp'
    reserved: true
    zoneRedundant: false
  }
}

module settings 'app/settings.bicep' = {
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    identityClientId: identity.outputs.clientId
    insightsConnectionString: insights.outputs.connectionString
    vaultName: vault.outputs.name
    postgresHost: postgres.outputs.?fqdn ?? ''
    databaseName: databaseName
    identityName: identity.outputs.name
    tenantId: tenant().tenantId
    appHostName: '${appName}.azurewebsites.net'
    serviceMailbox: serviceMailbox
    caseFolderSiteId: caseFolderSiteId
    caseFolderDriveId: caseFolderDriveId
    caseFolderPattern: caseFolderPattern
    alertsFrom: alertsFrom
    policyFile: policyFile
    trackerUrl: trackerUrl
    botAppId: botAppType == 'UserAssignedMSI' ? identity.outputs.clientId : botAppId
    botUsesSecret: botAppType == 'SingleTenant'
    rosterSource: rosterSource
    rosterLocation: rosterSource == 'blob' && empty(rosterLocation) ? rosterContainerUrl : rosterLocation
  }
}

module app 'br/public:avm/res/web/site:0.24.0' = {
  scope: rg
  params: {
    name: appName
    location: location
    tags: union(tags, { 'azd-service-name': 'app' })
    kind: 'functionapp,linux'
    serverFarmResourceId: plan.outputs.resourceId
    httpsOnly: true
    managedIdentities: { userAssignedResourceIds: [identity.outputs.resourceId] }
    keyVaultAccessIdentityResourceId: identity.outputs.resourceId   // Key Vault references resolve as the identity
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.outputs.primaryBlobEndpoint}${deploymentContainer}'
          authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identity.outputs.resourceId }
        }
      }
      scaleAndConcurrency: { instanceMemoryMB: 2048, maximumInstanceCount: maximumInstanceCount }
      runtime: { name: 'python', version: '3.11' }
    }
    siteConfig: { alwaysOn: false, minTlsVersion: '1.2', ftpsState: 'Disabled', http20Enabled: true }  // Flex has no Always On
    basicPublishingCredentialsPolicies: [
      { name: 'ftp', allow: false }
      { name: 'scm', allow: false }
    ]
    configs: [
      { name: 'appsettings', properties: settings.outputs.values, retainCurrentAppSettings: false }
    ]
  }
}

module bot 'app/bot.bicep' = {
  scope: rg
  params: {
    name: 'bot-iro-${token}'
    tags: tags
    appType: botAppType
    appId: botAppType == 'UserAssignedMSI' ? identity.outputs.clientId : botAppId
    identityResourceId: identity.outputs.resourceId
    tenantId: tenant().tenantId
    endpoint: 'https://${app.outputs.defaultHostname}/api/messages'
  }
}

// azd keeps these in .azure/<env>/.env; docs/deploy.md uses them.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_NAME string = app.outputs.name
output IRO_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output IRO_IDENTITY_PRINCIPAL_ID string = identity.outputs.principalId
output IRO_KEY_VAULT_NAME string = vault.outputs.name
output IRO_ROSTER_CONTAINER_URL string = rosterContainerUrl
output IRO_BOT_NAME string = bot.outputs.name
output IRO_WEBHOOK_HOST string = app.outputs.defaultHostname
