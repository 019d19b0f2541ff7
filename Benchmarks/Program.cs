Console.WriteLine("EcsNeural benchmarks: not built yet.");
