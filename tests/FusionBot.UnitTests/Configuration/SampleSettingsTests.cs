using System.Collections;
using System.Reflection;
using FusionBot.AI;
using FusionBot.Bot;
using FusionBot.Features.Access;
using FusionBot.Features.Backlog;
using FusionBot.Features.Pipelines;
using FusionBot.Features.Classification;
using FusionBot.Features.Digest;
using FusionBot.Features.Intake;
using FusionBot.Features.Onboarding;
using FusionBot.Features.Outbox;
using FusionBot.Features.Portfolio;
using FusionBot.Features.Privacy;
using FusionBot.Links;
using FusionBot.Features.Sla;
using FusionBot.Graph;
using FusionBot.PowerPlatform;
using FusionBot.Hosting;
using FusionBot.Protocol.Authentication;
using FusionBot.Protocol.Connector;
using FusionBot.Requests;
using FusionBot.Retention;
using FusionBot.Storage;
using FusionBot.TestKit.Cards;
using Microsoft.Extensions.Configuration;

namespace FusionBot.UnitTests.Configuration;

/// <summary>appsettings.sample.json lists every setting FusionBot reads, and nothing it does not.</summary>
public sealed class SampleSettingsTests
{
    /// <summary>Every options class and where it binds. A new options class belongs here and in the sample.</summary>
    private static readonly (string Prefix, Type Type, Func<PropertyInfo, bool> Include)[] Bound =
    [
        ("", typeof(BotFrameworkOptions), p => p.Name.StartsWith("MicrosoftApp", StringComparison.Ordinal)),
        ("BotFramework:", typeof(BotFrameworkOptions), p => !p.Name.StartsWith("MicrosoftApp", StringComparison.Ordinal)),
        ("BotFramework:Connector:", typeof(ConnectorClientOptions), _ => true),
        ("Storage:", typeof(StorageOptions), _ => true),
        ("Connectors:[]:", typeof(Connector), _ => true),
        ("OpenAI:", typeof(OpenAIOptions), _ => true),
        ("Governance:", typeof(GovernanceOptions), _ => true),
        ("Review:", typeof(ReviewOptions), _ => true),
        ("Sla:", typeof(SlaOptions), _ => true),
        ("Outbox:", typeof(OutboxOptions), _ => true),
        ("Digest:", typeof(DigestOptions), _ => true),
        ("Graph:", typeof(GraphOptions), _ => true),
        ("Platform:", typeof(PowerPlatformOptions), _ => true),
        ("Onboarding:", typeof(OnboardingOptions), _ => true),
        ("Portfolio:", typeof(PortfolioOptions), _ => true),
        ("Links:", typeof(LinkOptions), _ => true),
        ("Requests:", typeof(RequestsOptions), _ => true),
        ("RateLimit:", typeof(RateLimitOptions), _ => true),
        ("Intake:", typeof(IntakeOptions), _ => true),
        ("Retention:", typeof(RetentionOptions), _ => true),
        ("Privacy:", typeof(PrivacyOptions), _ => true),
        ("Health:", typeof(HealthOptions), _ => true),
        ("Legal:", typeof(LegalOptions), _ => true),
        ("Pipelines:", typeof(PipelinesOptions), _ => true),
        ("Backlog:", typeof(BacklogOptions), _ => true),
    ];

    private static IConfigurationRoot Sample() => new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(RepositoryRoot.Find(), "appsettings.sample.json"), optional: false)
        .Build();

    [Fact]
    public void The_sample_and_the_options_classes_name_the_same_settings()
    {
        var inSample = Sample().AsEnumerable()
            .Where(pair => pair.Value is not null)
            .Select(pair => Normalise(pair.Key))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var inOptions = Bound
            .SelectMany(b => Paths(b.Prefix, b.Type, b.Include))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

        Assert.Empty(inOptions.Except(inSample).Order());
        Assert.Empty(inSample.Except(inOptions).Order());
    }

    [Fact]
    public void Every_options_class_of_the_bot_is_checked_against_the_sample()
    {
        var optionsClasses = new[] { typeof(Program).Assembly, typeof(BotFrameworkOptions).Assembly }
            .SelectMany(a => a.GetTypes())
            .Where(t => t.IsClass && t.IsPublic && t.Name.EndsWith("Options", StringComparison.Ordinal));
        var checkedClasses = Bound.Select(b => b.Type).Append(typeof(BusinessHoursOptions)).Append(typeof(TenantAccessOptions)).ToHashSet();

        Assert.Empty(optionsClasses.Where(t => !checkedClasses.Contains(t)).Select(t => t.FullName));
    }

    [Fact]
    public void The_sample_binds_to_the_options_without_errors()
    {
        var sample = Sample();

        var sla = sample.GetSection("Sla").Get<SlaOptions>()!;
        Assert.Equal(TimeSpan.FromHours(48), sla.Tier2);
        Assert.Empty(new SlaOptionsValidator().Validate(null, sla).Failures ?? []);
        var connectors = sample.GetSection(ConnectorCatalogue.SectionName).Get<List<Connector>>()!;
        Assert.Equal(10, connectors.Count);
        Assert.Empty(new ConnectorCatalogueValidator().Validate(null, connectors).Failures ?? []);
        Assert.Equal(TimeSpan.FromSeconds(5), sample.GetSection(OpenAIOptions.Section).Get<OpenAIOptions>()!.Timeout);
        Assert.Equal(TimeSpan.FromDays(90), sample.GetSection(PortfolioOptions.Section).Get<PortfolioOptions>()!.ReviewInterval);
    }

    /// <summary>
    /// "Connectors:3:Id" and "Sla:RemindAt:1" name the same setting as any other index, and "Governance:Tenants:{a tenant id}:AdminIds"
    /// as any other tenant.
    /// </summary>
    private static string Normalise(string key) =>
        string.Join(':', key.Split(':').Select(part => int.TryParse(part, out _) ? "[]" : Guid.TryParse(part, out _) ? "{}" : part));

    /// <summary>The settings an options class takes: properties with a public setter, the only ones the binder sets.</summary>
    private static IEnumerable<string> Paths(string prefix, Type type, Func<PropertyInfo, bool> include)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod?.IsPublic == true && include(p)))
        {
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var path = prefix + property.Name;
            if (IsLeaf(propertyType))
            {
                yield return path;
            }
            else if (propertyType.IsGenericType && propertyType.GetGenericTypeDefinition() == typeof(Dictionary<,>))
            {
                var value = propertyType.GetGenericArguments()[1];
                foreach (var nested in IsLeaf(value) ? [path + ":{}"] : Paths(path + ":{}:", value, _ => true))
                {
                    yield return nested;
                }
            }
            else if (ElementType(propertyType) is { } element)
            {
                foreach (var nested in IsLeaf(element) ? [path + ":[]"] : Paths(path + ":[]:", element, _ => true))
                {
                    yield return nested;
                }
            }
            else
            {
                foreach (var nested in Paths(path + ":", propertyType, _ => true))
                {
                    yield return nested;
                }
            }
        }
    }

    private static bool IsLeaf(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan)
        || type == typeof(Uri) || type == typeof(DateOnly) || type == typeof(TimeOnly) || type == typeof(DateTimeOffset);

    private static Type? ElementType(Type type) =>
        type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type) && type.IsGenericType ? type.GetGenericArguments()[0] : null;
}
