namespace Tributary.Simulators;

/// <summary>Source-generated log messages of the simulators.</summary>
public static partial class SimulatorLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Simulators listening on {Address}")]
    public static partial void Listening(ILogger logger, Uri address);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Injected fault {Kind} on {Route}: {Method} {Path}")]
    public static partial void FaultInjected(ILogger logger, string kind, string route, string method, string path);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "Fault rules replaced: {Count} rule(s) now in force")]
    public static partial void FaultsReplaced(ILogger logger, int count);

    [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "Fault rule {Id} added: {Kind} on {Route}")]
    public static partial void FaultAdded(ILogger logger, long id, string kind, string route);

    [LoggerMessage(EventId = 13, Level = LogLevel.Information, Message = "Fault rules cleared")]
    public static partial void FaultsCleared(ILogger logger);

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "WealthX total set to {Total} dossiers")]
    public static partial void WealthXTotalChanged(ILogger logger, int total);

    [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "WealthX dossier {Id} revised to revision {Revision}")]
    public static partial void WealthXDossierRevised(ILogger logger, int id, int revision);

    [LoggerMessage(EventId = 30, Level = LogLevel.Information, Message = "TrueLayer consent {CredentialsId} created with {Accounts} account(s) and card(s)")]
    public static partial void TrueLayerConsentCreated(ILogger logger, string credentialsId, int accounts);
}
