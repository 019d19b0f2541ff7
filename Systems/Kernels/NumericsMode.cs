namespace EcsNeural.Systems.Kernels;

/// <summary>How the kernels may round: as fast as this CPU allows, or the same bits on every CPU.</summary>
public enum NumericsMode : byte
{
    /// <summary>
    /// The default: each kernel takes the widest vectors and the fused multiply-adds this CPU has. The same bits on every
    /// run and with any worker count, but a CPU with another vector width or instruction set may round differently.
    /// </summary>
    Fast = 0,

    /// <summary>
    /// Bit-identical results on every CPU, whatever its vector width or instruction set: every multiply-add is fused
    /// (in software where the CPU has no FMA), every reduction runs in a fixed lane count and order, and every kernel's
    /// path depends on the shape alone. Costs little where the CPU has AVX-512 and FMA, more without them.
    /// </summary>
    Portable = 1,
}
