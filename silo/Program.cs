return await Tributary.Silo.SiloProgram.RunAsync(args);
