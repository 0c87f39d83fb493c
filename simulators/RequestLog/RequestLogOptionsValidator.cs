using Microsoft.Extensions.Options;

namespace Tributary.Simulators.RequestLog;

/// <summary>Fails start-up on an unusable request log bound.</summary>
public sealed class RequestLogOptionsValidator : IValidateOptions<RequestLogOptions>
{
    public const int MaxCapacity = 10_000_000;

    public ValidateOptionsResult Validate(string? name, RequestLogOptions options) =>
        options.Capacity is < 1 or > MaxCapacity
            ? ValidateOptionsResult.Fail($"{RequestLogOptions.Section}:Capacity must be 1..{MaxCapacity}, was {options.Capacity}.")
            : ValidateOptionsResult.Success;
}
