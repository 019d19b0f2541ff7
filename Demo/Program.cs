using EcsNeural.Demo.Cli;

return DemoCommandLine.Build().Parse(args).Invoke();
