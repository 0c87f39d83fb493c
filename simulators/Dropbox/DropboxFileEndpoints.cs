using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Tributary.Simulators.Routing;

namespace Tributary.Simulators.Dropbox;

/// <summary>
/// The RPC host under <see cref="DropboxRoutes.ApiBasePath"/>: <c>list_folder</c> (and <c>/continue</c>),
/// <c>delete_v2</c>, <c>delete_batch</c> (and <c>/check</c>), and the text 404 for other Dropbox paths.
/// </summary>
public static class DropboxFileEndpoints
{
    public static IEndpointRouteBuilder MapDropboxFiles(this IEndpointRouteBuilder endpoints)
    {
        var files = endpoints.MapGroup($"{DropboxRoutes.ApiBasePath}/2/files").AddEndpointFilter(DropboxBearer.RequireAccessToken);

        files.MapPost("/list_folder", ListFolder)
            .AsSimulatedRoute(endpoints, DropboxRoutes.ListFolder, DropboxErrorWriter.Instance);
        files.MapPost("/list_folder/continue", ListFolderContinue)
            .AsSimulatedRoute(endpoints, DropboxRoutes.ListFolderContinue, DropboxErrorWriter.Instance);
        files.MapPost("/delete_v2", Delete)
            .AsSimulatedRoute(endpoints, DropboxRoutes.Delete, DropboxErrorWriter.Instance);
        files.MapPost("/delete_batch", DeleteBatch)
            .AsSimulatedRoute(endpoints, DropboxRoutes.DeleteBatch, DropboxErrorWriter.Instance);
        files.MapPost("/delete_batch/check", DeleteBatchCheck)
            .AsSimulatedRoute(endpoints, DropboxRoutes.DeleteBatchCheck, DropboxErrorWriter.Instance);

        endpoints.Map($"{DropboxRoutes.RootPath}/{{**rest}}", (HttpRequest request) => TypedResults.Text(
                $"Unknown API function: \"{request.Method} {request.Path}\"",
                "text/plain; charset=utf-8",
                statusCode: StatusCodes.Status404NotFound))
            .AsSimulatedRoute(endpoints, DropboxRoutes.NotFound, DropboxErrorWriter.Instance);

        return endpoints;
    }

    private static async Task<IResult> ListFolder(HttpRequest request, DropboxNamespace dropbox)
    {
        const string Function = "files/list_folder";
        var (arguments, reason) = await DropboxArguments.ReadBodyAsync(request);
        if (arguments is null)
        {
            return DropboxErrors.BadInput(Function, reason!);
        }

        var path = arguments.String("path");
        var recursive = arguments.Bool("recursive", false);
        var limit = arguments.Long("limit") ?? DropboxRoutes.MaxListLimit;
        if (arguments.Problem is { } problem)
        {
            return DropboxErrors.BadInput(Function, $"request body: {problem}");
        }

        if (limit is < 1 or > DropboxRoutes.MaxListLimit)
        {
            return DropboxErrors.BadInput(Function, $"request body: limit: {limit} is not within 1..{DropboxRoutes.MaxListLimit}.");
        }

        string folder;
        if (path!.Length == 0)
        {
            folder = string.Empty;
        }
        else if (path == "/")
        {
            return DropboxErrors.BadInput(Function, "request body: path: Specify the root folder as an empty string rather than as \"/\".");
        }
        else if (DropboxPath.Parse(path, out var malformed) is { } parsed)
        {
            folder = parsed.Lower;
        }
        else
        {
            return DropboxErrors.BadInput(Function, $"request body: {malformed}");
        }

        if (dropbox.IsFile(folder))
        {
            return DropboxErrors.Route("path", "not_folder");
        }

        if (!dropbox.IsFolder(folder))
        {
            return DropboxErrors.Route("path", "not_found");
        }

        return Page(dropbox, new ListCursor(folder, recursive, (int)limit, null));
    }

    private static async Task<IResult> ListFolderContinue(HttpRequest request, DropboxNamespace dropbox)
    {
        const string Function = "files/list_folder/continue";
        var (arguments, reason) = await DropboxArguments.ReadBodyAsync(request);
        if (arguments is null)
        {
            return DropboxErrors.BadInput(Function, reason!);
        }

        var text = arguments.String("cursor");
        if (arguments.Problem is { } problem)
        {
            return DropboxErrors.BadInput(Function, $"request body: {problem}");
        }

        if (ListCursor.Decode(text!) is not { } cursor)
        {
            return DropboxErrors.BadInput(Function, "Invalid \"cursor\" parameter: not a cursor this API issued.");
        }

        return dropbox.IsFolder(cursor.Folder) ? Page(dropbox, cursor) : DropboxErrors.Route("path", "not_found");
    }

    private static JsonHttpResult<ListFolderReply> Page(DropboxNamespace dropbox, ListCursor cursor)
    {
        var remaining = dropbox.List(cursor.Folder, cursor.Recursive)
            .Where(entry => cursor.After is null || string.CompareOrdinal(entry.PathLower, cursor.After) > 0)
            .ToList();
        var page = remaining.Take(cursor.Limit).ToList();
        var next = cursor with { After = page.Count > 0 ? page[^1].PathLower : cursor.After };
        return TypedResults.Json(
            new ListFolderReply(page, next.Encode(), remaining.Count > page.Count),
            DropboxJsonContext.Default.ListFolderReply);
    }

