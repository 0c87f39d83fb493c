namespace Tributary.Simulators.TrueLayer;

/// <summary>The bank behind a consent: always TrueLayer's "Mock Bank" here.</summary>
public sealed record ProviderInfo(string DisplayName, string ProviderId, string LogoUri)
{
    public static readonly ProviderInfo MockBank = new("Mock Bank", "mock", "https://truelayer-provider-assets.s3.amazonaws.com/global/logos/mock.svg");
}
