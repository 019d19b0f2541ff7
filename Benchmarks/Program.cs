using EcsNeural.Benchmarks.Ecs;

// Temporary dispatcher until the runner owned by the kernels work lands: `ecs` runs the ECS benchmark.
if (args.Length > 0 && args[0] == "ecs")
{
    EcsIterationBenchmark.Run(Console.Out);
    return;
}
Console.WriteLine("EcsNeural benchmarks: not built yet. Available: ecs");