    private static async Task<IResult> Delete(HttpContext context, DropboxNamespace dropbox)
    {
        const string Function = "files/delete_v2";
        var (arguments, reason) = await DropboxArguments.ReadBodyAsync(context.Request);
        if (arguments is null)
        {
            return DropboxErrors.BadInput(Function, reason!);
        }

        var text = arguments.String("path");
        if (arguments.Problem is { } problem)
        {
            return DropboxErrors.BadInput(Function, $"request body: {problem}");
        }

        if (DropboxPath.Parse(text, out var malformed) is not { } path)
        {
            return DropboxErrors.BadInput(Function, $"request body: {malformed}");
        }

        using var lease = dropbox.TryBeginWrite([path.ParentLower]);
        if (lease is null)
        {
            return Contended(context, dropbox);
        }

        return dropbox.Delete(path.Lower) is { } deleted
            ? TypedResults.Json(new DeleteReply(deleted), DropboxJsonContext.Default.DeleteReply)
            : DropboxErrors.Route("path_lookup", "not_found");
    }

    private static async Task<IResult> DeleteBatch(HttpContext context, DropboxNamespace dropbox)
    {
        const string Function = "files/delete_batch";
        var (arguments, reason) = await DropboxArguments.ReadBodyAsync(context.Request);
        if (arguments is null)
        {
            return DropboxErrors.BadInput(Function, reason!);
        }

        var entries = arguments.Array("entries");
        if (arguments.Problem is { } problem)
        {
            return DropboxErrors.BadInput(Function, $"request body: {problem}");
        }

        if (entries!.Count > DropboxRoutes.MaxDeleteBatchEntries)
        {
            return DropboxErrors.BadInput(Function, $"request body: entries: {entries.Count} entries; at most {DropboxRoutes.MaxDeleteBatchEntries} are allowed.");
        }

        var paths = new List<DropboxPath>();
        for (var index = 0; index < entries.Count; index++)
        {
            var text = entries[index]?.String("path");
            if (entries[index] is null || entries[index].Problem is not null || DropboxPath.Parse(text, out _) is not { } path)
            {
                DropboxPath.Parse(text, out var malformed);
                return DropboxErrors.BadInput(Function, $"request body: entries[{index.ToString(CultureInfo.InvariantCulture)}]: {entries[index]?.Problem ?? malformed ?? "expected an object with a path."}");
            }

            paths.Add(path);
        }

        using var lease = dropbox.TryBeginWrite(paths.Select(path => path.ParentLower));
        if (lease is null)
        {
            return Contended(context, dropbox);
        }

        var results = paths.Select(path => dropbox.Delete(path.Lower) is { } deleted
                ? new DeleteBatchEntry("success", Metadata: deleted)
                : new DeleteBatchEntry("failure", Failure: new DeleteBatchFailure("path_lookup", new Tagged("not_found"))))
            .ToList();
        return TypedResults.Json(new AsyncJobReply("async_job_id", dropbox.AddJob(results)), DropboxJsonContext.Default.AsyncJobReply);
    }

    private static async Task<IResult> DeleteBatchCheck(HttpRequest request, DropboxNamespace dropbox)
    {
        const string Function = "files/delete_batch/check";
        var (arguments, reason) = await DropboxArguments.ReadBodyAsync(request);
        if (arguments is null)
        {
            return DropboxErrors.BadInput(Function, reason!);
        }

        var id = arguments.String("async_job_id");
        if (arguments.Problem is { } problem)
        {
            return DropboxErrors.BadInput(Function, $"request body: {problem}");
        }

        return dropbox.Check(id!) is { } state
            ? TypedResults.Json(state, DropboxJsonContext.Default.DeleteBatchCheckReply)
            : DropboxErrors.RouteTag("invalid_async_job_id");
    }

    /// <summary>The 429 of a write that collided with another in the same folder.</summary>
    public static IResult Contended(HttpContext context, DropboxNamespace dropbox) =>
        DropboxErrors.TooManyWrites(context, dropbox.Options.ContentionRetryAfterSeconds > 0 ? dropbox.Options.ContentionRetryAfterSeconds : null);

    /// <summary>Where a listing stands: base64url of <c>folder\nrecursive\nlimit\nlast path</c>.</summary>
    private sealed record ListCursor(string Folder, bool Recursive, int Limit, string? After)
    {
        public string Encode() => Convert.ToBase64String(Encoding.UTF8.GetBytes(
                $"{Folder}\n{(Recursive ? "1" : "0")}\n{Limit.ToString(CultureInfo.InvariantCulture)}\n{After}"))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

        public static ListCursor? Decode(string text)
        {
            try
            {
                var padded = text.Replace('-', '+').Replace('_', '/');
                padded += new string('=', (4 - (padded.Length % 4)) % 4);
                var parts = Encoding.UTF8.GetString(Convert.FromBase64String(padded)).Split('\n');
                return parts.Length == 4 && parts[1] is "0" or "1" && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit is >= 1 and <= DropboxRoutes.MaxListLimit
                    ? new ListCursor(parts[0], parts[1] == "1", limit, parts[3].Length == 0 ? null : parts[3])
                    : null;
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }
}
