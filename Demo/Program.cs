using System.CommandLine;
using EcsNeural.Demo.Fashion;

var root = new RootCommand("EcsNeural demo");
root.Subcommands.Add(FashionCommand.Create());
root.SetAction(_ => Console.WriteLine("EcsNeural demo: not built yet."));
return root.Parse(args).Invoke();
