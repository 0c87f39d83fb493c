namespace Tributary.Storage;

internal static class StoragePlaceholder;
