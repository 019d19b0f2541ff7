using System.Text;

namespace EcsNeural.Ecs.Generators;

/// <summary><c>QueryDescription.WithAll/WithAny/WithNone&lt;T0, …&gt;()</c>: each adds its types to one mask of a copy.</summary>
internal static class QueryDescriptionSource
{
    private static readonly (string Method, string Mask, string Summary)[] Kinds =
    [
        ("WithAll", "All", "Requires every listed component. Returns a modified copy."),
        ("WithAny", "Any", "Requires at least one of the listed components (together with any earlier <c>WithAny</c> components). Returns a modified copy."),
        ("WithNone", "None", "Excludes entities having any of the listed components. Returns a modified copy."),
    ];

    public static string Text()
    {
        StringBuilder text = Arity.File("");
        text.Append("public partial struct QueryDescription\n{\n");
        foreach ((string method, string mask, string summary) in Kinds)
        {
            for (int n = 1; n <= Arity.Max; n++)
            {
                text.Append($$"""
                        /// <summary>{{summary}}</summary>
                        public readonly QueryDescription {{method}}<{{Arity.Types(n)}}>()
                    {{Arity.Constraints(n, "        ")}}
                        {
                            QueryDescription copy = this;
                            copy.{{mask}} = {{mask}}{{Arity.Each(n, i => $".With(ComponentType<T{i}>.Id)", "")}};
                            return copy;
                        }


                    """);
            }
        }
        return text.Append("}\n").ToString();
    }
}
