namespace EcsNeural.Plugin.Checkpoints;

/// <summary>
/// The checkpoint file layout, version 1, little-endian:
/// <code>
/// magic "ECSNCKPT" (8 bytes) · u32 format version · u64 file length
/// header:  u8 element size (4 float, 8 double) · i32 instances · i32 nodes
///          per node (creation order, which is topological): u8 op · f64 scalar · i32 pieces · i32 rows · i32 cols
///                                                            · u8 trainable · u8 input count · i32 input node indices
///          i32 loss node index (−1 none)
///          optimizer: u8 kind · f64 learning rate · f64 momentum · f64 β₁ · f64 β₂ · f64 ε · u8 state tensors
///          i64 optimizer steps per instance
/// payload: per trainable node: values [instances × length], then each state tensor [instances × length]
/// u64 XxHash64 of every byte before it
/// </code>
/// </summary>
internal static class CheckpointFormat
{
    public const int Version = 1;
    public static ReadOnlySpan<byte> Magic => "ECSNCKPT"u8;
    /// <summary>Magic, version and length: what is read before anything is trusted.</summary>
    public const int PreambleLength = 8 + 4 + 8;
    public const int ChecksumLength = 8;
}
