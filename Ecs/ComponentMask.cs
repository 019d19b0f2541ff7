using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EcsNeural.Ecs;

/// <summary>
/// A fixed-size bitset over component type ids, stored inline so masks are compared, hashed and
/// copied without allocating. Archetypes are keyed by their mask; queries match masks with it.
/// </summary>
internal struct ComponentMask : IEquatable<ComponentMask>
{
    private const int WordCount = 8;

    /// <summary>Largest number of distinct component types a process may use.</summary>
    public const int Capacity = WordCount * 64;

    private Words _words;

    [InlineArray(WordCount)]
    private struct Words
    {
        private ulong _element;
    }

    public readonly bool IsEmpty
    {
        get
        {
            for (int i = 0; i < WordCount; i++)
            {
                if (_words[i] != 0) return false;
            }
            return true;
        }
    }

    public readonly int PopCount
    {
        get
        {
            int n = 0;
            for (int i = 0; i < WordCount; i++) n += BitOperations.PopCount(_words[i]);
            return n;
        }
    }

    public readonly bool Contains(int id) => (_words[id >> 6] & (1UL << (id & 63))) != 0;

    public readonly ComponentMask With(int id)
    {
        ComponentMask copy = this;
        copy._words[id >> 6] |= 1UL << (id & 63);
        return copy;
    }

    public readonly ComponentMask Without(int id)
    {
        ComponentMask copy = this;
        copy._words[id >> 6] &= ~(1UL << (id & 63));
        return copy;
    }

    /// <summary>True when every bit of <paramref name="other"/> is set here.</summary>
    public readonly bool ContainsAll(in ComponentMask other)
    {
        for (int i = 0; i < WordCount; i++)
        {
            if ((_words[i] & other._words[i]) != other._words[i]) return false;
        }
        return true;
    }

    /// <summary>True when at least one bit is set in both masks.</summary>
    public readonly bool Intersects(in ComponentMask other)
    {
        for (int i = 0; i < WordCount; i++)
        {
            if ((_words[i] & other._words[i]) != 0) return true;
        }
        return false;
    }

    /// <summary>Set bits in ascending id order.</summary>
    public readonly int[] ToIds()
    {
        var ids = new int[PopCount];
        int n = 0;
        for (int w = 0; w < WordCount; w++)
        {
            ulong bits = _words[w];
            while (bits != 0)
            {
                ids[n++] = (w << 6) + BitOperations.TrailingZeroCount(bits);
                bits &= bits - 1;
            }
        }
        return ids;
    }

    public readonly bool Equals(ComponentMask other)
    {
        for (int i = 0; i < WordCount; i++)
        {
            if (_words[i] != other._words[i]) return false;
        }
        return true;
    }

    public readonly override bool Equals(object? obj) => obj is ComponentMask other && Equals(other);

    public readonly override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(MemoryMarshal.AsBytes((ReadOnlySpan<ulong>)_words));
        return hash.ToHashCode();
    }
}
