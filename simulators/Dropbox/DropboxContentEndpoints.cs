using Microsoft.AspNetCore.Http.Features;
using Tributary.Simulators.Routing;

namespace Tributary.Simulators.Dropbox;

/// <summary>
/// The content host under <see cref="DropboxRoutes.ContentBasePath"/>: <c>upload</c> and the upload sessions
/// (<c>start</c>, <c>append_v2</c>, <c>finish</c>), arguments in the <c>Dropbox-API-Arg</c> header, content as the body.
/// </summary>
/// <remarks>
/// A write holds its folder's lease from before the body is read until the file is committed, so a second write to
/// the same folder while a slow body is still arriving collides, as on Dropbox.
/// </remarks>
public static class DropboxContentEndpoints
{
    public const string ArgHeader = "Dropbox-API-Arg";

    public static IEndpointRouteBuilder MapDropboxContent(this IEndpointRouteBuilder endpoints)
    {
        var files = endpoints.MapGroup($"{DropboxRoutes.ContentBasePath}/2/files").AddEndpointFilter(DropboxBearer.RequireAccessToken);

        files.MapPost("/upload", Upload)
            .AsSimulatedRoute(endpoints, DropboxRoutes.Upload, DropboxErrorWriter.Instance);
        // One endpoint for the three steps: a simulated route name is mapped once, and fault rules name the session as a whole.
        files.MapPost("/upload_session/{step:regex(^(start|append_v2|finish)$)}", (string step, HttpContext context, DropboxNamespace dropbox) => step switch
            {
                "start" => Start(context, dropbox),
                "append_v2" => Append(context, dropbox),
                _ => Finish(context, dropbox),
            })
            .AsSimulatedRoute(endpoints, DropboxRoutes.UploadSession, DropboxErrorWriter.Instance);
        return endpoints;
    }

    private static async Task<IResult> Upload(HttpContext context, DropboxNamespace dropbox)
    {
        const string Function = "files/upload";
        if (Arguments(context, Function, out var failed) is not { } arguments)
        {
            return failed!;
        }

        var commit = Commit.Read(arguments);
        var hash = arguments.String("content_hash", required: false);
        if (arguments.Problem is { } problem)
        {
            return DropboxErrors.BadInput(Function, $"HTTP header \"{ArgHeader}\": {problem}");
        }

        if (commit.Path is null)
        {
            return DropboxErrors.BadInput(Function, $"HTTP header \"{ArgHeader}\": {commit.Malformed}");
        }

        using var lease = dropbox.TryBeginWrite([commit.Path.ParentLower]);
        if (lease is null)
        {
            return DropboxFileEndpoints.Contended(context, dropbox);
        }

        var content = await ReadBodyAsync(context, dropbox.Options.UploadLimitBytes);
        if (content is null)
        {
            return DropboxErrors.RouteTag("payload_too_large");
        }

        return Write(dropbox, commit, content, hash);
    }

    private static async Task<IResult> Start(HttpContext context, DropboxNamespace dropbox)
    {
        const string Function = "files/upload_session/start";
        var header = context.Request.Headers[ArgHeader].ToString();
        DropboxArguments? arguments = null;
        if (header.Length > 0 && (arguments = DropboxArguments.Parse(header, $"HTTP header \"{ArgHeader}\"", out var reason)) is null)
        {
            return DropboxErrors.BadInput(Function, reason!);
        }

        if (arguments?.Bool("close", false) == true || arguments?.Problem is not null)
        {
            return DropboxErrors.BadInput(Function, arguments.Problem ?? "close: the simulator does not close sessions at start; send the rest with append_v2 and finish.");
        }

        var content = await ReadBodyAsync(context, dropbox.Options.UploadLimitBytes);
        return content is null
            ? DropboxErrors.RouteTag("payload_too_large")
            : TypedResults.Json(new SessionStartReply(dropbox.StartSession(content)), DropboxJsonContext.Default.SessionStartReply);
    }

    private static async Task<IResult> Append(HttpContext context, DropboxNamespace dropbox)
    {
        const string Function = "files/upload_session/append_v2";
        if (Arguments(context, Function, out var failed) is not { } arguments)
        {
            return failed!;
        }

        var cursor = arguments.Object("cursor");
        var sessionId = cursor?.String("session_id");
        var offset = cursor?.Long("offset");
        arguments.Adopt("cursor", cursor);
        if (arguments.Problem is { } problem || offset is null)
        {
            return DropboxErrors.BadInput(Function, $"HTTP header \"{ArgHeader}\": {arguments.Problem ?? "cursor.offset: missing required field 'offset'."}");
        }

        var content = await ReadBodyAsync(context, dropbox.Options.UploadLimitBytes);
        if (content is null)
        {
            return DropboxErrors.RouteTag("payload_too_large");
        }

        var (error, correct) = dropbox.Append(sessionId!, offset.Value, content, take: false, out _);
        return error is null ? TypedResults.Text("null", "application/json") : SessionError(error, correct);
    }

