global using Orleans.TestingHost;
global using Tributary.Testing;
global using Xunit;
