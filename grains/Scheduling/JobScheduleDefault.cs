using Microsoft.Extensions.DependencyInjection;

namespace Tributary.Scheduling;

/// <summary>
/// A domain's own schedule for one of its jobs (WealthX's <c>WealthX:Schedule</c>), applied at silo start like a
/// configured one; <c>Jobs:{job}:Schedule:*</c> overrides it, and an operator's change through the API outlives both.
/// </summary>
public sealed record JobScheduleDefault(string Job, ScheduleChange Schedule);

/// <summary>Registers <see cref="JobScheduleDefault"/>s.</summary>
public static class JobScheduleDefaultExtensions
{
    public static IServiceCollection AddJobScheduleDefault(this IServiceCollection services, JobScheduleDefault schedule)
    {
        services.AddSingleton(schedule);
        return services;
    }
}
