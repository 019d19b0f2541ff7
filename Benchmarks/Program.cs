using EcsNeural.Benchmarks;

// dotnet run --project Benchmarks -c Release -- [W1…W5] [gemm] [ecs] [hvp] [--population N | --mlp B --layers 16,32,32,4]
//   [--busy-threads K] [--json PATH] [--no-peer] [--steps N] [--workers N]     (--help for everything)
return RunnerCommand.Invoke(args, Console.Out, Console.Error);
