namespace EcsNeural.Ecs.Buffers;

/// <summary>
/// A component that holds <see cref="ValueBuffer{T}"/>s. The world visits them whenever a value enters or leaves one of
/// its cells, to hand the cell its storage and to release it (see <see cref="ValueBuffer{T}"/>); a component type that
/// holds a buffer without implementing this is refused when first used.
/// </summary>
public interface IBufferOwner
{
    /// <summary>Calls <paramref name="visitor"/> once for every buffer this value holds, by reference.</summary>
    /// <example><c>void IBufferOwner.VisitBuffers&lt;TVisitor&gt;(ref TVisitor visitor) => visitor.Visit(ref Values);</c></example>
    void VisitBuffers<TVisitor>(ref TVisitor visitor) where TVisitor : struct, IBufferVisitor;
}

/// <summary>What the world does to each buffer of a component (<see cref="IBufferOwner.VisitBuffers"/>).</summary>
public interface IBufferVisitor
{
    /// <summary>Acts on one buffer.</summary>
    void Visit<T>(ref ValueBuffer<T> buffer) where T : unmanaged;
}
