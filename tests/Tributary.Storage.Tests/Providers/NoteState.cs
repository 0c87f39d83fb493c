namespace Tributary.Storage.Tests.Providers;

/// <summary>The stored note. The alias keeps stored rows readable if the class moves.</summary>
[GenerateSerializer, Alias("tributary.tests.note-state")]
public sealed class NoteState
{
    [Id(0)]
    public string? Text { get; set; }
}
