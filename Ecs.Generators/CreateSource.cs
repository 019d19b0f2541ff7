using System.Text;

namespace EcsNeural.Ecs.Generators;

/// <summary><c>World.Create(in c0, …)</c>: an entity created straight in the archetype of its components.</summary>
internal static class CreateSource
{
    public static string Text()
    {
        StringBuilder text = Arity.File("using System.Runtime.CompilerServices;\n");
        text.Append("public sealed partial class World\n{\n");
        for (int n = 1; n <= Arity.Max; n++)
        {
            text.Append($$"""
                    /// <summary>Creates an entity with the given components.</summary>
                    /// <exception cref="ArgumentException">A component type is listed twice.</exception>
                    /// <exception cref="InvalidOperationException">Called during a query.</exception>
                    public Entity Create<{{Arity.Types(n)}}>({{Arity.Each(n, i => $"in T{i} c{i}")}})
                {{Arity.Constraints(n, "        ")}}
                    {
                        ReadOnlySpan<int> ids = [{{Arity.Each(n, i => $"ComponentType<T{i}>.Id")}}];
                        Archetype archetype = ArchetypeForCreate(ids);
                        Entity entity = CreateIn(archetype, out int row);
                {{Arity.Each(n, i => $"        Unsafe.As<byte, T{i}>(ref archetype.Cell(archetype.ColumnOf(ComponentType<T{i}>.Id), row)) = c{i};", "\n")}}
                        return entity;
                    }


                """);
        }
        return text.Append("}\n").ToString();
    }
}
