using FusionBot.Bot;
using FusionBot.Features.Components;
using FusionBot.Features.Portfolio;
using FusionBot.Protocol.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddFusionBot(builder.Configuration);

var app = builder.Build();
app.MapBotMessages("/api/messages");
app.MapGet("/healthz", () => Results.Text("ok"));
app.MapPortfolioExport();
app.MapComponentOpen();
app.Run();

/// <summary>The app's entry point, visible to the functional tests' WebApplicationFactory.</summary>
public partial class Program;