    private static async Task<IResult> Finish(HttpContext context, DropboxNamespace dropbox)
    {
        const string Function = "files/upload_session/finish";
        if (Arguments(context, Function, out var failed) is not { } arguments)
        {
            return failed!;
        }

        var cursor = arguments.Object("cursor");
        var sessionId = cursor?.String("session_id");
        var offset = cursor?.Long("offset");
        arguments.Adopt("cursor", cursor);
        var commitArguments = arguments.Object("commit");
        var commit = commitArguments is null ? null : Commit.Read(commitArguments);
        arguments.Adopt("commit", commitArguments);
        var hash = arguments.String("content_hash", required: false);
        if (arguments.Problem is { } problem || offset is null || commit is null)
        {
            return DropboxErrors.BadInput(Function, $"HTTP header \"{ArgHeader}\": {arguments.Problem ?? "cursor.offset: missing required field 'offset'."}");
        }

        if (commit.Path is null)
        {
            return DropboxErrors.BadInput(Function, $"HTTP header \"{ArgHeader}\": commit.{commit.Malformed}");
        }

        using var lease = dropbox.TryBeginWrite([commit.Path.ParentLower]);
        if (lease is null)
        {
            return DropboxFileEndpoints.Contended(context, dropbox);
        }

        var content = await ReadBodyAsync(context, dropbox.Options.UploadLimitBytes);
        if (content is null)
        {
            return DropboxErrors.RouteTag("payload_too_large");
        }

        var (error, correct) = dropbox.Append(sessionId!, offset.Value, content, take: true, out var whole);
        return error is null ? Write(dropbox, commit, whole!, hash) : SessionError(error, correct);
    }

    private static IResult Write(DropboxNamespace dropbox, Commit commit, byte[] content, string? hash)
    {
        if (hash is not null && !string.Equals(hash, DropboxContentHash.Compute(content), StringComparison.OrdinalIgnoreCase))
        {
            return DropboxErrors.RouteTag("content_hash_mismatch");
        }

        var (entry, conflict) = dropbox.Commit(commit.Path!, content, commit.Overwrite, commit.Autorename);
        if (entry is not null)
        {
            return TypedResults.Json(entry, DropboxJsonContext.Default.DropboxEntry);
        }

        var reason = new System.Text.Json.Nodes.JsonObject
        {
            [".tag"] = "conflict",
            ["conflict"] = new System.Text.Json.Nodes.JsonObject { [".tag"] = conflict },
        };
        return DropboxErrors.Route(
            $"path/conflict/{conflict}",
            new System.Text.Json.Nodes.JsonObject { [".tag"] = "path", ["reason"] = reason, ["upload_session_id"] = "sim-none" });
    }

    private static IResult SessionError(string error, long correct) => error == "incorrect_offset"
        ? DropboxErrors.Route(
            "incorrect_offset",
            new System.Text.Json.Nodes.JsonObject { [".tag"] = "incorrect_offset", ["correct_offset"] = correct })
        : DropboxErrors.RouteTag(error);

    private static DropboxArguments? Arguments(HttpContext context, string function, out IResult? failed)
    {
        var arguments = DropboxArguments.Parse(context.Request.Headers[ArgHeader].ToString(), $"HTTP header \"{ArgHeader}\"", out var reason);
        failed = arguments is null ? DropboxErrors.BadInput(function, reason!) : null;
        return arguments;
    }

    /// <summary>The body, or null when it is longer than <paramref name="limit"/>.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpContext context, long limit)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>The commit info of an upload: path, mode (<c>add</c> or <c>overwrite</c>), autorename; <c>mute</c> is accepted and ignored.</summary>
    private sealed record Commit(DropboxPath? Path, string? Malformed, bool Overwrite, bool Autorename)
    {
        public static Commit Read(DropboxArguments arguments)
        {
            var text = arguments.String("path");
            var mode = arguments.Tag("mode") ?? "add";
            var autorename = arguments.Bool("autorename", false);
            arguments.Bool("mute", false);
            if (mode is not ("add" or "overwrite"))
            {
                return new Commit(null, $"mode: '{mode}' is not 'add' or 'overwrite' (the simulator has no 'update').", false, autorename);
            }

            var path = DropboxPath.Parse(text, out var malformed);
            return new Commit(path, malformed, mode == "overwrite", autorename);
        }
    }
}
