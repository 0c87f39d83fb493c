using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Tributary.Simulators.Dropbox;

/// <summary>
/// The simulated Dropbox account: an in-memory folder tree, the access tokens issued, upload sessions, delete-batch
/// jobs and the per-folder write leases that make overlapping writes to one folder collide, as Dropbox's namespace
/// lock does.
/// </summary>
/// <remarks>One lock guards it all: the simulator is for tests and development, never large volumes.</remarks>
public sealed class DropboxNamespace(IOptions<DropboxOptions> options, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, StoredFile> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _folders = new(StringComparer.Ordinal) { [string.Empty] = string.Empty };
    private readonly Dictionary<string, DateTimeOffset> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<byte[]>> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DeleteJob> _jobs = new(StringComparer.Ordinal);
    private readonly HashSet<string> _writing = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, int> _writesByFolder = new(StringComparer.Ordinal);
    private long _sequence;
    private int _contended;

    public DropboxOptions Options => options.Value;

    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>A new access token, valid for <see cref="DropboxOptions.AccessTokenSeconds"/>.</summary>
    public string IssueAccessToken()
    {
        var token = "sl." + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        lock (_gate)
        {
            _tokens[token] = Now.AddSeconds(Options.AccessTokenSeconds);
        }

        return token;
    }

    /// <summary><c>null</c> for a valid token, else the 401 tag: <c>invalid_access_token</c> or <c>expired_access_token</c>.</summary>
    public string? CheckAccessToken(string? token)
    {
        lock (_gate)
        {
            if (token is null || !_tokens.TryGetValue(token, out var expires))
            {
                return "invalid_access_token";
            }

            return Now >= expires ? "expired_access_token" : null;
        }
    }

    /// <summary>Expires every access token issued so far; returns how many were still valid.</summary>
    public int ExpireTokens()
    {
        lock (_gate)
        {
            var now = Now;
            var valid = _tokens.Where(token => token.Value > now).Select(token => token.Key).ToList();
            foreach (var token in valid)
            {
                _tokens[token] = now;
            }

            return valid.Count;
        }
    }

    /// <summary>
    /// Takes the write lease of every folder in <paramref name="foldersLower"/>, or none (null) when another write
    /// holds one of them: that write collides, and is counted.
    /// </summary>
    public IDisposable? TryBeginWrite(IEnumerable<string> foldersLower)
    {
        var folders = foldersLower.Distinct(StringComparer.Ordinal).ToList();
        lock (_gate)
        {
            if (folders.Any(_writing.Contains))
            {
                _contended++;
                return null;
            }

            foreach (var folder in folders)
            {
                _writing.Add(folder);
                _writesByFolder[folder] = _writesByFolder.GetValueOrDefault(folder) + 1;
            }
        }

        return new WriteLease(this, folders);
    }

    /// <summary>Whether <paramref name="lower"/> is the root or a folder.</summary>
    public bool IsFolder(string lower)
    {
        lock (_gate)
        {
            return _folders.ContainsKey(lower);
        }
    }

    public bool IsFile(string lower)
    {
        lock (_gate)
        {
            return _files.ContainsKey(lower);
        }
    }

    /// <summary>
    /// Writes a file. Returns its metadata, or the conflict (<c>file</c> or <c>folder</c>) when <paramref name="overwrite"/>
    /// is false, a different file is there and <paramref name="autorename"/> is false, or a folder is in the way.
    /// </summary>
    /// <remarks>Adding the very content already there is no conflict: Dropbox answers with the file as it is.</remarks>
    public (DropboxEntry? Entry, string? Conflict) Commit(DropboxPath path, byte[] content, bool overwrite, bool autorename)
    {
        var hash = DropboxContentHash.Compute(content);
        lock (_gate)
        {
            var ancestor = Ancestors(path.Lower).FirstOrDefault(_files.ContainsKey);
            if (ancestor is not null)
            {
                return (null, "file");
            }

            if (_folders.ContainsKey(path.Lower))
            {
                return (null, "folder");
            }

            var target = path;
            if (_files.TryGetValue(path.Lower, out var existing) && !overwrite)
            {
                if (existing.ContentHash == hash)
                {
                    return (Entry(existing), null);
                }

                if (!autorename)
                {
                    return (null, "file");
                }

                target = FreeName(path);
            }

            foreach (var folder in Ancestors(target.Lower).Reverse())
            {
                _folders.TryAdd(folder, target.Display[..folder.Length]);
            }

            var id = _files.TryGetValue(target.Lower, out var replaced) ? replaced.Id : $"id:{Next():x16}";
            var stored = new StoredFile(target, id, content, hash, Next().ToString("x12", CultureInfo.InvariantCulture), Now);
            _files[target.Lower] = stored;
            return (Entry(stored), null);
        }
    }

    /// <summary>The entries directly in (or, <paramref name="recursive"/>, anywhere under) a folder, ordered by lower-case path.</summary>
    public IReadOnlyList<DropboxEntry> List(string folderLower, bool recursive)
    {
        bool Inside(string lower) => recursive
            ? lower.StartsWith(folderLower + "/", StringComparison.Ordinal)
            : DropboxPath.ParentOf(lower) == folderLower;

        lock (_gate)
        {
            var folders = _folders.Where(folder => folder.Key.Length > 0 && Inside(folder.Key)).Select(folder => FolderEntry(folder.Key, folder.Value));
            var files = _files.Values.Where(file => Inside(file.Path.Lower)).Select(Entry);
            return [.. folders.Concat(files).OrderBy(entry => entry.PathLower, StringComparer.Ordinal)];
        }
    }

    /// <summary>Deletes a file or a folder with everything under it; null when nothing is there.</summary>
    public DropboxEntry? Delete(string lower)
    {
        lock (_gate)
        {
            if (_files.Remove(lower, out var file))
            {
                return Entry(file);
            }

            if (lower.Length == 0 || !_folders.TryGetValue(lower, out var display))
            {
                return null;
            }

            var prefix = lower + "/";
            foreach (var key in _files.Keys.Where(key => key.StartsWith(prefix, StringComparison.Ordinal)).ToList())
            {
                _files.Remove(key);
            }

            foreach (var key in _folders.Keys.Where(key => key == lower || key.StartsWith(prefix, StringComparison.Ordinal)).ToList())
            {
                _folders.Remove(key);
            }

            return FolderEntry(lower, display);
        }
    }

    public string StartSession(byte[] first)
    {
        lock (_gate)
        {
            var id = $"sim-session-{Next():x8}";
            _sessions[id] = [first];
            return id;
        }
    }

    /// <summary>
    /// Appends at <paramref name="offset"/>: null on success, else the error tag (<c>not_found</c>, or
    /// <c>incorrect_offset</c> with the correct offset).
    /// </summary>
    public (string? Error, long CorrectOffset) Append(string sessionId, long offset, byte[] chunk, bool take, out byte[]? whole)
    {
        whole = null;
        lock (_gate)
        {
            if (!_sessions.TryGetValue(sessionId, out var chunks))
            {
                return ("not_found", 0);
            }

            var length = chunks.Sum(part => (long)part.Length);
            if (length != offset)
            {
                return ("incorrect_offset", length);
            }

            chunks.Add(chunk);
            if (take)
            {
                _sessions.Remove(sessionId);
                whole = [.. chunks.SelectMany(part => part)];
            }

            return (null, 0);
        }
    }

    /// <summary>Records a finished delete batch; its first checks answer in progress.</summary>
    public string AddJob(IReadOnlyList<DeleteBatchEntry> results)
    {
        lock (_gate)
        {
            var id = $"dbjid:sim-{Next():x16}";
            _jobs[id] = new DeleteJob(results, Options.DeleteBatchInProgressChecks);
            return id;
        }
    }

    /// <summary>The job's state, or null for an id this simulator did not issue.</summary>
    public DeleteBatchCheckReply? Check(string jobId)
    {
        lock (_gate)
        {
            if (!_jobs.TryGetValue(jobId, out var job))
            {
                return null;
            }

            if (job.ChecksLeft > 0)
            {
                job.ChecksLeft--;
                return new DeleteBatchCheckReply("in_progress");
            }

            return new DeleteBatchCheckReply("complete", job.Results);
        }
    }

    public DropboxSnapshot Snapshot()
    {
        lock (_gate)
        {
            return new DropboxSnapshot(
                [.. _files.Values.OrderBy(file => file.Path.Lower, StringComparer.Ordinal)
                    .Select(file => new DropboxSnapshot.FileState(file.Path.Display, file.Content.LongLength, file.ContentHash))],
                _writesByFolder.Values.Sum(),
                new Dictionary<string, int>(_writesByFolder.Select(folder => KeyValuePair.Create(folder.Key.Length == 0 ? "/" : folder.Key, folder.Value))),
                _contended,
                _writing.Count,
                _sessions.Count);
        }
    }

    /// <summary>Empties the tree and forgets sessions, jobs and counts; access tokens stay valid.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _files.Clear();
            _folders.Clear();
            _folders[string.Empty] = string.Empty;
            _sessions.Clear();
            _jobs.Clear();
            _writesByFolder.Clear();
            _contended = 0;
        }
    }

    private long Next() => ++_sequence;

    private static IEnumerable<string> Ancestors(string lower)
    {
        for (var cut = lower.LastIndexOf('/'); cut > 0; cut = lower.LastIndexOf('/', cut - 1))
        {
            yield return lower[..cut];
        }
    }

    private DropboxPath FreeName(DropboxPath path)
    {
        var name = path.Name;
        var dot = name.LastIndexOf('.');
        var (stem, extension) = dot > 0 ? (name[..dot], name[dot..]) : (name, string.Empty);
        for (var n = 1; ; n++)
        {
            var candidate = new DropboxPath($"{path.ParentDisplay}/{stem} ({n.ToString(CultureInfo.InvariantCulture)}){extension}");
            if (!_files.ContainsKey(candidate.Lower) && !_folders.ContainsKey(candidate.Lower))
            {
                return candidate;
            }
        }
    }

    private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static DropboxEntry Entry(StoredFile file) => new(
        "file",
        file.Path.Name,
        file.Id,
        file.Path.Lower,
        file.Path.Display,
        Stamp(file.Modified),
        Stamp(file.Modified),
        file.Rev,
        file.Content.LongLength,
        true,
        file.ContentHash);

    private static DropboxEntry FolderEntry(string lower, string display) =>
        new("folder", display[(display.LastIndexOf('/') + 1)..], "id:" + Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(lower)))[..16], lower, display);

    private void EndWrite(IReadOnlyList<string> folders)
    {
        lock (_gate)
        {
            foreach (var folder in folders)
            {
                _writing.Remove(folder);
            }
        }
    }

    private sealed record StoredFile(DropboxPath Path, string Id, byte[] Content, string ContentHash, string Rev, DateTimeOffset Modified);

    private sealed class DeleteJob(IReadOnlyList<DeleteBatchEntry> results, int checksLeft)
    {
        public IReadOnlyList<DeleteBatchEntry> Results { get; } = results;

        public int ChecksLeft { get; set; } = checksLeft;
    }

    private sealed class WriteLease(DropboxNamespace owner, IReadOnlyList<string> folders) : IDisposable
    {
        private int _ended;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _ended, 1) == 0)
            {
                owner.EndWrite(folders);
            }
        }
    }
}
