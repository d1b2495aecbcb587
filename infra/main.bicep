// FusionBot on Azure: one App Service web app behind Azure Bot Service, state in Table Storage, every call to Azure
// made as one user-assigned managed identity. No secret exists anywhere: the bot authenticates to the Bot Framework
// as the identity (msaAppType UserAssignedMSI), and storage and Azure OpenAI have key access switched off.
// Deploy: az deployment group create -g <rg> -f infra/main.bicep -p infra/main.parameters.json (docs/deployment.md).

targetScope = 'resourceGroup'

@description('Short lowercase name used to derive every resource name.')
@minLength(3)
@maxLength(12)
param appName string = 'fusionbot'

@description('Region for everything except the bot registration (global) and, optionally, Azure OpenAI.')
param location string = resourceGroup().location

@description('App Service plan SKU (Linux). B1 is enough for a department; P0v3 or higher for an organisation.')
param appServicePlanSku string = 'B1'

@description('Number of web app instances. All state is in Table Storage, so instances can be added freely.')
@minValue(1)
param instanceCount int = 1

@description('Azure Bot SKU: F0 (free, standard channels such as Teams) or S1.')
@allowed(['F0', 'S1'])
param botSku string = 'F0'

@description('Display name of the bot in the Azure portal.')
param botDisplayName string = 'FusionBot'

@description('Deploy an Azure OpenAI account and model deployment for free-text intake and digest themes.')
param deployOpenAI bool = false

@description('Region of the Azure OpenAI account (model availability differs per region).')
param openAILocation string = location

@description('Model deployed to Azure OpenAI.')
param openAIModelName string = 'gpt-4o-mini'

@description('Version of the model deployed to Azure OpenAI.')
param openAIModelVersion string = '2024-07-18'

@description('Deployment type of the model (GlobalStandard or Standard).')
@allowed(['GlobalStandard', 'Standard'])
param openAIDeploymentSku string = 'GlobalStandard'

@description('Model capacity in thousands of tokens per minute.')
@minValue(1)
param openAICapacity int = 10

@description('Deploy Application Insights with a Log Analytics workspace for logs, traces and metrics.')
param deployMonitoring bool = true

@description('Days Log Analytics keeps data.')
@minValue(30)
param logRetentionDays int = 30

@description('Reach storage and Azure OpenAI only from the app: a virtual network with App Service VNet integration, private endpoints and private DNS, public network access off. Off by default (no network resources, lower cost); turn it on for production.')
param privateNetworking bool = false

@description('Address space of the virtual network created when privateNetworking is on: a /16, split into an app subnet and a private-endpoint subnet.')
param vnetAddressPrefix string = '10.60.0.0/16'

var suffix = uniqueString(resourceGroup().id, appName)
var names = {
  identity: 'id-${appName}-${suffix}'
  storage: take('st${appName}${suffix}', 24)
  plan: 'asp-${appName}-${suffix}'
  webApp: 'app-${appName}-${suffix}'
  bot: 'bot-${appName}-${suffix}'
  openAI: 'oai-${appName}-${suffix}'
  logs: 'log-${appName}-${suffix}'
  insights: 'appi-${appName}-${suffix}'
  vnet: 'vnet-${appName}-${suffix}'
  tableEndpoint: 'pe-st-${appName}-${suffix}'
  openAIEndpoint: 'pe-oai-${appName}-${suffix}'
}

// Built-in role definition ids (the same in every tenant).
var roles = {
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  cognitiveServicesOpenAIUser: '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd'
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: names.identity
  location: location
}

resource storage 'Microsoft.Storage/storageAccounts@2025-06-01' = {
  name: names.storage
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: privateNetworking ? 'Disabled' : 'Enabled'
    networkAcls: {
      defaultAction: privateNetworking ? 'Deny' : 'Allow'
      bypass: 'None'
    }
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2025-06-01' = {
  parent: storage
  name: 'default'
}

