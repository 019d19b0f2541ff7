namespace EcsNeural.Systems.Ops;

/// <summary>Thrown by a shape rule; the compiler turns it into a GraphValidationException naming the node.</summary>
internal sealed class InvalidShapeException(string detail) : Exception(detail);
