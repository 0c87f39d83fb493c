global using System.Text.Json.Nodes;
global using Tributary.Testing;
global using Xunit;
