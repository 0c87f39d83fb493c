using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tributary.Api.Endpoints;

/// <summary>
/// The API's JSON edge for the enums the cluster uses inside (run status and trigger, misfire policy): each value as
/// snake_case text, <c>PartiallySucceeded</c> as <c>partially_succeeded</c>, the same text storage keeps. Put on a
/// view's property, so every host of the endpoints writes it alike, whatever its serializer settings.
/// </summary>
public sealed class SnakeCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false)
    where TEnum : struct, Enum;
