namespace EcsNeural.Ecs;

/// <summary>
/// A unit of per-frame logic. A host calls <see cref="Initialize"/> once, then each frame
/// <see cref="BeforeUpdate"/>, <see cref="Update"/> and <see cref="AfterUpdate"/>, and finally
/// <see cref="IDisposable.Dispose"/>. Order relative to other systems of a <see cref="SystemGroup{T}"/>
/// is declared with <see cref="UpdateBeforeAttribute"/> / <see cref="UpdateAfterAttribute"/>.
/// </summary>
/// <typeparam name="T">Per-frame state passed to every phase (e.g. the frame's delta time).</typeparam>
public interface ISystem<T> : IDisposable
{
    /// <summary>Called once before the first update.</summary>
    void Initialize();

    /// <summary>First phase of a frame.</summary>
    void BeforeUpdate(in T state);

    /// <summary>Main phase of a frame.</summary>
    void Update(in T state);

    /// <summary>Last phase of a frame.</summary>
    void AfterUpdate(in T state);
}
