using Tributary.Connectors.Dropbox;

namespace Tributary.Connectors.Tests.Dropbox;

/// <summary>A bad Dropbox setting fails start-up with a sentence naming it, and never quotes a secret.</summary>
public sealed class DropboxOptionsTests
{
    private static DropboxOptions Valid() => new()
    {
        OAuthUrl = new Uri("http://127.0.0.1:5090/dropbox/"),
        ApiUrl = new Uri("http://127.0.0.1:5090/dropbox/api/"),
        ContentUrl = new Uri("http://127.0.0.1:5090/dropbox/content/"),
        AppKey = "key",
        AppSecret = "secret-value",
        RefreshToken = "refresh-value",
    };

    [Fact]
    public void The_defaults_with_urls_and_credentials_are_valid()
    {
        var options = Valid();

        Assert.True(new DropboxOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(150L * 1024 * 1024, options.UploadSessionThreshold);
    }

    [Fact]
    public void Each_bad_setting_is_named()
    {
        var options = Valid();
        options.ApiUrl = null;
        options.ContentUrl = new Uri("ftp://example.com/");
        options.AppSecret = " ";
        options.UploadSessionThreshold = 1023;
        options.ListLimit = 2001;
        options.Timeout = TimeSpan.Zero;

        var failures = new DropboxOptionsValidator().Validate(null, options).Failures!.ToList();

        Assert.Equal(
            [
                "Dropbox:ApiUrl is required: the RPC host root, such as https://api.dropboxapi.com/ (http://127.0.0.1:5090/dropbox/api/ for the simulators).",
                "Dropbox:ContentUrl must be an absolute http or https URL; was 'ftp://example.com/'.",
                "Dropbox:AppSecret is required: the Dropbox app's secret, from configuration or the environment (Dropbox__AppSecret).",
                "Dropbox:UploadSessionThreshold must be 1024..157286400 bytes (1 KiB..150 MiB), was 1023.",
                "Dropbox:ListLimit must be 1..2000, was 2001.",
                "Dropbox:Timeout must be more than 00:00:00 and at most 00:30:00, was 00:00:00.",
            ],
            failures);
        Assert.DoesNotContain(failures, failure => failure.Contains("refresh-value", StringComparison.Ordinal));
    }
}
