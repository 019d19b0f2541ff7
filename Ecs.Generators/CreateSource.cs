using System.Text;

namespace EcsNeural.Ecs.Generators;

/// <summary>
/// <c>World.Create(in c0, …)</c>: an entity created straight in the archetype of its components. Every value is checked
/// before anything changes (<c>CheckStorable</c>: a buffer owner's released storage) and placed with <c>Place</c>, which
/// hands a buffer owner its storage.
/// </summary>
internal static class CreateSource
{
    public static string Text()
    {
        StringBuilder text = Arity.File("");
        text.Append("public sealed partial class World\n{\n");
        for (int n = 1; n <= Arity.Max; n++)
        {
            text.Append($$"""
                    /// <summary>Creates an entity with the given components.</summary>
                    /// <exception cref="ArgumentException">A component type is listed twice.</exception>
                    /// <exception cref="InvalidOperationException">Called during a query, or a value's long buffer storage was released.</exception>
                    public Entity Create<{{Arity.Types(n)}}>({{Arity.Each(n, i => $"in T{i} c{i}")}})
                {{Arity.Constraints(n, "        ")}}
                    {
                        ReadOnlySpan<int> ids = [{{Arity.Each(n, i => $"ComponentType<T{i}>.Id")}}];
                        Archetype archetype = ArchetypeForCreate(ids);
                {{Arity.Each(n, i => $"        CheckStorable(in c{i});", "\n")}}
                        Entity entity = CreateIn(archetype, out int row);
                {{Arity.Each(n, i => $"        Place(archetype, row, in c{i});", "\n")}}
                        return entity;
                    }


                """);
        }
        return text.Append("}\n").ToString();
    }
}
