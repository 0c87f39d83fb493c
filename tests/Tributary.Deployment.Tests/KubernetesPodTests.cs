using System.Net;
using Microsoft.Extensions.Configuration;
using Npgsql;
using Tributary.Silo;
using Tributary.Storage.Configuration;

namespace Tributary.Deployment.Tests;

/// <summary>How a silo tells it runs in a pod and who the pod is; and the database password a Secret gives.</summary>
public sealed class KubernetesPodTests
{
    [Fact]
    public void Outside_Kubernetes_there_is_no_pod_and_nothing_is_missing()
    {
        var pod = KubernetesPod.Detect(Environment(("POD_NAME", "silo-0")), out var problems);

        Assert.Null(pod);
        Assert.Empty(problems);
    }

    [Fact]
    public void In_a_pod_the_downward_API_names_the_silo_and_gives_its_address()
    {
        var pod = KubernetesPod.Detect(Environment(("KUBERNETES_SERVICE_HOST", "10.96.0.1"), ("POD_NAME", "tributary-silo-7d9f-abcde"),
            ("POD_NAMESPACE", "tributary"), ("POD_IP", "10.244.1.17")), out var problems);

        Assert.Empty(problems);
        Assert.Equal(new KubernetesPod("tributary-silo-7d9f-abcde", "tributary", IPAddress.Parse("10.244.1.17")), pod);
    }

    [Fact]
    public void In_a_pod_a_missing_or_wrong_variable_is_a_sentence_naming_it()
    {
        var pod = KubernetesPod.Detect(Environment(("KUBERNETES_SERVICE_HOST", "10.96.0.1"), ("POD_NAME", "tributary-silo-0"),
            ("POD_IP", "not-an-ip")), out var problems);

        Assert.Null(pod);
        Assert.Equal(
            [
                "This silo runs in a Kubernetes pod (KUBERNETES_SERVICE_HOST is set) but POD_NAMESPACE is not set: give it from the downward API (env POD_NAMESPACE, valueFrom.fieldRef.fieldPath metadata.namespace) as deploy/kubernetes/base/silo.yaml does.",
                "POD_IP must be the pod's IP address (fieldRef status.podIP), was 'not-an-ip'.",
            ],
            problems);
    }

    [Fact]
    public void Database_Password_replaces_the_password_of_the_connection_string()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = "Host=postgres;Port=5432;Username=tributary;Password=old;Database=tributary",
            ["Database:Password"] = "from-the-secret",
        }).Build();

        var resolved = new NpgsqlConnectionStringBuilder(DatabaseConnection.Resolve(configuration));

        Assert.Equal(("postgres", "tributary", "tributary", "from-the-secret"), (resolved.Host, resolved.Username, resolved.Database, resolved.Password));
    }

    [Fact]
    public void Without_Database_Password_the_connection_string_is_used_as_it_is()
    {
        const string connectionString = "Host=postgres;Port=5432;Username=tributary;Database=tributary";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = connectionString,
        }).Build();

        Assert.Equal(connectionString, DatabaseConnection.Resolve(configuration));
    }

    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;
}
