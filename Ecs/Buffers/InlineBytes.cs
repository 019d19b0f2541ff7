using System.Runtime.CompilerServices;

namespace EcsNeural.Ecs.Buffers;

/// <summary>The inline part of a <see cref="ValueBuffer{T}"/>: 116 bytes, so that with its length and handle the buffer is 128.</summary>
[InlineArray(Size)]
internal struct InlineBytes
{
    public const int Size = 116;

    private byte _element0;
}
