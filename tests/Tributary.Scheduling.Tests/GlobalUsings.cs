global using Tributary.Jobs;
global using Tributary.Testing;
