namespace EcsNeural.Systems.Graph;

/// <summary>The passes the pipeline systems requested for a graph in this tick, run together per instance block.</summary>
[Flags]
internal enum GraphPhases
{
    None = 0,
    Forward = 1,
    Backward = 2,
    Update = 4,
}
