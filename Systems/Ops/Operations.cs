using System.Numerics;
using System.Reflection;
using EcsNeural.Components;

namespace EcsNeural.Systems.Ops;

/// <summary>
/// The registry of ops, indexed by <see cref="OpCode"/>: every <see cref="IOperation"/> in the engine, found once by
/// reflection, with its <see cref="OpDescription"/> and a table of function pointers to its forward and backward passes
/// per element type. Adding an op is its file (and its <see cref="OpCode"/>); every reader goes through here.
/// </summary>
public static unsafe class Operations
{
    private static readonly OpDescription[] Descriptions;
    private static readonly Type[] Implementations;

    static Operations() => (Descriptions, Implementations) = Discover();

    /// <summary>Every op's description, in <see cref="OpCode"/> order.</summary>
    public static IReadOnlyList<OpDescription> All => Descriptions;

    /// <summary>The description of <paramref name="op"/>.</summary>
    public static OpDescription Of(OpCode op) => Descriptions[(int)op];

    internal static int Arity(OpCode op) => Descriptions[(int)op].Arity;

    internal static bool OverwritesFirstGradient(OpCode op) => Descriptions[(int)op].OverwritesFirstGradient;

    internal static bool FiniteForFiniteInputs(OpCode op) => Descriptions[(int)op].FiniteForFiniteInputs;

    internal static bool ElementWise(OpCode op) => Descriptions[(int)op].ElementWise;

    /// <summary>Whether the op runs on interleaved instances: it says so, or it is element-wise or a leaf (layout-blind).</summary>
    internal static bool Interleaves(OpCode op)
        => Descriptions[(int)op] is { } d && (d.Interleaves || d.ElementWise || d.Arity == 0);

    /// <summary>The per-instance output shape, or <see cref="InvalidShapeException"/> when the inputs do not fit.</summary>
    internal static NodeShape Shape(in Node node, ReadOnlySpan<NodeShape> inputs)
        => (Descriptions[(int)node.Op].Shape ?? throw new InvalidOperationException("Leaves have explicit shapes."))(node, inputs);

    /// <summary>Runs the op's forward pass: one indirect call to its specialised thunk, which calls the op's code directly.</summary>
    internal static void Forward<T>(in OpContext<T> c, OpCode op) where T : unmanaged, IFloatingPointIeee754<T>
        => Table<T>.Forward[(int)op](c);

    /// <summary>Runs the op's backward pass.</summary>
    internal static void Backward<T>(in OpContext<T> c, OpCode op) where T : unmanaged, IFloatingPointIeee754<T>
        => Table<T>.Backward[(int)op](c);

    private static (OpDescription[], Type[]) Discover()
    {
        int count = Enum.GetValues<OpCode>().Length;
        var descriptions = new OpDescription[count];
        var implementations = new Type[count];
        foreach (Type type in typeof(IOperation).Assembly.GetTypes())
        {
            if (!type.IsValueType || !typeof(IOperation).IsAssignableFrom(type))
                continue;
            var description = (OpDescription)type.GetProperty(nameof(IOperation.Description), BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
            int op = (int)description.Op;
            if (implementations[op] is { } other)
                throw new InvalidOperationException($"{description.Op} is described twice, by {other.Name} and by {type.Name}.");
            bool leaf = description.Arity == 0;
            if (leaf != (description.Shape is null) || leaf != (description.Bprop is null) || leaf != (description.Sample is null))
                throw new InvalidOperationException($"{type.Name} describes {description.Op} with {(leaf ? "a" : "no")} shape rule, symbolic bprop "
                    + "or sample; every op but the leaves declares all three.");
            descriptions[op] = description;
            implementations[op] = type;
        }
        for (int op = 0; op < count; op++)
        {
            if (descriptions[op] is null)
                throw new InvalidOperationException($"{(OpCode)op} has no IOperation describing it; write its file in Systems/Ops.");
        }
        return (descriptions, implementations);
    }

    /// <summary>Per element type, each op's passes as function pointers, filled once from <see cref="Implementations"/>.</summary>
    private static class Table<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static readonly delegate*<in OpContext<T>, void>[] Forward = new delegate*<in OpContext<T>, void>[Descriptions.Length];
        public static readonly delegate*<in OpContext<T>, void>[] Backward = new delegate*<in OpContext<T>, void>[Descriptions.Length];

        static Table()
        {
            MethodInfo fill = typeof(Table<T>).GetMethod(nameof(Fill), BindingFlags.NonPublic | BindingFlags.Static)!;
            for (int op = 0; op < Implementations.Length; op++)
                fill.MakeGenericMethod(Implementations[op]).Invoke(null, [op]);
        }

        private static void Fill<TOp>(int op) where TOp : struct, IOperation
        {
            Forward[op] = &ForwardOf<TOp>;
            Backward[op] = &BackwardOf<TOp>;
        }

        private static void ForwardOf<TOp>(in OpContext<T> c) where TOp : struct, IOperation => TOp.Forward(c);

        private static void BackwardOf<TOp>(in OpContext<T> c) where TOp : struct, IOperation => TOp.Backward(c);
    }
}
