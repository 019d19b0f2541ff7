using EcsNeural.Demo.Cli;

return DemoCommandLine.Invoke(args, Console.Out, Console.Error);
