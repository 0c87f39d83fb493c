global using Orleans.TestingHost;
global using Tributary.Jobs;
global using Tributary.Testing;