resource identityCanUseTables 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, identity.id, roles.storageTableDataContributor)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource logs 'Microsoft.OperationalInsights/workspaces@2025-07-01' = if (deployMonitoring) {
  name: names.logs
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: logRetentionDays
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = if (deployMonitoring) {
  name: names.insights
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
  }
}

resource openAI 'Microsoft.CognitiveServices/accounts@2025-06-01' = if (deployOpenAI) {
  name: names.openAI
  location: openAILocation
  kind: 'OpenAI'
  sku: {
    name: 'S0'
  }
  properties: {
    // Entra ID auth needs a custom subdomain; keys are switched off so the identity's role is the only way in.
    customSubDomainName: names.openAI
    disableLocalAuth: true
    publicNetworkAccess: privateNetworking ? 'Disabled' : 'Enabled'
    networkAcls: {
      defaultAction: privateNetworking ? 'Deny' : 'Allow'
    }
  }
}

resource openAIModel 'Microsoft.CognitiveServices/accounts/deployments@2025-06-01' = if (deployOpenAI) {
  parent: openAI
  name: openAIModelName
  sku: {
    name: openAIDeploymentSku
    capacity: openAICapacity
  }
  properties: {
    model: {
      format: 'OpenAI'
      name: openAIModelName
      version: openAIModelVersion
    }
  }
}

resource identityCanUseOpenAI 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (deployOpenAI) {
  scope: openAI
  name: guid(openAI.id, identity.id, roles.cognitiveServicesOpenAIUser)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.cognitiveServicesOpenAIUser)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: names.plan
  location: location
  kind: 'linux'
  sku: {
    name: appServicePlanSku
    capacity: instanceCount
  }
  properties: {
    reserved: true
  }
}

var coreSettings = [
  { name: 'ASPNETCORE_ENVIRONMENT', value: 'Production' }
  { name: 'MicrosoftAppType', value: 'UserAssignedMSI' }
  { name: 'MicrosoftAppId', value: identity.properties.clientId }
  { name: 'MicrosoftAppTenantId', value: tenant().tenantId }
  // DefaultAzureCredential picks the user-assigned identity by this client id.
  { name: 'AZURE_CLIENT_ID', value: identity.properties.clientId }
  { name: 'Storage__TableServiceUri', value: storage.properties.primaryEndpoints.table }
  // App Service ends TLS in front of the app: honour X-Forwarded-Proto so links the bot makes say https.
  { name: 'ASPNETCORE_FORWARDEDHEADERS_ENABLED', value: 'true' }
]
var openAISettings = deployOpenAI
  ? [
      { name: 'OpenAI__Endpoint', value: openAI!.properties.endpoint }
      { name: 'OpenAI__Deployment', value: openAIModel.name }
    ]
  : []
var monitoringSettings = deployMonitoring
  ? [
      { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights!.properties.ConnectionString }
    ]
  : []

resource webApp 'Microsoft.Web/sites@2025-03-01' = {
  name: names.webApp
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    // With privateNetworking, every outbound call leaves through the VNet, so storage and OpenAI resolve to their private endpoints.
    virtualNetworkSubnetId: privateNetworking ? vnet!.properties.subnets[0].id : null
    outboundVnetRouting: privateNetworking ? { allTraffic: true } : null
    // Key Vault references in app settings (e.g. Links__SigningKey) resolve as the bot's identity.
    keyVaultReferenceIdentity: identity.id
    httpsOnly: true
    clientAffinityEnabled: false
    siteConfig: {
      linuxFxVersion: 'DOTNETCORE|10.0'
      alwaysOn: true
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      http20Enabled: true
      // Readiness, not liveness: an instance whose storage is unreachable leaves the load balancer until it recovers.
      healthCheckPath: '/readyz'
      appSettings: concat(coreSettings, openAISettings, monitoringSettings)
    }
  }
  dependsOn: [
    // The app reads tables as soon as it starts: let the role assignment (and, when private, the endpoint's DNS) exist first.
    identityCanUseTables
    tableEndpointDns
  ]
}

