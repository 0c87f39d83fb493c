using Tributary.Simulators.Admin;

namespace Tributary.Simulators.Dropbox;

/// <summary>
/// <c>/_admin/dropbox</c>: the files and write counts, seeding a file, expiring every access token, and a reset.
/// </summary>
public static class DropboxAdminEndpoints
{
    public static IEndpointRouteBuilder MapDropboxAdmin(this IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup(DropboxRoutes.AdminPath);

        admin.MapGet("/", (DropboxNamespace dropbox) => TypedResults.Ok(dropbox.Snapshot()));

        admin.MapPut("/files", SeedFile);

        admin.MapPost("/expire-tokens", (DropboxNamespace dropbox) => TypedResults.Ok(new ExpiredTokens(dropbox.ExpireTokens())));

        admin.MapPost("/reset", (DropboxNamespace dropbox) =>
        {
            dropbox.Reset();
            return TypedResults.Ok(dropbox.Snapshot());
        });

        return endpoints;
    }

    private static async Task<IResult> SeedFile(HttpRequest request, DropboxNamespace dropbox)
    {
        var body = await AdminBody.ReadAsync<SeedRequest>(request);
        if (body.Error is not null)
        {
            return body.Error;
        }

        if (body.Value?.Path is not { } text)
        {
            return AdminBody.Invalid("path", "path is required: the file's path, such as /inbox/report.xlsx.");
        }

        if (DropboxPath.Parse(text, out var malformed) is not { } path)
        {
            return AdminBody.Invalid("path", malformed!);
        }

        if (body.Value.Content is not { } encoded)
        {
            return AdminBody.Invalid("content", "content is required: the file's bytes in base64 (\"\" for an empty file).");
        }

        byte[] content;
        try
        {
            content = Convert.FromBase64String(encoded);
        }
        catch (FormatException)
        {
            return AdminBody.Invalid("content", "content must be base64.");
        }

        var (entry, conflict) = dropbox.Commit(path, content, overwrite: true, autorename: false);
        return entry is not null
            ? TypedResults.Ok(entry)
            : AdminBody.Invalid("path", $"path {text} is taken by a {conflict} in the way.");
    }

    /// <summary>Body of <c>PUT /_admin/dropbox/files</c>.</summary>
    public sealed record SeedRequest(string? Path, string? Content);

    /// <summary>Reply of <c>POST /_admin/dropbox/expire-tokens</c>: how many tokens were still valid.</summary>
    public sealed record ExpiredTokens(int Expired);
}
