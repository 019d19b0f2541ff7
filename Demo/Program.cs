Console.WriteLine("EcsNeural demo: not built yet.");
