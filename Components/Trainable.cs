namespace EcsNeural.Components;

/// <summary>Tag: the node is a parameter the optimizer updates.</summary>
public readonly record struct Trainable;
