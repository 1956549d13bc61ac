// The Azure Bot for the Teams bot (function_app/bot/), with the Teams channel. A plain resource: Azure
// Verified Modules has no bot-service module. Messages reach the Functions app at /api/messages.

@description('Bot resource name (globally unique).')
param name string
@description('Tags.')
param tags object = {}
@allowed(['UserAssignedMSI', 'SingleTenant'])
@description('UserAssignedMSI: the app\'s managed identity is the bot (no secret). SingleTenant: an app registration.')
param appType string
@description('The bot\'s Microsoft App ID: the identity\'s client id (UserAssignedMSI) or the app registration\'s.')
param appId string
@description('Resource id of the user-assigned identity (UserAssignedMSI).')
param identityResourceId string
@description('Directory (tenant) id.')
param tenantId string
@description('Messaging endpoint: https://<app>/api/messages.')
param endpoint string
@allowed(['F0', 'S1'])
@description('F0 is free for standard channels (Teams is one).')
param sku string = 'F0'

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: name
  location: 'global'
  tags: tags
  kind: 'azurebot'
  sku: { name: sku }
  properties: {
    displayName: 'IRO automation'
    endpoint: endpoint
    msaAppId: appId
    msaAppType: appType
    msaAppTenantId: tenantId
    msaAppMSIResourceId: appType == 'UserAssignedMSI' ? identityResourceId : null
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
  }
}

resource teams 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: { isEnabled: true }
  }
}

output name string = bot.name
