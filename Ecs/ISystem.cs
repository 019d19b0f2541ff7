namespace EcsNeural.Ecs;

/// <summary>
/// A unit of per-frame logic. A host calls <see cref="Initialize"/> once, then each frame
/// <see cref="BeforeUpdate"/>, <see cref="Update"/> and <see cref="AfterUpdate"/>, and finally
/// <see cref="IDisposable.Dispose"/>. Order relative to other systems of a <see cref="SystemGroup{T}"/>
/// is declared with <see cref="UpdateBeforeAttribute"/> / <see cref="UpdateAfterAttribute"/>.
/// Only <see cref="Update"/> must be written: the other phases default to doing nothing, so a system
/// implements just the phases it uses (call them through the interface, as <see cref="SystemGroup{T}"/> does).
/// </summary>
/// <typeparam name="T">Per-frame state passed to every phase (e.g. the frame's delta time).</typeparam>
public interface ISystem<T> : IDisposable
{
    /// <summary>Called once before the first update. The default does nothing.</summary>
    void Initialize() { }

    /// <summary>First phase of a frame. The default does nothing.</summary>
    void BeforeUpdate(in T state) { }

    /// <summary>Main phase of a frame.</summary>
    void Update(in T state);

    /// <summary>Last phase of a frame. The default does nothing.</summary>
    void AfterUpdate(in T state) { }

    /// <summary>Releases nothing by default; a system that holds resources implements <see cref="IDisposable.Dispose"/> itself.</summary>
    void IDisposable.Dispose() { }
}
