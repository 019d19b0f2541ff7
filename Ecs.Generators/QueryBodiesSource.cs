using System.Text;

namespace EcsNeural.Ecs.Generators;

/// <summary>The bodies queries call per entity: the <c>ForEach</c> and <c>ForEachWithEntity</c> delegates and the <c>IForEach</c> struct interface.</summary>
internal static class QueryBodiesSource
{
    public static string Text()
    {
        StringBuilder text = Arity.File("");
        for (int n = 1; n <= Arity.Max; n++)
        {
            string types = Arity.Types(n);
            string cref = "{" + types + "}";
            string columns = Arity.Each(n, i => $"ref T{i} c{i}");
            text.Append($$"""
                /// <summary>Body of <see cref="World.Query{{cref}}(in QueryDescription, ForEach{{cref}})"/>: called once per matching entity with references into its component columns.</summary>
                public delegate void ForEach<{{types}}>({{columns}});

                /// <summary>Body of <see cref="World.Query{{cref}}(in QueryDescription, ForEachWithEntity{{cref}})"/>: like <see cref="ForEach{{cref}}"/>, also given the entity.</summary>
                public delegate void ForEachWithEntity<{{types}}>(Entity entity, {{columns}});

                /// <summary>
                /// Struct body for <see cref="World.InlineQuery{TBody, {{types}}}(in QueryDescription, ref TBody)"/>. Implement it on a struct:
                /// the JIT specialises the loop for that struct and inlines <see cref="Update"/>.
                /// </summary>
                public interface IForEach<{{types}}>
                {
                    /// <summary>Called once per matching entity with references into its component columns.</summary>
                    void Update(Entity entity, {{columns}});
                }


                """);
        }
        return text.ToString();
    }
}