// Deployments go through Entra ID (az webapp deploy), never through FTP or SCM user names and passwords.
resource ftpBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: webApp
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: webApp
  name: 'scm'
  properties: {
    allow: false
  }
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: names.bot
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: botSku
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${webApp.properties.defaultHostName}/api/messages'
    msaAppType: 'UserAssignedMSI'
    msaAppId: identity.properties.clientId
    msaAppTenantId: tenant().tenantId
    msaAppMSIResourceId: identity.id
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

@description('Host name of the web app: BOT_DOMAIN for scripts/package-app.sh.')
output webAppHostName string = webApp.properties.defaultHostName

@description('Name of the web app, for az webapp deploy.')
output webAppName string = webApp.name

@description('The bot\'s Microsoft App ID (the identity\'s client id): MICROSOFT_APP_ID for scripts/package-app.sh.')
output botId string = identity.properties.clientId

@description('Client id of the managed identity the app runs as.')
output identityClientId string = identity.properties.clientId

@description('Name of the Azure Bot resource.')
output botName string = bot.name

// ---- privateNetworking: storage and OpenAI reachable only from the app ----

resource vnet 'Microsoft.Network/virtualNetworks@2024-07-01' = if (privateNetworking) {
  name: names.vnet
  location: location
  properties: {
    addressSpace: {
      addressPrefixes: [vnetAddressPrefix]
    }
    subnets: [
      {
        // The web app's outbound traffic (App Service VNet integration needs a subnet delegated to it).
        name: 'app'
        properties: {
          addressPrefix: cidrSubnet(vnetAddressPrefix, 24, 1)
          delegations: [
            {
              name: 'app-service'
              properties: {
                serviceName: 'Microsoft.Web/serverFarms'
              }
            }
          ]
        }
      }
      {
        name: 'private-endpoints'
        properties: {
          addressPrefix: cidrSubnet(vnetAddressPrefix, 24, 2)
        }
      }
    ]
  }
}

resource tableDnsZone 'Microsoft.Network/privateDnsZones@2024-06-01' = if (privateNetworking) {
  name: 'privatelink.table.${environment().suffixes.storage}'
  location: 'global'
}

resource tableDnsLink 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = if (privateNetworking) {
  parent: tableDnsZone
  name: names.vnet
  location: 'global'
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: vnet.id
    }
  }
}

resource tableEndpoint 'Microsoft.Network/privateEndpoints@2024-07-01' = if (privateNetworking) {
  name: names.tableEndpoint
  location: location
  properties: {
    subnet: {
      id: vnet!.properties.subnets[1].id
    }
    privateLinkServiceConnections: [
      {
        name: 'table'
        properties: {
          privateLinkServiceId: storage.id
          groupIds: ['table']
        }
      }
    ]
  }
}

resource tableEndpointDns 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-07-01' = if (privateNetworking) {
  parent: tableEndpoint
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [
      {
        name: 'table'
        properties: {
          privateDnsZoneId: tableDnsZone.id
        }
      }
    ]
  }
}

resource openAIDnsZone 'Microsoft.Network/privateDnsZones@2024-06-01' = if (privateNetworking && deployOpenAI) {
  name: 'privatelink.openai.azure.com'
  location: 'global'
}

resource openAIDnsLink 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = if (privateNetworking && deployOpenAI) {
  parent: openAIDnsZone
  name: names.vnet
  location: 'global'
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: vnet.id
    }
  }
}

resource openAIEndpoint 'Microsoft.Network/privateEndpoints@2024-07-01' = if (privateNetworking && deployOpenAI) {
  name: names.openAIEndpoint
  location: location
  properties: {
    subnet: {
      id: vnet!.properties.subnets[1].id
    }
    privateLinkServiceConnections: [
      {
        name: 'openai'
        properties: {
          privateLinkServiceId: openAI.id
          groupIds: ['account']
        }
      }
    ]
  }
}

resource openAIEndpointDns 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-07-01' = if (privateNetworking && deployOpenAI) {
  parent: openAIEndpoint
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [
      {
        name: 'openai'
        properties: {
          privateDnsZoneId: openAIDnsZone.id
        }
      }
    ]
  }
}
