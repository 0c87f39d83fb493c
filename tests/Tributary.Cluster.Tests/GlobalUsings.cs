global using System.Net;
global using System.Net.Http.Json;
global using System.Text.Json;
global using Tributary.Cluster.Tests.Infrastructure;
global using Xunit;
global using Tributary.Testing;
