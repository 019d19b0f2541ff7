using System.Numerics;

namespace EcsNeural.Systems.Ops;

/// <summary>
/// One op, in one file: its <see cref="Description"/> and its numeric forward and backward passes, each written for the
/// instances [I0, I1) of one node and generic over float/double. <see cref="Operations"/> finds every implementation
/// and dispatches to it by <see cref="Components.OpCode"/>; nothing else lists ops. Implement it on a struct, so the
/// dispatch thunks are specialised and the pass is a direct call.
/// </summary>
internal interface IOperation
{
    /// <summary>Everything else about the op.</summary>
    static abstract OpDescription Description { get; }

    /// <summary>Computes the output from the inputs.</summary>
    static abstract void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>Adds (or, where <see cref="OpDescription.OverwritesFirstGradient"/>, writes) each needed input's Jᵀ·dy.</summary>
    static abstract void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>;
}
