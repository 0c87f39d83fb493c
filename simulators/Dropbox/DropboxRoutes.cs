namespace Tributary.Simulators.Dropbox;

/// <summary>Paths and simulated route names of the Dropbox simulator (OAuth, RPC and content hosts).</summary>
/// <remarks>
/// The three hosts share the simulators' port: a client's OAuth URL is <see cref="RootPath"/>/, its API URL
/// <see cref="ApiBasePath"/>/ and its content URL <see cref="ContentBasePath"/>/.
/// </remarks>
public static class DropboxRoutes
{
    /// <summary>Everything Dropbox lives under this prefix; unknown paths below it get <see cref="NotFound"/>.</summary>
    public const string RootPath = "/dropbox";

    /// <summary>Stands in for <c>https://api.dropboxapi.com/</c>.</summary>
    public const string ApiBasePath = "/dropbox/api";

    /// <summary>Stands in for <c>https://content.dropboxapi.com/</c>.</summary>
    public const string ContentBasePath = "/dropbox/content";

    /// <summary><c>POST /dropbox/oauth2/token</c>.</summary>
    public const string Token = "dropbox.token";

    /// <summary><c>POST {ApiBasePath}/2/files/list_folder</c>.</summary>
    public const string ListFolder = "dropbox.list_folder";

    /// <summary><c>POST {ApiBasePath}/2/files/list_folder/continue</c>.</summary>
    public const string ListFolderContinue = "dropbox.list_folder_continue";

    /// <summary><c>POST {ApiBasePath}/2/files/delete_v2</c>.</summary>
    public const string Delete = "dropbox.delete";

    /// <summary><c>POST {ApiBasePath}/2/files/delete_batch</c>.</summary>
    public const string DeleteBatch = "dropbox.delete_batch";

    /// <summary><c>POST {ApiBasePath}/2/files/delete_batch/check</c>.</summary>
    public const string DeleteBatchCheck = "dropbox.delete_batch_check";

    /// <summary><c>POST {ContentBasePath}/2/files/upload</c>.</summary>
    public const string Upload = "dropbox.upload";

    /// <summary><c>POST {ContentBasePath}/2/files/upload_session/start</c>, <c>/append_v2</c> and <c>/finish</c>.</summary>
    public const string UploadSession = "dropbox.upload_session";

    /// <summary>Any other path under <see cref="RootPath"/>: a text 404.</summary>
    public const string NotFound = "dropbox.notfound";

    /// <summary>The admin API of this simulator.</summary>
    public const string AdminPath = "/_admin/dropbox";

    /// <summary>At most this many entries in one <c>delete_batch</c>.</summary>
    public const int MaxDeleteBatchEntries = 1000;

    /// <summary>At most this many entries in one <c>list_folder</c> page, and the page size when none is asked.</summary>
    public const int MaxListLimit = 2000;
}
