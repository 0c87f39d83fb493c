// Benchmarks print their figures; each issue adds its own (see bench/README.md).
Console.WriteLine("usage: dotnet run -c Release --project bench/Tributary.Bench -- <benchmark>");
return 2;
