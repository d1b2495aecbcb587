using FusionBot.Bot;
using FusionBot.Features.Backlog;
using FusionBot.Features.Components;
using FusionBot.Features.Pipelines;
using FusionBot.Features.Portfolio;
using FusionBot.Features.Privacy;
using FusionBot.Hosting;
using FusionBot.Protocol.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.Services.AddFusionBot(builder.Configuration);

var app = builder.Build();
app.MapServiceDefaults();
app.MapBotMessages("/api/messages");
app.MapPortfolioExport();
app.MapComponentOpen();
app.MapPrivacyExport();
app.MapPipelinesGate();
app.MapBacklogServiceHook();
app.Run();

/// <summary>The app's entry point, visible to the functional tests' WebApplicationFactory.</summary>
public partial class Program;
